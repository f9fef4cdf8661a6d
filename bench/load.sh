#!/usr/bin/env bash
# Load benchmark: bench/load.sh [options]   (bench/load.sh --help lists them)
# Builds the benchmarks jar, then runs the local runner in-process with its own in-memory dynalite on 127.0.0.1
# and drives it over HTTP. Bounded by request count and time. Exits 1 if any count differs from its model.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
find_jdk
install_emulator
require mvn "install Apache Maven 3.8+ (apt-get install maven)"

echo "building (mvn package -pl benchmarks -am)..." >&2
mvn -q -B package -DskipTests -pl benchmarks -am >&2
exec java -Drepo.root="$PWD" -jar benchmarks/target/benchmarks.jar "$@"
