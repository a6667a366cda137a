#!/bin/bash
# bench/sockets.sh - socket units (issue 18): restarts that refuse nothing,
# per-connection services against xinetd and tcpserver, first-connection
# latency of a socket-activated service, and memory per socket unit.
#
# Everything runs in a network namespace of its own (`unshare --net`, lo
# up), so the ports are ours and no traffic leaves loopback. pxinit runs as
# PID 1 of a fresh PID namespace with its runtime and unit directories in a
# temporary directory. Sections:
#
#   restart  one pxinit with two services running the same program,
#            bench/sockserv.c (accepts, writes one line, closes): `act` gets
#            its listening fd from act.socket (Accept=no, LISTEN_FDS), `self`
#            binds its own port. Both Restart=always, RestartSec=100ms, no
#            start limit. A bench/connloop.c client per port connects in a
#            tight loop and reads the line, while each service is restarted
#            RESTARTS times (`pxinit restart`, the two in turn), then, with
#            new clients, killed RESTARTS times (kill -9 of its main pid,
#            Restart= brings it back; the next kill after pxinit reports it
#            running again). Counts: ok, refused (ECONNREFUSED), lost
#            (connected, then closed or reset with no line: the process died
#            holding it), timeout, and the longest wait of an ok connection.
#   rate     connections per second of a per-connection echo service,
#            bench/sockecho.c (stdin to stdout until EOF), run by pxinit
#            (echo.socket Accept=yes, TriggerLimitIntervalSec=0: no trigger
#            limit; echo@.service StandardInput=socket), xinetd (-dontfork,
#            its own config, wait = no, no rate limit, no logging) and
#            ucspi-tcp's tcpserver (-H -R -l 0), in turn over ROUNDS (the
#            order rotates each round): bench/connrate.c, RATE_N
#            connections one at a time, then RATE_N with RATE_PAR at once;
#            each sends a line and reads it back. Medians and the per-round
#            ratios pxinit/xinetd and pxinit/tcpserver.
#   first    bench/firstbyte.c: connect() to the first byte of sockserv's
#            line, through lat.socket (Accept=no). cold: lat.service stopped
#            (`pxinit stop`, the socket listening), so the connection starts
#            it; warm: right after, the service running. FIRST_N pairs.
#   mem      pxinit's Pss (/proc/PID/smaps_rollup, once idle) and open fds
#            with MEM_N socket units (ListenStream= on unix paths in a
#            temporary directory, each with its service, which has a false
#            ConditionPathExists= and never runs), with the same MEM_N
#            services alone (skip), and with no unit (empty), over ROUNDS.
#            Pss per socket unit = (sockets - skip) / MEM_N.
#
# Usage (as root, from a built tree; results on stdout, raw data under OUT):
#   bench/sockets.sh [restart] [rate] [first] [mem]    (default: all four)
#   PXINIT=path RESTARTS=100 ROUNDS=3 RATE_N=1000 RATE_PAR=4 FIRST_N=50 MEM_N=1000
#   INSTALL=1   apt-get install xinetd and ucspi-tcp when missing (never in CI)
#   OUT=DIR     where the raw data go (default: a temporary directory)
# Not part of `make check`.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/sockets.sh: needs root (unshare)" >&2; exit 1; }
# Our own network namespace: free ports, loopback only.
if [ -z "${SOCKBENCH_NETNS:-}" ]; then
    exec unshare --net env SOCKBENCH_NETNS=1 "$0" "$@"
fi
ip link set lo up

PXINIT=$(realpath "${PXINIT:-$TOP/src/pxinit}")
RESTARTS=${RESTARTS:-100}
ROUNDS=${ROUNDS:-3}
RATE_N=${RATE_N:-1000}
RATE_PAR=${RATE_PAR:-4}
FIRST_N=${FIRST_N:-50}
MEM_N=${MEM_N:-1000}
SECTIONS=("$@")
[ ${#SECTIONS[@]} = 0 ] && SECTIONS=(restart rate first mem)

[ -x "$PXINIT" ] || { echo "bench/sockets.sh: $PXINIT not built" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
. "$TOP/bench/lib.sh"
bench_need cc:gcc
case " ${SECTIONS[*]} " in *" rate "*) bench_need xinetd:xinetd tcpserver:ucspi-tcp ;; esac

D=$(mktemp -d /tmp/pxinit-sockets.XXXXXX)
chmod 755 "$D"
OUT=${OUT:-$D/out}
mkdir -p "$OUT" "$D/bin"
for p in sockserv connloop connrate sockecho firstbyte; do
    cc -O2 -o "$D/bin/$p" "$TOP/bench/$p.c"
done
B=$D/bin

NS_PIDS=()
BG_PIDS=()
ns_init() { { cat /proc/"$1"/task/*/children 2>/dev/null || true; } | awk '{print $1; exit}'; }
ns_kill() {
    local u=$1 c
    c=$(ns_init "$u")
    [ -n "$c" ] && kill -KILL "$c" 2>/dev/null
    wait "$u" 2>/dev/null || true
}
cleanup() {
    set +e
    local u
    for u in "${BG_PIDS[@]}"; do kill -KILL "$u" 2>/dev/null; wait "$u" 2>/dev/null; done
    for u in "${NS_PIDS[@]}"; do ns_kill "$u"; done
    [ "${KEEP:-0}" = 1 ] && { echo "# kept $D" >&2; return; }
    rm -rf "$D"
}
trap cleanup EXIT

median() { sort -g | awk '{v[NR] = $1} END {if (!NR) {print "NA"; exit} print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
pctl() { sort -g | awk -v p="$1" '{v[NR] = $1} END {if (!NR) {print "NA"; exit} r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; print v[r]}'; }
hdr() { echo; echo "## $*"; echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"; }
# poll SECONDS CMD...: true as soon as CMD succeeds, false after the deadline.
poll() {
    local deadline=$(($(date +%s%N) + $1 * 1000000000))
    shift
    until "$@"; do
        [ "$(date +%s%N)" -ge "$deadline" ] && return 1
        sleep 0.01
    done
}

# start_px CFG: pxinit as PID 1 of a new PID namespace on CFG/units, its
# output in CFG/log. Sets PX_NS (the unshare pid), PX_INIT (pxinit's pid)
# and PX (the client command).
start_px() {
    local c=$1
    rm -rf "$c/run"
    unshare --pid --fork --mount-proc "$PXINIT" -R "$c/run" -u "$c/units" >"$c/log" 2>&1 </dev/null &
    PX_NS=$!
    NS_PIDS+=("$PX_NS")
    PX="$PXINIT -R $c/run"
    PX_INIT=
    poll 5 eval 'PX_INIT=$(ns_init "$PX_NS"); [ -n "$PX_INIT" ]' || { echo "pxinit did not start" >&2; exit 1; }
    poll 10 eval '$PX status >/dev/null 2>&1' || { echo "pxinit's control socket did not answer" >&2; cat "$c/log" >&2; exit 1; }
}
# main_pid UNIT: the unit's main pid inside the namespace when it is running.
main_pid() { { $PX status --json "$1" 2>/dev/null || true; } | grep -o '"sub":"running","pid":[0-9]*' | grep -o '[0-9]*$' || true; }
# host_pid NSPID: the host pid of pxinit's child whose pid inside is NSPID.
host_pid() {
    local p
    for p in $(pgrep -P "$PX_INIT"); do
        [ "$(awk '/^NSpid:/ {print $NF}' /proc/"$p"/status 2>/dev/null)" = "$1" ] && { echo "$p"; return 0; }
    done
    return 1
}
listening() { ss -Hltn "sport = :$1" | grep -q LISTEN; }
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/"$1"/stat; }
settle() {
    local last cur
    last=$(cpu_ticks "$1")
    for _ in $(seq 1 25); do
        sleep 0.2
        cur=$(cpu_ticks "$1")
        [ "$cur" = "$last" ] && return
        last=$cur
    done
}
pss_of() { awk '/^Pss:/ {print $2; exit}' /proc/"$1"/smaps_rollup; }

# HAVE_SOCKETS: 1 when this pxinit opens a socket unit's path (a probe
# pxinit with one ListenStream= on a unix path); otherwise the sections
# measure only the contenders without socket units.
probe_sockets() {
    local c=$D/probe
    mkdir -p "$c/units"
    printf '[Socket]\nListenStream=%s/probe.sock\n' "$c" >"$c/units/probe.socket"
    printf '[Service]\nExecStart=%s\n' "$B/sockserv" >"$c/units/probe.service"
    start_px "$c"
    HAVE_SOCKETS=0
    poll 5 test -S "$c/probe.sock" && HAVE_SOCKETS=1
    ns_kill "$PX_NS"
    [ "$HAVE_SOCKETS" = 1 ] || echo "# WARNING: this pxinit opens no socket unit: only the contenders without one are measured"
}

# --- restarts that refuse nothing -----------------------------------------------
P_ACT=42001 P_SELF=42002
section_restart() {
    hdr "restart: $RESTARTS restarts and $RESTARTS kills (kill -9, Restart=always) of sockserv, with a socket unit (act, port $P_ACT) and listening by itself (self, port $P_SELF), a connloop client on each"
    local c=$D/restart
    mkdir -p "$c/units"
    printf '[Socket]\nListenStream=127.0.0.1:%s\n' "$P_ACT" >"$c/units/act.socket"
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s\nRestart=always\nRestartSec=100ms\n' \
        "$B/sockserv" >"$c/units/act.service"
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s %s\nRestart=always\nRestartSec=100ms\n' \
        "$B/sockserv" "$P_SELF" >"$c/units/self.service"
    local who=(act self)
    if [ "$HAVE_SOCKETS" = 0 ]; then
        who=(self)
        rm "$c/units/act.socket" "$c/units/act.service"
    fi
    start_px "$c"
    if [ "$HAVE_SOCKETS" = 1 ]; then
        poll 10 listening "$P_ACT" || { echo "act.socket is not listening" >&2; tail "$c/log" >&2; exit 1; }
        "$B/firstbyte" "$P_ACT" >/dev/null # starts act.service
    fi
    local u
    for u in "${who[@]}"; do
        poll 10 eval '[ -n "$(main_pid '"$u"')" ]' || { echo "$u is not running" >&2; $PX status >&2; exit 1; }
    done
    local what i dat=$OUT/sockets-restart.dat
    : >"$dat"
    for what in restart kill; do
        local clients=()
        for u in "${who[@]}"; do
            "$B/connloop" "$([ "$u" = act ] && echo "$P_ACT" || echo "$P_SELF")" >"$OUT/connloop-$what-$u.txt" &
            clients+=($!)
            BG_PIDS+=($!)
        done
        sleep 0.5
        local t0=$EPOCHREALTIME
        for i in $(seq 1 "$RESTARTS"); do
            for u in "${who[@]}"; do
                if [ "$what" = restart ]; then
                    $PX restart "$u" >/dev/null
                else
                    local old hp
                    poll 10 eval '[ -n "$(main_pid '"$u"')" ]' || { echo "$u is not running before kill $i" >&2; exit 1; }
                    old=$(main_pid "$u")
                    hp=$(host_pid "$old") || { echo "no host pid for $u ($old)" >&2; exit 1; }
                    kill -KILL "$hp"
                    poll 10 eval 'n=$(main_pid '"$u"'); [ -n "$n" ] && [ "$n" != '"$old"' ]' ||
                        { echo "$u did not come back after kill $i" >&2; exit 1; }
                fi
            done
        done
        local secs
        secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
        sleep 0.5
        kill -TERM "${clients[@]}"
        wait "${clients[@]}" || true
        for u in "${who[@]}"; do
            echo "$what $u $secs $(cat "$OUT/connloop-$what-$u.txt")" >>"$dat"
        done
    done
    echo "# act.service running again (pxinit's log): $(grep -c 'act: state active (running)' "$c/log" || true) times"
    printf '| %-8s | %-28s | %8s | %8s | %5s | %7s | %5s | %10s | %6s |\n' what service ok refused lost timeout other "worst ms" secs
    printf '|----------|------------------------------|---------:|---------:|------:|--------:|------:|-----------:|-------:|\n'
    awk '{name = ($2 == "act") ? "socket unit (Accept=no)" : "listens by itself";
        printf "| %-8s | %-28s | %8s | %8s | %5s | %7s | %5s | %10s | %6s |\n", $1, name, $5, $7, $9, $11, $13, $15, $3}' "$dat"
    ns_kill "$PX_NS"
}

# --- per-connection services ------------------------------------------------------
P_PX=42011 P_XI=42012 P_TS=42013
section_rate() {
    hdr "rate: connections per second, Accept=yes echo (bench/sockecho.c): pxinit vs xinetd vs tcpserver; $RATE_N connections sequential and $RATE_N with $RATE_PAR in parallel, $ROUNDS rounds"
    echo "# $(xinetd -version 2>&1 | head -1); ucspi-tcp $(dpkg-query -W -f '${Version}' ucspi-tcp 2>/dev/null || echo '?')"
    local c=$D/rate
    mkdir -p "$c/units" "$c/xinetd"
    # No trigger limit: its default for Accept=yes (200 in 2 s, as systemd)
    # fails the socket at these rates, as xinetd's default cps would.
    printf '[Socket]\nListenStream=127.0.0.1:%s\nAccept=yes\nMaxConnections=1024\nTriggerLimitIntervalSec=0\n' "$P_PX" >"$c/units/echo.socket"
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s\nStandardInput=socket\n' \
        "$B/sockecho" >"$c/units/echo@.service"
    cat >"$c/xinetd/xinetd.conf" <<EOF
defaults
{
    log_on_success =
    log_on_failure =
    instances = UNLIMITED
    per_source = UNLIMITED
    cps = 1000000 1
}
service sockbench-echo
{
    type = UNLISTED
    id = sockbench-echo
    socket_type = stream
    protocol = tcp
    wait = no
    user = root
    server = $B/sockecho
    port = $P_XI
    bind = 127.0.0.1
    flags = REUSE IPv4
}
EOF
    start_px "$c"
    xinetd -dontfork -filelog "$c/xinetd/log" -f "$c/xinetd/xinetd.conf" -pidfile "$c/xinetd/pid" \
        >"$c/xinetd/out" 2>&1 </dev/null &
    BG_PIDS+=($!)
    tcpserver -q -H -R -l 0 -c 1024 127.0.0.1 "$P_TS" "$B/sockecho" </dev/null >/dev/null 2>&1 &
    BG_PIDS+=($!)
    local p order=(pxinit xinetd tcpserver) ports=("$P_PX" "$P_XI" "$P_TS")
    if [ "$HAVE_SOCKETS" = 0 ]; then
        order=(xinetd tcpserver)
        ports=("$P_XI" "$P_TS")
    fi
    for p in "${ports[@]}"; do
        poll 10 listening "$p" || { echo "nothing listens on $p" >&2; cat "$c/xinetd/log" "$c/log" >&2 2>/dev/null; exit 1; }
    done
    local dat=$OUT/sockets-rate.dat r k who port par
    : >"$dat"
    local nw=${#order[@]}
    for r in $(seq 1 "$ROUNDS"); do
        for k in $(seq 0 $((nw - 1))); do
            who=${order[$(((k + r) % nw))]}
            case $who in pxinit) port=$P_PX ;; xinetd) port=$P_XI ;; tcpserver) port=$P_TS ;; esac
            for par in 1 "$RATE_PAR"; do
                echo "$who $r $par $("$B/connrate" "$port" "$RATE_N" "$par")" >>"$dat"
            done
        done
    done
    echo "# commands: connrate PORT $RATE_N 1; connrate PORT $RATE_N $RATE_PAR (raw: $dat)"
    printf '| %-10s | %-22s | %-22s |\n' who "conn/s sequential" "conn/s $RATE_PAR in parallel"
    printf '|------------|-----------------------:|-----------------------:|\n'
    local f
    for who in "${order[@]}"; do
        local s1 sp
        f=$(awk -v w=$who '$1 == w && $3 == 1 {s += $7} END {print s + 0}' "$dat")
        f=$((f + $(awk -v w=$who '$1 == w && $3 != 1 {s += $7} END {print s + 0}' "$dat")))
        s1=$(awk -v w=$who '$1 == w && $3 == 1 {print $11}' "$dat" | median)
        sp=$(awk -v w=$who -v p="$RATE_PAR" '$1 == w && $3 == p {print $11}' "$dat" | median)
        printf '| %-10s | %22s | %22s |%s\n' "$who" "$s1" "$sp" "$([ "$f" = 0 ] || echo " $f failed")"
    done
    for who in xinetd tcpserver; do
        for par in 1 "$RATE_PAR"; do
            printf 'ratio pxinit/%s, %s at once (per round, median): %.2f\n' "$who" "$par" \
                "$(awk -v w=$who -v p="$par" '$3 == p && $1 == "pxinit" {a[$2] = $11} $3 == p && $1 == w {b[$2] = $11}
                    END {for (r in a) if (b[r] > 0) print a[r] / b[r]}' "$dat" | median)"
        done
    done
    ns_kill "$PX_NS"
}

# --- first-connection latency -------------------------------------------------------
P_LAT=42021
section_first() {
    [ "$HAVE_SOCKETS" = 1 ] || { echo "# first: skipped, no socket units in this pxinit"; return; }
    hdr "first: connect() to the first byte of sockserv through lat.socket (Accept=no): started by that connection (cold) vs already running (warm), $FIRST_N pairs"
    local c=$D/first
    mkdir -p "$c/units"
    printf '[Socket]\nListenStream=127.0.0.1:%s\n' "$P_LAT" >"$c/units/lat.socket"
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=%s\n' "$B/sockserv" >"$c/units/lat.service"
    start_px "$c"
    poll 10 listening "$P_LAT" || { echo "lat.socket is not listening" >&2; exit 1; }
    local dat=$OUT/sockets-first.dat i
    : >"$dat"
    for i in $(seq 1 "$FIRST_N"); do
        $PX stop lat.service >/dev/null 2>&1 || true
        poll 10 eval '[ -z "$(main_pid lat)" ]' || { echo "lat.service did not stop" >&2; exit 1; }
        echo "cold $("$B/firstbyte" "$P_LAT")" >>"$dat"
        echo "warm $("$B/firstbyte" "$P_LAT")" >>"$dat"
    done
    printf '| %-28s | %10s | %8s | %8s |\n' "" "median ms" "p90 ms" "min ms"
    printf '|------------------------------|-----------:|---------:|---------:|\n'
    local m
    for m in cold warm; do
        printf '| %-28s | %10.3f | %8.3f | %8.3f |\n' \
            "$([ $m = cold ] && echo "started on demand (cold)" || echo "already running (warm)")" \
            "$(awk -v m=$m '$1 == m {print $3 / 1000}' "$dat" | median)" \
            "$(awk -v m=$m '$1 == m {print $3 / 1000}' "$dat" | pctl 90)" \
            "$(awk -v m=$m '$1 == m {print $3 / 1000}' "$dat" | pctl 0)"
    done
    printf 'cold/warm, pair by pair (median): %.1f\n' "$(awk '$1 == "cold" {c = $3} $1 == "warm" && c > 0 {print c / $3; c = 0}' "$dat" | median)"
    echo "# starts of lat.service in pxinit's log: $(grep -c 'lat: state activating' "$c/log" || true) (raw: $dat)"
    ns_kill "$PX_NS"
}

# --- memory per socket unit --------------------------------------------------------
section_mem() {
    hdr "mem: pxinit's Pss and fds with $MEM_N socket units (unix paths) + their services, the services alone (skip), no unit (empty); $ROUNDS rounds"
    local mode r modes=(empty skip sockets)
    [ "$HAVE_SOCKETS" = 1 ] || modes=(empty skip)
    for mode in "${modes[@]}"; do
        local u=$D/mem-$mode/units
        mkdir -p "$u" "$D/mem-$mode/sock"
        [ "$mode" = empty ] && continue
        perl -e '
            my ($dir, $n, $mode, $sock, $bin) = @ARGV;
            for my $i (1 .. $n) {
                my $u = sprintf("s%05d", $i);
                open(my $f, ">", "$dir/$u.service") or die;
                print $f "[Unit]\nConditionPathExists=/nonexistent-pxinit-bench\n[Service]\nExecStart=$bin\n";
                close($f);
                next unless $mode eq "sockets";
                open($f, ">", "$dir/$u.socket") or die;
                print $f "[Socket]\nListenStream=$sock/$u.sock\n";
                close($f);
            }' "$u" "$MEM_N" "$mode" "$D/mem-$mode/sock" "$B/sockserv"
    done
    local dat=$OUT/sockets-mem.dat
    : >"$dat"
    for r in $(seq 1 "$ROUNDS"); do
        for mode in "${modes[@]}"; do
            local c=$D/mem-$mode t0 got=0
            rm -f "$c/sock/"*
            t0=$EPOCHREALTIME
            start_px "$c"
            case $mode in
            empty) got=0 ;;
            skip) poll 120 eval '[ "$(grep -c "not met" "$c/log")" -ge '"$MEM_N"' ]' && got=$MEM_N ;;
            sockets) poll 120 eval '[ "$(find "$c/sock" -type s | wc -l)" -ge '"$MEM_N"' ]' && got=$MEM_N ;;
            esac
            local secs
            secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}')
            settle "$PX_INIT"
            echo "$mode $r $secs $(pss_of "$PX_INIT") $(find /proc/"$PX_INIT"/fd -mindepth 1 | wc -l) $got" >>"$dat"
            ns_kill "$PX_NS"
        done
    done
    printf '| %-8s | %10s | %8s | %9s |\n' what "Pss KiB" "fds" "ready s"
    printf '|----------|-----------:|---------:|----------:|\n'
    for mode in "${modes[@]}"; do
        printf '| %-8s | %10s | %8s | %9s |\n' "$mode" \
            "$(awk -v m=$mode '$1 == m {print $4}' "$dat" | median)" \
            "$(awk -v m=$mode '$1 == m {print $5}' "$dat" | median)" \
            "$(awk -v m=$mode '$1 == m {print $3}' "$dat" | median)"
    done
    printf 'Pss per socket unit, (sockets - skip) / %s, per round (median): %.2f KiB\n' "$MEM_N" "$(awk -v n="$MEM_N" \
        '$1 == "skip" {s[$2] = $4} $1 == "sockets" {print ($4 - s[$2]) / n}' "$dat" | median)"
    printf 'Pss per socket unit with its service, (sockets - empty) / %s: %.2f KiB\n' "$MEM_N" "$(awk -v n="$MEM_N" \
        '$1 == "empty" {s[$2] = $4} $1 == "sockets" {print ($4 - s[$2]) / n}' "$dat" | median)"
    echo "fds per socket unit, (sockets - skip) / $MEM_N: $(awk -v n="$MEM_N" \
        '$1 == "skip" {s[$2] = $5} $1 == "sockets" {print ($5 - s[$2]) / n}' "$dat" | median)"
    echo "# raw: $dat (mode round ready_s pss_kib fds units)"
}

echo "# bench/sockets.sh ${SECTIONS[*]}: PXINIT=$PXINIT ($("$PXINIT" --version 2>&1 | head -1)); RESTARTS=$RESTARTS ROUNDS=$ROUNDS RATE_N=$RATE_N RATE_PAR=$RATE_PAR FIRST_N=$FIRST_N MEM_N=$MEM_N"
probe_sockets
for s in "${SECTIONS[@]}"; do
    "section_$s"
done
