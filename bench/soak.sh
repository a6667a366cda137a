#!/bin/bash
# bench/soak.sh - pxinit as PID 1 under sustained load, watched for growth.
#
# All at once, in one fresh PID namespace: a crash-looping unit (exits 1 at
# once, Restart=always, RestartSec=0, no start limit) restarted RESTARTS
# times; a control client stopping and starting 100 units (one request for
# all of them each way, then a status) in a loop; a unit flooding its output
# (yes(1), captured by pxinit and written to its stdout, /dev/null here).
# Every SAMPLE seconds pxinit's RSS, descriptors, children and status board
# size are sampled, with the restart count, the client rounds and the bytes
# pxinit wrote. A table is printed; the run fails (exit 1) when a figure's
# peak in the second half of the samples is above its peak in the first half
# by more than noise (RSS: 3% or 512 KiB; descriptors, children: 2; board:
# nothing). For humans, not part of `make check`.
#
#   sudo bench/soak.sh     # RESTARTS=1000000 MAX_SECS=0 (no cap) SAMPLE=5
#   PXINIT=/path/to/pxinit RESTARTS=100000 OUT=bench/results bench/soak.sh
#   FLOOD=0 CLIENTS=0 bench/soak.sh   # the crash loop alone
#
# MAX_SECS>0 ends the run after that long even if RESTARTS were not reached
# (the table says how many there were). OUT gets soak.dat (the samples).
set -u
cd "$(dirname "$0")/.." || exit 1
PXINIT=$(realpath "${PXINIT:-src/pxinit}")
RESTARTS=${RESTARTS:-1000000}
MAX_SECS=${MAX_SECS:-0}
SAMPLE=${SAMPLE:-5}
NUNITS=100
[ "$(id -u)" = 0 ] || { echo "bench/soak.sh: needs root (unshare --pid)" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "bench/soak.sh: no pxinit at $PXINIT" >&2; exit 1; }

D=$(mktemp -d /tmp/pxinit-soak.XXXXXX)
OUT=${OUT:-$D}
mkdir -p "$OUT" "$D/units"
RUN=$D/run
PX_PID= PX_INIT= CLIENT=
finish() {
    [ -n "$CLIENT" ] && kill "$CLIENT" 2>/dev/null && wait "$CLIENT" 2>/dev/null
    [ -n "$PX_INIT" ] && kill -KILL "$PX_INIT" 2>/dev/null
    [ -n "$PX_PID" ] && wait "$PX_PID" 2>/dev/null
    rm -rf "$D/units" "$D/run"
}
trap finish EXIT

cat >"$D/units/crash.service" <<EOF
[Unit]
StartLimitIntervalSec=0
StartLimitBurst=0
[Service]
ExecStart=/bin/false
Restart=always
RestartSec=0
EOF
[ "${FLOOD:-1}" = 1 ] && cat >"$D/units/flood.service" <<EOF
[Service]
ExecStart=/usr/bin/yes "soak: an output flood line of some length, as a chatty daemon writes"
Restart=always
EOF
names=()
for i in $(seq -w 1 $NUNITS); do
    printf '[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/bin/sleep 100000\n' \
        >"$D/units/c$i.service"
    names+=("c$i")
done

px() { "$PXINIT" -R "$RUN" "$@"; }

unshare --pid --fork --mount-proc "$PXINIT" -q -R "$RUN" -u "$D/units" \
    >/dev/null 2>"$D/pxinit.log" </dev/null &
PX_PID=$!
for _ in $(seq 100); do
    PX_INIT=$(pgrep -P "$PX_PID" | head -n 1)
    [ -n "$PX_INIT" ] && [ -S "$RUN/control" ] && break
    sleep 0.05
done
[ -n "$PX_INIT" ] || { echo "pxinit did not start" >&2; exit 1; }

# The control client: stop and start all 100 units, then a status, forever.
[ "${CLIENTS:-1}" = 1 ] && (
    n=0
    while :; do
        px stop "${names[@]}" >/dev/null 2>&1
        px start "${names[@]}" >/dev/null 2>&1
        px status >/dev/null 2>&1
        n=$((n + 1))
        echo $n >"$D/rounds.tmp" && mv "$D/rounds.tmp" "$D/rounds"
    done
) &
CLIENT=$!

restarts() { px status crash 2>/dev/null | awk '{print $5}'; }
sample() {
    local t=$1 rss fds kids board wchar
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PX_INIT/status")
    fds=$(ls "/proc/$PX_INIT/fd" | wc -l)
    kids=$(wc -w <"/proc/$PX_INIT/task/$PX_INIT/children")
    board=$(stat -c %s "$RUN/status" 2>/dev/null || echo 0)
    wchar=$(awk '/^wchar:/ {print $2}' "/proc/$PX_INIT/io")
    echo "$t $(restarts) $(cat "$D/rounds" 2>/dev/null || echo 0) $rss $fds $kids $board $wchar"
}

echo "# pxinit $PXINIT, target $RESTARTS restarts, max ${MAX_SECS}s, sample every ${SAMPLE}s"
echo "# t_s restarts client_rounds rss_kib fds children board_bytes wrote_bytes" >"$OUT/soak.dat"
start=$(date +%s)
while :; do
    sleep "$SAMPLE"
    kill -0 "$PX_INIT" 2>/dev/null || { echo "pxinit died" >&2; cat "$D/pxinit.log" >&2; exit 1; }
    t=$(($(date +%s) - start))
    s=$(sample "$t")
    echo "$s" >>"$OUT/soak.dat"
    r=$(echo "$s" | awk '{print $2}')
    [ "${r:-0}" -ge "$RESTARTS" ] && break
    [ "$MAX_SECS" -gt 0 ] && [ "$t" -ge "$MAX_SECS" ] && break
done
grep -c . "$D/pxinit.log" >"$D/loglines"

awk -v target="$RESTARTS" -v loglines="$(cat "$D/loglines")" '
/^#/ { next }
{ n++; t[n] = $1; r[n] = $2; c[n] = $3; v[4, n] = $4; v[5, n] = $5; v[6, n] = $6; v[7, n] = $7; w[n] = $8 }
END {
    if (n < 4) { print "too few samples (" n "): run longer"; exit 1 }
    printf "| %7s | %9s | %7s | %8s | %4s | %8s | %11s | %12s |\n", "t s", "restarts", "rounds", "RSS KiB", "fds", "children", "board bytes", "wrote MB"
    printf "|--------:|----------:|--------:|---------:|-----:|---------:|------------:|-------------:|\n"
    step = n > 24 ? int(n / 12) : 1
    for (i = 1; i <= n; i++)
        if (i % step == 0 || i == 1 || i == n)
            printf "| %7d | %9d | %7d | %8d | %4d | %8d | %11d | %12.1f |\n", t[i], r[i], c[i], v[4, i], v[5, i], v[6, i], v[7, i], w[i] / 1e6
    h = int(n / 2)
    split("4 5 6 7", cols, " ")
    split("RSS KiB,fds,children,board bytes", names, ",")
    bad = 0
    for (k = 1; k <= 4; k++) {
        col = cols[k]; m1 = 0; m2 = 0
        for (i = 1; i <= h; i++) if (v[col, i] > m1) m1 = v[col, i]
        for (i = h + 1; i <= n; i++) if (v[col, i] > m2) m2 = v[col, i]
        tol = col == 4 ? (m1 * 0.03 > 512 ? m1 * 0.03 : 512) : col == 7 ? 0 : 2
        verdict = m2 > m1 + tol ? "GREW" : "flat"
        if (verdict == "GREW") bad = 1
        printf "%-12s first half peak %d, second half peak %d: %s\n", names[k], m1, m2, verdict
    }
    secs = t[n] > 0 ? t[n] : 1
    printf "restarts: %d of %d in %d s (%.0f/s); client rounds (stop+start 100 units, status): %d (%.2f/s); pxinit wrote %.1f MB (%.1f MB/s); pxinit log lines (-q): %d\n", r[n], target, t[n], r[n] / secs, c[n], c[n] / secs, w[n] / 1e6, w[n] / 1e6 / secs, loglines
    exit bad
}' "$OUT/soak.dat"
rc=$?
[ "$rc" = 0 ] && echo "soak: nothing grew" || echo "soak: something grew (exit 1)"
exit $rc
