#!/bin/bash
# Services that cannot start: their exec or their preparation fails. Each
# such unit fails with systemd's exit status for the step (203/EXEC,
# 200/CHDIR), the log names the unit, the step and the command, and pxinit
# goes on. Many at once, as at a boot (where a service's exec overlaps
# pxinit and its failure is reported when it is reaped, spawn.c): no report
# is lost or given to another unit, and every unit that can start runs.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }
# field N of `status UNIT`'s line (2 state, 6 last exit)
status_field() { px status "$1" 2>/dev/null | awk -v n="$2" '{print $n}'; }
is_failed_with() { [ "$(status_field "$1" 2)" = failed ] && [ "$(status_field "$1" 6)" = "$2" ]; }

unit noexec <<EOF
[Service]
ExecStart=$T/missing/bin --flag
EOF
unit nodir <<EOF
[Service]
WorkingDirectory=$T/missing-dir
ExecStart=/bin/sleep 1000
EOF
# Type=exec is active only once its exec succeeded: that spawn waits for it.
unit execty <<EOF
[Service]
Type=exec
ExecStart=$T/missing/exec-type
EOF
N=60
for i in $(seq 1 $N); do
    printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$UNITS/good$i.service"
    printf '[Service]\nExecStart=%s/missing/bad%d arg%d\n' "$T" "$i" "$i" >"$UNITS/bad$i.service"
done

px_start
poll 10 log_has "noexec: failed to execute for $T/missing/bin --flag: No such file or directory" ||
    fail "no exec failure logged for noexec: $(grep noexec "$T/log")"
poll 5 is_failed_with noexec code=203 || fail "noexec: $(px status noexec 2>&1), want failed code=203"
pass "a missing binary fails its unit with 203 and a message naming it"

poll 5 log_has "nodir: failed to change directory for /bin/sleep 1000: No such file or directory" ||
    fail "no chdir failure logged: $(grep nodir "$T/log")"
poll 5 is_failed_with nodir code=200 || fail "nodir: $(px status nodir 2>&1), want failed code=200"
pass "a missing WorkingDirectory= fails its unit with 200"

poll 5 is_failed_with execty code=203 || fail "execty: $(px status execty 2>&1), want failed code=203"
log_has "execty: failed to execute for $T/missing/exec-type" || fail "no exec failure logged for execty"
log_has 'execty: state active' && fail "Type=exec unit became active though its exec failed"
pass "Type=exec with a missing binary never becomes active"

all_good_active() { [ "$(px status 2>/dev/null | awk '$1 ~ /^good/ && $2 == "active"' | wc -l)" = $N ]; }
poll 10 all_good_active || fail "not all $N good units are active: $(px status 2>&1 | grep '^good' | grep -v active | head -3)"
all_bad_failed() { [ "$(px status 2>/dev/null | awk '$1 ~ /^bad/ && $2 == "failed" && $6 == "code=203"' | wc -l)" = $N ]; }
poll 10 all_bad_failed || fail "not all $N bad units failed with 203: $(px status 2>&1 | grep '^bad' | grep -v code=203 | head -3)"
for i in $(seq 1 $N); do
    c=$(grep -c "bad$i: failed to execute for $T/missing/bad$i arg$i: No such file or directory" "$T/log")
    [ "$c" = 1 ] || fail "bad$i: $c exec failure reports, want 1: $(grep "bad$i:" "$T/log" | head -3)"
done
[ "$(grep -c 'failed to execute' "$T/log")" = $((N + 2)) ] ||
    fail "$(grep -c 'failed to execute' "$T/log") exec failure reports, want $((N + 2))"
pass "$N failing and $N good units at once: one report each, each to its own unit"

# A failed unit can be started again, and fails the same way.
px start noexec >/dev/null 2>&1
poll 5 log_count_at_least 2 "noexec: failed to execute for" || fail "no report for the second start"
poll 5 is_failed_with noexec code=203 || fail "noexec after start: $(px status noexec 2>&1)"
pass "a second start reports again"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC, want 0"
pass "pxinit stops cleanly"
