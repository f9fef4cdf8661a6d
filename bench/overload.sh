#!/usr/bin/env bash
# Where the local runner starts shedding load: closed-loop POST clients at rising concurrency, 127.0.0.1 only.
#   bench/overload.sh [--limits RUNNING,QUEUED,WAIT_MS] [--levels 32,128,512,...] [--seconds N]
# Default limits are the runner's own (LocalApiServer.Limits.DEFAULT). Prints figures; exit 1 only if the
# hour's clicks differ from the acknowledged POSTs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.overload.OverloadBenchmark "$@"
