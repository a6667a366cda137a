#!/bin/bash
# sigparts.sh - where a signal round trip goes: bench/sigloop.c's ways of
# waiting (sigwaitinfo, sigwaitinfo beside a libev loop's signalfd as pxinit
# waits, a blocking signalfd read, epoll_wait + read, a libev loop, and wait,
# epoll and libev with the forward in a signal handler),
# each with the main in its own process group (0) or session (1), beside
# pxinit and the peers. All pinned to one CPU (taskset -c $CPU), so every
# run is in the mode where the main and PID 1 share a CPU; interleaved;
# median of RUNS runs of RTT round trips each.
# Usage: bench/sigparts.sh   (root; env PXINIT, RUNS, RTT, CPU)
# The session's cost depends on sched autogroup: compare with
# /proc/sys/kernel/sched_autogroup_enabled at 0, or run inside a cpu cgroup
# (as in a container, where autogroup does not apply).
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
PXINIT=${PXINIT:-$PWD/src/pxinit}
RUNS=${RUNS:-11}
RTT=${RTT:-1000}
CPU=${CPU:-1}
[ "$(id -u)" = 0 ] || { echo "needs root (unshare --pid)" >&2; exit 1; }
bench_need tini:tini dumb-init:dumb-init catatonit:catatonit
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
cc -O2 -o "$B/sigloop" bench/sigloop.c -lev
cc -O2 -o "$B/workload" bench/workload.c

NAMES=()
declare -A CMD
add() { NAMES+=("$1"); CMD[$1]=$2; }
for w in wait evwait sfd epoll ev hwait hepoll handler; do
    for s in 0 1; do add "sigloop $w $s" "$B/sigloop $w $s"; done
done
add pxinit "$PXINIT --no-units -q -R $B/run --"
add tini "tini --"
add dumb-init "dumb-init"
add catatonit "catatonit --"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for _ in $(seq "$RUNS"); do
    for i in "${!NAMES[@]}"; do
        # shellcheck disable=SC2086 # the command's words
        taskset -c "$CPU" unshare --pid --fork --mount-proc ${CMD[${NAMES[$i]}]} \
            "$B/workload" rtt "$RTT" >>"$B/rtt.$i"
    done
done
echo "Host: $(uname -r), $(nproc) CPUs, autogroup $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo -)," \
    "cpu cgroup $(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/self/cgroup), pinned to CPU $CPU. $RTT round trips, median of $RUNS runs."
echo
echo "| PID 1 | main's own | round trip (µs) |"
echo "|---|---|---:|"
for i in "${!NAMES[@]}"; do
    n=${NAMES[$i]}
    case $n in
    *" 0") what="process group" ;;
    *" 1" | pxinit | dumb-init) what=session ;;
    *) what="process group" ;;
    esac
    echo "| ${n% [01]} | $what | $(median <"$B/rtt.$i") |"
done
