#!/usr/bin/env bash
# Cold start through the real Lambda runtime client: each function (template.yaml's CodeUri jar, Handler and
# Environment) beside a do-nothing RequestStreamHandler and a do-nothing RequestHandler<APIGatewayProxy...>,
# fresh containers interleaved, process start to first response against a dynalite on 127.0.0.1.
# Usage: bench/cold-start.sh [--runs 5] [--java-tool-options "JVM flags for every container"] [--log FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
run_benchmark com.hourlyanalytics.bench.coldstart.ColdStartBenchmark "$@"
