#!/bin/bash
# Accept=yes sockets that can no longer serve fail, as systemd's do, instead
# of keeping PID 1 busy:
# - a listening fd that a service shut down (it was given the fd through
#   Sockets=) makes accept() fail with EINVAL while the fd stays readable
#   (a hangup), so pxinit woke up and logged for ever; a unix one stays
#   readable while accept() says EAGAIN, so pxinit spun without a word;
# - an instance template that is gone (removed after the socket loaded):
#   every connection, from any local client, logged an error and was
#   dropped, as fast as clients came.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

read -r PORT P_ORPHAN < <($CLIENT freeport 2 | tr '\n' ' ')
[ -n "$P_ORPHAN" ] || fail "no free ports"
cat >"$UNITS/hup.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$PORT
Accept=yes
EOF
unit hup@ <<EOF
[Service]
ExecStart=/bin/true
EOF
script shut <<EOF
exec $PY -c 'import socket, time; socket.socket(fileno=3).shutdown(socket.SHUT_RDWR); open("$T/shut", "w").close(); time.sleep(60)'
EOF
unit breaker <<EOF
[Service]
Sockets=hup.socket
ExecStart=$T/shut
EOF
# uhup.socket: the same on a unix path, shut down for reading only.
cat >"$UNITS/uhup.socket" <<EOF
[Socket]
ListenStream=$T/uhup.sock
Accept=yes
EOF
unit uhup@ <<EOF
[Service]
ExecStart=/bin/true
EOF
script ushut <<EOF
exec $PY -c 'import socket, time; socket.socket(fileno=3).shutdown(socket.SHUT_RD); open("$T/ushut", "w").close(); time.sleep(60)'
EOF
unit ubreaker <<EOF
[Service]
Sockets=uhup.socket
ExecStart=$T/ushut
EOF
# orphan.socket: its template goes once it listens.
cat >"$UNITS/orphan.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_ORPHAN
Accept=yes
EOF
unit orphan@ <<EOF
[Service]
ExecStart=/bin/true
EOF

accept_errors() { grep -c 'hup.socket: cannot accept' "$T/log"; }

px_start
poll 10 listening hup.socket || fail "hup.socket is not listening: $(ctl status hup.socket 2>&1)"
poll 10 listening orphan.socket || fail "orphan.socket is not listening: $(ctl status orphan.socket 2>&1)"
poll 10 listening uhup.socket || fail "uhup.socket is not listening: $(ctl status uhup.socket 2>&1)"

# --- a listening fd shut down by a service ---------------------------------------
ctl start breaker.service >/dev/null 2>&1 || fail "cannot start breaker.service"
poll 10 test -e "$T/shut" || fail "the breaker did not shut the socket down"
poll 5 is_state hup.socket failed ||
    fail "hup.socket did not fail after its fd was shut down: $(ctl status hup.socket 2>&1); $(accept_errors) accept errors logged"
n1=$(accept_errors)
sleep 0.5 # nothing may come: no poll can wait for an absence
n2=$(accept_errors)
[ "$n1" = "$n2" ] && [ "$n2" -le 1 ] || fail "accept errors keep coming: $n1, then $n2"
pass "a listening fd shut down by a service fails its Accept=yes socket: no spin"

ctl start ubreaker.service >/dev/null 2>&1 || fail "cannot start ubreaker.service"
poll 10 test -e "$T/ushut" || fail "the breaker did not shut the unix socket down"
poll 5 is_state uhup.socket failed ||
    fail "uhup.socket did not fail after its fd was shut down: $(ctl status uhup.socket 2>&1)"
pass "a unix listening fd shut down by a service fails its Accept=yes socket: no spin"

# --- the template removed --------------------------------------------------------------
rm "$UNITS/orphan@.service"
$CLIENT many "127.0.0.1:$P_ORPHAN" 20 >/dev/null
poll 5 is_state orphan.socket failed ||
    fail "orphan.socket still up without its template: $(ctl status orphan.socket 2>&1); $(grep -c 'orphan.socket: cannot load' "$T/log") errors logged"
n=$(grep -c 'orphan.socket: cannot load' "$T/log")
[ "$n" = 1 ] || fail "$n errors logged for 20 connections, want 1"
$CLIENT banner "127.0.0.1:$P_ORPHAN" >/dev/null 2>&1
[ $? = 2 ] || fail "the failed orphan.socket still takes connections"
pass "Accept=yes whose template is gone fails at the first connection"
