#!/usr/bin/env bash
# Checks the emulator's transactions: the conformance cases (emulator/conformance/transaction-cases.json) with
# boto3 against the emulator, where every case must pass, and against moto 5.2.1 as a second opinion (its known
# gaps are reported, not failed); in raw-requests.test.js, what the SDKs cannot send: a token resent after its
# window, malformed bodies; in conflicts.test.js, the window 0 and the conflict counts. TransactionConformanceIT
# runs the same cases through the AWS SDK for Java.
# Fails, saying so, when python3, boto3 or moto is missing: a skipped check must never look like a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
require_moto
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Two emulators: one with the default transaction window, and one whose window (1.5 s) outlasts the pause before the
# request that meets a transaction in flight (moto_check.py's IN_FLIGHT_PAUSE), for the conflict cases.
start_emulator() { # name [option...]; sets port
  mkfifo "$dir/$1.stdin"
  node emulator/dynalite-server.js --port 0 "${@:2}" < "$dir/$1.stdin" > "$dir/$1.out" 2>&1 &
  exec {holder}> "$dir/$1.stdin" # held open while this script runs: the emulator exits when it closes
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/^dynalite listening on port \([0-9]*\).*/\1/p' "$dir/$1.out")
    [ -n "$port" ] && return
    sleep 0.1
  done
  echo "error: the emulator did not start: $(cat "$dir/$1.out")" >&2
  exit 1
}
start_emulator default
default_port=$port
start_emulator conflicts --transaction-window-ms 1500
echo "-- the emulator ($(sed -n 's/^dynalite listening on port [0-9]*, //p' "$dir/default.out"))"
node --test emulator/conformance/ > "$dir/node-test" 2>&1 || { cat "$dir/node-test" >&2; exit 1; }
echo "node --test (raw requests, conflicts): $(grep -E '^# (pass|fail) ' "$dir/node-test" | tr '\n' ' ')"
python3 emulator/conformance/moto_check.py --endpoint "http://127.0.0.1:$default_port" \
  --conflict-endpoint "http://127.0.0.1:$port" | grep -v '^agrees'
echo "-- moto $(python3 -c 'import moto; print(moto.__version__)')"
python3 emulator/conformance/moto_check.py | grep -v '^agrees'
