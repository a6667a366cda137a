#!/bin/bash
# A service whose fork fails (EAGAIN: here a pids cgroup's pids.max) fails
# with systemd's result "resources", not an exit status such as 203, whether
# pxinit's own fork failed or the spawn intermediate's; Restart=on-failure
# restarts it, and once forks work again it runs. Needs a writable pids
# cgroup (v1, or v2 with the pids controller delegated): skipped without.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }
status_field() { px status "$1" 2>/dev/null | awk -v n="$2" '{print $n}'; }

CG=
if [ -w /sys/fs/cgroup/pids ] && [ -f /sys/fs/cgroup/pids/cgroup.procs ]; then
    CG=/sys/fs/cgroup/pids/pxinit-test.$$
else
    v2=/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
    if grep -qw pids "$v2/cgroup.subtree_control" 2>/dev/null; then
        CG=$v2/pxinit-test.$$
    fi
fi
{ [ -n "$CG" ] && mkdir "$CG" 2>/dev/null; } || { echo "no writable pids cgroup here"; exit 77; }
cg_gone() { rmdir "$CG" 2>/dev/null || [ ! -d "$CG" ]; }
trap 'cleanup; poll 5 cg_gone' EXIT

unit f <<EOF2
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=/bin/sleep 1000
Restart=on-failure
RestartSec=300ms
EOF2

px_start
poll 5 log_has "f: state active \(running\)" || fail "f did not start"
# pxinit alone in the cgroup: pids.max 2 lets its fork of the spawn
# intermediate through and fails the intermediate's fork of the service.
echo "$PX_INIT" >"$CG/cgroup.procs" || fail "cannot move pxinit into $CG"
echo 2 >"$CG/pids.max" || fail "cannot set pids.max"
px restart f >/dev/null 2>&1
poll 5 log_has "f: state auto-restart \(result: resources\)" ||
    fail "a failed fork of the service is not result resources: $(grep 'f:' "$T/log" | tail -3)"
[ "$(status_field f 6)" != code=203 ] || fail "status shows code=203 for a fork that failed"
log_has "f: main process exited, status" && fail "a fork failure is logged as an exit: $(grep 'f: main' "$T/log")"
pass "the intermediate's failed fork: result resources, no exit status"

# pxinit's own fork fails.
echo 1 >"$CG/pids.max" || fail "cannot set pids.max"
n=$(grep -c "f: state auto-restart (result: resources)" "$T/log")
poll 5 log_count_at_least $((n + 2)) "f: state auto-restart \(result: resources\)" ||
    fail "pxinit's failed fork is not result resources, or no restart: $(grep 'f:' "$T/log" | tail -3)"
pass "pxinit's own failed fork: result resources, restarted by Restart=on-failure"

echo max >"$CG/pids.max"
before=$(grep -c "f: state active (running)" "$T/log")
poll 5 log_count_at_least $((before + 1)) "f: state active \(running\)" || fail "f did not come back once forks work"
[ "$(status_field f 2)" = active ] || fail "f: $(px status f 2>&1)"
pass "the unit runs once forks work again"

px_signal TERM
px_wait 10
