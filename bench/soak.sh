#!/usr/bin/env bash
# A bounded soak (default 3 minutes at 100 requests/s, 127.0.0.1 only): memory of the runner JVM and of the
# emulator over time, then an exactness check of every hour against a model (exit 1 on a mismatch).
#   bench/soak.sh [--seconds 180] [--rate 100] [--clients 16] [--users 5000] [--hours 24] [--sample 15] [--warmup 30] [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.soak.SoakBenchmark "$@"
