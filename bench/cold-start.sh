#!/usr/bin/env bash
# Cold start of each function: a fresh JVM per run loads the shaded jar, runs the handler's no-arg constructor
# and serves the first request from events/*.json against a dynalite on 127.0.0.1.
# Usage: bench/cold-start.sh [RUNS=5] [JVM options for the function JVMs; default: Lambda java21 defaults]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.coldstart.ColdStartBenchmark "$@"
