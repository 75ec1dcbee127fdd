#!/usr/bin/env bash
# Load test of the event-service admin API: POST /api/events, then GET /api/events (plain and filtered), printing
# requests/s and p50/p99 latency per phase. Not run in CI.
#
#   bench/event-api/run.sh [CONCURRENCY] [SECONDS]        (defaults: 16 clients, 20 s per phase)
#
# Starts what it needs and stops what it started: the local infrastructure (./run-local.sh --infra-only: Kafka,
# MongoDB, registry) when nothing answers on the MongoDB port, then the event-service exec jar (built if missing)
# with a bench admin password. To bench an already running service instead, set BENCH_URL (and BENCH_USER /
# BENCH_PASSWORD); BENCH_NO_BUILD=1 starts the infrastructure as it is built. Only a JDK 17+ is needed: the load generator is a single-file Java program (LoadGen.java).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CONCURRENCY=${1:-16}
SECONDS_PER_PHASE=${2:-20}
PORT=${BENCH_PORT:-8081}
MONGO_PORT=${AGENDA_MONGODB_PORT:-27017}
USER_NAME=${BENCH_USER:-admin}
PASSWORD=${BENCH_PASSWORD:-bench-$(date +%s)}
JAR="$ROOT/event-service/target/agenda-event-service-0.1.0-SNAPSHOT-exec.jar"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/event-bench.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

command -v java >/dev/null || { echo "bench: a JDK 17+ is required (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }

wait_for() { # url, seconds, [auth]
  local url=$1 limit=$2 i
  for ((i = 0; i < limit; i++)); do
    if curl -fsS -o /dev/null ${3:+-u "$3"} "$url" 2>/dev/null; then return 0; fi
    sleep 1
  done
  echo "bench: $url did not answer within ${limit}s (logs in $WORK)" >&2
  return 1
}

if [[ -z "${BENCH_URL:-}" ]]; then
  command -v curl >/dev/null || { echo "bench: installing curl"; apt-get install -y -qq curl >/dev/null; }
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null; then
    echo "bench: starting the local infrastructure (log: $WORK/infra.log)"
    "$ROOT/run-local.sh" --infra-only ${BENCH_NO_BUILD:+--no-build} >"$WORK/infra.log" 2>&1 &
    pids+=($!)
    for ((i = 0; i < 180; i++)); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$MONGO_PORT") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/9092") 2>/dev/null \
          && curl -fsS -o /dev/null "http://127.0.0.1:8085/apis/ccompat/v7/subjects" 2>/dev/null; then break; fi
      sleep 1
    done
  fi
  if [[ ! -f "$JAR" ]]; then
    echo "bench: building event-service"
    (cd "$ROOT" && ./mvnw -B -q install -DskipTests -pl schemas,service-support -am && \
      ./mvnw -B -q -f event-service/pom.xml package -DskipTests)
  fi
  echo "bench: starting event-service on port $PORT (log: $WORK/event-service.log)"
  # A separate database so the bench never mixes its thousands of events with local data.
  AGENDA_ADMIN_PASSWORD="$PASSWORD" java -Xmx512m -jar "$JAR" --server.port="$PORT" \
    --spring.mongodb.database=agenda_events_bench --logging.level.root=WARN >"$WORK/event-service.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$PORT/actuator/health" 120
  BENCH_URL="http://127.0.0.1:$PORT"
fi

java "$HERE/LoadGen.java" "$BENCH_URL" "$USER_NAME" "$PASSWORD" "$CONCURRENCY" "$SECONDS_PER_PHASE"
