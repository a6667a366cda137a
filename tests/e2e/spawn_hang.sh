#!/bin/bash
# PID 1 never waits on a process that can block in a file system (issue 15,
# item 2): a unit whose WorkingDirectory= or (Type=exec) ExecStart= lies on
# a mount that never answers (a dead NFS server, a stuck FUSE daemon: here
# tests/e2e/helpers/pxtest-fusehang) hangs itself, not pxinit, which still
# answers on its control socket, starts other units, and stops on SIGTERM.
. "${srcdir:-.}/tests/e2e/lib.sh"

FUSEHANG="${HELPERS:?}/pxtest-fusehang"
px() { "$PXINIT" -R "$RUN" "$@"; }
status_field() { px status "$1" 2>/dev/null | awk -v n="$2" '{print $n}'; }
mkdir "$T/hang"
[ -e /dev/fuse ] || { echo "skip: no /dev/fuse"; exit 0; }

unit hangdir <<EOF
[Service]
WorkingDirectory=$T/hang/sub
ExecStart=/bin/sleep 1000
TimeoutStopSec=1
EOF
unit hangexec <<EOF
[Service]
Type=exec
ExecStart=$T/hang/bin
TimeoutStopSec=1
EOF
unit probe <<EOF
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=/bin/sleep 1000
EOF

# Mounted inside the test's namespaces (never on the host): it goes with them.
echo "\"$FUSEHANG\" \"$T/hang\" || exit \$?; echo mounted >\"$T/mounted\"" >"$T/setup.sh"
PX_SETUP="$T/setup.sh" px_start
poll 5 test -f "$T/mounted" || {
    px_wait 5
    [ "$PX_RC" = 77 ] && { echo "skip: FUSE cannot be mounted here"; exit 0; }
    fail "the hanging file system was not mounted ($PX_RC)"
}

# Both units are spawned at start; give their processes time to get stuck.
stuck() { grep -l "$T/hang" /proc/[0-9]*/cmdline 2>/dev/null | grep -q . ||
    [ "$(status_field hangdir 2)" = activating ] || [ "$(status_field hangdir 2)" = active ]; }
poll 5 stuck || fail "hangdir was not started: $(px status hangdir 2>&1)"
sleep 0.5 # the hang is an absence: nothing to poll for

answers() { timeout 5 "$PXINIT" -R "$RUN" restart probe >/dev/null 2>&1; }
for i in 1 2 3 4 5; do
    answers || fail "pxinit stopped answering on its control socket (PID 1 state $(awk '/^State/{print $2}' "/proc/$PX_INIT/status"))"
done
[ "$(status_field probe 2)" = active ] || fail "probe: $(px status probe 2>&1)"
pass "units stuck in a hanging file system (cwd, exec) do not hold pxinit up"

px_signal TERM
px_wait 30
pass "pxinit stopped on SIGTERM ($PX_RC)"
