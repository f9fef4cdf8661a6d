#!/usr/bin/env bash
# Load benchmark: drives the local runner (in-process, its own in-memory dynalite on 127.0.0.1) over HTTP with a
# realistic mix against the exactly-once floor (the fewest store calls, straight through the SDK), loads one hour
# through the batch endpoint and compares its GETs with an empty hour's, then reads every hour back. Bounded by
# request count and time; exits 1 if any count differs from its model.
# Usage: bench/load.sh [--requests N] [--duration SECONDS] [--clients N] ... (--help lists them)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.load.LoadBenchmark "$@"
