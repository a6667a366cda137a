#!/bin/bash
# Accept=yes sockets that can no longer serve fail, as systemd's do, instead
# of keeping PID 1 busy: a listening fd that a service shut down (it was
# given the fd through Sockets=) makes accept() fail with EINVAL while the
# fd stays readable (a hangup), so pxinit woke up and logged for ever.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

read -r PORT < <($CLIENT freeport 1)
[ -n "$PORT" ] || fail "no free ports"
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
accept_errors() { grep -c 'hup.socket: cannot accept' "$T/log"; }

px_start
poll 10 listening hup.socket || fail "hup.socket is not listening: $(ctl status hup.socket 2>&1)"

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
