#!/bin/bash
# Orphans re-parented to PID 1 are reaped: no zombie outlives a reap cycle.
. "${srcdir:-.}/tests/e2e/lib.sh"

# The service forks 20 background children and a grandchild that outlive
# their parents, then keeps running; they exit and become pxinit's zombies.
script spawner.sh <<'EOF2'
for i in $(seq 20); do
    (sh -c "sleep 0.2; echo x >> $T/orphans.done" &)
done
exec sleep 1000
EOF2
unit spawner <<EOF2
[Service]
ExecStart=$T/spawner.sh
EOF2

px_start
poll 10 lines_at_least "$T/orphans.done" 20 || fail "orphans did not run"
poll 5 no_zombies || fail "zombies left: $(zombies)"
# The orphans were pxinit's children (re-parented), not the service's.
log_has 'spawner: state active' || fail "spawner not active"
pass "20 orphans reaped"

# An orphan storm from the main command, with no units at all.
px_signal TERM
px_wait 10
unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- \
    sh -c 'for i in $(seq 200); do (true &); done; sleep 0.5; ps -o stat= | grep -c "^Z" || true' \
    >"$T/storm.out" 2>"$T/log"
rc=$?
[ "$rc" = 0 ] || fail "main command exit $rc"
[ "$(cat "$T/storm.out")" = 0 ] || fail "zombies seen by the main command: $(cat "$T/storm.out")"
pass "orphan storm under a main command reaped"
