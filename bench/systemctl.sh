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
# shellcheck disable=SC2016 # the script expands them
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

# The interpreter the script names (its #! line), not whatever python3 is
# first on PATH.
PYI=$(head -n 1 "$PY" | sed 's/^#! *//; s/ .*//')

# --- what is timed: each row a pair, pxinit's then the Python script's
# The last row is the floor of each side: starting any process, and
# starting the Python interpreter.
rows=(is-active status show-p list-units journal start-only)
px_cmd=("$SC is-active blog.service"
    "$SC status blog.service"
    "$SC show -p ActiveState blog.service"
    "$SC list-units"
    "$JC -u blog.service -n 100"
    "/bin/true")
other_cmd=("$PY ${PYR[*]} is-active blog.service"
    "$PY ${PYR[*]} status blog.service"
    "$PY ${PYR[*]} show -p ActiveState blog.service"
    "$PY ${PYR[*]} list-units"
    "$PXINIT logs -n 100 blog"
    "$PYI -c pass")
px_name=(systemctl systemctl systemctl systemctl journalctl /bin/true)
other_name=(systemctl.py systemctl.py systemctl.py systemctl.py "pxinit logs" "python -c pass")

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
check is-active '^active$' "$SC" is-active blog.service
check is-active '^active$' "$PY" "${PYR[@]}" is-active blog.service
check status 'Active: active \(running\)' "$SC" status blog.service
check status 'Active: active \(running\)' "$PY" "${PYR[@]}" status blog.service
check show '^ActiveState=active$' "$SC" show -p ActiveState blog.service
check show '^ActiveState=active$' "$PY" "${PYR[@]}" show -p ActiveState blog.service
check list-units 'blog\.service' "$SC" list-units
check list-units "u01\\.service" "$PY" "${PYR[@]}" list-units
check journal 'blog line 300$' "$JC" -u blog.service -n 100
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

# round_ms ROUND ROW SIDE: that round's median wall time, in milliseconds.
round_ms() { awk -F, 'NR == 2 {printf "%.4f\n", $4 * 1000}' "$D/r$1-$2-$3.csv"; }
# round_cpu ROUND ROW SIDE: that round's mean user+system time of the
# command's process (the daemon's share is not in it), in milliseconds.
round_cpu() { awk -F, 'NR == 2 {printf "%.4f\n", ($5 + $6) * 1000}' "$D/r$1-$2-$3.csv"; }
median() { sort -g | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m}'; }
median_ms() { for r in $(seq 1 "$ROUNDS"); do round_ms "$r" "$1" "$2"; done | median; }
# min_ms ROW SIDE: the fastest run of all rounds (the least disturbed).
min_ms() { for r in $(seq 1 "$ROUNDS"); do awk -F, 'NR == 2 {printf "%.4f\n", $7 * 1000}' "$D/r$r-$1-$2.csv"; done | sort -g | head -n 1; }
median_cpu() { for r in $(seq 1 "$ROUNDS"); do round_cpu "$r" "$1" "$2"; done | median; }
# Per-round ratios other/px: their min and max.
ratio_range() {
    for r in $(seq 1 "$ROUNDS"); do
        awk -v a="$(round_ms "$r" "$1" other)" -v b="$(round_ms "$r" "$1" px)" 'BEGIN {printf "%.1f\n", a / b}'
    done | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'
}

pyver=$(cat "$PYDIR/VERSION" 2>/dev/null || echo '?')
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "$ROUNDS rounds x $RUNS runs, interleaved"
echo "# $(hyperfine --version); Debian systemctl $pyver ($("$PYI" --version 2>&1)); pxinit $("$PXINIT" --version 2>&1 | head -n 1)"
echo "# $UNITS units running on each side; X = blog.service (300 lines of output)"
echo "# wall: median of the per-round medians (and the range of the per-round ratios); min: the fastest run;"
echo "# cpu: user+sys of the client process alone (the daemon's share is not in it), median of the per-round means"
printf '%-11s %-11s %8s %8s %8s   %-12s %8s %8s %8s   %8s %-13s %8s %8s\n' what A "A ms" "A min" "A cpu" \
    B "B ms" "B min" "B cpu" "B/A" "(per round)" "B/A min" "B/A cpu"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", (a > 0 ? b / a : 0)}'; }
for i in "${!rows[@]}"; do
    w=${rows[$i]}
    a=$(median_ms "$w" px) b=$(median_ms "$w" other)
    am=$(min_ms "$w" px) bm=$(min_ms "$w" other)
    ac=$(median_cpu "$w" px) bc=$(median_cpu "$w" other)
    printf '%-11s %-11s %8.2f %8.2f %8.2f   %-12s %8.2f %8.2f %8.2f   %8s %-13s %8s %8s\n' "$w" "${px_name[$i]}" \
        "$a" "$am" "$ac" "${other_name[$i]}" "$b" "$bm" "$bc" "$(ratio "$a" "$b")" "($(ratio_range "$w"))" \
        "$(ratio "$am" "$bm")" "$(ratio "$ac" "$bc")"
done
echo "# commands (\$D is the benchmark's temporary directory; systemctl and journalctl there are links to pxinit):"
for i in "${!rows[@]}"; do
    printf '#   %-10s A: %s\n#   %-10s B: %s\n' "${rows[$i]}" "${px_cmd[$i]//$D/\$D}" "" "${other_cmd[$i]//$D/\$D}"
done
# What both sides print for the same question, so the reader sees that the
# work is alike. (head closes the pipe early: no pipefail here.)
set +o pipefail
echo "# systemctl status blog.service, pxinit's:"
"$SC" status blog.service 2>&1 | head -n 8 | sed "s|$D|\$D|g; s/^/#   /"
echo "# and the Python script's:"
"$PY" "${PYR[@]}" status blog.service 2>&1 | head -n 8 | sed "s|$D|\$D|g; s/^/#   /"
echo "# systemctl list-units | head -n 4, pxinit's:"
"$SC" list-units 2>&1 | head -n 4 | sed 's/^/#   /'
echo "# and the Python script's:"
"$PY" "${PYR[@]}" list-units 2>&1 | head -n 4 | sed 's/^/#   /'
