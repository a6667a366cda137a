#!/bin/bash
# daemon-reload re-reads the unit files: starts added units, stops removed
# ones, restarts changed ones, and keeps the previous definition of a unit
# whose new file is broken (reporting file:line). SIGHUP does the same.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }
pid_of() { px status --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])'; }

unit keep <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit change <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit gone <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit fragile <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
px_start
for u in keep change gone fragile; do
    poll 5 px status -q $u || fail "$u did not start"
done
keep_pid=$(pid_of keep)
change_pid=$(pid_of change)
fragile_pid=$(pid_of fragile)

unit added <<EOF
[Service]
ExecStart=/bin/sleep 1001
EOF
rm "$UNITS/gone.service"
unit change <<EOF
[Service]
ExecStart=/bin/sleep 1002
EOF
unit fragile <<EOF
[Service]
ExecStart=/bin/sleep 1000
Restart=sometimes
EOF

px daemon-reload >"$T/o" 2>"$T/e"
rc=$?
[ "$rc" = 1 ] || fail "daemon-reload with a broken file exited $rc: $(cat "$T/o" "$T/e")"
grep -q "fragile.service:3" "$T/o" || fail "no file:line for the broken file: $(cat "$T/o")"
grep -q "fragile: new unit file is broken, keeping the previous definition" "$T/e" || fail "broken: $(cat "$T/e")"
pass "a broken file is reported with file:line (exit 1)"

poll 5 px status -q added || fail "added unit not started"
px status gone >/dev/null 2>&1
[ $? = 4 ] || fail "removed unit still known"
in_ns pgrep -f "sleep 1000" >/dev/null || fail "no sleep left"
poll 5 px status -q change || fail "changed unit not running"
[ "$(pid_of change)" != "$change_pid" ] || fail "changed unit not restarted"
in_ns pgrep -f "sleep 1002" >/dev/null || fail "changed unit does not run its new ExecStart"
[ "$(pid_of keep)" = "$keep_pid" ] || fail "unchanged unit was restarted"
[ "$(pid_of fragile)" = "$fragile_pid" ] || fail "broken unit was restarted"
[ "$(px list | grep -c .)" = 4 ] || fail "list (4 units, one line each): $(px list)"
pass "added started, removed stopped, changed restarted, unchanged and broken untouched"

# The removed unit's process is gone (it was stopped, not orphaned).
two_sleeps() { [ "$(in_ns pgrep -fx "/bin/sleep 1000" | wc -l)" = 2 ]; }
poll 5 two_sleeps || fail "expected 2 'sleep 1000' (keep, fragile), found $(in_ns pgrep -fx "/bin/sleep 1000" | wc -l)"
pass "the removed unit's process was stopped"

# SIGHUP reloads too; fixing the broken file applies it (restart).
unit fragile <<EOF
[Service]
ExecStart=/bin/sleep 1003
EOF
rm "$UNITS/added.service"
px_signal HUP
poll 5 bash -c "$PXINIT -R $RUN status added >/dev/null 2>&1; [ \$? = 4 ]" || fail "SIGHUP did not remove 'added'"
poll 5 in_ns pgrep -fx "/bin/sleep 1003" >/dev/null || fail "SIGHUP did not apply the fixed file"
poll 5 px status -q fragile || fail "fragile not active after fix"
pass "SIGHUP is daemon-reload"

# Many reloads in a row leave nothing behind.
for i in 1 2 3 4 5; do
    unit churn$i <<EOF
[Service]
ExecStart=/bin/sleep 200$i
EOF
    px daemon-reload >/dev/null || fail "reload $i"
    rm "$UNITS/churn$i.service"
done
px daemon-reload >/dev/null || fail "final reload"
[ "$(px list | grep -c churn)" = 0 ] || fail "churn units left: $(px list)"
no_churn() { ! in_ns pgrep -fx "/bin/sleep 200[1-5]" >/dev/null; }
poll 5 no_churn || fail "churn processes left: $(in_ns pgrep -fa sleep)"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit $PX_RC"
pass "repeated reloads; clean shutdown"
