#!/usr/bin/env bash
# Checks the emulator's transactions: the conformance cases (emulator/conformance/transaction-cases.json) with
# boto3 against the emulator, where every case must pass, and against moto 5.2.1 as a second opinion (its known
# gaps are reported, not failed); and, in raw-requests.test.js, what the SDKs cannot send: a token resent after
# its window, malformed bodies. TransactionConformanceIT runs the same cases through the AWS SDK for Java.
# Fails, saying so, when python3, boto3 or moto is missing: a skipped check must never look like a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
# pyenv's python is outside the default PATH of a non-login shell (as CI runs): prefer it when there.
[ -x "$HOME/.pyenv/shims/python3" ] && PATH="$HOME/.pyenv/shims:$PATH"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import boto3, moto' 2>/dev/null; then
  echo "error: python3 with boto3 and moto is not installed, so the transaction cases were NOT checked." \
    "Install them (pip install moto==5.2.1) and rerun." >&2
  exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/stdin"
node emulator/dynalite-server.js --port 0 < "$dir/stdin" > "$dir/out" 2>&1 &
exec 3> "$dir/stdin" # held open while this script runs: the emulator exits when it closes
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^dynalite listening on port //p' "$dir/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "error: the emulator did not start: $(cat "$dir/out")" >&2; exit 1; }
echo "-- the emulator"
node --test emulator/conformance/ > "$dir/node-test" 2>&1 || { cat "$dir/node-test" >&2; exit 1; }
echo "raw requests: $(grep -E '^# (pass|fail) ' "$dir/node-test" | tr '\n' ' ')"
python3 emulator/conformance/moto_check.py --endpoint "http://127.0.0.1:$port" | grep -v '^agrees'
echo "-- moto $(python3 -c 'import moto; print(moto.__version__)')"
python3 emulator/conformance/moto_check.py | grep -v '^agrees'
