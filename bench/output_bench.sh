#!/bin/bash
# bench/output_bench.sh - throughput of one service's output through its
# supervisor into a file, side by side in one run:
#   cat            cat DATA > FILE                       (the limit)
#   cat|cat        cat DATA | cat > FILE                 (the limit through a pipe)
#   pxinit         StandardOutput=journal, pxinit's stdout is FILE (prefix "gen: ")
#   pxinit-none    the same with --log-prefix none
#   pxinit-file    StandardOutput=append:FILE + X-LogMaxSize=1G (pxinit writes the file)
#   supervisord    [program] stdout_logfile=FILE
#   s6-log         cat DATA | s6-log DIR (as s6-svscan wires a logger)
# Every contender runs as PID 1 of a fresh PID namespace (unshare --pid --fork
# --mount-proc). Time is wall time from start until FILE holds every line;
# medians over RUNS runs. Needs root, pxinit built, supervisor and s6
# installed (Debian: apt-get install supervisor s6; the script offers to).
#
# Usage: bench/output_bench.sh [MEGABYTES (50)] [RUNS (7)]
set -eu
MB=${1:-50}
RUNS=${2:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
PXINIT=${PXINIT:-$HERE/../src/pxinit}
[ -x "$PXINIT" ] || { echo "build pxinit first (make)" >&2; exit 1; }
for tool in supervisord s6-log; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool missing; installing supervisor and s6" >&2
        apt-get install -y supervisor s6 >/dev/null
    fi
done

B=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-obench.XXXXXX")
trap 'rm -rf "$B"' EXIT
DATA=$B/data
# Numbered lines of 100 bytes, like a busy application log.
lines=$((MB * 1024 * 1024 / 100))
seq -f '%012.0f some application log line with a few words in it to make it look real, padding..' \
    1 "$lines" >"$DATA"
BYTES=$(stat -c %s "$DATA")

now() { date +%s%N; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
wait_size() { # FILE BYTES: until FILE has at least BYTES (1 ms polls)
    while [ "$(size_of "$1")" -lt "$2" ]; do sleep 0.001; done
}

run_cat() { unshare --pid --fork --mount-proc sh -c "cat '$DATA' > '$B/out'"; }
run_catcat() { unshare --pid --fork --mount-proc sh -c "cat '$DATA' | cat > '$B/out'"; }

mkdir -p "$B/units" "$B/run" "$B/fu" "$B/pu"
cat >"$B/units/gen.service" <<EOF2
[Service]
Type=oneshot
ExecStart=/bin/cat $DATA
SuccessAction=exit
EOF2
cat >"$B/fu/gen.service" <<EOF2
[Service]
Type=oneshot
ExecStart=/bin/cat $DATA
StandardOutput=append:$B/out
X-LogMaxSize=1G
SuccessAction=exit
EOF2
# pxinit exits once the unit is done and all its output is written.
run_pxinit() { unshare --pid --fork --mount-proc "$PXINIT" -q -R "$B/run" -u "$B/units" >"$B/out"; }
run_pxinit_none() {
    unshare --pid --fork --mount-proc "$PXINIT" -q --log-prefix none -R "$B/run" -u "$B/units" >"$B/out"
}
run_pxinit_file() { unshare --pid --fork --mount-proc "$PXINIT" -q -R "$B/run" -u "$B/fu" >/dev/null; }

cat >"$B/supervisord.conf" <<EOF2
[supervisord]
nodaemon=true
logfile=$B/supervisord.log
pidfile=$B/supervisord.pid
[program:gen]
command=/bin/cat $DATA
autorestart=false
startsecs=0
stdout_logfile=$B/out
stdout_logfile_maxbytes=0
EOF2
run_supervisord() {
    unshare --pid --fork --mount-proc supervisord -c "$B/supervisord.conf" >/dev/null 2>&1 &
    local pid=$! child=
    wait_size "$B/out" "$BYTES"
    # unshare blocks SIGTERM while it waits: signal supervisord (PID 1 inside).
    while [ -z "$child" ]; do child=$(pgrep -P "$pid" || true); done
    kill "$child"
    wait "$pid" || true
}
run_s6log() {
    rm -rf "$B/s6"
    mkdir "$B/s6"
    unshare --pid --fork --mount-proc sh -c "cat '$DATA' | s6-log -b n2 s268435455 '$B/s6'"
    mv "$B/s6/current" "$B/out"
}

check_out() { # NAME: FILE has every line of DATA, in order
    local got
    got=$(sed -E 's/^gen: //' "$B/out" | cmp - "$DATA" >/dev/null && echo ok || echo MISMATCH)
    [ "$got" = ok ] || echo "  warning: $1 output differs from the data" >&2
}

contenders="cat catcat pxinit pxinit_none pxinit_file supervisord s6log"
declare -A times
for c in $contenders; do times[$c]=""; done
for ((r = 1; r <= RUNS; r++)); do
    for c in $contenders; do # interleaved, so load changes hit all alike
        rm -f "$B/out"
        sync
        t0=$(now)
        "run_$c"
        t1=$(now)
        times[$c]="${times[$c]} $(((t1 - t0) / 1000))"
        [ "$r" = 1 ] && check_out "$c"
    done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
limit=$(echo "${times[cat]}" | median)
printf '\n%s MB (%s lines of 100 bytes), %s runs, %s CPUs, kernel %s\n\n' "$MB" "$lines" "$RUNS" \
    "$(nproc)" "$(uname -r)"
printf '| %-12s | %10s | %9s | %8s |\n' contender "median ms" "MB/s" "vs cat"
printf '|%s|%s|%s|%s|\n' -------------- ------------ ----------- ----------
for c in $contenders; do
    m=$(echo "${times[$c]}" | median)
    printf '| %-12s | %10.1f | %9.0f | %7.2fx |\n' "$c" "$(echo "$m / 1000" | bc -l)" \
        "$(echo "$BYTES / 1048576 / ($m / 1000000)" | bc -l)" "$(echo "$m / $limit" | bc -l)"
done
