#!/usr/bin/env bash
# Compares the SDK's HTTP clients for the functions' DynamoDB client against dynalite on 127.0.0.1:
# jar bytes each adds, client init and first call in a fresh JVM, warm GetItem/UpdateItem latency.
# Usage: bench/http-clients.sh [--runs 5] [--calls 2000]   (--help lists the options)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.httpclient.HttpClientComparison "$@"
