# Shared by the bench/ scripts (sourced from the repository root): a JDK >= 21, the pinned dynalite, and the
# benchmarks built and run with their class path.
# shellcheck shell=bash
. scripts/lib.sh

# Builds the modules the benchmarks need, then replaces the shell with MAIN_CLASS [ARGS...] on the benchmarks jar
# and its runtime dependencies (target/lib). Every benchmark takes --name value options and lists them on --help.
run_benchmark() {
  local main=$1
  shift
  find_jdk
  install_emulator
  require mvn "install Apache Maven 3.8+ (apt-get install maven)"
  echo "building (mvn package -pl benchmarks -am)..." >&2
  mvn -q -B package -DskipTests -pl benchmarks -am >&2
  exec java -Drepo.root="$PWD" -cp "benchmarks/target/benchmarks-1.0.0.jar:benchmarks/target/lib/*" "$main" "$@"
}
