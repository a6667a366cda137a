#!/bin/bash
# Fds sent over the control socket (mode 0666: any local user connects):
# the kernel released them in pxinit when it read or closed the client,
# and a TCP socket left lingering over unsent data hung PID 1 in that
# release for the linger time (30s here). The control socket now refuses
# fds (SO_PASSRIGHTS off, Linux 6.16 and later; skipped before, where the
# hang remains).
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

$PY -c 'import socket; socket.socket(socket.AF_UNIX).setsockopt(socket.SOL_SOCKET, 83, 0)' 2>/dev/null || {
    echo "SKIP: no SO_PASSRIGHTS in this kernel"
    exit 77
}
unit probe <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo x >>$T/probe'
EOF
# A local user's client: a socket lingering 30s over a full send buffer,
# sent over the control socket while pxinit is stopped, every copy closed.
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
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.connect(path)
os.kill(pid, signal.SIGSTOP)
try:
    u.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [c.fileno()]))])
    print("sent", flush=True)
except OSError as e:
    print("refused: %s" % e, flush=True)
    # Ours alone now: not lingering, or this close would wait.
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 0, 0))
finally:
    c.close()
    u.close()
    os.kill(pid, signal.SIGCONT)
open(sys.argv[3], "w").close()
time.sleep(60)  # keeps the listener, which never reads
EOF

responsive() {
    local n=$(($(count_lines "$T/probe") + 1))
    ctl start probe.service >/dev/null 2>&1 &
    poll 5 lines_at_least "$T/probe" "$n"
}

px_start
poll 10 lines_at_least "$T/probe" 1 || fail "probe.service did not run at boot"
poll 10 is_state probe.service inactive || fail "probe.service did not end"
$PY "$T/send.py" "$RUN/control" "$PX_INIT" "$T/sent" >"$T/send.out" &
SENDER=$!
poll 10 test -e "$T/sent" || fail "the client did not finish"
responsive || fail "pxinit hangs after a client sent a lingering socket: $(cat "$T/send.out")"
grep -q '^refused' "$T/send.out" || fail "the control socket took an fd: $(cat "$T/send.out")"
kill "$SENDER" 2>/dev/null
pass "the control socket refuses fds: a lingering socket cannot hang pxinit"
