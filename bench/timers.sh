#!/bin/bash
# bench/timers.sh - 10,000 timer units (issue 17): load and arm time, Pss per
# timer, wakeups between elapses beside Debian's cron, and the delay from an
# elapse to the service's exec.
#
# pxinit runs as PID 1 of a fresh PID namespace (`unshare --pid --fork
# --mount-proc`) with its runtime, unit and state directories in a temporary
# directory; cron (`cron -f`) likewise, in its own mount namespace where
# /etc/crontab, /etc/cron.d and its spool are ours. Sections:
#
#   load   N timers, each with its oneshot service (OnCalendar and
#          OnBootSec/OnUnitActiveSec mixes, all elapses weeks away), against
#          the same N services without timers, interleaved over ROUNDS:
#            empty  no unit at all
#            skip   the N services, each with a false ConditionPathExists=:
#                   loaded and considered for start, nothing run
#            run    the N services run once at boot (RemainAfterExit=yes)
#            timers the N services and N timers (the services start only
#                   when their timer elapses)
#          "loaded" is the first poll (every POLL_MS) of `pxinit status
#          --json` that shows all N (timers: N in sub-state waiting; skip:
#          N "condition ... not met" lines in pxinit's log; run: N exited).
#          Also pxinit's own CPU time until then and its Pss
#          (/proc/PID/smaps_rollup) once idle: Pss per timer is
#          (Pss timers - Pss skip) / N.
#   wake   side by side for WAKE_SECS: pxinit with N far timers; the same plus
#          one timer elapsing every FREQ seconds (AccuracySec=1us); that one
#          timer alone; pxinit with no unit; cron with N far jobs; cron with
#          the same plus one job every minute. bench/ctxtlog.c samples each
#          daemon's context switches (all its threads) every 20 ms; a switch
#          within +-0.25 s of an elapse (the service's exec stamp) counts for
#          that elapse, any other is a wakeup between elapses.
#   delay  a timer with OnCalendar=*:*:0/2 and AccuracySec=1us whose service
#          is bench/tstamp.c (CLOCK_REALTIME at exec), alone and beside N far
#          timers (that one at *:*:1/2, so the two never elapse together),
#          DELAY_SAMPLES elapses each: exec stamp minus the scheduled second.
#          Beside them, at the half seconds, the floor: bench/spawnat.c sleeps
#          until the instant (clock_nanosleep) and posix_spawn()s the same
#          tstamp, nothing else.
#
# Usage (as root, from a built tree):
#   bench/timers.sh [load] [wake] [delay] [trace]   (default: load wake delay)
#   PXINIT=path  N=10000  ROUNDS=3  WAKE_SECS=180  FREQ=10  DELAY_SAMPLES=60
#   LOAD_MODES="empty skip timers"   the load section's contenders (add run: slow)
#   TIMER_MIX=K  every timer of mix K (0-4, see far_units) instead of all five in turn
#   QUICK=1      N=1000, 1 round, 30 s windows, 10 samples
#   OUT=DIR      where the raw data go (default: a temporary directory)
#   INSTALL=1    apt-get install cron when missing
# Traffic: none beyond local Unix sockets.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
PXINIT=$(realpath "${PXINIT:-$TOP/src/pxinit}")
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    N=${N:-1000} ROUNDS=${ROUNDS:-1} WAKE_SECS=${WAKE_SECS:-30} DELAY_SAMPLES=${DELAY_SAMPLES:-10}
fi
N=${N:-10000}
ROUNDS=${ROUNDS:-3}
WAKE_SECS=${WAKE_SECS:-180}
FREQ=${FREQ:-10}
DELAY_SAMPLES=${DELAY_SAMPLES:-60}
POLL_MS=${POLL_MS:-20}
LOAD_TIMEOUT=${LOAD_TIMEOUT:-120}
LOAD_MODES=${LOAD_MODES:-"empty skip timers"}
# What pxinit logs when a timer is armed (one line per timer).
TIMER_ARMED=${TIMER_ARMED:-'.timer: state active (waiting)'}
SECTIONS=("$@")
[ ${#SECTIONS[@]} = 0 ] && SECTIONS=(load wake delay)

[ "$(id -u)" = 0 ] || { echo "bench/timers.sh: needs root (unshare --pid)" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "bench/timers.sh: $PXINIT not built" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
. "$TOP/bench/lib.sh"
bench_need cc:gcc perl:perl-base cron:cron

D=$(mktemp -d /tmp/pxinit-timers.XXXXXX)
OUT=${OUT:-$D/out}
mkdir -p "$OUT"
TS=$D/tstamp
cc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie -o "$TS" "$TOP/bench/tstamp.c"
cc -O2 -o "$D/ctxtlog" "$TOP/bench/ctxtlog.c"
cc -O2 -o "$D/spawnat" "$TOP/bench/spawnat.c" -lm
STATE_OPT=()
"$PXINIT" --help 2>&1 | grep -q -- --state-dir && STATE_OPT=(--state-dir)

NS_PIDS=()
# The namespace's init is the only child of its unshare process; SIGKILL to
# it makes the kernel kill everything in the namespace.
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
    for u in "${NS_PIDS[@]}"; do ns_kill "$u"; done
    rm -rf "$D"
}
trap cleanup EXIT

median() { sort -g | awk '{v[NR] = $1} END {if (!NR) {print "NA"; exit} print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# pctl P: the P-th percentile (nearest rank) of the numbers on stdin.
pctl() { sort -g | awk -v p="$1" '{v[NR] = $1} END {if (!NR) {print "NA"; exit} r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; print v[r]}'; }
hdr() { echo; echo "## $*"; echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), N=$N ROUNDS=$ROUNDS"; }

# --- unit files --------------------------------------------------------------------
# far_units DIR N MODE: N oneshot services u00001..; MODE timers adds a .timer
# for each (five mixes: calendar elapses in months 1-11 of 2027, monotonic
# ones 20-28 days after start; nothing elapses during a run), skip gives
# each service a false condition, run makes it
# RemainAfterExit=yes. Services stamp $D/fired if they ever run.
far_units() {
    mkdir -p "$1"
    perl -e '
        my ($dir, $n, $mode, $ts, $fired, $mix) = @ARGV;
        for my $i (1 .. $n) {
            my $u = sprintf("u%05d", $i);
            my ($mo, $d, $h, $m, $s) = (1 + $i % 11, 1 + $i % 28, $i % 24, $i % 60, ($i * 7) % 60);
            open(my $f, ">", "$dir/$u.service") or die;
            print $f "[Unit]\nDescription=bench $u\n";
            print $f "ConditionPathExists=/nonexistent-pxinit-bench\n" if $mode eq "skip";
            print $f "[Service]\nType=oneshot\nExecStart=$ts ", ($mode eq "run" ? "/dev/null" : $fired), "\n";
            print $f "RemainAfterExit=yes\n" if $mode eq "run";
            close($f);
            next unless $mode eq "timers";
            open($f, ">", "$dir/$u.timer") or die;
            print $f "[Unit]\nDescription=bench timer $u\n[Timer]\n";
            my $k = $mix eq "" ? $i % 5 : $mix;
            if ($k == 0) {
                printf $f "OnCalendar=*-%02d-%02d %02d:%02d:%02d\n", $mo, $d, $h, $m, $s;
            } elsif ($k == 1) {
                printf $f "OnCalendar=Mon..Fri 2027-%02d-01..07 %02d:%02d Europe/Berlin\nAccuracySec=1us\n", $mo, $h, $m;
            } elsif ($k == 2) {
                printf $f "OnBootSec=%dd\nOnUnitActiveSec=1w\n", 20 + $i % 9;
            } elsif ($k == 3) {
                printf $f "OnCalendar=2027-%02d~%02d %02d:00\nRandomizedDelaySec=12h\nPersistent=true\n", $mo, 1 + $i % 7, $h;
            } else {
                printf $f "OnCalendar=*-%02d-%02d %02d:%02d UTC\nOnCalendar=2027-%02d-%02d\nOnUnitActiveSec=30d\n", $mo, $d, $h, $m, $mo, $d;
            }
            close($f);
        }' "$1" "$2" "$3" "$TS" "$D/fired" "${TIMER_MIX:-}"
}
# freq_unit DIR NAME CALENDAR STAMPS: a timer with AccuracySec=1us whose
# service stamps its exec time into STAMPS.
freq_unit() {
    mkdir -p "$1"
    # No start limit: the default (5 starts in 10 s) refuses one of an
    # every-2-s timer's starts now and then, in systemd as in pxinit.
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nType=oneshot\nExecStart=%s %s\n' "$TS" "$4" >"$1/$2.service"
    printf '[Timer]\nOnCalendar=%s\nAccuracySec=1us\n' "$3" >"$1/$2.timer"
}

# start_px CFG: pxinit as PID 1 of a new namespace on CFG/units, logging to
# CFG/log. Sets PX_NS (the unshare pid) and PX (the client command).
start_px() {
    local c=$1
    rm -rf "$c/run" "$c/state"
    mkdir -p "$c/state"
    local st=()
    [ ${#STATE_OPT[@]} = 0 ] || st=(--state-dir "$c/state")
    unshare --pid --fork --mount-proc "$PXINIT" -R "$c/run" -u "$c/units" "${st[@]}" \
        >"$c/log" 2>&1 </dev/null &
    PX_NS=$!
    NS_PIDS+=("$PX_NS")
    PX="$PXINIT -R $c/run"
}
px_pid() {
    local p
    for _ in $(seq 1 500); do
        p=$(ns_init "$1")
        [ -n "$p" ] && { echo "$p"; return; }
        sleep 0.01
    done
}
# count_loaded MODE CFG: how many of the N units reached their final state,
# counted in pxinit's log (a `status --json` of 20,000 units takes ~0.1 s
# and would load pxinit while it works; grep of the log does not).
count_loaded() {
    case $1 in
    empty) $PX status >/dev/null 2>&1 && echo "$N" || echo 0 ;;
    skip) grep -c 'not met' "$2/log" || true ;;
    run) grep -c ': state active (exited)' "$2/log" || true ;;
    timers) grep -c "$TIMER_ARMED" "$2/log" || true ;;
    esac
}
# count_status MODE: the same from `pxinit status --json` (a check after the run).
count_status() {
    local j
    j=$($PX status --json 2>/dev/null) || { echo 0; return; }
    case $1 in
    empty) echo "$N" ;;
    skip) grep -o '"name":"u[0-9]*","state":"inactive"' <<<"$j" | wc -l ;;
    run) grep -o '"sub":"exited"' <<<"$j" | wc -l ;;
    timers) grep -o '"sub":"waiting"' <<<"$j" | wc -l ;;
    esac
}
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/"$1"/stat; }
# settle PID: until its CPU time is unchanged over 200 ms (at most 5 s).
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

# --- load and arm ------------------------------------------------------------------
section_load() {
    hdr "load: $N timers (+ services) against the same services without timers; pxinit's Pss once idle"
    local mode r
    for mode in $LOAD_MODES; do
        mkdir -p "$D/load-$mode/units"
        [ "$mode" = empty ] || far_units "$D/load-$mode/units" "$N" "$mode"
    done
    local dat=$OUT/timers-load.dat
    : >"$dat"
    for r in $(seq 1 "$ROUNDS"); do
        for mode in $LOAD_MODES; do
            local c=$D/load-$mode t0 t1 got=0 pid
            t0=$EPOCHREALTIME
            start_px "$c"
            pid=$(px_pid "$PX_NS")
            while :; do
                got=$(count_loaded "$mode" "$c")
                [ "$got" -ge "$N" ] && break
                if awk -v a="$t0" -v b="$EPOCHREALTIME" -v m="$LOAD_TIMEOUT" 'BEGIN {exit !(b - a > m)}'; then
                    break
                fi
                sleep "$(awk -v p="$POLL_MS" 'BEGIN {print p / 1000}')"
            done
            t1=$EPOCHREALTIME
            local secs cpu pss
            secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
            [ "$got" -ge "$N" ] || secs="timeout($got)"
            cpu=$(awk -v t="$(cpu_ticks "$pid")" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}')
            settle "$pid"
            pss=$(pss_of "$pid")
            echo "$mode $r $secs $cpu $pss $(count_status "$mode")" >>"$dat"
            ns_kill "$PX_NS"
        done
    done
    [ -s "$D/fired" ] && echo "# warning: $(wc -l <"$D/fired") far services ran during the load runs"
    printf '| %-6s | %12s | %14s | %9s | %12s |\n' what "loaded s" "pxinit CPU s" "Pss KiB" "/ skip (s)"
    printf '|--------|-------------:|---------------:|----------:|-------------:|\n'
    for mode in $LOAD_MODES; do
        local t cpu pss ratio
        t=$(awk -v m=$mode '$1 == m && $3 ~ /^[0-9.]+$/ {print $3}' "$dat" | median)
        cpu=$(awk -v m=$mode '$1 == m {print $4}' "$dat" | median)
        pss=$(awk -v m=$mode '$1 == m {print $5}' "$dat" | median)
        # The ratio within each round, then its median.
        ratio=$(awk -v m=$mode '$1 == "skip" {s[$2] = $3} $1 == m && s[$2] > 0 && $3 ~ /^[0-9.]+$/ {print $3 / s[$2]}' "$dat" | median)
        [ "$ratio" = NA ] || ratio=$(printf '%.2fx' "$ratio")
        printf '| %-6s | %12s | %14s | %9s | %12s |\n' "$mode" "$t" "$cpu" "$pss" "$ratio"
    done
    local pe ps pt
    pe=$(awk '$1 == "empty" {print $5}' "$dat" | median)
    ps=$(awk '$1 == "skip" {print $5}' "$dat" | median)
    pt=$(awk '$1 == "timers" {print $5}' "$dat" | median)
    awk -v e="$pe" -v s="$ps" -v t="$pt" -v n="$N" 'BEGIN {
        if (t != "NA" && s != "NA")
            printf "Pss per timer (timers - skip) / N: %.3f KiB (%.0f bytes)\n", (t - s) / n, (t - s) * 1024 / n
        if (t != "NA" && e != "NA")
            printf "Pss per timer with its service (timers - empty) / N: %.3f KiB\n", (t - e) / n
        if (s != "NA" && e != "NA")
            printf "Pss per service unit (skip - empty) / N: %.3f KiB\n", (s - e) / n }'
    echo "raw ($dat): mode round loaded_s cpu_s pss_kib units_in_final_state_per_status_json"
    cat "$dat"
}

# --- wakeups ---------------------------------------------------------------------------
# start_cron CFG: cron -f as PID 1 of a new PID and mount namespace whose
# /etc/crontab, /etc/cron.d, spool and /run are CFG's. Sets CRON_NS.
start_cron() {
    local c=$1
    mkdir -p "$c/cron.d" "$c/spool" "$c/run"
    printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n' >"$c/crontab"
    unshare --pid --fork --mount-proc --propagation private sh -c '
        c=$1
        mount --bind "$c/crontab" /etc/crontab && mount --bind "$c/cron.d" /etc/cron.d &&
            mount --bind "$c/spool" /var/spool/cron/crontabs && mount --bind "$c/run" /run &&
            exec cron -f -L 0' sh "$c" >"$c/log" 2>&1 </dev/null &
    CRON_NS=$!
    NS_PIDS+=("$CRON_NS")
}
# far_cron FILE N: N jobs that run in 2027 only by date (months 1-11), as far_units.
far_cron() {
    perl -e '
        my ($f, $n, $ts) = @ARGV;
        open(my $o, ">", $f) or die;
        print $o "MAILTO=\"\"\n";
        for my $i (1 .. $n) {
            printf $o "%d %d %d %d * root %s /dev/null\n", $i % 60, $i % 24, 1 + $i % 28, 1 + $i % 11, $ts;
        }' "$1" "$2" "$TS"
    chmod 0644 "$1"
}

# wake_report NAME COL STAMPS: from ctxtlog's output, the switches of column
# COL within 0.25 s of a stamp in STAMPS (an elapse) and the others.
wake_report() {
    local name=$1 col=$2 stamps=$3 log=$D/wake.log
    awk -v name="$name" -v col="$col" -v sf="$stamps" -v w0="$W0" -v w1="$W1" '
        BEGIN { while ((getline l < sf) > 0) if (l + 0 >= w0 && l + 0 <= w1) s[ns++] = l + 0 }
        { t = $1; c = $(col + 1) }
        NR > 1 && c > last {
            d = c - last; near = 0
            for (i = 0; i < ns; i++) if (t >= s[i] - 0.25 && t <= s[i] + 0.25) near = 1
            if (near) at += d; else between += d
            if (!near) wt = wt sprintf(" %.2f", t - w0)
        }
        { last = c }
        END {
            per = ns ? sprintf("%.1f", at / ns) : "-"
            printf "| %-36s | %8d | %10d | %9d | %12s | %8d |\n", name, ns, at + between, at, per, between
            if (between) printf "#   %s: wakeups between elapses at +%s s\n", name, wt > "/dev/stderr"
        }' "$log"
}

section_wake() {
    hdr "wakeups over ${WAKE_SECS}s: pxinit and cron, side by side"
    local far=$D/wake-far far1=$D/wake-farfreq one=$D/wake-one none=$D/wake-none
    rm -rf "$far" "$far1" "$one" "$none"
    far_units "$far/units" "$N" timers
    far_units "$far1/units" "$N" timers
    freq_unit "$far1/units" zfreq "*:*:0/$FREQ" "$D/stamps-farfreq"
    freq_unit "$one/units" zfreq "*:*:0/$FREQ" "$D/stamps-one"
    mkdir -p "$none/units"
    local cfar=$D/cron-far cfreq=$D/cron-freq
    rm -rf "$cfar" "$cfreq"
    mkdir -p "$cfar/cron.d" "$cfreq/cron.d"
    far_cron "$cfar/cron.d/bench" "$N"
    far_cron "$cfreq/cron.d/bench" "$N"
    echo "* * * * * root $TS $D/stamps-cron" >>"$cfreq/cron.d/bench"
    rm -f "$D"/stamps-*
    touch "$D/stamps-none" "$D/stamps-farfreq" "$D/stamps-one" "$D/stamps-cron"

    local pids=() c
    for c in "$far" "$far1" "$one" "$none"; do
        start_px "$c"
        pids+=("$(px_pid "$PX_NS")")
    done
    # Wait until the N timers are armed in both pxinits.
    for c in "$far" "$far1"; do
        PX="$PXINIT -R $c/run"
        for _ in $(seq 1 $((LOAD_TIMEOUT * 10))); do
            [ "$(count_status timers)" -ge "$N" ] && break
            sleep 0.1
        done
    done
    start_cron "$cfar"
    pids+=("$(px_pid "$CRON_NS")")
    start_cron "$cfreq"
    pids+=("$(px_pid "$CRON_NS")")
    sleep 2 # cron's own start-up and first look at its tables
    W0=$EPOCHREALTIME
    "$D/ctxtlog" "$WAKE_SECS" 20 "${pids[@]}" >"$D/wake.log"
    W1=$EPOCHREALTIME
    for c in "$far1" "$one"; do
        PX="$PXINIT -R $c/run"
        echo "# $(basename "$c"): $($PX status zfreq.timer 2>&1 | head -1)"
    done
    printf '| %-36s | %8s | %10s | %9s | %12s | %8s |\n' daemon elapses wakeups "at elapse" "per elapse" between
    printf '|--------------------------------------|---------:|-----------:|----------:|-------------:|---------:|\n'
    wake_report "pxinit, $N far timers" 1 "$D/stamps-none"
    wake_report "pxinit, $N far + 1 every ${FREQ}s" 2 "$D/stamps-farfreq"
    wake_report "pxinit, 1 every ${FREQ}s" 3 "$D/stamps-one"
    wake_report "pxinit, no unit" 4 "$D/stamps-none"
    wake_report "cron, $N far jobs" 5 "$D/stamps-none"
    wake_report "cron, $N far + 1 every min" 6 "$D/stamps-cron"
    # cron's delay from the minute to the job's exec, for comparison.
    local cd
    cd=$(awk '{printf "%.3f\n", ($1 - int($1 / 60) * 60) * 1000}' "$D/stamps-cron" | median)
    echo "cron: job exec after the minute, median of $(wc -l <"$D/stamps-cron"): $cd ms"
    cp "$D/wake.log" "$OUT/timers-wake.log"
    local u
    for u in "${NS_PIDS[@]}"; do ns_kill "$u"; done
    NS_PIDS=()
}

# --- delay from an elapse to the service's exec -------------------------------------------
section_delay() {
    local secs=$((DELAY_SAMPLES * 2 + 3))
    hdr "delay: elapse (every 2 s, AccuracySec=1us) to the service's exec, ${DELAY_SAMPLES} samples each"
    local alone=$D/delay-alone busy=$D/delay-busy
    rm -rf "$alone" "$busy" "$D"/delay-*.stamps
    freq_unit "$alone/units" zfreq "*:*:0/2" "$D/delay-alone.stamps"
    far_units "$busy/units" "$N" timers
    freq_unit "$busy/units" zfreq "*:*:1/2" "$D/delay-busy.stamps"
    start_px "$alone"
    local a_ns=$PX_NS
    start_px "$busy"
    local b_ns=$PX_NS
    PX="$PXINIT -R $busy/run"
    for _ in $(seq 1 $((LOAD_TIMEOUT * 10))); do
        [ "$(count_status timers)" -ge "$N" ] && break
        sleep 0.1
    done
    # The first elapses after start-up are not counted: from here on.
    local from=$EPOCHREALTIME
    # The floor, at the half seconds between them: sleep until the instant, spawn.
    "$D/spawnat" 2 0.5 $((DELAY_SAMPLES + 1)) "$TS" "$D/delay-floor.stamps" &
    local floor=$!
    sleep "$secs"
    wait "$floor" || true
    ns_kill "$a_ns"
    ns_kill "$b_ns"
    NS_PIDS=()
    printf '| %-36s | %7s | %9s | %9s | %9s | %9s | %9s |\n' "who (every 2 s)" samples "median ms" "p90 ms" "min ms" \
        "max ms" "/ floor"
    printf '|--------------------------------------|--------:|----------:|----------:|----------:|----------:|----------:|\n'
    local f name off fmed
    for f in floor alone busy; do
        case $f in
        floor) name="floor: clock_nanosleep + posix_spawn" off=0.5 ;;
        alone) name="pxinit, the timer alone" off=0 ;;
        busy) name="pxinit, beside $N far timers" off=1 ;;
        esac
        # The delay: the stamp minus the scheduled instant before it.
        awk -v from="$from" -v off="$off" -v k="$DELAY_SAMPLES" '
            function floor_(x) { return x < 0 ? -int(-x) - (int(-x) != -x) : int(x) }
            $1 + 0 > from && n < k { s = floor_(($1 - off) / 2) * 2 + off; printf "%.3f\n", ($1 - s) * 1000; n++ }' \
            "$D/delay-$f.stamps" >"$OUT/timers-delay-$f.dat"
        local med
        med=$(median <"$OUT/timers-delay-$f.dat")
        [ $f = floor ] && fmed=$med
        printf '| %-36s | %7s | %9s | %9s | %9s | %9s | %9s |\n' "$name" "$(wc -l <"$OUT/timers-delay-$f.dat")" \
            "$med" "$(pctl 90 <"$OUT/timers-delay-$f.dat")" \
            "$(pctl 0 <"$OUT/timers-delay-$f.dat")" "$(pctl 100 <"$OUT/timers-delay-$f.dat")" \
            "$(awk -v a="$med" -v b="$fmed" 'BEGIN {if (b > 0 && a != "NA") printf "%.2fx", a / b; else print "NA"}')"
    done
    echo "raw: $OUT/timers-delay-{floor,alone,busy}.dat (ms)"
}

# --- where an elapse's time goes (ftrace) ---------------------------------------------------
# Not in the default sections: it needs tracefs. One pxinit with the every-2-s
# timer alone; the kernel's trace (clock tai, set against CLOCK_REALTIME with
# a marker) gives for each elapse: pxinit's wakeup after the scheduled second,
# its fork of the spawn intermediate, pxinit running again (the intermediate
# forked the service and exited), and the service's exec.
section_trace() {
    local T=/sys/kernel/tracing mounted=0
    [ -f $T/trace ] || { mount -t tracefs nodev $T && mounted=1; }
    hdr "trace: one elapse's path through pxinit, ${TRACE_SECS:-30}s of elapses every 2 s (ftrace)"
    local c=$D/trace
    rm -rf "$c"
    freq_unit "$c/units" zfreq "*:*:0/2" "$D/trace.stamps"
    start_px "$c"
    local pid
    pid=$(px_pid "$PX_NS")
    sleep 1
    echo 0 >$T/tracing_on
    echo >$T/trace
    echo tai >$T/trace_clock
    echo 0 >$T/events/enable
    echo "pid == $pid" >$T/events/sched/sched_wakeup/filter
    echo "parent_pid == $pid" >$T/events/sched/sched_process_fork/filter
    echo "next_pid == $pid" >$T/events/sched/sched_switch/filter
    local e
    for e in sched_wakeup sched_process_fork sched_switch sched_process_exec; do echo 1 >$T/events/sched/$e/enable; done
    echo 1 >$T/tracing_on
    local r0=$EPOCHREALTIME
    echo "realtime $r0" >$T/trace_marker
    sleep "${TRACE_SECS:-30}"
    echo 0 >$T/tracing_on
    echo 0 >$T/events/enable
    for e in sched_wakeup sched_process_fork sched_switch; do echo 0 >$T/events/sched/$e/filter; done
    grep -v '^#' $T/trace >"$OUT/timers-trace.txt"
    echo >$T/trace
    echo local >$T/trace_clock
    [ $mounted = 1 ] && umount $T
    ns_kill "$PX_NS"
    NS_PIDS=()
    # Per elapse (ms after the scheduled second): wake, fork, resume, exec.
    awk '
        { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1) + 0; break } }
        # TAI is realtime plus a whole number of seconds (0 or 37): the
        # marker, written a little after bash read the time, tells which.
        /tracing_mark_write: realtime/ { off = t - $NF; off = (off < 0) ? -int(-off + 0.5) : int(off + 0.5); next }
        off == "" { next }
        { t -= off; s = int(t / 2) * 2; d = (t - s) * 1000 }
        /sched_wakeup:/ && d < 500 && !(s in wake) { wake[s] = d }
        /sched_process_fork:/ && (s in wake) && !(s in fork) { fork[s] = d }
        /sched_switch:/ && (s in fork) && !(s in resume) { resume[s] = d }
        /sched_process_exec:.*tstamp/ && (s in wake) && !(s in ex) { ex[s] = d; n++
            printf "%.3f %.3f %.3f %.3f\n", wake[s], fork[s], resume[s], d > "/dev/stderr" }
    ' "$OUT/timers-trace.txt" 2>"$OUT/timers-trace.dat"
    printf '| %-40s | %9s | %9s |\n' "step (ms after the scheduled second)" median p90
    printf '|------------------------------------------|----------:|----------:|\n'
    local col name
    for col in 1 2 3 4; do
        case $col in
        1) name="pxinit wakes (timerfd)" ;;
        2) name="pxinit forks the spawn intermediate" ;;
        3) name="pxinit runs again (intermediate done)" ;;
        4) name="the service's exec" ;;
        esac
        printf '| %-40s | %9s | %9s |\n' "$name" "$(awk -v c=$col '{print $c}' "$OUT/timers-trace.dat" | median)" \
            "$(awk -v c=$col '{print $c}' "$OUT/timers-trace.dat" | pctl 90)"
    done
    echo "elapses traced: $(wc -l <"$OUT/timers-trace.dat") (raw: $OUT/timers-trace.dat, wake fork resume exec in ms)"
}

echo "# bench/timers.sh ${SECTIONS[*]}: PXINIT=$PXINIT ($("$PXINIT" --version 2>&1 | head -1))"
for s in "${SECTIONS[@]}"; do
    "section_$s"
done
