#!/usr/bin/env bash
# Cost run: the load benchmark's partner mix through ./run --lambda (several warm containers per function), counting
# per request type the API requests, invocations, billed milliseconds, cold starts and the store's calls and capacity
# units in every container; checks every count; prints the table of docs/cost.md from bench/prices.properties.
# Usage: bench/cost.sh [--containers N] [--requests N] ... | bench/cost.sh --from FILE  (--help lists them)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.cost.CostBenchmark "$@"
