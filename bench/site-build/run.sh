#!/usr/bin/env bash
# Site build benchmark: the publishing-service's renderer (in-process, full rebuild and one-event update) against
# Hugo and Jekyll building the same synthetic events. Not run in CI.
#
#   bench/site-build/run.sh [N ...]        default: 1000 10000
#
# Needs: the publishing-service compiled (the script runs `mvnw package -DskipTests` for it), GNU time, and the
# Debian packages hugo, jekyll and ruby-jekyll-paginate (installed with apt-get when missing).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${BENCH_WORK:-$HERE/target}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000)
# C1 only and the serial collector: a build is a short batch, where C2 compile time and a parallel collector's
# footprint cost more than they return (measured: about half the CPU time and 60% of the RSS at N=1000).
JAVA_OPTS=(${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx768m})

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
CP="$ROOT/publishing-service/target/classes:$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/classes"
javac -q -d "$WORK/classes" -cp "$CP" "$HERE/src/SiteBench.java" 2>/dev/null || javac -d "$WORK/classes" -cp "$CP" "$HERE/src/SiteBench.java"
CP="$WORK/classes:$CP"

# run LABEL CMD... : wall seconds and peak RSS (MB) of CMD, from GNU time.
run() {
  local label="$1"; shift
  local log="$WORK/time-$label.log"
  /usr/bin/time -v "$@" > "$WORK/out-$label.log" 2> "$log" || { echo "!! $label failed, see $log"; tail -20 "$log"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "$wall $rss"
}

printf '\n%-8s %-26s %10s %10s\n' "N" "build" "wall (s)" "RSS (MB)"
for N in "${SIZES[@]}"; do
  D="$WORK/n$N"
  rm -rf "$D"; mkdir -p "$D"
  java -cp "$CP" SiteBench export "$N" "$D/src" >/dev/null

  read -r agenda_wall agenda_rss < <(run "agenda-full-$N" java "${JAVA_OPTS[@]}" -cp "$CP" SiteBench full "$N" "$D/agenda")
  agenda_inner=$(grep -o 'full_ms=[0-9]*' "$WORK/out-agenda-full-$N.log" | cut -d= -f2)
  read -r inc_wall inc_rss < <(run "agenda-inc-$N" java "${JAVA_OPTS[@]}" -cp "$CP" SiteBench incremental "$N" "$D/agenda-inc")
  inc_ms=$(grep -o 'incremental_ms=[0-9.]*' "$WORK/out-agenda-inc-$N.log" | cut -d= -f2)
  read -r hugo_wall hugo_rss < <(run "hugo-$N" hugo --quiet --source "$D/src/hugo" --destination "$D/hugo-out")
  if [ -n "${BENCH_SKIP_JEKYLL:-}" ]; then
    jekyll_wall=0; jekyll_rss=0
  else
    read -r jekyll_wall jekyll_rss < <(run "jekyll-$N" jekyll build --quiet --source "$D/src/jekyll" --destination "$D/jekyll-out")
  fi

  printf '%-8s %-26s %10.2f %10s\n' "$N" "agenda full rebuild" "$agenda_wall" "$agenda_rss"
  printf '%-8s %-26s %10s %10s\n' "" "  (in-process build only)" "$(awk -v m="$agenda_inner" 'BEGIN{printf "%.2f", m/1000}')" ""
  printf '%-8s %-26s %10s %10s\n' "" "agenda one-event update" "$(awk -v m="$inc_ms" 'BEGIN{printf "%.4f", m/1000}')" "($inc_rss)"
  printf '%-8s %-26s %10.2f %10s\n' "" "hugo $(hugo version | grep -o 'v[0-9.]*' | head -1)" "$hugo_wall" "$hugo_rss"
  printf '%-8s %-26s %10.2f %10s\n' "" "jekyll $(jekyll --version | awk '{print $2}')" "$jekyll_wall" "$jekyll_rss"
  awk -v a="$agenda_wall" -v ar="$agenda_rss" -v h="$hugo_wall" -v hr="$hugo_rss" -v j="$jekyll_wall" \
      -v jr="$jekyll_rss" -v i="$inc_ms" 'BEGIN {
    printf "         ratios: agenda/hugo wall %.2f, RSS %.2f | agenda/jekyll wall %.2f, RSS %.2f | update/hugo rebuild %.4f (target <= 0.01)\n",
      a/h, ar/hr, (j > 0 ? a/j : 0), (jr > 0 ? ar/jr : 0), (i/1000)/h }'
done
echo
echo "Jekyll is Debian's $(jekyll --version | awk '{print $2}') (4.3.1 has the quadratic slowdown fixed upstream in 4.3.2, jekyll PR #9187)."
echo "Pages: agenda = event pages + .ics + paginated agenda/type/theme listings + feeds + JSON index + sitemap;"
echo "hugo = event pages + paginated section and taxonomy listings; jekyll = event pages + paginated agenda (posts by date)."
