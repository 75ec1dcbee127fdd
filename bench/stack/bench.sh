#!/usr/bin/env bash
# Local stack bench: builds what is missing (not timed), starts the whole stack (infrastructure + the three services)
# through ./run-local.sh, and prints
#   - the wall time from the command to "all ready" (every /actuator/health UP),
#   - the RSS of each process of the stack and their total (sum over the process tree, from ps),
#     once at ready and again after a settle period,
#   - the time to stop it with a Ctrl-C (SIGINT), and checks that no process of the tree is left.
# Not run in CI.
#
#   bench/stack/bench.sh                 fresh data directory (first start: Kafka formats its storage, ...)
#   bench/stack/bench.sh --reuse DIR     start on an existing data directory (second start)
#   bench/stack/bench.sh --infra-only    infrastructure only
#
# Environment: BENCH_SETTLE (seconds between the two RSS samples, default 20), BENCH_TIMEOUT (seconds to wait for
# ready, default 600), and every AGENDA_*_PORT variable of run-local.sh to move the ports.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)

data_dir=""
keep=false
stack_args=()
while (( $# > 0 )); do
  case "$1" in
    --reuse) data_dir=$2; keep=true; shift ;;
    --infra-only) stack_args+=("$1") ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
settle=${BENCH_SETTLE:-20}
ready_timeout=${BENCH_TIMEOUT:-600}

if [[ -z "$data_dir" ]]; then
  data_dir=$(mktemp -d "${TMPDIR:-/tmp}/agenda-stack-bench.XXXXXX")
fi
out="$data_dir/bench-stack.out"
mkdir -p "$data_dir"

echo "== build (not timed)"
./run-local.sh --build-only "${stack_args[@]}" || exit 1

calc() {
  awk "BEGIN { print ($1) }"
}

# Every pid under $1, $1 included.
tree() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      for (i in pids) {
        p = pids[i]
        for (q = p; q != "" && q != 0 && q != 1; q = parent[q]) if (q == root) { print p; break }
      }
    }'
}

# A readable name per process: the component a watchdog child runs, else the command.
describe() {
  local args
  args=$(ps -o args= -p "$1" 2>/dev/null) || return
  case "$args" in
    *JarLauncher*) basename "$(echo "$args" | tr ' :' '\n\n' | grep -- '-exec.jar$' | head -n1)" | sed 's/^agenda-//; s/-[0-9].*-exec.jar$//' ;;
    *KafkaServerMain*) echo kafka ;;
    *MongoServerMain*) echo mongodb ;;
    *QuarkusEntryPoint*) echo schema-registry ;;
    *SmtpSinkMain*) echo smtp-sink ;;
    *agenda-local-stack.jar*) echo launcher ;;
    *run-local.sh*) echo run-local.sh ;;
    *) echo "$args" | cut -c1-40 ;;
  esac
}

rss_report() {
  local label=$1 total=0 pid rss
  echo "== RSS $label"
  for pid in $(tree "$stack_pid" | sort -n); do
    rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ') || continue
    [[ -z "$rss" ]] && continue
    total=$(( total + rss ))
    printf '  %-24s pid %-8s %8.1f MB\n' "$(describe "$pid")" "$pid" "$(calc "$rss / 1024")"
  done
  printf '  %-24s %-12s %8.1f MB\n' "TOTAL" "" "$(calc "$total / 1024")"
}

echo "== start (data: $data_dir)"
started=$(date +%s.%N)
# A shell started in the background without job control (`nohup bench/run-all.sh &`) ignores SIGINT, and passes that
# on to every process it starts, for good: the Ctrl-C would be lost and the stack left running. Then it is stopped
# with SIGTERM, which run-local.sh handles the same way.
stop_signal=INT
if (( (0x$(awk '/^SigIgn/ {print $2}' /proc/$$/status) >> 1) & 1 )); then
  stop_signal=TERM
  echo "note: SIGINT is ignored here (started in the background): the stack is stopped with SIGTERM instead of Ctrl-C"
fi

# Own process group, like a terminal job: the Ctrl-C below goes to run-local.sh only, as a user's would.
set -m
./run-local.sh --no-build --data-dir="$data_dir" "${stack_args[@]}" > "$out" 2>&1 &
stack_pid=$!
set +m

ready=""
while [[ -z "$ready" ]]; do
  if ! kill -0 "$stack_pid" 2>/dev/null; then
    echo "the stack exited before it was ready:" >&2
    cat "$out" >&2
    exit 1
  fi
  if grep -q 'Agenda local stack ready in' "$out"; then
    ready=$(date +%s.%N)
  elif [[ $(calc "$(date +%s.%N) - $started > $ready_timeout") == 1 ]]; then
    echo "not ready within $ready_timeout s:" >&2
    cat "$out" >&2
    kill -"$stop_signal" "$stack_pid"
    wait "$stack_pid"
    exit 1
  else
    sleep 0.2
  fi
done
grep -E '^  [a-z-]+ +(ready|UP) in' "$out"
printf '== time to all ready: %.1f s (launcher says: %s)\n' "$(calc "$ready - $started")" \
  "$(grep -o 'ready in [0-9.]* s' "$out" | tail -n1)"

all_pids=$(tree "$stack_pid")
rss_report "at ready"
sleep "$settle"
rss_report "after ${settle} s idle"

echo "== stop (SIG$stop_signal)"
stopping=$(date +%s.%N)
kill -"$stop_signal" "$stack_pid"
wait "$stack_pid"
stopped=$(date +%s.%N)
left=""
for pid in $all_pids; do
  if kill -0 "$pid" 2>/dev/null; then left="$left $pid"; fi
done
printf '== stopped in %.1f s\n' "$(calc "$stopped - $stopping")"
if [[ -n "$left" ]]; then
  echo "== FAIL: processes still running after stop:$left" >&2
  ps -o pid,args -p "${left# }" >&2
  exit 1
fi
echo "== no process of the stack left ($(echo "$all_pids" | wc -w) processes checked)"
if [[ "$keep" == false ]]; then
  echo "(data kept in $data_dir for a second-start run: bench/stack/bench.sh --reuse $data_dir)"
fi
