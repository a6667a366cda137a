#!/bin/bash
# Quiet by default: at the default level (notice) pxinit says one line per
# event (started, finished, restarting, failed, stopped), not every state
# change, and sums up the keys it does not enforce in one line per boot,
# said again by a daemon-reload only when they changed.
. "${srcdir:-.}/tests/e2e/lib.sh"
unset PXINIT_LOG_LEVEL # lib.sh's info is what the other tests follow

unit once <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
EOF2

unit web <<EOF2
[Service]
ExecStart=/bin/sleep 1000
PrivateTmp=yes
ProtectSystem=full
EOF2

unit db <<EOF2
[Service]
ExecStart=/bin/sleep 1000
PrivateTmp=yes
EOF2

unit crash <<EOF2
[Unit]
StartLimitIntervalSec=30
StartLimitBurst=2
[Service]
ExecStart=/bin/sh -c 'exit 3'
Restart=on-failure
RestartSec=100ms
EOF2

px() { in_ns "$PXINIT" -R "$RUN" "$@"; }
mkdir -p "$T/bin"
ln -s "$PXINIT" "$T/bin/systemctl"
sc() { PXINIT_RUNTIME_DIR="$RUN" in_ns "$T/bin/systemctl" "$@"; }

px_start
poll 10 log_has '^pxinit: warning: crash: failed: start request repeated too quickly' ||
    fail "no failed line for crash: $(cat "$T/log")"
log_has '^pxinit: crash: exited with status 3, restarting in 100ms$' || fail "no restarting line: $(cat "$T/log")"
log_has '^pxinit: once: finished$' || fail "no finished line for the oneshot: $(cat "$T/log")"
log_has '^pxinit: web: started$' || fail "no started line for web: $(cat "$T/log")"
log_has 'state |info:|debug:' && fail "state changes or info lines at the default level: $(cat "$T/log")"
pass "one line per event at the default level"

[ "$(grep -c 'does not enforce' "$T/log")" = 1 ] || fail "want one summary line: $(cat "$T/log")"
log_has '^pxinit: 2 units use 2 keys pxinit accepts but does not enforce \(PrivateTmp=, ProtectSystem=\)' ||
    fail "summary line: $(grep 'enforce' "$T/log")"
log_has 'warning: .*(PrivateTmp|accepted, not enforced)' && fail "a per-unit warning about keys not enforced"
pass "keys not enforced: one summary line"

sc show -p NotEnforced web >"$T/show" 2>&1 || fail "show: $(cat "$T/show")"
grep -qx 'NotEnforced=PrivateTmp ProtectSystem' "$T/show" || fail "show -p NotEnforced: $(cat "$T/show")"
px status -n 0 web >"$T/status" 2>&1
grep -qx 'Not enforced by pxinit: PrivateTmp=, ProtectSystem=' "$T/status" || fail "status web: $(cat "$T/status")"
sc status web >"$T/scstatus" 2>&1
grep -q 'Notice: not enforced by pxinit: PrivateTmp=, ProtectSystem=' "$T/scstatus" || fail "systemctl status web: $(cat "$T/scstatus")"
pass "status and show name a unit's keys not enforced"

px daemon-reload >"$T/o" 2>&1 || fail "daemon-reload: $(cat "$T/o")"
px start once >/dev/null 2>&1
[ "$(grep -c 'does not enforce' "$T/log")" = 1 ] || fail "a reload that changed nothing said it again"
unit cache <<EOF2
[Service]
ExecStart=/bin/sleep 1000
MemoryMax=1G
EOF2
px daemon-reload >"$T/o" 2>&1 || fail "daemon-reload: $(cat "$T/o")"
poll 5 log_count_at_least 2 'does not enforce' || fail "a reload that added a key did not say so"
log_has '^pxinit: 3 units use 3 keys' || fail "summary after reload: $(grep 'enforce' "$T/log")"
pass "daemon-reload repeats the summary only when it changed"

px stop db >/dev/null 2>&1 || fail "stop db"
poll 5 log_has '^pxinit: db: stopped$' || fail "no stopped line: $(cat "$T/log")"
pass "a requested stop says stopped"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
log_has '^pxinit: shutting down$' || fail "no shutting down line"
log_has '^pxinit: web: stopped' && fail "a shutdown's stops at the default level: $(cat "$T/log")"
pass "a clean shutdown is one line"
