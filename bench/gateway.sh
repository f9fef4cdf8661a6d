#!/usr/bin/env bash
# What the local gateway's per-request checks (API key, the key's, its batch method's and the method's stage token
# buckets, the quota) cost on the batch route, in microseconds, from a timed loop on one thread; docs/local-running.md
# quotes it.
# Usage: bench/gateway.sh [--keys N] [--checks N] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.gateway.GatewayCheckBenchmark "$@"
