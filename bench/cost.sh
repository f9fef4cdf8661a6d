#!/usr/bin/env bash
# Cost run: the load benchmark's partner mix through ./run --lambda (several warm containers per function), counting
# per request type the API requests, invocations, billed milliseconds, cold starts and the store's calls and capacity
# units in every container; checks every count; prints the table of docs/cost.md from bench/prices.properties.
# --units: one request of each kind at a time instead (WriteUnits): its store calls, write and read units, and the
# function's log bytes per request.
# Usage: bench/cost.sh [--containers N] [--requests N] ... | bench/cost.sh --from FILE | bench/cost.sh --units
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [[ "${1:-}" == --units ]]; then
  run_benchmark com.hourlyanalytics.bench.cost.WriteUnits
fi
run_benchmark com.hourlyanalytics.bench.cost.CostBenchmark "$@"
