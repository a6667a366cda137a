#!/bin/bash
# The control plane of socket units (SPEC "Control verbs", "Timers, sockets
# and targets"): list-sockets prints LISTEN UNIT ACTIVATES as systemctl
# list-sockets does, one row per listen address, only active sockets
# without --all, and the same rows as JSON with --json; `status X.socket`
# is a one-line status (listening, running); `status --json` adds the
# listen addresses and the counters; start, stop and restart take
# X.socket. An address with a space, a backslash and bytes that are not
# UTF-8 comes through the protocol whole, and its JSON stays valid.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
sub_of() { ctl status "$1" 2>/dev/null | awk '{print $7}'; }
is_sub() { [ "$(sub_of "$1")" = "$2" ]; }
# json_num NAME FIELD: a number of status --json NAME.
json_num() { ctl status --json "$1" 2>/dev/null | sed -n "s/.*\"$2\":\\([0-9]*\\).*/\\1/p"; }
num_is() { [ "$(json_num "$1" "$2")" = "$3" ]; }

ABSTRACT="pxinit-e2e-$$-$RANDOM"
mkdir -p "$T/my app"
# web.socket: a path with a space, a datagram socket, an abstract name and
# a FIFO, Accept=no: the first connection starts web.service.
cat >"$UNITS/web.socket" <<EOF
[Socket]
ListenStream=$T/my app/web.sock
ListenDatagram=$T/web.dgram
ListenStream=@$ABSTRACT
ListenFIFO=$T/web.fifo
EOF
unit web <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
# echo.socket: Accept=yes, an instance of echo@.service per connection.
cat >"$UNITS/echo.socket" <<EOF
[Socket]
ListenStream=$T/echo.sock
Accept=yes
EOF
# It writes one line and ends: what an instance does with its connection
# is not this test's subject (socket_accept.sh's).
cat >"$UNITS/echo@.service" <<'EOF'
[Service]
StandardInput=socket
ExecStart=/bin/echo hello
EOF
# odd.socket: a path with a backslash, UTF-8, a space and a byte that is
# not UTF-8; Service= names what it starts.
ODD="$T/x\\y$(printf '\303\251') $(printf '\377').sock"
printf '[Socket]\nListenSequentialPacket=%s\nService=web.service\n' "$ODD" >"$UNITS/odd.socket"

px_start
poll 5 is_sub web.socket listening || fail "web.socket not listening: $(ctl status web.socket 2>&1) $(cat "$T/log")"
poll 5 is_sub echo.socket listening || fail "echo.socket not listening: $(ctl status echo.socket 2>&1)"
poll 5 is_sub odd.socket listening || fail "odd.socket not listening: $(ctl status odd.socket 2>&1)"
[ "$(state_of web)" = inactive ] || fail "web.service started before any traffic: $(ctl status web 2>&1)"
pass "status X.socket: one line, active (listening); the service waits for traffic"

# list-sockets: one row per address, addresses that are not paths first,
# paths by their components, the legend.
ctl list-sockets >"$T/ls" || fail "list-sockets exited $?: $(cat "$T/ls")"
python3 - "$T/ls" "$T" "$ABSTRACT" <<'PY' 2>"$T/py" || fail "list-sockets table: $(cat "$T/ls") $(cat "$T/py")"
import sys
lines = open(sys.argv[1], 'rb').read().decode('utf-8', 'surrogateescape').split('\n')
t, abstract = sys.argv[2], sys.argv[3]
assert lines[0].split() == ['LISTEN', 'UNIT', 'ACTIVATES'], lines[0]
rows = lines[1:lines.index('')]
want = [
    ('@' + abstract, 'web.socket', 'web.service'),
    (t + '/echo.sock', 'echo.socket', 'echo@.service'),
    (t + '/my app/web.sock', 'web.socket', 'web.service'),
    (t + '/web.dgram', 'web.socket', 'web.service'),
    (t + '/web.fifo', 'web.socket', 'web.service'),
    (t + '/x\\x5cy\u00e9 \\xff.sock', 'odd.socket', 'web.service'),
]
col_unit = lines[0].index('UNIT')
col_act = lines[0].index('ACTIVATES')
got = [(r[:col_unit].rstrip(), r[col_unit:col_act].strip(), r[col_act:]) for r in rows]
assert sorted(got, key=lambda x: x[0]) == sorted(want, key=lambda x: x[0]), got
assert got[0][0] == '@' + abstract, got  # not a path: first
assert [g[0] for g in got[1:]] == sorted(g[0] for g in got[1:]), got
assert lines[lines.index('') + 1] == '6 sockets listed.', lines
assert lines[lines.index('') + 2] == 'Pass --all to see loaded but inactive sockets, too.', lines
assert all(not r.endswith(' ') for r in lines), lines
PY
pass "list-sockets: LISTEN UNIT ACTIVATES, one row per address, sorted as systemctl, the legend"

ctl list-sockets --json >"$T/lsj" || fail "list-sockets --json exited $?"
python3 - "$T/lsj" "$T" <<'PY' 2>"$T/py" || fail "list-sockets --json: $(cat "$T/lsj") $(cat "$T/py")"
import json, sys
rows = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))
t = sys.argv[2]
by = {r['listen']: r for r in rows}
assert len(rows) == 6, rows
assert set(rows[0]) == {'listen', 'type', 'unit', 'activates'}, rows[0]
assert by[t + '/my app/web.sock']['type'] == 'Stream'
assert by[t + '/web.dgram']['type'] == 'Datagram'
assert by[t + '/web.fifo']['type'] == 'FIFO'
assert by[t + '/echo.sock']['activates'] == 'echo@.service'
# The byte that is not UTF-8 is U+FFFD in JSON; the rest is whole.
odd = by[t + '/x\\y\u00e9 \ufffd.sock']
assert odd['type'] == 'SequentialPacket' and odd['unit'] == 'odd.socket', odd
PY
pass "list-sockets --json: listen, type, unit, activates; valid JSON for any path"

# A connection starts web.service; the socket counts the trigger and is
# running while the service has its fds.
python3 - "$T/my app/web.sock" <<'PY' || fail "cannot connect to web.socket"
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
PY
poll 5 is_sub web.socket running || fail "web.socket not running after a connection: $(ctl status web.socket 2>&1)"
poll 5 num_is web.socket triggers 1 || fail "triggers after a connection: $(ctl status --json web.socket)"
[ "$(state_of web)" = active ] || fail "web.service not started by the connection: $(ctl status web 2>&1)"
ctl status --json web.socket >"$T/sj"
python3 - "$T/sj" "$T" "$ABSTRACT" <<'PY' 2>"$T/py" || fail "status --json web.socket: $(cat "$T/sj") $(cat "$T/py")"
import json, sys
u = json.load(open(sys.argv[1]))['units'][0]
t, abstract = sys.argv[2], sys.argv[3]
assert u['name'] == 'web.socket' and u['state'] == 'active' and u['sub'] == 'running', u
assert u['listen'] == [
    {'type': 'Stream', 'address': t + '/my app/web.sock'},
    {'type': 'Datagram', 'address': t + '/web.dgram'},
    {'type': 'Stream', 'address': '@' + abstract},
    {'type': 'FIFO', 'address': t + '/web.fifo'},
], u['listen']
assert u['triggers'] == 1 and u['accepted'] == 0 and u['connections'] == 0, u
assert u['activates'] == 'web.service', u
PY
pass "a connection starts the service: status --json gives running, the addresses in order, triggers 1"

# Accept=yes: each connection is an instance; the socket counts them.
python3 - "$T/echo.sock" <<'PY' 2>"$T/py" || fail "connections to echo.socket: $(cat "$T/py")"
import socket, sys
for i in range(2):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sys.argv[1])
    got = b''
    while not got.endswith(b'\n'):
        b = s.recv(64)
        assert b, got
        got += b
    assert got == b'hello\n', got
    s.close()
PY
poll 5 num_is echo.socket accepted 2 || fail "accepted after two connections: $(ctl status --json echo.socket)"
[ "$(sub_of echo.socket)" = listening ] || fail "echo.socket: $(ctl status echo.socket)"
pass "Accept=yes: status --json counts the accepted connections; the socket stays listening"

# stop, start, restart X.socket through the generic verbs; without --all an
# inactive socket is not listed.
ctl stop echo.socket || fail "stop echo.socket exited $?"
[ "$(state_of echo.socket)" = inactive ] || fail "echo.socket after stop: $(ctl status echo.socket 2>&1)"
ctl status echo.socket >/dev/null 2>&1
[ $? = 3 ] || fail "status of a stopped socket should exit 3"
ctl list-sockets >"$T/ls2" || fail "list-sockets exited $?"
! grep -q 'echo\.socket' "$T/ls2" || fail "an inactive socket is listed without --all: $(cat "$T/ls2")"
grep -q '^5 sockets listed\.$' "$T/ls2" || fail "legend without the inactive socket: $(cat "$T/ls2")"
ctl list-sockets --all >"$T/ls3" || fail "list-sockets --all exited $?"
grep -q "^$T/echo.sock *echo.socket *echo@.service\$" "$T/ls3" || fail "--all lacks echo.socket: $(cat "$T/ls3")"
! grep -q 'Pass --all' "$T/ls3" || fail "--all still hints at --all: $(cat "$T/ls3")"
ctl start echo.socket || fail "start echo.socket exited $?: $(ctl status echo.socket 2>&1)"
is_sub echo.socket listening || fail "echo.socket after start: $(ctl status echo.socket 2>&1)"
ctl restart odd.socket || fail "restart odd.socket exited $?: $(tail -5 "$T/log")"
# Its service (web.service, through Service=) is active: running, as before.
is_sub odd.socket running || fail "odd.socket after restart: $(ctl status odd.socket 2>&1)"
pass "start, stop and restart take X.socket; list-sockets hides inactive sockets unless --all"

# Names: no suffix means .service; an unknown socket is exit 4.
ctl status nosuch.socket >/dev/null 2>&1
[ $? = 4 ] || fail "status of an unknown socket should exit 4"
ctl status --json web >"$T/wj" && grep -q '"name":"web"' "$T/wj" && ! grep -q '"listen"' "$T/wj" ||
    fail "status --json web (the service): $(cat "$T/wj")"
pass "a name without a suffix is the service; an unknown socket is exit 4"

ctl shutdown
px_wait 15
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
# Once the daemon is gone, list-sockets cannot be answered.
ctl list-sockets >/dev/null 2>&1
[ $? = 5 ] || fail "list-sockets without a daemon should exit 5"
pass "list-sockets without a daemon exits 5"
