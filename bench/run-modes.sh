#!/usr/bin/env bash
# ./run in each mode: time to "ready:", then the seed's two ab commands twice (cold, then warm), then the counts.
# Usage: bench/run-modes.sh [PORT]   (needs ab: apt-get install apache2-utils; builds the jars if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
require_ab() { command -v ab >/dev/null || { echo "error: ab is missing (apt-get install apache2-utils)" >&2; exit 1; }; }
require_ab
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for mode in --in-process --lambda; do
  : > "$log"
  start=$(date +%s%N)
  ./run --port "$port" "$mode" > "$log" 2>&1 &
  pid=$!
  until grep -q "^ready:" "$log"; do kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.05; done
  echo "$mode: ready after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  for round in cold warm; do
    ab -q -n 1000 -c 50 -m POST "http://127.0.0.1:$port/analytics?timestamp=10032342000&user=user2&event=click" \
      | grep -E "Failed requests|Requests per second" | sed "s/^/  POST $round: /"
    ab -q -n 1000 -c 50 "http://127.0.0.1:$port/analytics?timestamp=10032342000" \
      | grep -E "Failed requests|Requests per second" | sed "s/^/  GET  $round: /"
  done
  echo "  counts: $(curl -s "http://127.0.0.1:$port/analytics?timestamp=10032342000" | tr '\n' ' ')"
  echo "  containers started: $(grep -c 'cold start: new container' "$log" || true)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
