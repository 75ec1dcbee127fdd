#!/usr/bin/env bash
# The full rebuild as an operator runs it: POST /api/site/rebuild on a running publishing-service that has applied N
# events from Kafka, against Hugo building the same events. Not run in CI. See README.md ("The service's rebuild").
#
#   bench/site-build/service-rebuild.sh [N=10000] [ROUNDS=3]
#
# BENCH_DATA: the local stack's data directory, the site included (default target/service-rebuild; a tmpfs such as
# /dev/shm/agenda-rebuild takes the disk out, as BENCH_OUTPUT does for run.sh); SERVICE_JAVA_OPTS: the service's JVM
# options (default: those the local stack gives it).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/target"
N="${1:-10000}"
ROUNDS="${2:-3}"
DATA="${BENCH_DATA:-$WORK/service-rebuild}"
SERVICE_OPTS=(${SERVICE_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k})
export AGENDA_ADMIN_PASSWORD="bench-$RANDOM$RANDOM"
PORT="${AGENDA_PUBLISHING_SERVICE_PORT:-8083}"

command -v hugo >/dev/null && [ -x /usr/bin/time ] || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo time >/dev/null
}

echo ">> building (local stack, publishing-service, the bench)"
(cd "$ROOT" && ./run-local.sh --build-only >/dev/null \
  && ./mvnw -B -q -f publishing-service/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt")
JAR=$(ls -t "$ROOT"/publishing-service/target/agenda-publishing-service-*-exec.jar | head -1)
CP="$ROOT/publishing-service/target/classes:$(cat "$WORK/cp.txt")"
rm -rf "$WORK/rebuild-classes"; mkdir -p "$WORK/rebuild-classes"
javac -nowarn -d "$WORK/rebuild-classes" -cp "$CP" "$HERE/src/SiteBench.java" "$HERE/src/ServiceRebuild.java"
CP="$WORK/rebuild-classes:$CP"

rm -rf "$DATA"; mkdir -p "$DATA"
"$ROOT/run-local.sh" --no-build --infra-only --data-dir="$DATA" > "$DATA/infra.out" 2>&1 &
INFRA=$!
SERVICE=""
cleanup() {
  if [ -n "$SERVICE" ]; then kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null || true; fi
  kill -TERM "$INFRA" 2>/dev/null || true; wait "$INFRA" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for i in $(seq 1 300); do
  grep -q "ready in" "$DATA/infra.out" 2>/dev/null && break
  kill -0 "$INFRA" 2>/dev/null || { echo "the infrastructure stopped, see $DATA/infra.out" >&2; exit 1; }
  sleep 1
done

echo ">> publishing $N events to agenda.events"
java -cp "$CP" ServiceRebuild publish "$N" 127.0.0.1:"${AGENDA_KAFKA_PORT:-9092}" \
  "http://127.0.0.1:${AGENDA_REGISTRY_PORT:-8085}/apis/ccompat/v7" > "$DATA/publish.log" 2>&1 \
  || { tail -20 "$DATA/publish.log" >&2; exit 1; }

echo ">> starting publishing-service (${SERVICE_OPTS[*]}), site in $DATA/site"
java "${SERVICE_OPTS[@]}" -jar "$JAR" --server.port="$PORT" --agenda.site.output-dir="$DATA/site" \
  --logging.level.root=WARN --logging.level.dev.agenda.publishing.site.SitePublisher=INFO > "$DATA/publishing-service.log" 2>&1 &
SERVICE=$!
for i in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && break
  kill -0 "$SERVICE" 2>/dev/null || { echo "the service stopped, see $DATA/publishing-service.log" >&2; exit 1; }
  sleep 1
done
echo ">> load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" ServiceRebuild rebuild "$N" "http://127.0.0.1:$PORT" "$SERVICE" "$ROUNDS" | tee "$DATA/rebuild.out"
grep -o 'Site rebuilt from .*' "$DATA/publishing-service.log" || true

echo ">> Hugo on the same events, $ROUNDS times"
SRC="$WORK/service-rebuild-src"
rm -rf "$SRC"; java -cp "$CP" SiteBench export "$N" "$SRC" >/dev/null
hugo_runs=()
for r in $(seq "$ROUNDS"); do
  rm -rf "$DATA/hugo-out"
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/hugo-time.txt" hugo --quiet --source "$SRC/hugo" --destination "$DATA/hugo-out"
  hugo_runs+=("$(awk '{printf "%s %.0f %.2f", $1, $2/1024, $3+$4}' "$WORK/hugo-time.txt")")
  echo "hugo $r: wall $(cut -d' ' -f1 <<<"${hugo_runs[-1]}") s, RSS $(cut -d' ' -f2 <<<"${hugo_runs[-1]}") MB, CPU $(cut -d' ' -f3 <<<"${hugo_runs[-1]}") s"
done
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
agenda_wall=$(grep -o 'wall [0-9.]*' "$DATA/rebuild.out" | cut -d' ' -f2 | median)
agenda_peak=$(grep -o 'peak [0-9]*' "$DATA/rebuild.out" | cut -d' ' -f2 | median)
hugo_wall=$(printf '%s\n' "${hugo_runs[@]}" | cut -d' ' -f1 | median)
hugo_rss=$(printf '%s\n' "${hugo_runs[@]}" | cut -d' ' -f2 | median)
echo
printf 'N=%s  service rebuild (median of %s): %s s, peak RSS %s MB | hugo: %s s, %s MB | ratios: wall %.2f (target <= 0.5), RSS %.2f (target <= 0.5)\n' \
  "$N" "$ROUNDS" "$agenda_wall" "$agenda_peak" "$hugo_wall" "$hugo_rss" \
  "$(awk -v a="$agenda_wall" -v h="$hugo_wall" 'BEGIN{print a/h}')" \
  "$(awk -v a="$agenda_peak" -v h="$hugo_rss" 'BEGIN{print a/h}')"
