#!/usr/bin/env bash
# The Agenda local stack in one command: builds what is missing or out of date, then starts Kafka, MongoDB, the
# schema registry, the SMTP sink and the three services, prints their URLs and the admin credentials, and stops
# everything on Ctrl-C. Data (stores, logs, generated site, secrets) is kept under data/ for the next start.
#
#   ./run-local.sh                 build if needed, start everything
#   ./run-local.sh --infra-only    Kafka, MongoDB, registry and SMTP sink only
#   ./run-local.sh --no-build      never build (use the jars as they are)
#   ./run-local.sh --build         always run the build first
#   ./run-local.sh --build-only    build what is missing or out of date, start nothing
#   ./run-local.sh --data-dir=DIR  keep the data elsewhere
#   ./run-local.sh --help          ports and the variables that change them
#
# Ports can be moved with AGENDA_<NAME>_PORT variables (see --help); JVM options of the launcher with
# AGENDA_LAUNCHER_OPTS (default: a small heap, since it only starts and watches). The build is incremental: a
# module is rebuilt only when a file of its sources (or of a module it uses, or the root pom) is newer than its jar.
set -uo pipefail

cd "$(dirname "$0")" || exit 1
ROOT=$(pwd)

build=auto
build_only=false
infra_only=false
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=no ;;
    --build) build=yes ;;
    --build-only) build_only=true ;;
    --infra-only) infra_only=true; args+=("$arg") ;;
    --help|-h) sed -n '2,/^set -uo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; echo; args+=("$arg"); build=no ;;
    *) args+=("$arg") ;;
  esac
done

if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
if ! java_version=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || [[ -z "$java_version" ]]; then
  echo "run-local.sh: no Java found; install a JDK 17 or newer (or set JAVA_HOME)." >&2
  exit 1
fi
java_major=${java_version%%.*}
if [[ "$java_major" == 1 ]]; then java_major=$(echo "$java_version" | cut -d. -f2); fi
if (( java_major < 17 )); then
  echo "run-local.sh: Java $java_version found, Agenda needs 17 or newer (set JAVA_HOME)." >&2
  exit 1
fi

LAUNCHER=local-stack/target/agenda-local-stack.jar
SERVICES=(event-service notification-service publishing-service)

# true when $1 (an artifact) is missing, or older than any main source file or pom of the given modules or the root
# pom (tests are not part of the artifact: a changed test alone does not call for a build).
stale() {
  local artifact=$1; shift
  [[ -f "$artifact" ]] || return 0
  local sources=(pom.xml)
  local module
  for module in "$@"; do
    [[ -e "$module/pom.xml" ]] && sources+=("$module/pom.xml")
    [[ -d "$module/src/main" ]] && sources+=("$module/src/main")
  done
  [[ -n "$(find "${sources[@]}" -newer "$artifact" -type f -print -quit 2>/dev/null)" ]]
}

service_jar() {
  ls -t "$1"/target/agenda-"$1"-*-exec.jar 2>/dev/null | head -n 1
}

# The modules the root pom builds (those not commented out in <modules>).
reactor_modules() {
  awk '{ text = text $0 "\n" }
       END {
         while ((i = index(text, "<!--")) > 0) {
           rest = substr(text, i + 4); j = index(rest, "-->")
           if (j == 0) { text = substr(text, 1, i - 1); break }
           text = substr(text, 1, i - 1) substr(rest, j + 3)
         }
         printf "%s", text
       }' pom.xml | grep -o '<module>[^<]*</module>' | sed -e 's#<module>##' -e 's#</module>##'
}

# Comma-separated, without duplicates, in order.
join_unique() {
  printf '%s\n' "$@" | awk 'NF && !seen[$0]++' | paste -sd, -
}

build_modules() {
  local stale_modules=()
  stale schema-registry/target/quarkus-app/quarkus-run.jar schema-registry && stale_modules+=(schema-registry)
  stale "$LAUNCHER" local-stack local-infrastructure && stale_modules+=(local-stack)
  if [[ "$infra_only" == false ]]; then
    local service jar
    for service in "${SERVICES[@]}"; do
      if [[ ! -f "$service/pom.xml" ]]; then
        echo "run-local.sh: $service has no pom.xml yet; it cannot be built." >&2
        continue
      fi
      jar=$(service_jar "$service")
      if [[ -z "$jar" ]] || stale "$jar" "$service" schemas service-support; then stale_modules+=("$service"); fi
    done
  fi
  if [[ "$build" == yes ]]; then
    stale_modules=(schema-registry local-stack)
    [[ "$infra_only" == false ]] && for s in "${SERVICES[@]}"; do [[ -f "$s/pom.xml" ]] && stale_modules+=("$s"); done
  fi
  if (( ${#stale_modules[@]} == 0 )); then
    echo "Build: everything is up to date (./run-local.sh --build forces a build)."
    return 0
  fi

  local reactor in_reactor=() outside=() module jar
  reactor=" $(reactor_modules | tr '\n' ' ') "
  for module in "${stale_modules[@]}"; do
    if [[ "$reactor" == *" $module "* ]]; then in_reactor+=("$module"); else outside+=("$module"); fi
  done
  echo "Build: ${stale_modules[*]} (missing or out of date)"
  local started=$SECONDS
  if (( ${#outside[@]} == 0 )); then
    ./mvnw -B -q -DskipTests package -pl "$(join_unique "${in_reactor[@]}")" -am || return 1
  else
    # Modules not (yet) listed in the root pom build on their own and resolve what they use from ~/.m2.
    local install=("${in_reactor[@]}")
    for module in "${outside[@]}"; do
      case "$module" in
        local-stack) install+=(local-infrastructure) ;;
        *) install+=(schemas service-support) ;;
      esac
    done
    ./mvnw -B -q -DskipTests install -pl "$(join_unique "${install[@]}")" -am || return 1
    for module in "${outside[@]}"; do
      ./mvnw -B -q -DskipTests -f "$module/pom.xml" package || return 1
    done
  fi
  # Maven leaves a jar alone when its content did not change (a pom edit that touched only tests, ...): mark the
  # artifacts as built now, so the next start does not build again for the same sources.
  for module in "${stale_modules[@]}"; do
    case "$module" in
      schema-registry) touch -c schema-registry/target/quarkus-app/quarkus-run.jar ;;
      local-stack) touch -c "$LAUNCHER" ;;
      *) jar=$(service_jar "$module"); [[ -n "$jar" ]] && touch -c "$jar" ;;
    esac
  done
  echo "Build: done in $(( SECONDS - started )) s"
}

if [[ "$build" != no ]]; then
  if ! build_modules; then
    echo "run-local.sh: the build failed (see above). Fix it, or start what is already built: ./run-local.sh --no-build" >&2
    exit 1
  fi
fi
if [[ "$build_only" == true ]]; then
  exit 0
fi
if [[ ! -f "$LAUNCHER" ]]; then
  echo "run-local.sh: $LAUNCHER is missing; build it: ./mvnw -B -DskipTests package -pl local-stack -am" >&2
  exit 1
fi

# The launcher runs in its own process group (job control on), so a Ctrl-C in the terminal reaches only this script,
# which passes it on: the launcher then stops the services first and the infrastructure after, instead of every JVM
# receiving the signal at once. It is passed on as SIGTERM: a JVM whose SIGINT was ignored when it started (a shell
# does that to background jobs) would not react to SIGINT, while SIGTERM runs the same shutdown.
set -m
# shellcheck disable=SC2086
"$JAVA" ${AGENDA_LAUNCHER_OPTS:--Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -Dagenda.parent.pid=$$ -jar "$LAUNCHER" --root="$ROOT" "${args[@]}" &
launcher=$!
trap 'kill -TERM "$launcher" 2>/dev/null' INT TERM HUP
status=0
while true; do
  wait "$launcher"
  status=$?
  kill -0 "$launcher" 2>/dev/null || break
done
exit "$status"
