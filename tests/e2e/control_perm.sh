#!/bin/bash
# SO_PEERCRED: root and the configured group may act; anyone else is refused
# with "permission denied", and the attempt is logged.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T"
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
cat >"$T/pxinit.conf" <<EOF
[Manager]
ControlGroup=4242
EOF
px_start -c "$T/pxinit.conf"
poll 5 "$PXINIT" -R "$RUN" status -q web || fail "web did not start"

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nobody "$PXINIT" -R "$RUN" stop web >"$T/o" 2>"$T/e"
rc=$?
[ "$rc" = 1 ] || fail "unprivileged stop exited $rc: $(cat "$T/e")"
grep -q "permission denied" "$T/e" || fail "no permission denied message: $(cat "$T/e")"
"$PXINIT" -R "$RUN" status -q web || fail "web was stopped by an unprivileged user"
poll 5 log_has 'permission denied for uid 65534' || fail "refusal not logged"
PXINIT_NO_BOARD=1 nobody "$PXINIT" -R "$RUN" status web >/dev/null 2>"$T/e"
grep -q "permission denied" "$T/e" || fail "socket status not refused: $(cat "$T/e")"
pass "uid 65534 is refused and logged"

nobody "$PXINIT" -R "$RUN" status web >"$T/o" 2>"$T/e" || fail "the status board is not readable by others: $(cat "$T/e")"
pass "the status board is readable without the socket"

setpriv --reuid=65534 --regid=65534 --groups=4242 "$PXINIT" -R "$RUN" restart web 2>"$T/e" ||
    fail "member of ControlGroup refused: $(cat "$T/e")"
setpriv --reuid=65534 --regid=4242 --clear-groups "$PXINIT" -R "$RUN" stop web 2>"$T/e" ||
    fail "primary group ControlGroup refused: $(cat "$T/e")"
pass "ControlGroup members (supplementary or primary) may act"

mode=$(stat -c %a "$RUN/status")
[ "$mode" = 644 ] || fail "status board mode $mode"
[ "$(stat -c %a "$RUN/control")" = 666 ] || fail "socket mode $(stat -c %a "$RUN/control")"
pass "socket and board modes"

# A missing explicitly given config is a warning, never fatal.
px_signal TERM
px_wait 10
rm -rf "$RUN"
px_start -c "$T/nonexistent.conf"
poll 5 "$PXINIT" -R "$RUN" status -q web || fail "did not run with a missing config"
log_has "cannot read config .*nonexistent.conf" || fail "missing config not warned about"
pass "a missing -c file is a warning"

# A stale socket (daemon killed) is replaced by the next daemon.
kill -KILL "$PX_INIT"
wait "$PX_PID" 2>/dev/null
PX_PID= PX_INIT=
[ -S "$RUN/control" ] || fail "expected a stale socket"
"$PXINIT" -R "$RUN" status web >/dev/null 2>"$T/e"
[ $? = 5 ] || fail "status of a killed daemon did not exit 5"
grep -q stale "$T/e" || fail "killed daemon: no stale message: $(cat "$T/e")"
px_start
poll 5 "$PXINIT" -R "$RUN" status -q web || fail "a new daemon did not replace the stale socket: $(cat "$T/log")"
"$PXINIT" -R "$RUN" stop web || fail "stop through the replaced socket"
pass "a stale socket and board are replaced; a dead daemon's board reads as stale (5)"

# No runtime directory: warn once, run anyway.
px_signal TERM
px_wait 10
unshare --pid --fork --mount-proc "$PXINIT" -R /proc/nonexistent/run -u "$UNITS" -- /bin/true >"$T/out" 2>"$T/log" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "without a runtime dir pxinit exited $rc: $(cat "$T/log")"
[ "$(grep -c 'cannot create runtime directory' "$T/log")" = 1 ] || fail "runtime dir warning: $(cat "$T/log")"
pass "no runtime directory: one warning, and pxinit runs"
