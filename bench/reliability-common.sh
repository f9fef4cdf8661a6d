# Sourced by bench/overload.sh and bench/soak.sh: finds a JDK and dynalite, builds the jars, runs a main class
# with the local runner's jar (which carries every runtime dependency) on the class path.
# shellcheck shell=bash
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
find_jdk
install_emulator
require mvn "install Apache Maven 3.8+ (apt-get install maven)"

run_benchmark() {
  local main=$1
  shift
  mvn -q -B -pl benchmarks -am package -DskipTests >&2
  exec java -Drepo.root="$PWD" -cp "benchmarks/target/benchmarks-1.0.0.jar:local-runner/target/local-runner.jar" "$main" "$@"
}
