#!/bin/bash
# A unit prints more than stdout takes at once and exits. Its last lines are
# then already read out of its pipe and wait inside pxinit while stdout is
# full. When the reader starts reading, those lines must follow at once, not
# only at shutdown: nothing more will come from the pipe to wake pxinit up.
. "${srcdir:-.}/tests/e2e/lib.sh"

# ~100 to ~170 KB each: stdout's pipe, pxinit's queue and its line buffer
# can hold it all, and whether the line buffer is left holding the tail
# depends on timing, so three sizes in one run.
SIZES="2000 2500 3000"
for n in $SIZES; do
    unit "burst$n" <<EOF2
[Service]
Type=oneshot
ExecStart=/usr/bin/seq -f 'line %%.0f of a burst that fills the stdout pipe, padding' 1 $n
EOF2
done

# The reader opens the fifo at once (so pxinit can start) but reads only
# once told to.
script reader.sh <<'EOF2'
while [ ! -e "$T/go" ] && [ -d "$T" ]; do sleep 0.05; done
exec cat
EOF2
mkfifo "$T/fifo"
T="$T" "$T/reader.sh" <"$T/fifo" >"$T/out" &
READER=$!
PX_STDOUT="$T/fifo" px_start

for n in $SIZES; do
    poll 10 log_has "burst$n: state inactive" || fail "burst$n did not finish"
done
touch "$T/go"
for n in $SIZES; do
    poll 10 lines_matching_at_least "$T/out" "^burst$n: line " "$n" ||
        fail "only $(grep -c "^burst$n: line " "$T/out") of $n lines of burst$n arrived while pxinit runs"
done
pass "a backlog left by an exited unit follows when stdout drains"

px_signal TERM
px_wait 20
wait "$READER"
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
