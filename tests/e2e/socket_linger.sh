#!/bin/bash
# A socket with SO_LINGER and unsent data makes the close() that drops its
# last reference wait, up to the linger time. pxinit closes such sockets
# that others shaped, and must not wait (fd_close.h):
# - an Accept=yes connection whose instance set SO_LINGER, filled the send
#   buffer towards a client that does not read, and exited;
# - a socket any local user sends to the notify socket (and closes its own
#   copy of before pxinit reads it: pxinit is stopped meanwhile here, so
#   the order is certain).
# Before, PID 1 hung in close() for the linger time (30s here).
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

read -r PORT < <($CLIENT freeport 1)
[ -n "$PORT" ] || fail "no free port"
cat >"$UNITS/lg.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$PORT
Accept=yes
EOF
# The instance: fd 3 lingers 30s with a full send buffer, then it exits.
script linger <<EOF
exec $PY -c '
import socket, struct
c = socket.socket(fileno=3)
c.setblocking(False)
try:
    while True:
        c.send(b"x" * 65536)
except BlockingIOError:
    pass
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 30))
open("$T/filled", "w").close()
'
EOF
unit lg@ <<EOF
[Service]
ExecStart=$T/linger
EOF
unit probe <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo x >>$T/probe'
EOF
# A local user's sender: a socket lingering 30s over a full send buffer,
# sent to the notify socket while pxinit is stopped, its own copy closed.
cat >"$T/send.py" <<'EOF'
import array, os, signal, socket, struct, sys, time
path, pid = sys.argv[1], int(sys.argv[2])
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(1)
c = socket.socket()
c.connect(l.getsockname())
c.setblocking(False)
try:
    while True:
        c.send(b"x" * 65536)
except BlockingIOError:
    pass
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 30))
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
os.kill(pid, signal.SIGSTOP)
try:
    u.sendmsg([b"STATUS=x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [c.fileno()]))], 0, path)
    c.close()
finally:
    os.kill(pid, signal.SIGCONT)
open(sys.argv[3], "w").close()
time.sleep(60)  # keeps the listener, which never reads
EOF

# responsive: a oneshot started through pxinit runs once more within 5s
# (the status board answers without pxinit; a start does not).
responsive() {
    local n=$(($(count_lines "$T/probe") + 1))
    ctl start probe.service >/dev/null 2>&1 &
    poll 5 lines_at_least "$T/probe" "$n"
}

px_start
poll 10 listening lg.socket || fail "lg.socket is not listening: $(ctl status lg.socket 2>&1)"
poll 10 lines_at_least "$T/probe" 1 || fail "probe.service did not run at boot"
poll 10 is_state probe.service inactive || fail "probe.service did not end"
responsive || fail "pxinit does not start units"

# --- the connection of an instance that made it linger ------------------------------
$PY -c "
import socket, time
s = socket.create_connection(('127.0.0.1', $PORT))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
time.sleep(60)" &
HOLDER=$!
poll 10 test -e "$T/filled" || fail "the instance did not fill its send buffer"
poll 5 eval '! ctl status 2>/dev/null | grep -q "^lg@"' || fail "the ended instance is still listed (pxinit hung in close?): $(tail -3 "$T/log")"
responsive || fail "pxinit hangs after closing a lingering connection"
kill "$HOLDER" 2>/dev/null
pass "the lingering connection of an ended instance is closed without waiting"

# --- a lingering socket sent to the notify socket ---------------------------------------
$PY "$T/send.py" "$RUN/notify" "$PX_INIT" "$T/sent" &
SENDER=$!
poll 10 test -e "$T/sent" || fail "the sender did not send"
responsive || fail "pxinit hangs after closing a lingering socket sent to the notify socket"
kill "$SENDER" 2>/dev/null
pass "a lingering socket sent to the notify socket is closed without waiting"
