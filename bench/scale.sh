#!/bin/bash
# bench/scale.sh - pxinit at scale beside runit, s6 and supervisor (Debian's
# packages): restart latency, startup, memory, idle wakeups, shutdown, and
# the cost of one event as the number of units grows.
#
# Every supervisor runs as PID 1 of a fresh PID namespace
# (`unshare --pid --fork --mount-proc`) and is killed with it. The services
# are one small C program, bench/pxbench.c, so that every supervisor runs the
# same binary and nothing but the supervisor differs:
#   - "marker": writes one byte to a FIFO and waits (SIGTERM kills it);
#     a unit is "up" when its byte arrived (bench/pxmark.c: the same without
#     libc, whose start-up alone would outweigh the supervisors);
#   - "stamp": appends a CLOCK_MONOTONIC stamp to a file and exits 1.
# runsv and s6-supervise exec ./run: that is a symlink to the same binary (no
# shell in between). Peers are interleaved: each of ROUNDS rounds measures
# every supervisor once; tables show the median over rounds.
#
# Usage (as root, from a built tree):
#   bench/scale.sh [SECTION...] [PXINIT=path]
#   SECTIONS: restart startup idle shutdown complexity (default: all; startup
#   also reports memory)
#   QUICK=1      100/300 units, 1 round, short runs (about a minute in all)
#   ROUNDS=3     rounds per measurement (QUICK: 1)
#   INSTALL=1    apt-get install what is missing
#   OUT=DIR      where data files go (default bench/results)
#   PXINIT_BASE=path  also start a second pxinit build ("pxinit-base", with -q)
#                in the startup section, interleaved: an A/B comparison
#   STARTUP_SUPS="limit pxinit ..."  the startup section's contenders
#   MARKER=pxbench  markers from the static glibc pxbench, not the libc-free pxmark
#   SETTLE_SECS=5  startup: PSS is read half a second after the last marker
#                and once the supervisor is idle, waiting at most this long
#                (0: at half a second, as before)
# Traffic: none beyond local Unix sockets and FIFOs.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
PXINIT=${PXINIT:-$TOP/src/pxinit}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    ROUNDS=${ROUNDS:-1}
    SIZES=${SIZES:-"100 300"}
    RESTART_SECS=${RESTART_SECS:-1.5} # supervisord needs 3 s for a gap: NA
    IDLE_SECS=${IDLE_SECS:-2}
    SHUTDOWN_N=${SHUTDOWN_N:-300}
    CX_SIZES=${CX_SIZES:-"100 1000"}
    CX_SECS=${CX_SECS:-1}
else
    ROUNDS=${ROUNDS:-3}
    SIZES=${SIZES:-"100 1000 10000"}
    RESTART_SECS=${RESTART_SECS:-5}
    IDLE_SECS=${IDLE_SECS:-60}
    SHUTDOWN_N=${SHUTDOWN_N:-1000}
    CX_SIZES=${CX_SIZES:-"100 300 1000 3000 10000"}
    CX_SECS=${CX_SECS:-$RESTART_SECS}
fi
OUT=${OUT:-$TOP/bench/results}
PXINIT_BASE=${PXINIT_BASE:-}
STARTUP_SUPS=${STARTUP_SUPS:-"limit pxinit pxinit-q${PXINIT_BASE:+ pxinit-base} runit s6 supervisord"}
SUP_TIMEOUT=${SUP_TIMEOUT:-60} # seconds a peer may take to start all units
SETTLE_SECS=${SETTLE_SECS:-5}  # startup: at most this long for the supervisor to go idle before PSS
SECTIONS=("$@")
[ ${#SECTIONS[@]} = 0 ] && SECTIONS=(restart startup idle shutdown complexity)

[ "$(id -u)" = 0 ] || { echo "bench/scale.sh: needs root (unshare --pid)" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "bench/scale.sh: $PXINIT not built" >&2; exit 1; }
# pxinit holds a descriptor per running unit (its output pipe's read end).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

. "$(dirname "$0")/lib.sh"
bench_need runsvdir:runit s6-svscan:s6 supervisord:supervisor gnuplot:gnuplot-nox cc:gcc \
    perl:perl-base

D=$(mktemp -d /tmp/pxinit-scale.XXXXXX)
mkdir -p "$OUT"
PB=$D/pxbench
# Static when libc.a is there: a dynamic glibc program spends most of its
# start in ld.so (on a VM, CPUID traps), which would hide the supervisors.
cc -O2 -static -o "$PB" "$TOP/bench/pxbench.c" 2>/dev/null || cc -O2 -o "$PB" "$TOP/bench/pxbench.c"
# The startup marker: bench/pxmark.c, four system calls and no libc, so that
# startup times are the supervisors' (pxbench's marker where it cannot be
# built). MARKER=pxbench measures with the glibc marker instead.
MK="$D/pxmark"
if [ "${MARKER:-pxmark}" = pxmark ] &&
    cc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie -o "$MK" "$TOP/bench/pxmark.c" 2>/dev/null; then
    MARK_CMD="$MK"
else
    MK=$PB
    MARK_CMD="$PB marker"
fi

NS_PIDS=()
# The namespace's init is the only child of its unshare process; SIGKILL to
# it makes the kernel kill everything in the namespace.
ns_kill() {
    local u=$1 c
    for c in $(cat /proc/"$u"/task/*/children 2>/dev/null); do kill -KILL "$c" 2>/dev/null || true; done
    local st
    for _ in $(seq 1 500); do
        # Gone, or a zombie of ours (the restart section's background jobs).
        st=Z
        { read -r _ _ st _ </proc/"$u"/stat; } 2>/dev/null || break
        [ "$st" = Z ] && break
        sleep 0.01
    done
    kill -KILL "$u" 2>/dev/null || true
    wait "$u" 2>/dev/null || true
}
ns_init() { cat /proc/"$1"/task/*/children 2>/dev/null | awk '{print $1; exit}'; }
cleanup() {
    local u
    for u in "${NS_PIDS[@]}"; do ns_kill "$u"; done
    rm -rf "$D"
}
trap cleanup EXIT

# Configuration for N units of kind (marker|stamp) for each supervisor, in $D/cfg-KIND-N.
make_units() {
    local kind=$1 n=$2 c=$D/cfg-$1-$2
    [ -d "$c" ] && return 0
    mkdir -p "$c/px" "$c/runit" "$c/s6"
    local arg="$D/fifo"
    [ "$kind" = stamp ] && arg="$D/stamps"
    cat >"$c/sup.conf" <<EOF
[unix_http_server]
file=$c/sup.sock
[supervisord]
nodaemon=true
logfile=$c/supervisord.log
pidfile=$c/supervisord.pid
minfds=$((n * 4 + 1024))
minprocs=$((n + 200))
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$c/sup.sock
EOF
    # One perl (Debian's perl-base is always there) instead of a dozen
    # processes per unit: 10,000 units in a second, not a minute.
    perl -e '
        my ($c, $n, $kind, $pb, $arg, $mk, $markcmd) = @ARGV;
        my $cmd = $kind eq "marker" ? "$markcmd $arg" : "$pb $kind $arg";
        my $run = $kind eq "marker" ? $mk : $pb;
        open(my $sup, ">>", "$c/sup.conf") or die;
        for my $i (1 .. $n) {
            my $name = sprintf("u%05d", $i);
            open(my $f, ">", "$c/px/$name.service") or die;
            print $f "[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=$cmd\n";
            print $f "Restart=always\nRestartSec=0\n" if $kind eq "stamp";
            close($f);
            for my $d ("runit", "s6") {
                mkdir("$c/$d/$name") or die;
                symlink($run, "$c/$d/$name/run") or die;
                symlink($arg, "$c/$d/$name/" . ($kind eq "marker" ? "fifo" : "stamp")) or die;
            }
            print $sup "[program:$name]\ncommand=$cmd\nstartsecs=0\nstartretries=1000000\n" .
                "autorestart=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n";
        }' "$c" "$n" "$kind" "$PB" "$arg" "$MK" "$MARK_CMD"
}

# The command line of supervisor $1 for config dir $2 (PID 1 of the namespace).
sup_cmd() {
    local c=$2
    case $1 in
    pxinit) echo "$PXINIT -R $c/pxrun -u $c/px" ;;
    pxinit-q) echo "$PXINIT -q -R $c/pxrun -u $c/px" ;;
    pxinit-base) echo "$PXINIT_BASE -q -R $c/pxrun -u $c/px" ;;
    # The limit: the same markers posix_spawn'ed in a loop, no supervision.
    limit) echo "$PB spawnall ${c##*-} $MARK_CMD $D/fifo" ;;
    runit) echo "runsvdir -P $c/runit" ;;
    s6) echo "s6-svscan -c 20000 $c/s6" ;;
    supervisord) echo "supervisord -c $c/sup.conf" ;;
    esac
}
# The processes that make up supervisor $1 (for memory and wakeups).
sup_comms() {
    case $1 in
    pxinit-base) basename "$PXINIT_BASE" | cut -c1-15 ;;
    pxinit*) echo pxinit ;;
    runit) echo runsvdir runsv ;;
    s6) echo s6-svscan s6-supervise ;;
    supervisord) echo supervisord ;;
    esac
}
# Supervisor state each peer keeps on disk (runsv's supervise/, s6's event/).
reset_state() {
    local c=$1
    rm -rf "$c/pxrun" "$c"/runit/*/supervise "$c"/s6/*/supervise "$c"/s6/*/event "$c"/s6/.s6-svscan
    rm -f "$c/sup.sock" "$c/supervisord.pid"
}

median() { sort -g | awk '{v[NR] = $1} END {if (!NR) {print "NA"; exit} m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m}'; }

# start_and_wait SUP N KIND: starts SUP on the N-unit config, waits until all
# N markers arrived. Sets UP_SECS ("timeout" on failure) and UP_NS (unshare pid).
start_and_wait() {
    local sup=$1 n=$2 c=$D/cfg-marker-$2 out
    reset_state "$c"
    rm -f "$D/fifo"
    mkfifo "$D/fifo"
    # shellcheck disable=SC2046
    out=$(cd "$D" && timeout "$SUP_TIMEOUT" "$PB" up "$n" "$D/fifo" unshare --pid --fork --mount-proc \
        $(sup_cmd "$sup" "$c") 2>"$D/$sup.err" </dev/null) || true
    UP_SECS=$(echo "$out" | sed -n 1p)
    UP_NS=$(echo "$out" | sed -n 2p)
    if [ -z "$UP_NS" ]; then
        UP_SECS=timeout
        # timeout killed pxbench; its unshare child lives on: find it by its command line.
        UP_NS=$(pgrep -f -x "unshare --pid --fork --mount-proc $(sup_cmd "$sup" "$c")" | head -1 || true)
    fi
    [ -n "$UP_NS" ] && NS_PIDS+=("$UP_NS")
    return 0
}
stop_ns() { [ -n "${UP_NS:-}" ] && ns_kill "$UP_NS"; UP_NS=; }

hdr() { echo; echo "## $*"; echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r), $(nproc) CPUs, ROUNDS=$ROUNDS QUICK=$QUICK"; }

# --- restart latency ------------------------------------------------------------
section_restart() {
    hdr "restart latency: a unit that exits 1 at once, restarted at the minimum delay (${RESTART_SECS}s per run)"
    make_units stamp 1
    local c=$D/cfg-stamp-1 r sup
    : >"$OUT/restart.dat"
    for r in $(seq 1 "$ROUNDS"); do
        for sup in limit pxinit pxinit-q runit s6 supervisord; do
            rm -f "$D/stamps"
            if [ "$sup" = limit ]; then
                "$PB" limit "$RESTART_SECS" "$D/stamps" "$PB" stamp "$D/stamps" 2>/dev/null
            else
                reset_state "$c"
                # shellcheck disable=SC2046
                unshare --pid --fork --mount-proc $(sup_cmd "$sup" "$c") >"$D/$sup.log" 2>&1 </dev/null &
                local u=$!
                NS_PIDS+=("$u")
                sleep "$RESTART_SECS"
                ns_kill "$u"
            fi
            # The first stamp is the first start: gaps from there on.
            echo "$sup $r $("$PB" gaps "$D/stamps" 0)" >>"$OUT/restart.dat"
        done
    done
    printf '| %-12s | %10s | %14s | %12s |\n' supervisor "restarts/s" "median gap ms" "limit / rate"
    printf '|--------------|-----------:|---------------:|-------------:|\n'
    for sup in limit pxinit pxinit-q runit s6 supervisord; do
        local rate gap
        rate=$(awk -v s=$sup '$1 == s {print $6}' "$OUT/restart.dat" | median)
        gap=$(awk -v s=$sup '$1 == s && $8 != "NA" {print $8}' "$OUT/restart.dat" | median)
        # The ratio within each round (the limit ran right before), then its median.
        local ratio
        ratio=$(awk -v s=$sup '$1 == "limit" {l[$2] = $6} $1 == s && $6 > 0 {print l[$2] / $6}' "$OUT/restart.dat" | median)
        [ "$ratio" = NA ] || ratio=$(printf '%.2fx' "$ratio")
        printf '| %-12s | %10s | %14s | %12s |\n' "$sup" "$rate" "$gap" "$ratio"
    done
}

# --- startup and memory -------------------------------------------------------------
section_startup() {
    hdr "startup: time until N units each wrote their marker; supervisor PSS once up and idle (SETTLE_SECS=$SETTLE_SECS)"
    local n sup r
    : >"$OUT/startup.dat"
    for n in $SIZES; do make_units marker "$n"; done
    for r in $(seq 1 "$ROUNDS"); do
        for n in $SIZES; do
            for sup in $STARTUP_SUPS; do
                # pxinit: a descriptor per running unit, and an eighth of the
                # limit kept for itself (builds before: three per unit).
                local need=$((n * 9 / 8 + 100))
                [ "$sup" = pxinit-base ] && need=$((3 * n + 100))
                if [ "${sup#pxinit}" != "$sup" ] && [ "$(ulimit -n)" -lt "$need" ]; then
                    echo "# $sup: $n units need about $need descriptors, ulimit -n is $(ulimit -n)" >&2
                fi
                if [ "$sup" = runit ] && [ "$n" -gt 1000 ]; then
                    echo "$n $sup $r limit NA NA" >>"$OUT/startup.dat"
                    continue # runsvdir supervises at most 1000 services (MAXSERVICES)
                fi
                if [ "$sup" = supervisord ] && [ "$n" -gt 1000 ]; then
                    echo "$n $sup $r skipped NA NA" >>"$OUT/startup.dat"
                    continue # about 40 s per run: see the README
                fi
                start_and_wait "$sup" "$n"
                local pss="NA NA"
                if [ "$UP_SECS" != timeout ] && [ "$sup" != limit ]; then
                    sleep 0.5 # let the last reports settle
                    # ...and then until the supervisor is idle (its CPU time
                    # unchanged over 200 ms; SETTLE_SECS=0: not at all): the
                    # memory an idle unit costs, not what starting it took
                    # (pxinit frees its spawn reports once it read them).
                    # shellcheck disable=SC2046
                    [ "$SETTLE_SECS" = 0 ] ||
                        "$PB" settle "$SETTLE_SECS" "$(ns_init "$UP_NS")" $(sup_comms "$sup") >/dev/null
                    # shellcheck disable=SC2046
                    pss=$("$PB" pss "$(ns_init "$UP_NS")" $(sup_comms "$sup"))
                fi
                echo "$n $sup $r $UP_SECS $pss" >>"$OUT/startup.dat"
                stop_ns
            done
        done
    done
    # "/ limit": up s over the limit's up s in the same round, median over rounds.
    printf '| %6s | %-12s | %10s | %8s | %12s | %14s |\n' units supervisor "up s" "/ limit" "PSS KiB" "KiB per unit"
    printf '|-------:|--------------|-----------:|---------:|-------------:|---------------:|\n'
    for n in $SIZES; do
        for sup in $STARTUP_SUPS; do
            local t kib ratio
            t=$(awk -v n="$n" -v s=$sup '$1 == n && $2 == s {print $4}' "$OUT/startup.dat" | { grep -v '[a-z]' || true; } | median)
            [ "$t" = NA ] && t=$(awk -v n="$n" -v s=$sup '$1 == n && $2 == s {print $4; exit}' "$OUT/startup.dat")
            kib=$(awk -v n="$n" -v s=$sup '$1 == n && $2 == s && $5 != "NA" {print $5}' "$OUT/startup.dat" | median)
            ratio=$(awk -v n="$n" -v s=$sup '$1 == n && $2 == "limit" && $4 ~ /^[0-9.]+$/ {l[$3] = $4}
                $1 == n && $2 == s && $4 ~ /^[0-9.]+$/ && l[$3] > 0 {print $4 / l[$3]}' "$OUT/startup.dat" | median)
            [ "$ratio" = NA ] || ratio=$(printf '%.2fx' "$ratio")
            printf '| %6s | %-12s | %10s | %8s | %12s | %14s |\n' "$n" "$sup" "$t" "$ratio" "$kib" \
                "$(awk -v k="$kib" -v n="$n" 'BEGIN {if (k == "NA") print "NA"; else printf "%.2f", k / n}')"
        done
    done
}

# --- idle wakeups ---------------------------------------------------------------------
section_idle() {
    hdr "idle: context switches of the supervisor processes over ${IDLE_SECS}s, 100 idle units"
    make_units marker 100
    local sup
    printf '| %-12s | %10s | %10s |\n' supervisor wakeups processes
    printf '|--------------|-----------:|-----------:|\n'
    : >"$OUT/idle.dat"
    for sup in pxinit runit s6 supervisord; do
        start_and_wait "$sup" 100
        sleep 1
        # shellcheck disable=SC2046
        local w
        w=$("$PB" ctxt "$IDLE_SECS" "$(ns_init "$UP_NS")" $(sup_comms "$sup"))
        echo "$sup $w" >>"$OUT/idle.dat"
        printf '| %-12s | %10s | %10s |\n' "$sup" $w
        stop_ns
    done
}

# --- shutdown -------------------------------------------------------------------------
section_shutdown() {
    hdr "shutdown: SIGTERM to PID 1 until it exited, $SHUTDOWN_N units that exit on SIGTERM"
    make_units marker "$SHUTDOWN_N"
    local sup r
    : >"$OUT/shutdown.dat"
    for r in $(seq 1 "$ROUNDS"); do
        for sup in pxinit pxinit-q runit s6 supervisord; do
            if [ "$sup" = supervisord ] && [ "$SHUTDOWN_N" -gt 1000 ]; then continue; fi
            start_and_wait "$sup" "$SHUTDOWN_N"
            if [ "$UP_SECS" = timeout ]; then
                echo "$sup $r NA" >>"$OUT/shutdown.dat"
            else
                sleep 0.5
                echo "$sup $r $("$PB" waitexit "$(ns_init "$UP_NS")" 15)" >>"$OUT/shutdown.dat"
            fi
            stop_ns
        done
    done
    printf '| %-12s | %10s |\n' supervisor "exit s"
    printf '|--------------|-----------:|\n'
    for sup in pxinit pxinit-q runit s6 supervisord; do
        printf '| %-12s | %10s |\n' "$sup" "$(awk -v s=$sup '$1 == s && $3 != "NA" {print $3}' "$OUT/shutdown.dat" | median)"
    done
}

# --- complexity: one event's cost against the number of units ---------------------------
section_complexity() {
    hdr "complexity: cost of one event with N idle units (pxinit -q)"
    local n r
    : >"$OUT/complexity.dat"
    for r in $(seq 1 "$ROUNDS"); do
        for n in $CX_SIZES; do
            make_units marker "$n"
            local c=$D/cfg-marker-$n
            # One extra unit that crashes and restarts all the time, added late.
            printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s stamp %s\nRestart=always\nRestartSec=0\n' \
                "$PB" "$D/stamps" >"$c/px/zcrash.service"
            # pxinit only: start_and_wait waits for the N markers.
            start_and_wait pxinit-q "$n"
            rm -f "$c/px/zcrash.service"
            if [ "$UP_SECS" = timeout ]; then stop_ns; continue; fi
            local PX="$PXINIT -R $c/pxrun"
            # status read (client process, status board) and control requests
            # (in-process round trips on the socket: no client start-up).
            local st ctl_st ctl_rs gap
            $PX stop zcrash >/dev/null
            st=$("$PB" runs 100 $PX status u00001)
            ctl_st=$("$PB" ctl "$c/pxrun/control" 200 "status u00001")
            ctl_rs=$("$PB" ctl "$c/pxrun/control" 100 "restart u00002")
            # SIGCHLD + restart: the crashing unit's median gap.
            rm -f "$D/stamps"
            $PX start zcrash >/dev/null
            sleep "$CX_SECS"
            $PX stop zcrash >/dev/null
            gap=$("$PB" gaps "$D/stamps" 0 | awk '{print $6}')
            echo "$n $r $gap $ctl_st $ctl_rs $st" >>"$OUT/complexity.dat"
            stop_ns
        done
    done
    printf '| %6s | %14s | %15s | %16s | %15s |\n' units "restart gap ms" "ctl status ms" "ctl restart ms" "status cmd ms"
    printf '|-------:|---------------:|----------------:|-----------------:|----------------:|\n'
    : >"$OUT/complexity-median.dat"
    for n in $CX_SIZES; do
        local row="$n"
        for col in 3 4 5 6; do
            row="$row $(awk -v n="$n" -v c=$col '$1 == n {print $c}' "$OUT/complexity.dat" | median)"
        done
        echo "$row" >>"$OUT/complexity-median.dat"
        # shellcheck disable=SC2086
        printf '| %6s | %14s | %15s | %16s | %15s |\n' $row
    done
    gnuplot <<EOF
set terminal pngcairo size 800,500 noenhanced
set output '$OUT/complexity.png'
set title 'pxinit: cost of one event vs number of units (median, ms)'
set logscale x
set xlabel 'units'
set ylabel 'ms'
set yrange [0:*]
set key top left
set grid
plot '$OUT/complexity-median.dat' using 1:2 with linespoints title 'SIGCHLD + restart (median gap)', \
     '' using 1:3 with linespoints title 'control: status UNIT (socket round trip)', \
     '' using 1:4 with linespoints title 'control: restart UNIT (until running again)', \
     '' using 1:5 with linespoints title 'pxinit status UNIT (client process, board)'
EOF
    echo "plot: $OUT/complexity.png"
}

echo "# bench/scale.sh: pxinit $("$PXINIT" --version 2>&1 | head -1); runit $(dpkg-query -W -f '${Version}' runit 2>/dev/null);" \
    "s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null); supervisor $(dpkg-query -W -f '${Version}' supervisor 2>/dev/null)"
for s in "${SECTIONS[@]}"; do "section_$s"; done
