#!/bin/bash
# RestartSteps=/RestartMaxDelaySec= grow the restart delay; an ordering cycle
# is reported with its units and broken, and they all still start;
# FailureAction=exit / SuccessAction=exit end pxinit with the unit's code.
. "${srcdir:-.}/tests/e2e/lib.sh"

script stamp.sh <<'EOF2'
date +%s%N >> "$T/backoff.times"
exit 1
EOF2
unit backoff <<EOF2
[Unit]
StartLimitBurst=100
[Service]
ExecStart=$T/stamp.sh
Restart=always
RestartSec=100ms
RestartSteps=3
RestartMaxDelaySec=800ms
EOF2
unit cyca <<EOF2
[Unit]
After=cycb.service
[Service]
ExecStart=/bin/sh -c 'echo a >> $T/cycle; exec sleep 1000'
EOF2
unit cycb <<EOF2
[Unit]
After=cyca.service
[Service]
ExecStart=/bin/sh -c 'echo b >> $T/cycle; exec sleep 1000'
EOF2

px_start
poll 15 lines_at_least "$T/backoff.times" 6 || fail "backoff unit did not restart 5 times"
mapfile -t t < "$T/backoff.times"
gaps=()
for i in 1 2 3 4 5; do gaps+=($(( (t[i] - t[i-1]) / 1000000 ))); done
echo "# restart gaps (ms): ${gaps[*]} (want about 100 200 400 800 800)"
# Lower bounds only: a loaded machine can add to a delay, never take away.
[ "${gaps[0]}" -ge 95 ] && [ "${gaps[1]}" -ge 190 ] && [ "${gaps[2]}" -ge 380 ] &&
    [ "${gaps[3]}" -ge 760 ] && [ "${gaps[4]}" -ge 760 ] || fail "restart delays ${gaps[*]}"
[ "${gaps[1]}" -gt "${gaps[0]}" ] && [ "${gaps[2]}" -gt "${gaps[1]}" ] || fail "delays do not grow: ${gaps[*]}"
pass "RestartSteps= backoff: ${gaps[*]} ms"

log_has 'ordering cycle: .*cyc[ab].service -> cyc[ab].service' || fail "cycle not reported with its units"
poll 5 lines_at_least "$T/cycle" 2 || fail "units of a cycle did not both start"
pass "ordering cycle reported and broken"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# FailureAction=exit: pxinit exits with the unit's code once it failed for good.
rm -f "$UNITS"/*.service
unit keeper <<EOF2
[Service]
ExecStart=/bin/sh -c 'trap "echo stopped > $T/keeper.stopped; exit 0" TERM; while :; do sleep 0.05; done'
EOF2
unit critical <<EOF2
[Unit]
FailureAction=exit
[Service]
ExecStart=/bin/sh -c 'sleep 0.3; exit 42'
EOF2
px_start
px_wait 15
[ "$PX_RC" = 42 ] || fail "FailureAction=exit: pxinit exited $PX_RC, want 42"
file_has "$T/keeper.stopped" stopped || fail "other units were not stopped on FailureAction=exit"
pass "FailureAction=exit"

rm -f "$UNITS"/*.service
unit job <<EOF2
[Unit]
SuccessAction=exit
[Service]
Type=oneshot
ExecStart=/bin/true
EOF2
px_start
px_wait 15
[ "$PX_RC" = 0 ] || fail "SuccessAction=exit: pxinit exited $PX_RC, want 0"
log_has 'SuccessAction=exit' || fail "SuccessAction=exit not logged"
pass "SuccessAction=exit"
