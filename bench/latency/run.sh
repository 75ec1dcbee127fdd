#!/usr/bin/env bash
# Publish → page and publish → first announcement latencies (p50/p99) over N publications (default 200), against a
# local stack started here on a fresh data directory and stopped afterwards. Not run in CI.
#
#   bench/latency/run.sh [N]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-200}
DATA=$(mktemp -d "${TMPDIR:-/tmp}/latency-bench.XXXXXX")
export AGENDA_ADMIN_PASSWORD=${AGENDA_ADMIN_PASSWORD:-bench-$RANDOM$RANDOM}

"$ROOT/run-local.sh" --data-dir="$DATA" > "$DATA/stack.out" 2>&1 &
STACK=$!
trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null' EXIT INT TERM

for i in $(seq 1 600); do
  up=0
  for port in ${AGENDA_EVENT_SERVICE_PORT:-8081} ${AGENDA_NOTIFICATION_SERVICE_PORT:-8082} ${AGENDA_PUBLISHING_SERVICE_PORT:-8083}; do
    curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"' && up=$((up + 1))
  done
  [ "$up" -eq 3 ] && break
  kill -0 $STACK 2>/dev/null || { echo "the stack stopped; see $DATA/stack.out" >&2; exit 1; }
  sleep 1
done

java "$HERE/Latency.java" "$N"
