#!/bin/bash
# One daemon per runtime directory. A second pxinit on the same -R, started
# from the host or inside the container, exits 1 with one line naming the
# directory and the running daemon's pid, and changes nothing of the first:
# no unit runs again, the control socket, notify socket and status board are
# the same files, and a Type=notify unit of the first daemon restarted
# afterwards still becomes ready. A mistyped verb (`pxinit stauts`) or any
# other stray first word is a usage error (exit 2) and starts no daemon. A
# lock left by a killed daemon does not block the next one.
. "${srcdir:-.}/tests/e2e/lib.sh"
N="${HELPERS:?}/pxtest-notify"

script web.sh <<'EOF2'
echo run >>"$T/web.runs"
exec sleep 1000
EOF2
unit web <<EOF2
[Service]
ExecStart=$T/web.sh
EOF2
unit ready <<EOF2
[Service]
Type=notify
TimeoutStartSec=3
ExecStart=$N -d 100 READY=1
EOF2
px_start
poll 10 "$PXINIT" -R "$RUN" status -q web ready || fail "web and ready did not start"

px() { "$PXINIT" -R "$RUN" "$@"; }
runs() { count_lines "$T/web.runs"; }
# The identity of what the first daemon made in $RUN.
files() { stat -c '%n %i' "$RUN/control" "$RUN/notify" "$RUN/status" 2>&1; }
before=$(files)
[ "$(runs)" = 1 ] || fail "web ran $(runs) times before the test"

# unchanged WHAT: the first daemon is as it was.
unchanged() {
    [ "$(files)" = "$before" ] || fail "$1: runtime files changed: $(files) (were: $before)"
    [ "$(runs)" = 1 ] || fail "$1: web ran again ($(runs) runs)"
    px status -q web ready || fail "$1: status exited $? while the first daemon runs"
    kill -0 "$PX_INIT" || fail "$1: the first daemon died"
}

# A second daemon from the host: the holder's pid as the host sees it.
timeout 10 "$PXINIT" -R "$RUN" -u "$UNITS" -- true >"$T/second.out" 2>"$T/second.err"
rc=$?
[ "$rc" = 1 ] || fail "second daemon (host) exited $rc, not 1: $(cat "$T/second.err")"
[ "$(wc -l <"$T/second.err")" = 1 ] || fail "second daemon said: $(cat "$T/second.err")"
grep -qF "$RUN" "$T/second.err" || fail "message does not name $RUN: $(cat "$T/second.err")"
grep -qF "pid $PX_INIT)" "$T/second.err" || fail "message does not name pid $PX_INIT: $(cat "$T/second.err")"
unchanged "after a second daemon from the host"
pass "a second daemon from the host refuses: $(cat "$T/second.err")"

# ... and from inside the container (podman exec): there the holder is pid 1.
timeout 10 nsenter -t "$PX_INIT" -p -m "$PXINIT" -R "$RUN" -u "$UNITS" -- true >"$T/second.out" 2>"$T/second.err"
rc=$?
[ "$rc" = 1 ] || fail "second daemon (inside) exited $rc, not 1: $(cat "$T/second.err")"
grep -qF "pid 1)" "$T/second.err" || fail "message does not name pid 1: $(cat "$T/second.err")"
# Without a main command too (it would run until stopped).
timeout 10 nsenter -t "$PX_INIT" -p -m "$PXINIT" -R "$RUN" -u "$UNITS" >/dev/null 2>"$T/second.err"
rc=$?
[ "$rc" = 1 ] || fail "second daemon without a main command exited $rc: $(cat "$T/second.err")"
unchanged "after second daemons inside the namespace"
pass "a second daemon inside the namespace refuses, naming pid 1"

# The first daemon's notify socket still works: a restarted Type=notify
# unit becomes ready (TimeoutStartSec=3 fails it otherwise).
timeout 15 "$PXINIT" -R "$RUN" restart ready || fail "restart ready exited $? (notify socket lost?)"
px status -q ready || fail "ready is not active after its restart"
pass "the first daemon's Type=notify unit restarts and becomes ready"

# A mistyped verb is a usage error, with the verb it meant; no daemon starts.
timeout 10 "$PXINIT" -R "$RUN" stauts >"$T/typo.out" 2>"$T/typo.err"
rc=$?
[ "$rc" = 2 ] || fail "pxinit stauts exited $rc, not 2: $(cat "$T/typo.err")"
grep -q "unknown command 'stauts'; did you mean 'status'?" "$T/typo.err" ||
    fail "pxinit stauts said: $(cat "$T/typo.err")"
timeout 10 nsenter -t "$PX_INIT" -p -m "$PXINIT" -R "$RUN" stauts web >/dev/null 2>"$T/typo.err"
rc=$?
[ "$rc" = 2 ] || fail "pxinit stauts web (inside) exited $rc, not 2: $(cat "$T/typo.err")"
timeout 10 "$PXINIT" -R "$RUN" frobnicate >/dev/null 2>"$T/typo.err"
rc=$?
[ "$rc" = 2 ] || fail "pxinit frobnicate exited $rc, not 2"
grep -q "unknown command 'frobnicate'" "$T/typo.err" || fail "pxinit frobnicate said: $(cat "$T/typo.err")"
grep -q "did you mean" "$T/typo.err" && fail "a suggestion for frobnicate: $(cat "$T/typo.err")"
# A main command without "--" is a usage error too, options before it or not.
timeout 10 "$PXINIT" -R "$T/other" --no-units true >/dev/null 2>"$T/typo.err"
rc=$?
[ "$rc" = 2 ] || fail "pxinit --no-units true exited $rc, not 2"
[ -e "$T/other" ] && fail "pxinit --no-units true made its runtime directory"
unchanged "after mistyped verbs"
pass "stray first words exit 2 (stauts: did you mean 'status'?) and start nothing"

# A daemon killed outright leaves its lock file; the next one starts.
px_signal KILL
px_wait 10
[ -e "$RUN/lock" ] || fail "no lock file in $RUN"
rm -f "$T/web.runs"
px_start
poll 10 "$PXINIT" -R "$RUN" status -q web ready || fail "a new daemon after a killed one did not start its units"
px_signal TERM
px_wait 30
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
pass "the lock of a killed daemon does not block the next one"
