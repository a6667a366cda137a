#!/bin/bash
# --systemd loads the socket units an image enabled under
# sockets.target.wants/ (SPEC "Timers, sockets and targets"), with the
# services they activate (Accept=no: NAME.service, Accept=yes: the
# template NAME@.service), and a socket not enabled stays unloaded. The
# systemd tree is a tmpfs of the test's own mount namespace.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

known() {
    ctl status "$1" >/dev/null 2>&1
    [ $? != 4 ]
}

read -r P_DEMO P_ECHO P_OFF < <($CLIENT freeport 3 | tr '\n' ' ')
[ -n "$P_OFF" ] || fail "no free ports"
mkdir -p "$T/demo.d" "$T/echo.d"
script setup.sh <<EOF
set -e
L=/usr/lib/systemd/system
W=/etc/systemd/system/sockets.target.wants
mkdir -p \$W \$L
printf '[Socket]\nListenStream=127.0.0.1:$P_DEMO\n[Install]\nWantedBy=sockets.target\n' >\$L/demo.socket
printf '[Service]\nExecStart=$SDL -e stream $T/demo.d\n' >\$L/demo.service
printf '[Socket]\nListenStream=127.0.0.1:$P_ECHO\nAccept=yes\n[Install]\nWantedBy=sockets.target\n' >\$L/echo.socket
printf '[Service]\nExecStart=$SDL -c $T/echo.d\n' >\$L/echo@.service
printf '[Socket]\nListenStream=127.0.0.1:$P_OFF\n' >\$L/off.socket
printf '[Service]\nExecStart=$SDL -e stream $T/demo.d\n' >\$L/off.service
ln -s \$L/demo.socket \$W/demo.socket
ln -s \$L/echo.socket \$W/echo.socket
EOF
PX_TMPFS="/etc/systemd/system /usr/lib/systemd/system /usr/lib/tmpfiles.d /etc/tmpfiles.d /run" \
    PX_SETUP="$T/setup.sh" px_start --systemd

poll 10 listening demo.socket || fail "--systemd did not load the enabled demo.socket: $(ctl status demo.socket 2>&1)"
poll 5 listening echo.socket || fail "--systemd did not load the enabled echo.socket: $(ctl status echo.socket 2>&1)"
known off.socket && fail "--systemd loaded off.socket, which no link enables"
known demo || fail "--systemd did not load demo.service, which demo.socket activates"
is_state demo inactive || fail "the boot started demo.service: $(ctl status demo 2>&1)"
pass "--systemd loads sockets.target.wants/ and leaves what they activate to them"

B=$($CLIENT banner "127.0.0.1:$P_DEMO") || fail "connection to demo.socket: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ demo\.socket$ ]] || fail "demo's banner: '$B'"
grep -q '^check=ok' "$T"/demo.d/*.report || fail "demo's check: $(cat "$T"/demo.d/*.report)"
OUT=$($CLIENT echo "127.0.0.1:$P_ECHO" hi) || fail "echo.socket's instance: $OUT"
[[ "$(head -n 1 <<<"$OUT")" =~ ^pxtest\ [0-9]+\ connection\ 127\.0\.0\.1:[0-9]+$ ]] || fail "echo's banner: $OUT"
B=$($CLIENT banner "127.0.0.1:$P_OFF")
[ "$B" = refused ] || fail "off.socket's port answers: '$B'"
pass "the enabled sockets activate their services (Accept=no and Accept=yes)"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
