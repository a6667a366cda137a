#!/bin/bash
# board_full.sh - the status board never kills anyone (issue 15, item 4): a
# full file system under the runtime directory when the board needs a new
# page (the 65th unit, the first long name) leaves PID 1 running, and those
# units are answered through the socket.
. "${srcdir:-.}/tests/e2e/lib.sh"

mkdir -p "$RUN"
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
cat >"$T/tiny.sh" <<EOF
mount -t tmpfs -o size=16k,mode=0755 pxinit-tiny "$RUN"
EOF
PX_SETUP="$T/tiny.sh" px_start
poll 5 in_ns test -s "$RUN/status" || fail "no board on the small tmpfs"
poll 5 status_is "$RUN" web 0 >/dev/null || fail "web not active"
# Fill what is left of it.
in_ns sh -c "cat /dev/zero >'$RUN/fill'" 2>/dev/null
in_ns sh -c "echo x >'$RUN/probe'" 2>/dev/null && fail "the tmpfs is not full"
LONG=a-unit-whose-name-takes-more-than-thirty-two-bytes
for i in $(seq 1 70) "$LONG"; do
    unit "u$i" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
done
mv "$UNITS/u$LONG.service" "$UNITS/$LONG.service"
in_ns "$PXINIT" -R "$RUN" daemon-reload >"$T/reload" 2>&1 || fail "daemon-reload: $(cat "$T/reload")"
kill -0 "$PX_INIT" 2>/dev/null || fail "PID 1 died when the board needed a page on a full tmpfs"
# New units start on a reload; the ones past the board's first page, and the
# long name, are answered through the socket.
for u in u1 u64 u65 u70 "$LONG" web; do
    poll 5 status_is "$RUN" "$u" 0 "active +[0-9]+ " >/dev/null ||
        fail "$(status_is "$RUN" "$u" 0 "active +[0-9]+ ")"
done
msg=$(status_is "$RUN" nosuch 4) || fail "$msg"
in_ns "$PXINIT" -R "$RUN" list >"$T/list" 2>&1 || fail "list: $(cat "$T/list")"
[ "$(grep -c . "$T/list")" = 72 ] || fail "list has $(grep -c . "$T/list") units, want 72"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "after SIGTERM pxinit exited $PX_RC"
pass "PID 1 survives a full tmpfs when the board needs a page (65th unit, a long name); status and list still answer"

exit "$FAILED"
