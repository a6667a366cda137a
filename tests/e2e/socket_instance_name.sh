#!/bin/bash
# Accept=yes: an instance name already in the table (that instance started
# by hand: names are predictable, NAME@0-unknown for the first unix peer
# from another PID namespace) is not given to a connection's instance: it
# takes the next number. Before, the table held two units by one name, and
# no request (status, stop) could reach the second.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

cat >"$UNITS/ux.socket" <<EOF
[Socket]
ListenStream=$T/ux.sock
Accept=yes
EOF
unit ux@ <<EOF
[Service]
ExecStart=/bin/sleep 60
EOF
mkdir -p "$T/hold"

px_start
poll 10 listening ux.socket || fail "ux.socket is not listening: $(ctl status ux.socket 2>&1)"
ctl start ux@0-unknown.service >/dev/null 2>&1 || fail "cannot start ux@0-unknown.service by hand"
$CLIENT hold "$T/ux.sock" 1 "$T/hold" &
HOLD=$!
names() { ctl status 2>/dev/null | awk 'index($1, "ux@") == 1 {print $1}' | sort; }
two() { [ "$(names | grep -c .)" = 2 ]; }
poll 10 two || fail "want 2 instances, have: $(names)"
[ "$(names | sort -u | grep -c .)" = 2 ] || fail "two units by one name: $(names)"
names | grep -qE '^ux@1-unknown(\.service)?$' || fail "the connection's instance is not ux@1-unknown: $(names)"
touch "$T/hold/release"
wait "$HOLD"
pass "a connection's instance skips a name in use"
