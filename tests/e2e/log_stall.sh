#!/bin/bash
# log_stall.sh - PID 1's own log never blocks (issue 15, item 5): with its
# stderr a pipe nobody reads any more, any local user flooding the notify
# socket with oversized datagrams, and a reload that logs more than the pipe
# and pxinit's queue hold, pxinit still answers over its socket, starts and
# stops units, and exits on SIGTERM; once stderr is read again it says how
# many lines it dropped, and a flood costs a few warnings a second.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T" # nobody reaches $RUN/notify
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
# stderr: a FIFO that this shell holds open (read-write, so opening it for
# writing does not wait); read while pxinit boots, then no more.
mkfifo "$T/err"
exec {hold}<>"$T/err"
# On the way out, whoever still writes there (unshare's own messages, a
# pxinit that hung) must not wait for a reader forever.
trap 'exec {hold}<&-; timeout 10 cat "$T/err" >/dev/null 2>&1 & cleanup' EXIT
fill_fifo() {
    python3 - "$T/err" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
for chunk in (b"filler line, never read\n" * 64, b"\n"):
    try:
        while True:
            os.write(fd, chunk)
    except BlockingIOError:
        pass
EOF
}
cat "$T/err" >"$T/log" &
reader=$!
unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" -u "$UNITS" >"$T/out" 2>"$T/err" </dev/null &
PX_PID=$!
poll 5 px_started || fail "pxinit did not start"
poll 10 log_has "web: state active" || fail "web did not start"
kill "$reader"
wait "$reader" 2>/dev/null
fill_fifo

# ask ARGS...: a request over the socket, answered within 5 seconds.
ask() { PXINIT_NO_BOARD=1 timeout 5 "$PXINIT" -R "$RUN" "$@" >"$T/ask" 2>&1; }

# flood SECONDS COUNT: a local user sends COUNT oversized datagrams to the
# notify socket, giving up after SECONDS.
flood() {
    in_ns setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 - "$RUN/notify" "$@" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
end = time.monotonic() + float(sys.argv[2])
sent = 0
while sent < int(sys.argv[3]) and time.monotonic() < end:
    try:
        s.sendto(b"STATUS=" + b"x" * 8000, socket.MSG_DONTWAIT, sys.argv[1])
        sent += 1
    except (BlockingIOError, ConnectionRefusedError):
        time.sleep(0.001)
EOF
}
flood 10 5000 &
flooder=$!
poll 2 ask status web || fail "no answer during the notify flood: $(cat "$T/ask")"
grep -q "^web  *active" "$T/ask" || fail "status web: $(cat "$T/ask")"
wait "$flooder"
ask status web || fail "no answer after the notify flood: $(cat "$T/ask")"
# 500 units that log a long line each on a reload and start nothing: more than
# a pipe (64 KiB) and pxinit's queue (64 KiB) together.
pad=$(printf '%0150d' 0)
for i in $(seq 1 500); do
    unit "skip-$i-$pad" <<EOF
[Unit]
ConditionPathExists=/nonexistent
[Service]
ExecStart=/bin/true
EOF
done

ask daemon-reload || fail "daemon-reload during the stall: $(cat "$T/ask")"
ask stop web || fail "stop web during the stall: $(cat "$T/ask")"
ask start web || fail "start web during the stall: $(cat "$T/ask")"
ask status web && grep -q "^web  *active" "$T/ask" || fail "status web: $(cat "$T/ask")"
pass "with stderr stalled and the notify socket flooded, pxinit answers, stops and starts units"

# stderr read again: the queue comes out, then the count of what was lost.
cat "$T/err" >>"$T/log" &
reader=$!
poll 10 log_has "pxinit: warning: [0-9]+ log lines dropped" || fail "no count of dropped lines"
log_has "skip-1-" || fail "queued lines did not come out"
dropped=$(grep -oE "warning: [0-9]+ log lines dropped" "$T/log" | head -n 1 | grep -oE "[0-9]+")
# The reload lost some 200 lines; a warning per datagram would have lost 5000.
[ "$dropped" -lt 2500 ] || fail "$dropped lines dropped: a warning per datagram?"
pass "once stderr is read, the queue and 'N log lines dropped' come out ($dropped)"

# With stderr read, a 2 s flood costs a few warnings a second.
before=$(grep -c "too long, ignoring" "$T/log")
flood 2 1000000
poll 5 log_has "warnings about notifications suppressed" || fail "no count of suppressed warnings"
too_long=$(( $(grep -c "too long, ignoring" "$T/log") - before ))
[ "$too_long" -ge 1 ] && [ "$too_long" -le 15 ] ||
    fail "$too_long warnings about oversized datagrams in a 2 s flood"
pass "a 2 s flood of the notify socket cost $too_long warnings"

# Stalled again (the reader gone, the FIFO full), SIGTERM still ends it.
kill "$reader"
wait "$reader" 2>/dev/null
fill_fifo
px_signal TERM
px_wait 10
exec {hold}<&-
[ "$PX_RC" = 0 ] || fail "after SIGTERM pxinit exited $PX_RC"
pass "with stderr stalled, pxinit exits on SIGTERM"

exit "$FAILED"
