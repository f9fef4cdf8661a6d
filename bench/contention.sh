#!/usr/bin/env bash
# Contention run: the hot hour with the emulator rejecting what meets a transaction, as DynamoDB does, at the
# per-shard rates of the deployed limits (scaled down: fewer shards, the same rate per shard). Per transaction window
# and phase (new users, repeats with and without ids, batches): refusals and why, conflicts per 1,000 events, store
# retries, write units per event, p50/p99, exactness. Exits 1 unless every hour reads back exact (events without an id
# that a timeout left unsure: within docs/reliability.md's bound).
# Usage: bench/contention.sh [--windows 10,50] [--rate 50] [--users 1000] [--containers 4] [--shards 2] [--shard-limit 8]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.contention.ContentionBenchmark "$@"
