#!/bin/bash
# bench/control.sh - latency of asking a supervisor about a service, and of a
# stop+start round trip: pxinit beside runit (sv), s6 (s6-svstat, s6-svc) and
# supervisor (supervisorctl), Debian's packages, measured with hyperfine.
#
# Each supervisor runs in its own fresh PID namespace and supervises one
# `sleep` service. Machines are noisy, so the peers are interleaved: ROUNDS
# rounds, each measuring every command RUNS times; the figure reported is
# the median of the per-round medians.
#
# Usage (as root, from a built tree):  bench/control.sh [PATH/TO/pxinit]
#   ROUNDS=5 RUNS=30 bench/control.sh           (defaults)
#   INSTALL=1 bench/control.sh                  apt-get install what is missing
#   BASELINE=/path/to/old/pxinit bench/control.sh
#                    also measures that build (its own daemon and client),
#                    interleaved with the others: rows base-pxinit-*
set -euo pipefail

PXINIT=${1:-$(cd "$(dirname "$0")/.." && pwd)/src/pxinit}
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-30}
[ "$(id -u)" = 0 ] || { echo "bench/control.sh: needs root (unshare --pid)" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "bench/control.sh: $PXINIT not built" >&2; exit 1; }

. "$(dirname "$0")/lib.sh"
bench_need hyperfine:hyperfine sv:runit runsvdir:runit s6-svscan:s6 s6-svstat:s6 \
    supervisord:supervisor supervisorctl:supervisor

D=$(mktemp -d /tmp/pxinit-bench.XXXXXX)
PIDS=()
cleanup() {
    # SIGKILL to a namespace's PID 1 (unshare's child) ends everything in it;
    # killing unshare alone would leave the supervisors running.
    { for p in "${PIDS[@]}"; do
        for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do kill -KILL "$c" || true; done
        kill -KILL "$p" || true
      done; wait || true; } 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT

# ns CMD...: runs CMD as PID 1 of a fresh PID namespace, in the background.
ns() {
    unshare --pid --fork --mount-proc "$@" >"$D/$(basename "$1").log" 2>&1 </dev/null &
    PIDS+=($!)
}

wait_for() {
    local i
    for i in $(seq 1 200); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.05
    done
    echo "bench: gave up waiting for: $*" >&2
    exit 1
}

# --- pxinit
mkdir -p "$D/px/units"
# No start rate limit (systemd's default would refuse the 6th start in 10s).
printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/sleep 100000\n' >"$D/px/units/svc.service"
ns "$PXINIT" -q -R "$D/px/run" -u "$D/px/units"
wait_for "$PXINIT" -R "$D/px/run" status -q svc
BASELINE=${BASELINE:-}
if [ -n "$BASELINE" ]; then
    mkdir -p "$D/pxb"
    ns "$BASELINE" -q -R "$D/pxb/run" -u "$D/px/units"
    wait_for "$BASELINE" -R "$D/pxb/run" status -q svc
fi

# --- runit
mkdir -p "$D/runit/service/svc"
printf '#!/bin/sh\nexec sleep 100000\n' >"$D/runit/service/svc/run"
chmod +x "$D/runit/service/svc/run"
ns runsvdir -P "$D/runit/service"
wait_for sh -c "sv status '$D/runit/service/svc' | grep -q '^run:'"

# --- s6
mkdir -p "$D/s6/scan/svc"
printf '#!/bin/sh\nexec sleep 100000\n' >"$D/s6/scan/svc/run"
chmod +x "$D/s6/scan/svc/run"
ns s6-svscan "$D/s6/scan"
wait_for sh -c "s6-svstat '$D/s6/scan/svc' | grep -q '^up'"

# --- supervisor (startsecs=0: "running" as soon as forked, like Type=simple)
mkdir -p "$D/sup"
cat >"$D/sup/supervisord.conf" <<EOF
[unix_http_server]
file=$D/sup/sock
[supervisord]
nodaemon=true
logfile=$D/sup/supervisord.log
pidfile=$D/sup/supervisord.pid
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$D/sup/sock
[program:svc]
command=/bin/sleep 100000
startsecs=0
EOF
ns supervisord -c "$D/sup/supervisord.conf"
wait_for sh -c "supervisorctl -c '$D/sup/supervisord.conf' status svc | grep -q RUNNING"

PX="$PXINIT -R $D/px/run"
SV="$D/runit/service/svc"
S6="$D/s6/scan/svc"
SC="supervisorctl -c $D/sup/supervisord.conf"
names=(pxinit-status pxinit-status-socket s6-svstat sv-status supervisorctl-status
    pxinit-stop-start s6-stop-start sv-stop-start supervisorctl-stop-start)
cmds=("$PX status svc"
    "env PXINIT_NO_BOARD=1 $PX status svc"
    "s6-svstat $S6"
    "sv status $SV"
    "$SC status svc"
    "$PX stop svc && $PX start svc"
    "s6-svc -wd -d $S6 && s6-svc -wu -u $S6"
    "sv stop $SV && sv start $SV"
    "$SC stop svc && $SC start svc")

if [ -n "$BASELINE" ]; then
    PXB="$BASELINE -R $D/pxb/run"
    names+=(base-pxinit-status base-pxinit-stop-start)
    cmds+=("$PXB status svc" "$PXB stop svc && $PXB start svc")
fi

for r in $(seq 1 "$ROUNDS"); do
    for i in "${!names[@]}"; do
        shellopt=(-N)
        case "${cmds[$i]}" in *"&&"*) shellopt=() ;; esac
        hyperfine "${shellopt[@]}" --style none --warmup 3 --runs "$RUNS" \
            --export-csv "$D/r$r-${names[$i]}.csv" "${cmds[$i]}" >/dev/null 2>&1 ||
            { echo "bench: '${cmds[$i]}' failed" >&2; exit 1; }
    done
done

# Median of per-round medians (seconds -> milliseconds).
median_ms() {
    for r in $(seq 1 "$ROUNDS"); do
        awk -F, 'NR == 2 {print $4 * 1000}' "$D/r$r-$1.csv"
    done | sort -g | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m}'
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r), $(nproc) CPUs; $ROUNDS rounds x $RUNS runs, interleaved"
echo "# $(hyperfine --version); runit $(dpkg-query -W -f '${Version}' runit 2>/dev/null);" \
    "s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null); supervisor $(dpkg-query -W -f '${Version}' supervisor 2>/dev/null)"
printf '%-26s %12s  %s\n' "what" "median ms" "command"
for i in "${!names[@]}"; do
    c=${cmds[$i]//$D/\$D}
    [ -z "$BASELINE" ] || c=${c//$BASELINE/\$BASELINE}
    printf '%-26s %12s  %s\n' "${names[$i]}" "$(median_ms "${names[$i]}")" "$c"
done
px=$(median_ms pxinit-status)
awk -v px="$px" -v s6="$(median_ms s6-svstat)" -v sv="$(median_ms sv-status)" \
    -v sc="$(median_ms supervisorctl-status)" 'BEGIN {
    printf "ratios: supervisorctl/pxinit %.1fx, s6-svstat/pxinit %.2fx, sv/pxinit %.2fx\n", sc / px, s6 / px, sv / px
}'
if [ -n "$BASELINE" ]; then
    awk -v a="$(median_ms base-pxinit-status)" -v b="$px" -v c="$(median_ms base-pxinit-stop-start)" \
        -v d="$(median_ms pxinit-stop-start)" 'BEGIN {
        printf "baseline/pxinit: status %.2fx, stop+start %.2fx\n", a / b, c / d
    }'
fi
