#!/bin/bash
# A follower (logs -f, journal -f) keeps its input open so that pxinit sees
# it leave. One that sends more than a request's worth of bytes while it
# follows filled the input buffer: the socket stayed readable, nothing was
# read, and PID 1 spun at full CPU for as long as the client stayed. Such a
# client is dropped now, and pxinit uses no CPU meanwhile.
. "${srcdir:-.}/tests/e2e/lib.sh"

req() { python3 "${srcdir:-.}/tests/e2e/review_follow_flood.py" "$RUN/control" "$@"; }

unit talker <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo hello; exec sleep 1000'
EOF2
px_start
poll 5 test -S "$RUN/control" || fail "no control socket"
has_line() { "$PXINIT" -R "$RUN" logs talker 2>/dev/null | grep -q hello; }
poll 5 has_line || fail "talker wrote nothing"

for r in "journal -f talker" "logs -f talker"; do
    got=$(req "$r" 3) || fail "$r: no reply"
    [ "$got" = closed ] || fail "$r: a follower that floods its input is not dropped ($got)"
done
# The daemon still answers.
"$PXINIT" -R "$RUN" status -q talker || fail "status after the floods"
pass "a follower that sends more than a request is dropped"
