#!/bin/bash
# Never lose: a unit prints 50 MB of numbered lines as fast as it can; every
# line reaches pxinit's stdout (a file here), once, in order. Also with
# pxinit's stdout a pipe read slower than the unit writes (back-pressure).
. "${srcdir:-.}/tests/e2e/lib.sh"

N=1000000 # 1M lines of 53 bytes: 53 MB
unit gen <<EOF2
[Service]
Type=oneshot
ExecStart=/usr/bin/seq -f 'line %%.0f of the fifty megabyte no-loss test, padding' 1 $N
EOF2

check_all() { # FILE: all N lines of gen, in order, nothing else from gen
    grep '^gen: ' "$1" | awk -v n="$N" '
        { sub(/^gen: line /, ""); if ($1 != NR) { print "line " NR ": got " $1; bad = 1; exit } }
        END { if (!bad && NR != n) { print "got " NR " lines, want " n; bad = 1 } exit bad }'
}

px_start
poll 60 log_has 'gen: state inactive' || fail "gen did not finish"
px_signal TERM
px_wait 30
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
check_all "$T/out" || fail "lines lost or reordered (stdout a file)"
size=$(stat -c %s "$T/out")
pass "$N lines ($size bytes) to a file, all there, in order"

# stdout a pipe whose reader is slow (dd with small blocks and a pause now
# and then): pxinit must hold back, not drop.
rm -f "$T/out"
script slowcat.sh <<'EOF2'
i=0
while :; do
    dd bs=65536 count=4 iflag=fullblock status=none of="$T/chunk"
    [ -s "$T/chunk" ] || break
    cat "$T/chunk"
    i=$((i + 1)); [ $((i % 4)) = 0 ] && sleep 0.02
done
EOF2
mkfifo "$T/fifo"
"$T/slowcat.sh" <"$T/fifo" >"$T/out" &
READER=$!
PX_STDOUT="$T/fifo" px_start
poll 120 log_has 'gen: state inactive' || fail "gen did not finish behind a slow reader"
px_signal TERM
px_wait 60
wait "$READER"
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
check_all "$T/out" || fail "lines lost or reordered (stdout a slow pipe)"
pass "$N lines through a slow pipe, all there, in order"
