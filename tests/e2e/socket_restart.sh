#!/bin/bash
# restart of a socket with ExecStopPre=/ExecStopPost=: the start arrives
# while the stop still runs its commands, and must happen after them, as
# a service's does. Before, it was dropped: the socket stayed dead and its
# service could no longer be activated.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

cat >"$UNITS/post.socket" <<EOF
[Socket]
ListenStream=$T/post.sock
ExecStopPost=/bin/true
EOF
cat >"$UNITS/pre.socket" <<EOF
[Socket]
ListenStream=$T/pre.sock
ExecStopPre=/bin/true
EOF
unit post <<EOF
[Service]
ExecStart=/bin/sleep 60
EOF
unit pre <<EOF
[Service]
ExecStart=/bin/sleep 60
EOF

px_start
for s in post pre; do
    poll 10 listening $s.socket || fail "$s.socket is not listening: $(ctl status $s.socket 2>&1)"
    ctl restart $s.socket >/dev/null 2>&1 || fail "restart $s.socket failed: $(tail -5 "$T/log")"
    poll 10 listening $s.socket || fail "$s.socket is not listening after a restart: $(ctl status $s.socket 2>&1)"
    poll 10 test -S "$T/$s.sock" || fail "$s.socket's path is gone after a restart"
done
pass "restart of a socket with ExecStopPre=/ExecStopPost= starts it again after them"

ctl stop post.socket >/dev/null 2>&1 || fail "stop post.socket failed"
poll 10 is_state post.socket inactive || fail "post.socket did not stop: $(ctl status post.socket 2>&1)"
pass "stop still stops"
