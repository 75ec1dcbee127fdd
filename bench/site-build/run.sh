#!/usr/bin/env bash
# Site build benchmark: the publishing-service's renderer (in-process, full rebuild and one-event update) against
# Hugo and Jekyll building the same synthetic events. Not run in CI.
#
#   bench/site-build/run.sh [N ...]        default: 1000 10000
#
# BENCH_REPEAT (default 3): full builds of agenda and Hugo per size, alternating, medians reported;
# BENCH_OUTPUT: where the sites are written (e.g. /dev/shm/site-bench, a tmpfs); BENCH_SKIP_JEKYLL=1;
# BENCH_JEKYLL_TIMEOUT (seconds, default 1200); BENCH_NO_CDS=1; BENCH_JAVA_OPTS; BENCH_JAVA_HOME (the JVM that runs
# the agenda builds, default the `java` on the PATH; the code is compiled for 17 either way); BENCH_AOT_TRAINING (events
# of the AOT cache's training run on JDK 25+, default 50).
#
# Needs: the publishing-service compiled (the script runs `mvnw package -DskipTests` for it), GNU time, and the
# Debian packages hugo, jekyll and ruby-jekyll-paginate (installed with apt-get when missing).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${BENCH_WORK:-$HERE/target}"
# Where the three builds write their sites (default: next to their sources). BENCH_OUTPUT=/dev/shm/site-bench takes
# the disk out of the comparison; see README.md ("The disk") for why that matters on some machines.
OUTPUT="${BENCH_OUTPUT:-$WORK}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000)
# C1 only and the serial collector: a build is a short batch, where C2 compile time and a parallel collector's
# footprint cost more than they return (measured: about half the CPU time and 60% of the RSS at N=1000).
JAVA_OPTS=(${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx768m})
JAVA="${BENCH_JAVA_HOME:+$BENCH_JAVA_HOME/bin/}java"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hugo || ! need jekyll || ! dpkg -s ruby-jekyll-paginate >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then
  echo ">> installing hugo, jekyll, ruby-jekyll-paginate, time"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo jekyll ruby-jekyll-paginate time >/dev/null
fi

mkdir -p "$WORK"
echo ">> building publishing-service"
(cd "$ROOT" && ./mvnw -B -q -f publishing-service/pom.xml package -DskipTests \
  && ./mvnw -B -q -f publishing-service/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt")
# Jars only (the plain jar of the service, not target/classes): class-data sharing archives only take jars.
CP="$ROOT/publishing-service/target/agenda-publishing-service-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp.txt")"
rm -rf "$WORK/classes"; mkdir -p "$WORK/classes"
javac -q -d "$WORK/classes" -cp "$CP" "$HERE/src/SiteBench.java" 2>/dev/null || javac -d "$WORK/classes" -cp "$CP" "$HERE/src/SiteBench.java"
jar cf "$WORK/sitebench.jar" -C "$WORK/classes" .
CP="$WORK/sitebench.jar:$CP"

# AppCDS: an untimed 50-event build records the classes it loads into an archive that the timed JVMs map instead of
# loading and verifying ~4,000 classes again (measured: about 0.5 s of start-up); BENCH_NO_CDS=1 turns it off.
# A deployment of the service can do the same (see publishing-service/README.md).
# On a JVM that has the AOT cache (JDK 25: JEP 483, 514, 515), the same training run makes an AOT cache instead: the
# classes loaded and linked, and the method profiles of the training run (BENCH_AOT_TRAINING events, default 50).
if [ -z "${BENCH_NO_CDS:-}" ]; then
  rm -rf "$WORK/cds-run" "$WORK/sitebench.jsa" "$WORK/sitebench.aot"
  if "$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '; then
    "$JAVA" "${JAVA_OPTS[@]}" -XX:AOTCacheOutput="$WORK/sitebench.aot" -Xlog:aot=off -Xlog:cds=off \
      -cp "$CP" SiteBench full "${BENCH_AOT_TRAINING:-50}" "$WORK/cds-run" >/dev/null 2>&1 || true
    [ -f "$WORK/sitebench.aot" ] && JAVA_OPTS+=(-XX:AOTCache="$WORK/sitebench.aot" -Xlog:aot=off -Xlog:cds=off)
  else
    "$JAVA" "${JAVA_OPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/sitebench.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp "$CP" SiteBench full 50 "$WORK/cds-run" >/dev/null 2>&1 || true
    [ -f "$WORK/sitebench.jsa" ] && JAVA_OPTS+=(-XX:SharedArchiveFile="$WORK/sitebench.jsa" -Xlog:cds=off)
  fi
  rm -rf "$WORK/cds-run"
fi
echo ">> agenda JVM: $("$JAVA" -version 2>&1 | head -1), options: ${JAVA_OPTS[*]}"
JEKYLL_LIMIT="${BENCH_JEKYLL_TIMEOUT:-1200}"
# The warm builds: default JIT, serial collector, a heap the renderer's live set fits (measured: ~2 s per 10,000-event
# build from the fourth round, 300 MB peak RSS); BENCH_WARM_ROUNDS=0 skips them.
WARM_ROUNDS="${BENCH_WARM_ROUNDS:-6}"
WARM_OPTS=(${BENCH_WARM_JAVA_OPTS:--XX:+UseSerialGC -Xmx192m -XX:ReservedCodeCacheSize=48m})
REPEAT="${BENCH_REPEAT:-3}"

# run LABEL CMD... : wall seconds, peak RSS (MB) and CPU seconds (user+sys) of CMD, from GNU time; a command that
# times out (exit 124 from timeout) reports a wall time of -1.
run() {
  local label="$1"; shift
  local log="$WORK/time-$label.log" status=0
  /usr/bin/time -v "$@" > "$WORK/out-$label.log" 2> "$log" || status=$?
  if [ "$status" -eq 124 ]; then echo "-1 0 0"; return; fi
  [ "$status" -eq 0 ] || { echo "!! $label failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
  echo "$wall $rss $cpu"
}

# medians "wall rss cpu" ... : the median of each column
medians() {
  local column out=()
  for column in 1 2 3; do
    out+=("$(printf '%s\n' "$@" | cut -d' ' -f"$column" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')")
  done
  echo "${out[*]}"
}

printf '\n%-8s %-26s %10s %10s %10s\n' "N" "build" "wall (s)" "CPU (s)" "RSS (MB)"
for N in "${SIZES[@]}"; do
  D="$WORK/n$N"
  O="$OUTPUT/n$N"
  rm -rf "$D" "$O"; mkdir -p "$D" "$O"
  java -cp "$CP" SiteBench export "$N" "$D/src" >/dev/null
  echo ">> N=$N, load average $(cut -d' ' -f1-3 /proc/loadavg), sites written to $O ($(df --output=fstype "$O" | tail -1))"

  # The full builds of agenda and Hugo alternate, REPEAT times each, and each figure is the median of its runs: on a
  # shared machine one run can be twice as slow as the next.
  agenda_runs=(); hugo_runs=(); inner_runs=()
  for r in $(seq "$REPEAT"); do
    rm -rf "$O/agenda" "$O/hugo-out"
    agenda_runs+=("$(run "agenda-full-$N" "$JAVA" "${JAVA_OPTS[@]}" -cp "$CP" SiteBench full "$N" "$O/agenda")")
    inner_runs+=("$(grep -o 'full_ms=[0-9]*' "$WORK/out-agenda-full-$N.log" | cut -d= -f2)")
    hugo_runs+=("$(run "hugo-$N" hugo --quiet --source "$D/src/hugo" --destination "$O/hugo-out")")
  done
  read -r agenda_wall agenda_rss agenda_cpu < <(medians "${agenda_runs[@]}")
  read -r hugo_wall hugo_rss hugo_cpu < <(medians "${hugo_runs[@]}")
  agenda_inner=$(printf '%s\n' "${inner_runs[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  echo "   agenda full (wall RSS CPU): ${agenda_runs[*]/%/;}  hugo: ${hugo_runs[*]/%/;}"
  read -r inc_wall inc_rss inc_cpu < <(run "agenda-inc-$N" "$JAVA" "${JAVA_OPTS[@]}" -cp "$CP" SiteBench incremental "$N" "$O/agenda-inc")
  inc_ms=$(grep -o 'incremental_ms=[0-9.]*' "$WORK/out-agenda-inc-$N.log" | cut -d= -f2)
  # The renderer warm: WARM_ROUNDS builds in one JVM with its default JIT (C2), each into a fresh directory, as a
  # running service's rebuild is once the JIT has compiled it; the median of the last three, and the JVM's peak RSS.
  warm_ms=0; warm_rss=0
  if [ "$WARM_ROUNDS" -gt 0 ]; then
    rm -rf "$O/agenda-warm"
    read -r _ warm_rss _ < <(run "agenda-warm-$N" "$JAVA" "${WARM_OPTS[@]}" -Drounds="$WARM_ROUNDS" -cp "$CP" SiteBench warm "$N" "$O/agenda-warm")
    warm_ms=$(grep -o 'build_ms=[0-9]*' "$WORK/out-agenda-warm-$N.log" | cut -d= -f2 | tail -3 | sort -n | sed -n 2p)
    rm -rf "$O/agenda-warm"
  fi
  if [ -n "${BENCH_SKIP_JEKYLL:-}" ]; then
    jekyll_wall=0; jekyll_rss=0; jekyll_cpu=0
  else
    read -r jekyll_wall jekyll_rss jekyll_cpu < <(run "jekyll-$N" timeout "$JEKYLL_LIMIT" jekyll build --quiet \
      --source "$D/src/jekyll" --destination "$O/jekyll-out")
  fi

  printf '%-8s %-26s %10.2f %10s %10s\n' "$N" "agenda full rebuild" "$agenda_wall" "$agenda_cpu" "$agenda_rss"
  printf '%-8s %-26s %10s\n' "" "  (in-process build only)" "$(awk -v m="$agenda_inner" 'BEGIN{printf "%.2f", m/1000}')"
  if [ "$WARM_ROUNDS" -gt 0 ]; then
    printf '%-8s %-26s %10s %10s %10s\n' "" "agenda rebuild, warm JVM" "$(awk -v m="$warm_ms" 'BEGIN{printf "%.2f", m/1000}')" "" "$warm_rss"
  fi
  printf '%-8s %-26s %10s %10s %10s\n' "" "agenda one-event update" "$(awk -v m="$inc_ms" 'BEGIN{printf "%.4f", m/1000}')" "" "($inc_rss)"
  printf '%-8s %-26s %10.2f %10s %10s\n' "" "hugo $(hugo version | grep -o 'v[0-9.]*' | head -1)" "$hugo_wall" "$hugo_cpu" "$hugo_rss"
  if [ -n "${BENCH_SKIP_JEKYLL:-}" ]; then
    printf '%-8s %-26s %10s\n' "" "jekyll" "skipped"
  elif [ "$jekyll_wall" = "-1" ]; then
    printf '%-8s %-26s %10s %10s %10s\n' "" "jekyll $(jekyll --version | awk '{print $2}')" "> $JEKYLL_LIMIT" "" "-"
    jekyll_wall=0; jekyll_rss=0
  else
    printf '%-8s %-26s %10.2f %10s %10s\n' "" "jekyll $(jekyll --version | awk '{print $2}')" "$jekyll_wall" "$jekyll_cpu" "$jekyll_rss"
  fi
  awk -v a="$agenda_wall" -v ar="$agenda_rss" -v h="$hugo_wall" -v hr="$hugo_rss" -v j="$jekyll_wall" \
      -v jr="$jekyll_rss" -v i="$inc_ms" -v ac="$agenda_cpu" -v hc="$hugo_cpu" -v w="$warm_ms" -v wr="$warm_rss" 'BEGIN {
    jekyll = j > 0 ? sprintf("agenda/jekyll wall %.2f, RSS %.2f", a/j, ar/jr) : "agenda/jekyll -"
    printf "         ratios: agenda/hugo wall %.2f (target <= 0.5), CPU %.2f, RSS %.2f (target <= 0.5) | %s | update/hugo rebuild %.4f (target <= 0.01)\n",
      a/h, ac/hc, ar/hr, jekyll, (i/1000)/h
    if (w > 0) printf "         warm JVM (renderer only, not the service): agenda/hugo wall %.2f, RSS %.2f\n", (w/1000)/h, wr/hr }'
done
echo
echo "Jekyll is Debian's $(jekyll --version | awk '{print $2}') (4.3.1 has the quadratic slowdown fixed upstream in 4.3.2, jekyll PR #9187)."
echo "Pages: agenda = event pages + .ics + paginated agenda/type/theme listings + feeds + JSON index + sitemap;"
echo "hugo = event pages + paginated section and taxonomy listings; jekyll = event pages + paginated agenda (posts by date)."
