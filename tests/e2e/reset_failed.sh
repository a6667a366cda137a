#!/bin/bash
# reset-failed (SPEC "Control verbs", systemctl reset-failed): a unit that
# hit its start limit is refused a start; reset-failed makes it inactive and
# empties the counter, so the next start works at once. Unknown unit: 4.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }

# Crashes while $T/crash exists, else runs.
script flaky.sh <<'EOF'
[ -e "$T/crash" ] && exit 1
exec sleep 1000
EOF
unit flaky <<EOF
[Unit]
StartLimitIntervalSec=1h
StartLimitBurst=2
[Service]
ExecStart=$T/flaky.sh
Restart=on-failure
RestartSec=10ms
EOF
unit bad <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'exit 1'
EOF
unit good <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
touch "$T/crash"

px_start
poll 5 px status good >/dev/null || fail "good not running"
px start --no-block flaky >/dev/null 2>&1
limited() { px status flaky 2>&1 | grep -q "failed"; }
poll 5 limited || fail "flaky never failed: $(px status flaky 2>&1)"
poll 5 log_has "flaky.*start request repeated too quickly" || fail "no start-limit message"
rm -f "$T/crash"
expect 1 px start flaky
grep -q "start-limit-hit" "$T/e" || fail "refused start: $(cat "$T/e")"
pass "a unit that hit its start limit: start refused (start-limit-hit)"

expect 4 px reset-failed nosuch
grep -q "nosuch: no such unit" "$T/e" || fail "unknown unit: $(cat "$T/e")"
expect 0 px reset-failed flaky good
expect 3 px status flaky
grep -q "inactive" "$T/o" || fail "after reset-failed: $(cat "$T/o")"
expect 0 px status good
pass "reset-failed: failed becomes inactive, a running unit is left alone; unknown: 4"

expect 0 px start flaky
expect 0 px status flaky
pass "after reset-failed a start works at once"

# No unit: every failed unit.
expect 1 px start bad
expect 3 px status bad
grep -q "failed" "$T/o" || fail "bad not failed: $(cat "$T/o")"
expect 0 px reset-failed
expect 3 px status bad
grep -q "failed" "$T/o" && fail "bad still failed: $(cat "$T/o")"
expect 0 px status flaky
pass "reset-failed without a unit resets every failed unit"
