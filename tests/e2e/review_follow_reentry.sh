#!/bin/bash
# A follow (journal -f, logs -f) ends when its unit's output is freed: at
# daemon-reload, or at shutdown while pxinit frees the whole unit table.
# The end used to run the request the client had pipelined behind the
# follow right there, inside that walk: a `show --all-units` read units
# already freed (a use after free in PID 1, seen with --enable-sanitizers).
# Now such a request waits for the loop: at shutdown it is never run, and
# after a daemon-reload it is answered as before.
. "${srcdir:-.}/tests/e2e/lib.sh"

cat >"$T/client.py" <<'EOF2'
import socket, sys, time
path, req, out = sys.argv[1], sys.argv[2], sys.argv[3]
for attempt in range(50):  # refused at times under load, as journal_req.py saw
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        break
    except ConnectionRefusedError:
        s.close()
        time.sleep(0.1)
else:
    sys.exit(5)
s.sendall(req.encode().replace(b"|", b"\n") + b"\n")
open(out + ".sent", "w").close()
buf = b""
s.settimeout(30)
while True:
    try:
        d = s.recv(65536)
    except (socket.timeout, OSError):
        break
    if not d:
        break
    buf += d
    with open(out, "wb") as f:
        f.write(buf)
EOF2
for n in aa zz; do
    unit $n <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo $n up; exec sleep 1000'
EOF2
done
px_start
poll 5 "$PXINIT" -R "$RUN" status -q zz || fail "zz did not start"
has_line() { "$PXINIT" -R "$RUN" logs zz 2>/dev/null | grep -q 'zz up'; }
poll 5 has_line || fail "zz wrote nothing"

# 1. daemon-reload takes zz away: the follow ends, the pipelined request
# is answered after it.
for r in "journal -f zz" "logs -f zz"; do
    rm -f "$T/r.out" "$T/r.out.sent"
    python3 "$T/client.py" "$RUN/control" "$r|show -p Id aa" "$T/r.out" &
    cpid=$!
    poll 5 test -e "$T/r.out.sent" || fail "$r: not sent"
    poll 5 file_has "$T/r.out" 'zz up' || fail "$r: no line: $(cat "$T/r.out" 2>/dev/null)"
    mv "$UNITS/zz.service" "$T/zz.service"
    "$PXINIT" -R "$RUN" daemon-reload >/dev/null 2>&1 || fail "daemon-reload"
    poll 10 file_has "$T/r.out" '^prop aa Id aa.service$' ||
        fail "$r: the pipelined request was not answered after the follow: $(cat "$T/r.out")"
    kill "$cpid" 2>/dev/null
    wait "$cpid" 2>/dev/null
    mv "$T/zz.service" "$UNITS/zz.service"
    "$PXINIT" -R "$RUN" daemon-reload >/dev/null 2>&1 || fail "daemon-reload"
    poll 5 "$PXINIT" -R "$RUN" status -q zz || fail "zz did not come back"
    poll 5 has_line || fail "zz wrote nothing"
done
pass "a follow ended by daemon-reload, then the pipelined request"

# 2. Shutdown frees the table: the follow ends, nothing more runs.
rm -f "$T/r.out" "$T/r.out.sent"
python3 "$T/client.py" "$RUN/control" "journal -f zz|show --all-units" "$T/r.out" &
cpid=$!
poll 5 file_has "$T/r.out" 'zz up' || fail "no line: $(cat "$T/r.out" 2>/dev/null)"
px_signal TERM
px_wait 20
wait "$cpid"
grep -q AddressSanitizer "$T/log" && fail "sanitizer report at shutdown"
grep -q '^end 0$' "$T/r.out" || fail "the follow did not end: $(cat "$T/r.out")"
grep -q '^prop ' "$T/r.out" &&
    fail "a request ran while the unit table was being freed: $(grep -c '^prop ' "$T/r.out") prop lines"
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
pass "at shutdown a follower's pipelined request does not run on a table being freed"
