#!/bin/bash
# pxinit's stdout is a pipe nobody reads. A chatty unit fills it and then
# blocks in its own write(2); pxinit itself does not block: another unit keeps
# restarting on schedule, zombies are reaped, and SIGTERM shutdown still ends
# within a bound although the chatty unit wants to print its last words.
. "${srcdir:-.}/tests/e2e/lib.sh"

script chatty.sh <<'EOF2'
trap 'echo "chatty: got TERM, saying goodbye"; exit 0' TERM
i=0
while :; do i=$((i + 1)); echo "chatty line $i"; done
EOF2
unit chatty <<EOF2
[Service]
ExecStart=$T/chatty.sh
EOF2

unit ticker <<EOF2
[Unit]
StartLimitBurst=1000
[Service]
ExecStart=/bin/sh -c 'echo run >> $T/ticker.runs; echo tick'
Restart=always
RestartSec=100ms
EOF2

mkfifo "$T/fifo"
exec 3<>"$T/fifo" # holds the pipe open for reading; nobody ever reads it
PX_STDOUT="$T/fifo" px_start --grace 1

# The chatty unit is blocked once the fifo, pxinit's queue and its own pipe
# are full: its pipe then stays full.
chatty_blocked() {
    local pid
    pid=$(in_ns pgrep -f chatty.sh | head -n 1)
    [ -n "$pid" ] && in_ns grep -q "pipe_write" "/proc/$pid/wchan" 2>/dev/null
}
poll 10 chatty_blocked || fail "chatty unit never blocked on its output"
pass "a unit writing to a blocked stdout blocks in its own write"

before=$(count_lines "$T/ticker.runs")
poll 10 lines_at_least "$T/ticker.runs" $((before + 20)) \
    || fail "ticker stopped restarting while stdout is blocked"
zombies_reaped || fail "zombies left while stdout is blocked: $(zombies)"
pass "another unit keeps restarting, children are reaped"

start=$(date +%s)
px_signal TERM
px_wait 20
took=$(( $(date +%s) - start ))
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
log_has 'discarding service output' || fail "no warning about discarded output"
pass "SIGTERM shutdown with a blocked stdout ends (${took}s, bound: grace + stall)"
exec 3<&-
