#!/bin/bash
# A client that sends `journal -f` (or `logs -f`) and closes at once: its
# EOF comes with the request, before it follows, and the daemon stopped
# reading it then, so it never learned the client left. Its slot and fd
# stayed taken for as long as no line came: with no unit named, forever.
# 64 such clients filled every slot, and the control socket refused every
# client after them. A follower that already left is dropped now.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit web <<EOF2
[Service]
ExecStart=/bin/sleep 1000
EOF2
px_start
poll 5 "$PXINIT" -R "$RUN" status -q web || fail "web did not start"

python3 - "$RUN/control" <<'PY' || fail "could not send the requests"
import socket, sys
for i in range(80):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    s.sendall(b"journal -f nosuch\n" if i % 2 else b"logs -f web\n")
    s.close()
PY
answers() { PXINIT_NO_BOARD=1 timeout 5 "$PXINIT" -R "$RUN" status web >"$T/o" 2>&1; }
poll 5 answers || fail "the control socket no longer answers: $(cat "$T/o")"
pass "followers that left at once do not hold the control socket's slots"
