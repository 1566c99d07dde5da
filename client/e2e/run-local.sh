#!/usr/bin/env bash
# Runs the browser tests against a real `lightpress up` (moto, every
# function, the built client) on a free port, then stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
go build -o "$tmp/lightpress" ./cmd/lightpress
LIGHTPRESS_STATE="$tmp/stack.json" "$tmp/lightpress" up --addr "127.0.0.1:$port" --log-file "$tmp/functions.log" >"$tmp/up.log" 2>&1 &
pid=$!
cleanup() { kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  grep -q "Press Ctrl-C" "$tmp/up.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "lightpress up exited:"; cat "$tmp/up.log"; exit 1; }
  sleep 0.2
done
grep -q "Press Ctrl-C" "$tmp/up.log" || { echo "lightpress up not ready in 60s:"; cat "$tmp/up.log"; exit 1; }
cd client
for spec in e2e/*.spec.mjs; do
  LIGHTPRESS_URL="http://127.0.0.1:$port" node "$spec"
done
