#!/bin/bash
# Restart= policies: a crashing unit is restarted, a clean exit is not under
# on-failure, and the start limit ends a crash loop in 'failed'.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit crashy <<EOF2
[Unit]
StartLimitIntervalSec=30
StartLimitBurst=3
[Service]
ExecStart=/bin/sh -c 'echo run >> $T/crashy.runs; exit 1'
Restart=always
RestartSec=50ms
EOF2

unit clean <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo run >> $T/clean.runs; exit 0'
Restart=on-failure
RestartSec=0
EOF2

script flaky.sh <<'EOF2'
echo run >> "$T/flaky.runs"
[ "$(wc -l < "$T/flaky.runs")" -ge 3 ] && exec sleep 1000
exit 7
EOF2
unit flaky <<EOF2
[Unit]
StartLimitBurst=100
[Service]
ExecStart=$T/flaky.sh
Restart=on-failure
RestartSec=10ms
EOF2

px_start
poll 10 log_has 'crashy: state failed \(result: start-limit-hit\)' \
    || fail "crash loop did not end failed at the start limit"
runs=$(count_lines "$T/crashy.runs")
[ "$runs" = 3 ] || fail "crashy ran $runs times, want 3 (StartLimitBurst)"
pass "start limit stops a crash loop after 3 runs"

poll 5 log_has 'clean: state inactive' || fail "clean did not end inactive"
[ "$(count_lines "$T/clean.runs")" = 1 ] || fail "on-failure restarted a clean exit"
pass "on-failure does not restart exit 0"

poll 10 log_has 'flaky: state active \(running\)' || fail "flaky never ran"
poll 10 lines_at_least "$T/flaky.runs" 3 || fail "flaky not restarted until success"
[ "$(count_lines "$T/flaky.runs")" = 3 ] || fail "flaky ran $(count_lines "$T/flaky.runs") times, want 3"
log_has 'flaky: scheduled restart, restart counter is at 2' || fail "restart counter not logged"
pass "on-failure restarts until the unit stays up"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
