#!/usr/bin/env bash
# Fan-out bench of the notification service (not run in CI). See README.md.
# Usage: bench/fanout/run.sh [subscribers=10000] [smtp-connections=8]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SUBSCRIBERS="${1:-10000}"
CONNECTIONS="${2:-8}"
SINK_PORT="${SINK_PORT:-25250}"

if ! command -v smtp-sink >/dev/null || ! command -v smtp-source >/dev/null; then
  echo "Installing postfix (for smtp-sink and smtp-source; the mail daemon is not configured nor started)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
fi
PATH="$PATH:/usr/sbin"

cd "$ROOT"
./mvnw -B -q -f notification-service/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="$ROOT/notification-service/target/classes:$ROOT/notification-service/target/test-classes:$(cat notification-service/target/bench.classpath)"

# smtp-sink: accepts everything, stores nothing; -u is needed when run as root.
SINK_ARGS=()
[ "$(id -u)" -eq 0 ] && SINK_ARGS=(-u nobody)
smtp-sink "${SINK_ARGS[@]}" "127.0.0.1:${SINK_PORT}" 1024 &
SINK_PID=$!
trap 'kill "$SINK_PID" 2>/dev/null || true' EXIT

mkdir -p notification-service/target
cd notification-service
java -Xmx1g -Dagenda.local-mongo.max-heap="${BENCH_MONGO_HEAP:-1g}" -Dagenda.registry.jar="$ROOT/schema-registry/target/quarkus-app/quarkus-run.jar" \
  -cp "$CP" "$ROOT/bench/fanout/FanoutBench.java" "$SINK_PORT" "$SUBSCRIBERS" "$CONNECTIONS"
