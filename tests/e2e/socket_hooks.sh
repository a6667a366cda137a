#!/bin/bash
# A socket's commands (SPEC "Timers, sockets and targets", systemd.socket(5)):
# ExecStartPre= runs before the socket exists, ExecStartPost= and
# ExecStopPre= while it does, ExecStopPost= after RemoveOnStop= removed it.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

mkdir -p "$T/hooks.d"
cat >"$UNITS/hooks.socket" <<EOF
[Socket]
ListenStream=$T/hooks.sock
RemoveOnStop=yes
ExecStartPre=/bin/sh -c '[ -e $T/hooks.sock ] || touch $T/pre.ok'
ExecStartPost=/bin/sh -c '[ -S $T/hooks.sock ] && touch $T/post.ok'
ExecStopPre=/bin/sh -c '[ -S $T/hooks.sock ] && touch $T/stoppre.ok'
ExecStopPost=/bin/sh -c '[ -e $T/hooks.sock ] || touch $T/stoppost.ok'
EOF
unit hooks <<EOF
[Service]
ExecStart=$SDL -e stream $T/hooks.d
EOF

px_start
poll 5 listening hooks.socket || fail "hooks.socket is not listening: $(ctl status hooks.socket 2>&1)"
[ -e "$T/pre.ok" ] || fail "ExecStartPre= did not run, or ran after the socket was made"
poll 5 test -e "$T/post.ok" || fail "ExecStartPost= did not run, or ran before the socket was made"
ctl stop hooks.socket >/dev/null 2>&1 || fail "stop hooks.socket failed"
poll 5 is_state hooks.socket inactive || fail "hooks.socket not inactive after stop: $(ctl status hooks.socket 2>&1)"
[ -e "$T/stoppre.ok" ] || fail "ExecStopPre= did not run while the socket was there"
[ -e "$T/stoppost.ok" ] || fail "ExecStopPost= did not run after RemoveOnStop= removed the socket"
pass "ExecStartPre/Post and ExecStopPre/Post run around the socket's life"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
