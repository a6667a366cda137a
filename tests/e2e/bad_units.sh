#!/bin/bash
# A malformed unit fails to load with file:line naming the key; unknown keys
# only warn; every good unit still runs.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit good <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo up > $T/good.up; exec sleep 1000'
EOF2

unit bad <<'EOF2'
[Unit]
Description=broken on purpose
[Service]
ExecStart=/bin/sleep 1000
Restart=sometimes
EOF2

unit odd <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo up > $T/odd.up; exec sleep 1000'
FrobnicateLevel=11
EOF2

px_start
poll 5 test -s "$T/good.up" || fail "good unit did not run"
poll 5 test -s "$T/odd.up" || fail "unit with an unknown key did not run"
log_has "bad.service:5: .*Restart" || fail "no file:line error naming Restart= for bad.service"
log_has "odd.service:3: .*FrobnicateLevel" || fail "no file:line warning for the unknown key"
log_has 'bad: state' && fail "bad unit was started"
pass "bad unit reported with file:line; others run"

"$PXINIT" check "$UNITS/bad.service" >/dev/null 2>"$T/check.err"
rc=$?
[ "$rc" = 1 ] || fail "pxinit check of a bad unit exited $rc, want 1"
grep -q "bad.service:5" "$T/check.err" || fail "check did not name bad.service:5"
"$PXINIT" check "$UNITS/odd.service" >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] || fail "pxinit check of a unit with only warnings exited $rc, want 0"
pass "pxinit check exit codes"
