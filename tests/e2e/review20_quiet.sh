#!/bin/bash
# Review of issue 20's quiet logs, at the default level:
# - reset-failed of a failed unit says nothing new about how it ended (it
#   printed "crash: start request repeated too quickly" a second time);
# - keys not enforced: a name made long or odd by a prefix match
#   (Condition...=) is not kept on the unit (PID 1 held up to 64 x 1 MiB per
#   unit), and a daemon-reload that only adds such a key to an unchanged
#   unit shows it in show/status, as the summary line does;
# - a restart's stop says "stopped" (it said "killed by signal TERM");
# - FailureAction=exit says why pxinit shuts down.
. "${srcdir:-.}/tests/e2e/lib.sh"
unset PXINIT_LOG_LEVEL

unit crash <<EOF2
[Unit]
StartLimitIntervalSec=30
StartLimitBurst=2
[Service]
ExecStart=/bin/sh -c 'exit 3'
Restart=on-failure
RestartSec=100ms
EOF2

long=$(head -c 5000 /dev/zero | tr '\0' A)
cat >"$UNITS/odd.service" <<EOF2
[Unit]
Condition$long=yes
ConditionFoo Bar=yes
[Service]
ExecStart=/bin/sleep 1000
PrivateTmp=yes
EOF2

unit plain <<EOF2
[Service]
ExecStart=/bin/sleep 1000
EOF2

unit fatal <<EOF2
[Unit]
FailureAction=exit
[Service]
ExecStart=/bin/sh -c 'while [ ! -e $T/go ]; do sleep 0.05; done; exit 4'
EOF2

px() { in_ns "$PXINIT" -R "$RUN" "$@"; }
mkdir -p "$T/bin" && ln -s "$PXINIT" "$T/bin/systemctl" || fail "cannot link systemctl"
sc() { PXINIT_RUNTIME_DIR="$RUN" "$T/bin/systemctl" "$@"; }

px_start
poll 10 log_has '^pxinit: warning: crash: failed: ' || fail "no failed line for crash: $(cat "$T/log")"
before=$(grep -c 'crash' "$T/log")
px reset-failed crash >"$T/o" 2>&1 || fail "reset-failed: $(cat "$T/o")"
inactive() { sc show -p ActiveState crash 2>/dev/null | grep -qx ActiveState=inactive; }
poll 20 inactive || fail "crash not inactive after reset-failed: $(px status crash 2>&1)"
after=$(grep -c 'crash' "$T/log")
[ "$before" = "$after" ] || fail "reset-failed logged a line at the default level: $(grep crash "$T/log" | tail -n +$((before + 1)))"
pass "reset-failed adds no line about how the unit ended"

sc show -p NotEnforced odd >"$T/show" 2>&1 || fail "show: $(cat "$T/show")"
grep -q AAAAAAAA "$T/show" && fail "a 5000-byte key name kept on the unit: $(head -c 200 "$T/show")"
grep -q 'Foo' "$T/show" && fail "a key name with a blank kept on the unit: $(cat "$T/show")"
grep -qx 'NotEnforced=PrivateTmp' "$T/show" || fail "show -p NotEnforced odd: $(head -c 300 "$T/show")"
pass "odd key names are not kept"

cat >"$UNITS/plain.service" <<EOF2
[Service]
ExecStart=/bin/sleep 1000
ProtectSystem=full
EOF2
px daemon-reload >"$T/o" 2>&1 || fail "daemon-reload: $(cat "$T/o")"
sc show -p NotEnforced plain >"$T/show" 2>&1 || fail "show: $(cat "$T/show")"
grep -qx 'NotEnforced=ProtectSystem' "$T/show" || fail "after a reload that added ProtectSystem=: $(cat "$T/show")"
pass "a reload that adds a key not enforced shows it in show"

px restart plain >"$T/o" 2>&1 || fail "restart plain: $(cat "$T/o")"
poll 10 log_count_at_least 2 '^pxinit: plain: started$' || fail "plain not started again: $(grep plain "$T/log")"
log_has '^pxinit: plain: stopped$' || fail "a restart's stop does not say stopped: $(grep plain "$T/log")"
log_has '^pxinit: plain: killed by signal' && fail "a restart's stop reads as a crash: $(grep plain "$T/log")"
pass "a restart says stopped, then started"

touch "$T/go"
px_wait 10
log_has '^pxinit: fatal: FailureAction=exit' || fail "why pxinit shut down is not said: $(cat "$T/log")"
pass "FailureAction=exit says so at the default level"
