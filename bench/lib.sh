# Shared by the bench/ scripts: a JDK >= 21, the pinned dynalite, and the benchmarks built with their classpath.
# shellcheck shell=bash
. scripts/lib.sh

# Builds the modules the benchmarks need and sets BENCH_CP (benchmarks jar + its runtime dependencies).
build_benchmarks() {
  find_jdk
  install_emulator
  require mvn "install Apache Maven 3.8+ (apt-get install maven)"
  echo "building (mvn package -pl benchmarks -am)..." >&2
  mvn -q -B package -DskipTests -pl benchmarks -am >&2
  BENCH_CP="benchmarks/target/benchmarks-1.0.0.jar:benchmarks/target/lib/*"
}
