#!/bin/bash
# board_truncate.sh - the status board never kills anyone (issue 15, item 4):
# PID 1 survives its board being truncated (by another root process) while
# units change state, and goes on answering.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit flap <<EOF
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=/bin/sh -c 'sleep 0.05; exit 1'
Restart=always
RestartSec=20ms
EOF
px_start
poll 5 test -s "$RUN/status" || fail "no board"
poll 5 log_count_at_least 2 "flap: state auto-restart" || fail "flap does not restart"
restarts() { grep -c "flap: state auto-restart" "$T/log"; }
for size in 0 6000 4096 100; do
    n=$(restarts)
    truncate -s "$size" "$RUN/status" || fail "cannot truncate the board"
    # The unit goes on changing state, each change a write to the board.
    poll 5 log_count_at_least $((n + 3)) "flap: state auto-restart" ||
        fail "after truncating the board to $size bytes, flap stopped restarting"
    kill -0 "$PX_INIT" 2>/dev/null || fail "PID 1 died after the board was truncated to $size bytes"
done
msg=$(status_is "$RUN" web 0 "^web +active") || fail "$msg"
msg=$(status_is "$RUN" nosuch 4) || fail "$msg"
in_ns "$PXINIT" -R "$RUN" list >"$T/list" 2>&1 || fail "list: $(cat "$T/list")"
grep -q "^web " "$T/list" && grep -q "^flap " "$T/list" || fail "list: $(cat "$T/list")"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "after SIGTERM pxinit exited $PX_RC"
! log_has "SIGBUS|Bus error" || fail "a bus error in the log"
pass "PID 1 survives its board truncated (0, 100, 4096, 6000 bytes) while units change state, and still answers"

exit "$FAILED"
