#!/bin/bash
# Socket units at runtime (SPEC "Timers, sockets and targets"): the sockets
# are open before any service starts; an Accept=no service starts on the
# first connection with the listening fd as fd 3 (LISTEN_FDS), and again on
# the next connection after it stopped; an Accept=yes socket starts an
# instance per connection, drops connections past MaxConnections=, and
# removes an instance when it ends; pxinit keeps no fd of what ended.
. "${srcdir:-.}/tests/e2e/lib.sh"

PY=$(python3 -c 'import sys; print(sys.executable)')
ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
active() { [ "$(state_of "$1")" = active ]; }
inactive() { [ "$(state_of "$1")" = inactive ]; }
fd_count() { ls "/proc/$PX_INIT/fd" | wc -l; }
n_instances() { ctl status 2>/dev/null | grep -c '^ *[^ ]*inst@'; }
instances_are() { [ "$(n_instances)" = "$1" ]; }

# client PATH OUT [HOLD]: connects to the unix socket PATH, writes the first
# line it reads (or "EOF") to OUT; with HOLD, stays connected until the
# file HOLD exists (20 s at most).
script client <<EOF
exec "$PY" - "\$@" <<'PYEOF'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
line = s.makefile().readline().strip() or "EOF"
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(line + "\n")
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
end = time.time() + 20  # never outlives the test
while len(sys.argv) > 3 and not os.path.exists(sys.argv[3]) and time.time() < end:
    time.sleep(0.02)
PYEOF
EOF

# echo.service: serves on the fd it was given, one line per connection,
# and exits once $T/echo.stop exists.
script echo <<EOF
echo start >>"\$T/echo.starts"
exec "$PY" - <<'PYEOF'
import os, socket
l = socket.socket(fileno=3)
l.settimeout(0.1)
while not os.path.exists(os.environ["T"] + "/echo.stop"):
    try:
        c, _ = l.accept()
    except socket.timeout:
        continue
    c.sendall(("hello %s %s %s\n" % (os.environ.get("LISTEN_FDS"),
               os.environ.get("LISTEN_FDNAMES"),
               os.environ.get("LISTEN_PID") == str(os.getpid()))).encode())
    c.close()
PYEOF
EOF

# inst@.service: says hello on its connection (fd 3), then waits for the
# client to hang up.
script inst <<EOF
exec "$PY" - <<'PYEOF'
import os, socket
c = socket.socket(fileno=3)
c.sendall(("inst %s %s\n" % (os.environ.get("LISTEN_FDS"), os.environ.get("LISTEN_FDNAMES"))).encode())
while c.recv(100):
    pass
PYEOF
EOF

cat >"$UNITS/echo.socket" <<EOF
[Socket]
ListenStream=$T/echo.sock
EOF
unit echo <<EOF
[Service]
ExecStart=$T/echo
EOF
cat >"$UNITS/inst.socket" <<EOF
[Socket]
ListenStream=$T/inst.sock
Accept=yes
MaxConnections=2
EOF
unit inst@ <<EOF
[Service]
ExecStart=$T/inst
EOF
# Started at boot, ordered before nothing: sees whether the sockets exist.
unit early <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'if [ -S $T/echo.sock ] && [ -S $T/inst.sock ]; then echo yes; else echo no; fi >$T/early'
EOF

px_start
poll 5 test -S "$T/echo.sock" || fail "echo.sock was not made"
poll 5 test -s "$T/early" || fail "early.service did not run"
[ "$(cat "$T/early")" = yes ] || fail "a service started before the sockets were open"
pass "sockets open before any service starts"

poll 5 active echo.socket || fail "echo.socket is not active: $(ctl status echo.socket 2>&1)"
inactive echo.service || fail "echo.service started at boot: $(ctl status echo.service 2>&1)"
[ ! -e "$T/echo.starts" ] || fail "echo.service ran at boot"
pass "an activated service waits for its socket"

"$T/client" "$T/echo.sock" "$T/r1" || fail "first connection failed"
[ "$(cat "$T/r1")" = "hello 1 echo.socket True" ] || fail "first reply: $(cat "$T/r1")"
poll 5 active echo.service || fail "echo.service not active after a connection"
pass "Accept=no: the first connection starts the service with LISTEN_FDS"
# Counted once echo.service has run: a unit's output pipe lives as long as
# the unit (two fds with PXINIT_PLAIN's pipes), not as long as its run.
fds0=$(fd_count)

"$T/client" "$T/echo.sock" "$T/r2" || fail "second connection failed"
[ "$(cat "$T/r2")" = "hello 1 echo.socket True" ] || fail "second reply: $(cat "$T/r2")"
[ "$(count_lines "$T/echo.starts")" = 1 ] || fail "the running service was started again"
touch "$T/echo.stop"
poll 5 inactive echo.service || fail "echo.service did not stop"
rm -f "$T/echo.stop"
"$T/client" "$T/echo.sock" "$T/r3" || fail "connection after the stop failed"
[ "$(cat "$T/r3")" = "hello 1 echo.socket True" ] || fail "third reply: $(cat "$T/r3")"
[ "$(count_lines "$T/echo.starts")" = 2 ] || fail "not started again: $(count_lines "$T/echo.starts")"
pass "Accept=no: the next connection after its end starts it again"
touch "$T/echo.stop"
poll 5 inactive echo.service || fail "echo.service did not stop again"

"$T/client" "$T/inst.sock" "$T/a1" "$T/go1" &
C1=$!
"$T/client" "$T/inst.sock" "$T/a2" "$T/go2" &
C2=$!
poll 5 test -s "$T/a1" || fail "no reply on the first Accept=yes connection"
poll 5 test -s "$T/a2" || fail "no reply on the second Accept=yes connection"
[ "$(cat "$T/a1")" = "inst 1 connection" ] || fail "instance reply: $(cat "$T/a1")"
poll 5 instances_are 2 || fail "want 2 instances: $(ctl status 2>&1)"
pass "Accept=yes: an instance per connection"

"$T/client" "$T/inst.sock" "$T/a3" || fail "third Accept=yes connection failed"
[ "$(cat "$T/a3")" = EOF ] || fail "past MaxConnections=2 the connection got: $(cat "$T/a3")"
log_has 'Too many incoming connections \(2\), dropping connection' ||
    fail "the drop was not logged"
pass "Accept=yes: MaxConnections= drops the connection"

touch "$T/go1"
poll 5 instances_are 1 || fail "the ended instance stayed: $(ctl status 2>&1)"
"$T/client" "$T/inst.sock" "$T/a4" || fail "connection after an instance ended failed"
[ "$(cat "$T/a4")" = "inst 1 connection" ] || fail "fourth reply: $(cat "$T/a4")"
touch "$T/go2"
poll 5 instances_are 0 || fail "instances stayed: $(ctl status 2>&1)"
pass "Accept=yes: an ended instance is removed and makes room"

wait $C1 $C2
poll 5 test "$(fd_count)" -le "$fds0" || fail "pxinit holds $(fd_count) fds, $fds0 before"
pass "no fd left behind"

# Out of fds: pxinit stops watching for a while instead of spinning on a
# connection it cannot take, and takes it once fds are back.
nofile=$(prlimit --pid "$PX_INIT" --nofile --raw --noheadings --output=SOFT,HARD | awk '{print $1 ":" $2}')
prlimit --pid "$PX_INIT" --nofile=3:"${nofile#*:}" || fail "prlimit failed"
"$T/client" "$T/inst.sock" "$T/a5" &
C5=$!
poll 5 log_has 'inst.socket: cannot accept: Too many open files: pausing' ||
    fail "no pause on EMFILE"
sleep 1 # a span to count the pauses in: a spin would log thousands
pauses=$(grep -c 'cannot accept: Too many open files' "$T/log")
prlimit --pid "$PX_INIT" --nofile="$nofile" || fail "prlimit back failed"
[ "$pauses" -le 30 ] || fail "$pauses pauses in a second: accept spins on EMFILE"
wait $C5
[ "$(cat "$T/a5")" = "inst 1 connection" ] || fail "after EMFILE the client got: $(cat "$T/a5" 2>&1)"
pass "EMFILE on accept pauses ($pauses times), then the connection is served"

ctl stop echo.socket >/dev/null 2>&1 || fail "stop echo.socket: $?"
poll 5 inactive echo.socket || fail "echo.socket did not stop"
"$PY" -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])" \
    "$T/echo.sock" 2>/dev/null && fail "a stopped socket still accepts"
pass "a stopped socket closes its fds"
