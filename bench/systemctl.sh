#!/bin/bash
# bench/systemctl.sh - issue 19: pxinit's systemctl personality beside
# Debian's `systemctl` package (docker-systemctl-replacement, a Python
# script), and pxinit's journalctl personality beside `pxinit logs`.
#
# Both answer for the same unit files: UNITS services (u01...: a `sleep`;
# blog: 300 numbered lines, then a `sleep`). pxinit runs them as a daemon;
# the Python systemctl runs them itself (`start`, as it does in a container
# without an init), from a scratch root given by its --root option: the
# package is fetched with `apt-get download` and unpacked with `dpkg -x`
# into a cache directory, never installed (it would replace the host's
# /usr/bin/systemctl). Everything runs in a fresh PID namespace, so the
# services of both die with the benchmark.
#
# The machine is noisy and shared, so the two sides are interleaved: ROUNDS
# rounds, each timing every command RUNS times with hyperfine (no shell);
# a figure is the median of the per-round medians, and the ratio's range is
# that of the per-round ratios.
#
# Usage (as root):  bench/systemctl.sh [PATH/TO/pxinit]
#   ROUNDS=5 RUNS=20 UNITS=20 bench/systemctl.sh     (defaults)
#   INSTALL=1 bench/systemctl.sh        apt-get install hyperfine if missing
#   SYSTEMCTL_PY_DIR=DIR                where the unpacked package is kept
#                                       (default /var/cache/pxinit-bench/systemctl-py)
set -euo pipefail

PXINIT=${1:-${PXINIT:-$(cd "$(dirname "$0")/.." && pwd)/src/pxinit}}
PXINIT=$(readlink -f "$PXINIT")
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-20}
UNITS=${UNITS:-20}
PYDIR=${SYSTEMCTL_PY_DIR:-/var/cache/pxinit-bench/systemctl-py}
[ "$(id -u)" = 0 ] || { echo "bench/systemctl.sh: needs root (unshare --pid)" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "bench/systemctl.sh: $PXINIT not built" >&2; exit 1; }

. "$(dirname "$0")/lib.sh"
bench_need hyperfine:hyperfine python3:python3 unshare:util-linux

# The package, once, outside the namespace (apt needs nothing of it).
PY=$PYDIR/usr/bin/systemctl
if [ ! -x "$PY" ]; then
    dl=$(mktemp -d /tmp/pxinit-bench-deb.XXXXXX)
    chmod 755 "$dl"
    (cd "$dl" && { apt-get download -qq -o APT::Sandbox::User=root systemctl 2>/dev/null ||
        { apt-get update -qq && apt-get download -qq -o APT::Sandbox::User=root systemctl; }; })
    rm -rf "$PYDIR.new" && mkdir -p "$PYDIR.new"
    dpkg -x "$dl"/systemctl_*.deb "$PYDIR.new"
    dpkg-deb -f "$dl"/systemctl_*.deb Version >"$PYDIR.new/VERSION"
    rm -rf "$PYDIR" "$dl"
    mv "$PYDIR.new" "$PYDIR"
fi

# Everything below runs in a PID namespace of its own; this shell is its
# PID 1, so leaving it kills every service either side started.
if [ "${PXINIT_BENCH_NS:-}" != 1 ]; then
    PXINIT_BENCH_NS=1 exec unshare --pid --fork --mount-proc "$0" "$PXINIT"
fi

D=$(mktemp -d /tmp/pxinit-bench.XXXXXX)
trap 'rm -rf "$D"' EXIT

# --- the unit files, one copy for each side
mkdir -p "$D/units" "$D/root/etc/systemd/system" "$D/bin"
for i in $(seq -w 1 $((UNITS - 1))); do
    printf '[Unit]\nDescription=idle %s\n[Service]\nExecStart=/bin/sleep 100000\n[Install]\nWantedBy=multi-user.target\n' \
        "$i" >"$D/units/u$i.service"
done
# A script, so that neither side's `$` expansion in ExecStart= matters.
printf '#!/bin/sh\ni=1\nwhile [ $i -le 300 ]; do echo "blog line $i"; i=$((i + 1)); done\nexec sleep 100000\n' >"$D/blog.sh"
chmod 755 "$D" "$D/blog.sh"
printf '[Unit]\nDescription=bench logger\n[Service]\nExecStart=%s\n[Install]\nWantedBy=multi-user.target\n' \
    "$D/blog.sh" >"$D/units/blog.service"
cp "$D"/units/*.service "$D/root/etc/systemd/system/"
names=$(cd "$D/units" && ls)

wait_for() {
    local i
    for i in $(seq 1 300); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.05
    done
    echo "bench: gave up waiting for: $*" >&2
    exit 1
}

# --- pxinit: a daemon (here not PID 1: a subreaper), and the two names
export PXINIT_RUNTIME_DIR=$D/run
"$PXINIT" -q -u "$D/units" >"$D/pxinit.log" 2>&1 </dev/null &
ln -s "$PXINIT" "$D/bin/systemctl"
ln -s "$PXINIT" "$D/bin/journalctl"
SC=$D/bin/systemctl
JC=$D/bin/journalctl
wait_for "$PXINIT" status -q blog
wait_for sh -c "'$PXINIT' logs -n 300 blog | grep -q 'blog line 300'"

# --- the Python systemctl: enabled (its is-active says "unknown" for a
# unit that is not) and started in its root
PYR=(--root="$D/root")
# shellcheck disable=SC2086 # one word per unit
"$PY" "${PYR[@]}" enable $names >/dev/null 2>&1
# shellcheck disable=SC2086
"$PY" "${PYR[@]}" start $names >"$D/py-start.log" 2>&1
wait_for sh -c "'$PY' --root='$D/root' is-active blog.service | grep -qx active"
wait_for grep -q 'blog line 300' "$D/root/var/log/journal/blog.service.log"

# --- what is timed: each row a pair, pxinit's then the Python script's
rows=(is-active status show-p list-units journal)
px_cmd=("$SC is-active blog.service"
    "$SC status blog.service"
    "$SC show -p ActiveState blog.service"
    "$SC list-units"
    "$JC -u blog.service -n 100")
other_cmd=("$PY ${PYR[*]} is-active blog.service"
    "$PY ${PYR[*]} status blog.service"
    "$PY ${PYR[*]} show -p ActiveState blog.service"
    "$PY ${PYR[*]} list-units"
    "$PXINIT logs -n 100 blog")
px_name=(systemctl-pxinit systemctl-pxinit systemctl-pxinit systemctl-pxinit "journalctl (pxinit)")
other_name=(systemctl-py systemctl-py systemctl-py systemctl-py "pxinit logs")

# Each command must work before it is timed: a failing command is fast.
check() {
    local what=$1 want=$2
    shift 2
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    if [ "$rc" != 0 ] || ! grep -qE -- "$want" <<<"$out"; then
        echo "bench: '$*' ($what) exited $rc without /$want/:" >&2
        head -n 20 <<<"$out" >&2
        exit 1
    fi
}
check is-active '^active$' $SC is-active blog.service
check is-active '^active$' "$PY" "${PYR[@]}" is-active blog.service
check status 'Active: active \(running\)' $SC status blog.service
check status 'Active: active \(running\)' "$PY" "${PYR[@]}" status blog.service
check show '^ActiveState=active$' $SC show -p ActiveState blog.service
check show '^ActiveState=active$' "$PY" "${PYR[@]}" show -p ActiveState blog.service
check list-units 'blog\.service' $SC list-units
check list-units "u01\\.service" "$PY" "${PYR[@]}" list-units
check journal 'blog line 300$' $JC -u blog.service -n 100
check logs 'blog line 300$' "$PXINIT" logs -n 100 blog
# The same lines: journalctl's 100 messages are `pxinit logs`' 100.
msgs() { sed -n 's/.*\(blog line [0-9]*\)$/\1/p'; }
if ! diff <($JC -u blog.service -n 100 | msgs) <("$PXINIT" logs -n 100 blog | msgs) >/dev/null ||
    [ "$($JC -u blog.service -n 100 | msgs | wc -l)" != 100 ]; then
    echo "bench: journalctl -n 100 and pxinit logs -n 100 differ" >&2
    exit 1
fi

for r in $(seq 1 "$ROUNDS"); do
    for i in "${!rows[@]}"; do
        for side in px other; do
            if [ $side = px ]; then c=${px_cmd[$i]}; else c=${other_cmd[$i]}; fi
            hyperfine -N --style none --warmup 2 --runs "$RUNS" \
                --export-csv "$D/r$r-${rows[$i]}-$side.csv" "$c" >/dev/null 2>&1 ||
                { echo "bench: '$c' failed" >&2; exit 1; }
        done
    done
done

# round_ms ROUND ROW SIDE: that round's median, in milliseconds.
round_ms() { awk -F, 'NR == 2 {printf "%.4f\n", $4 * 1000}' "$D/r$1-$2-$3.csv"; }
median() { sort -g | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m}'; }
median_ms() { for r in $(seq 1 "$ROUNDS"); do round_ms "$r" "$1" "$2"; done | median; }
# Per-round ratios other/px: their min and max.
ratio_range() {
    for r in $(seq 1 "$ROUNDS"); do
        awk -v a="$(round_ms "$r" "$1" other)" -v b="$(round_ms "$r" "$1" px)" 'BEGIN {printf "%.1f\n", a / b}'
    done | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'
}

pyver=$(cat "$PYDIR/VERSION" 2>/dev/null || echo '?')
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$ROUNDS rounds x $RUNS runs, interleaved"
echo "# $(hyperfine --version); Debian systemctl $pyver ($(python3 --version)); pxinit $("$PXINIT" --version 2>&1 | head -n 1)"
echo "# $UNITS units running on each side; X = blog.service (300 lines of output)"
printf '%-12s %-20s %10s   %-14s %10s   %8s  %s\n' what A "A ms" B "B ms" "B/A" "per-round B/A"
for i in "${!rows[@]}"; do
    a=$(median_ms "${rows[$i]}" px)
    b=$(median_ms "${rows[$i]}" other)
    printf '%-12s %-20s %10s   %-14s %10s   %7.1fx  %s\n' "${rows[$i]}" "${px_name[$i]}" "$a" \
        "${other_name[$i]}" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')" "$(ratio_range "${rows[$i]}")"
done
echo "# commands (\$D is the benchmark's temporary directory; systemctl and journalctl there are links to pxinit):"
for i in "${!rows[@]}"; do
    printf '#   %-10s A: %s\n#   %-10s B: %s\n' "${rows[$i]}" "${px_cmd[$i]//$D/\$D}" "" "${other_cmd[$i]//$D/\$D}"
done
