#!/bin/bash
# A socket activates its service by a name that is an alias of the unit
# (systemd's syslog.socket starts syslog.service, which Debian's rsyslog
# answers to with Alias=syslog.service and a link of that name): the boot
# does not start the unit by itself, the first datagram does, and it gets
# the socket's fd.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
sub_of() { ctl status "$1" 2>/dev/null | awk '{print $NF}'; }
cat >"$UNITS/syslog.socket" <<EOF2
[Socket]
ListenDatagram=$T/log.sock
SocketMode=0666
PassCredentials=yes
EOF2
unit rsyslog <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo "fds=\$LISTEN_FDS names=\$LISTEN_FDNAMES" >$T/got; exec sleep 1000'
[Install]
Alias=syslog.service
EOF2
ln -s rsyslog.service "$UNITS/syslog.service"

px_start
poll 10 test "$(sub_of syslog.socket)" = listening || fail "syslog.socket is not listening: $(ctl status syslog.socket 2>&1)"
[ "$(state_of rsyslog)" = inactive ] || fail "rsyslog started at boot, not by its socket: $(ctl status rsyslog 2>&1)"
[ ! -e "$T/got" ] || fail "rsyslog ran before any datagram: $(cat "$T/got")"
pass "a service activated through an alias waits for its socket"

python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"<13>hello", sys.argv[1])' "$T/log.sock" ||
    fail "cannot send to $T/log.sock"
poll 10 test -s "$T/got" || fail "the datagram did not start rsyslog: $(ctl status rsyslog 2>&1)"
[ "$(cat "$T/got")" = "fds=1 names=syslog.socket" ] || fail "rsyslog got: $(cat "$T/got")"
poll 5 test "$(sub_of syslog.socket)" = running || fail "syslog.socket is not running: $(ctl status syslog.socket 2>&1)"
pass "the first datagram starts it, with the socket's fd"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
