#!/bin/bash
# entrypoint.sh - pxinit against tini, dumb-init and catatonit (Debian's
# packages) and a minimal ideal reaper, each as PID 1 of a fresh PID
# namespace (unshare --pid --fork --mount-proc), in one run:
#   1. orphan storm: N orphaned zombies at once, microseconds until none is left
#      (counted in a pids cgroup where one can be made, else probed with
#      kill(-1, 0) once a millisecond; workload.c says why)
#   2. signal round trip: the main signals PID 1, times the forwarded signal back
#   3. binary size (dynamic and static) and idle RSS as PID 1
# Prints a Markdown table (medians over RUNS runs; ratios to the ideal reaper).
# Usage: bench/entrypoint.sh   (root; env PXINIT, PXINIT_STATIC, N, RTT, RUNS)
#        ONLY=rtt bench/entrypoint.sh   just the signal round trip (a minute)
#        PXINIT_BASE=/old/pxinit ...    adds a row for another build (before/after)
set -eu
cd "$(dirname "$0")/.."
PXINIT=${PXINIT:-$PWD/src/pxinit}
PXINIT_STATIC=${PXINIT_STATIC:-}
PXINIT_BASE=${PXINIT_BASE:-}
N=${N:-10000}
RTT=${RTT:-1000}
RUNS=${RUNS:-7}
ONLY=${ONLY:-}

[ "$(id -u)" = 0 ] || { echo "needs root (unshare --pid)" >&2; exit 1; }
for p in tini dumb-init catatonit; do
    command -v "$p" >/dev/null || apt-get install -y tini dumb-init catatonit >/dev/null
done
. bench/lib.sh
B=$(mktemp -d)
CG=$(pids_cgroup "pxbench-$$")
trap 'rm -rf "$B"; [ -z "$CG" ] || rmdir "$CG"' EXIT
cc -O2 -o "$B/ideal_reaper" bench/ideal_reaper.c
cc -O2 -o "$B/workload" bench/workload.c

declare -A CMD=(
    [ideal]="$B/ideal_reaper"
    [pxinit]="$PXINIT --no-units -q -R $B/run --"
    [tini]="tini --"
    [dumb-init]="dumb-init"
    [catatonit]="catatonit --"
)
ORDER="ideal pxinit tini dumb-init catatonit"
if [ -n "$PXINIT_BASE" ]; then
    CMD[pxinit-base]="$PXINIT_BASE --no-units -q -R $B/run-base --"
    ORDER="ideal pxinit pxinit-base tini dumb-init catatonit"
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ns() { unshare --pid --fork --mount-proc "$@"; }
# The storm's namespace in the pids cgroup, whose count the workload reads.
storm() {
    if [ -n "$CG" ]; then
        (echo "$BASHPID" >"$CG/cgroup.procs" && STORM_PIDS=$CG/pids.current ns "$@")
    else
        ns "$@"
    fi
}

declare -A STORM RTTUS RSS
for r in $(seq "$RUNS"); do # interleaved, so drift hits every init alike
    for i in $ORDER; do
        echo "${CMD[$i]}" | grep -q . || continue
        [ "$ONLY" = rtt ] || storm ${CMD[$i]} "$B/workload" storm "$N" >>"$B/storm.$i"
        ns ${CMD[$i]} "$B/workload" rtt "$RTT" >>"$B/rtt.$i"
    done
done
if [ "$ONLY" = rtt ]; then
    echo "Host: $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d). $RTT round trips, median of $RUNS runs."
    echo
    echo "| init | signal round trip (µs) | vs ideal | runs (µs) |"
    echo "|---|---:|---:|---|"
    for i in $ORDER; do
        t=$(median <"$B/rtt.$i")
        ti=$(median <"$B/rtt.ideal")
        awk -v n="$i" -v t="$t" -v ti="$ti" -v r="$(tr '\n' ' ' <"$B/rtt.$i")" \
            'BEGIN {printf "| %s | %.1f | %.2fx | %s|\n", n, t, t/ti, r}'
    done
    exit 0
fi
for i in $ORDER; do
    STORM[$i]=$(median <"$B/storm.$i")
    RTTUS[$i]=$(median <"$B/rtt.$i")
    # idle RSS of PID 1 with a sleeping main
    unshare --pid --fork --mount-proc ${CMD[$i]} "$B/workload" idle &
    u=$!
    for _ in $(seq 100); do c=$(pgrep -P $u | head -n 1); [ -n "$c" ] && pgrep -P "$c" >/dev/null && break; sleep 0.02; done
    RSS[$i]=$(awk '/^VmRSS/ {print $2}' /proc/"$c"/status)
    kill -KILL "$c"
    wait $u 2>/dev/null || true
done

size() { stat -c %s "$1"; }
stripped() { cp "$1" "$B/s" && strip "$B/s" && stat -c %s "$B/s"; }
echo "Host: $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d). N=$N orphans, $RTT round trips, median of $RUNS runs."
if [ -n "$CG" ]; then
    echo "Orphans counted by the pids cgroup $CG."
else
    echo "Orphans counted by kill(-1, 0) once a millisecond (no pids cgroup could be made)."
fi
echo
echo "| init | orphan storm (ms) | vs ideal | signal round trip (µs) | vs ideal | idle RSS as PID 1 (KiB) |"
echo "|---|---:|---:|---:|---:|---:|"
for i in $ORDER; do
    awk -v n="$i" -v s="${STORM[$i]}" -v si="${STORM[ideal]}" -v t="${RTTUS[$i]}" -v ti="${RTTUS[ideal]}" -v r="${RSS[$i]}" \
        'BEGIN {printf "| %s | %.1f | %.2fx | %.1f | %.2fx | %d |\n", n, s/1000, s/si, t, t/ti, r}'
done
echo
echo "| binary | size (bytes) | stripped |"
echo "|---|---:|---:|"
linkage() { file -L "$1" | grep -q 'statically linked' && echo static || echo dynamic; }
echo "| pxinit ($(linkage "$PXINIT")) | $(size "$PXINIT") | $(stripped "$PXINIT") |"
[ -z "$PXINIT_STATIC" ] || echo "| pxinit ($(linkage "$PXINIT_STATIC")) | $(size "$PXINIT_STATIC") | $(stripped "$PXINIT_STATIC") |"
for b in tini tini-static dumb-init catatonit; do
    p=$(command -v "$b") || continue
    echo "| $b ($(linkage "$p")) | $(size "$p") | $(stripped "$p") |"
done
