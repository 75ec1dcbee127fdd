#!/usr/bin/env bash
# The full rebuild as an operator runs it: POST /api/site/rebuild on a running publishing-service that has applied N
# events from Kafka, against Hugo building the same events. Not run in CI. See README.md ("The service's rebuild").
#
#   bench/site-build/service-rebuild.sh [N=10000] [ROUNDS=3]
#
# BENCH_DATA: the local stack's data directory, the site included (default target/service-rebuild; a tmpfs such as
# /dev/shm/agenda-rebuild takes the disk out, as BENCH_OUTPUT does for run.sh); SERVICE_JAVA_OPTS: the service's JVM
# options (default: those the local stack gives it); SERVICE_JAVA_HOME: the service's JVM (default the `java` on the
# PATH). The infrastructure's ports follow the local stack's AGENDA_*_PORT variables (run-local.sh --help), so the bench
# can run next to another stack.
#
# SERVICE_JAVA_OPTS may hold several configurations separated by ';', timed one after the other against the same
# infrastructure and events, each followed by Hugo's ROUNDS builds. In a configuration, three words are not JVM options:
#   java=PATH   the java executable of this configuration (instead of SERVICE_JAVA_HOME's)
#   extract     run the service from its extracted jar (java -Djarmode=tools -jar ... extract) instead of the fat jar
#   aot         extract, then make an AOT cache (JDK 25+: JEP 483/514/515) in a training run with the same options
#               (start-up, which builds the whole site, and one rebuild), and time the service started with it
# e.g. SERVICE_JAVA_OPTS='-Xmx384m -XX:+UseSerialGC; java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java aot -Xmx384m'
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$HERE/target"
N="${1:-10000}"
ROUNDS="${2:-3}"
DATA="${BENCH_DATA:-$WORK/service-rebuild}"
LOCAL_STACK_OPTS="-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"
IFS=';' read -r -a CONFIGS <<<"${SERVICE_JAVA_OPTS:-$LOCAL_STACK_OPTS}"
DEFAULT_JAVA="${SERVICE_JAVA_HOME:+$SERVICE_JAVA_HOME/bin/}java"
export AGENDA_ADMIN_PASSWORD="bench-$RANDOM$RANDOM"
PORT="${AGENDA_PUBLISHING_SERVICE_PORT:-8083}"
KAFKA="127.0.0.1:${AGENDA_KAFKA_PORT:-9092}"
REGISTRY="http://127.0.0.1:${AGENDA_REGISTRY_PORT:-8085}/apis/ccompat/v7"
MONGO="mongodb://127.0.0.1:${AGENDA_MONGO_PORT:-27017}"

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
java -cp "$CP" ServiceRebuild publish "$N" "$KAFKA" "$REGISTRY" > "$DATA/publish.log" 2>&1 \
  || { tail -20 "$DATA/publish.log" >&2; exit 1; }

SRC="$WORK/service-rebuild-src"
rm -rf "$SRC"; java -cp "$CP" SiteBench export "$N" "$SRC" >/dev/null
EXTRACTED="$WORK/service-extracted"

# start_service LOG JAVA OPTION... : starts the service in the background (pid in SERVICE) and waits for its health.
start_service() {
  local log="$1" java="$2"; shift 2
  "$java" "$@" --server.port="$PORT" --agenda.site.output-dir="$DATA/site" \
    --spring.kafka.bootstrap-servers="$KAFKA" --spring.kafka.properties.schema.registry.url="$REGISTRY" \
    --spring.mongodb.uri="$MONGO" \
    --logging.level.root=WARN --logging.level.dev.agenda.publishing.site.SitePublisher=INFO > "$log" 2>&1 &
  SERVICE=$!
  for i in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && return 0
    kill -0 "$SERVICE" 2>/dev/null || { echo "the service stopped, see $log" >&2; SERVICE=""; exit 1; }
    sleep 1
  done
  echo "the service did not come up, see $log" >&2; exit 1
}
stop_service() {
  kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true; SERVICE=""
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# The events are applied from Kafka once, by a service with the local stack's options; each configuration then starts
# on the applied read model (start-up builds the listings from it), so every one of them starts from the same state.
echo ">> applying the events (local stack's options)"
start_service "$DATA/publishing-service-apply.log" java $LOCAL_STACK_OPTS -jar "$JAR"
java -cp "$CP" ServiceRebuild rebuild "$N" "http://127.0.0.1:$PORT" "$SERVICE" 0
stop_service

summary=()
for c in "${!CONFIGS[@]}"; do
  java_cmd="$DEFAULT_JAVA"; extract=""; aot=""; opts=()
  for word in ${CONFIGS[$c]}; do
    case "$word" in
      java=*) java_cmd="${word#java=}" ;;
      extract) extract=1 ;;
      aot) aot=1; extract=1 ;;
      *) opts+=("$word") ;;
    esac
  done
  launch=(-jar "$JAR")
  if [ -n "$extract" ]; then
    if [ ! -d "$EXTRACTED" ] || [ "$JAR" -nt "$EXTRACTED" ]; then
      rm -rf "$EXTRACTED"; java -Djarmode=tools -jar "$JAR" extract --destination "$EXTRACTED" >/dev/null
    fi
    launch=(-jar "$EXTRACTED/$(basename "$JAR")")
  fi
  label="config $((c + 1)): $("$java_cmd" -version 2>&1 | head -1 | cut -d' ' -f1-3) ${CONFIGS[$c]}"
  if [ -n "$aot" ]; then
    echo ">> $label: AOT cache training run"
    rm -f "$WORK/service-$c.aot"
    start_service "$DATA/publishing-service-$c-training.log" "$java_cmd" "${opts[@]}" \
      -XX:AOTCacheOutput="$WORK/service-$c.aot" "${launch[@]}"
    java -cp "$CP" ServiceRebuild rebuild "$N" "http://127.0.0.1:$PORT" "$SERVICE" 1 >/dev/null
    stop_service
    [ -f "$WORK/service-$c.aot" ] || { echo "no AOT cache written, see $DATA/publishing-service-$c-training.log" >&2; exit 1; }
    opts+=(-XX:AOTCache="$WORK/service-$c.aot")
  fi
  echo ">> $label"
  started=$SECONDS
  start_service "$DATA/publishing-service-$c.log" "$java_cmd" "${opts[@]}" "${launch[@]}"
  echo ">> up in $((SECONDS - started)) s, RSS $(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$SERVICE/status) MB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$CP" ServiceRebuild rebuild "$N" "http://127.0.0.1:$PORT" "$SERVICE" "$ROUNDS" | tee "$DATA/rebuild-$c.out"
  grep -o 'Site rebuilt from .*' "$DATA/publishing-service-$c.log" || true
  stop_service

  hugo_runs=()
  for r in $(seq "$ROUNDS"); do
    rm -rf "$DATA/hugo-out"
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/hugo-time.txt" hugo --quiet --source "$SRC/hugo" --destination "$DATA/hugo-out"
    hugo_runs+=("$(awk '{printf "%s %.0f %.2f", $1, $2/1024, $3+$4}' "$WORK/hugo-time.txt")")
    echo "hugo $r: wall $(cut -d' ' -f1 <<<"${hugo_runs[-1]}") s, RSS $(cut -d' ' -f2 <<<"${hugo_runs[-1]}") MB, CPU $(cut -d' ' -f3 <<<"${hugo_runs[-1]}") s"
  done
  agenda_wall=$(grep -o 'wall [0-9.]*' "$DATA/rebuild-$c.out" | cut -d' ' -f2 | median)
  agenda_cpu=$(grep -o 'CPU [0-9.]*' "$DATA/rebuild-$c.out" | cut -d' ' -f2 | median)
  agenda_peak=$(grep -o 'peak [0-9]*' "$DATA/rebuild-$c.out" | cut -d' ' -f2 | median)
  hugo_wall=$(printf '%s\n' "${hugo_runs[@]}" | cut -d' ' -f1 | median)
  hugo_rss=$(printf '%s\n' "${hugo_runs[@]}" | cut -d' ' -f2 | median)
  hugo_cpu=$(printf '%s\n' "${hugo_runs[@]}" | cut -d' ' -f3 | median)
  summary+=("$(printf '%s\n  N=%s  service rebuild (median of %s): %s s, CPU %s s, peak RSS %s MB | hugo: %s s, CPU %s s, %s MB | ratios: wall %.2f (target <= 0.5), CPU %.2f, RSS %.2f (target <= 0.5) | load %s' \
    "$label" "$N" "$ROUNDS" "$agenda_wall" "$agenda_cpu" "$agenda_peak" "$hugo_wall" "$hugo_cpu" "$hugo_rss" \
    "$(awk -v a="$agenda_wall" -v h="$hugo_wall" 'BEGIN{print a/h}')" \
    "$(awk -v a="$agenda_cpu" -v h="$hugo_cpu" 'BEGIN{print a/h}')" \
    "$(awk -v a="$agenda_peak" -v h="$hugo_rss" 'BEGIN{print a/h}')" "$(cut -d' ' -f1-3 /proc/loadavg)")")
done
echo
printf '%s\n' "${summary[@]}"
