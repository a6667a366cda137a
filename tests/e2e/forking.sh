#!/bin/bash
# Type=forking: active when the start process exits 0; the main process is
# the daemon named by PIDFile= (or the one process left, as GuessMainPID=),
# even after it escaped into its own session; its death is the unit's.
. "${srcdir:-.}/tests/e2e/lib.sh"

# A classic daemon: background a setsid'd loop, write its pid, exit 0.
script daemonize.sh <<'EOF2'
name=$1
rm -f "$T/$name.pid"
setsid sh -c 'trap "echo term >> $T/'"$name"'.term; exit 0" TERM; echo $$ > "$T/'"$name"'.pid.tmp"; mv "$T/'"$name"'.pid.tmp" "$T/'"$name"'.pid"; while :; do sleep 0.05; done' &
while [ ! -s "$T/$name.pid" ]; do sleep 0.01; done
exit 0
EOF2

unit withpidfile <<EOF2
[Service]
Type=forking
PIDFile=$T/withpidfile.pid
ExecStartPre=/bin/test -x $T/daemonize.sh
ExecStart=$T/daemonize.sh withpidfile
Restart=on-failure
RestartSec=100ms
EOF2

# Guessed while another forking unit starts at the same moment: of the
# unclaimed children, the one with this run's \$INVOCATION_ID is ours.
unit guessed <<EOF2
[Service]
Type=forking
ExecStart=$T/daemonize.sh guessed
EOF2

unit badstart <<EOF2
[Service]
Type=forking
ExecStart=/bin/sh -c 'exit 3'
EOF2

px_start
poll 10 log_has 'withpidfile: state active \(running\)' || fail "forking unit with PIDFile= not active"
pid=$(cat "$T/withpidfile.pid")
log_has "withpidfile: main pid is now $pid" || fail "main pid is not the PIDFile's $pid"
poll 10 log_has 'guessed: state active \(running\)' || fail "forking unit without PIDFile= not active"
gpid=$(cat "$T/guessed.pid")
log_has "guessed: main pid is now $gpid" || fail "guessed main pid is not $gpid"
poll 10 log_has 'badstart: state failed \(result: exit-code\)' || fail "failing start process did not fail the unit"
in_ns cat /proc/$gpid/environ | tr '\0' '\n' | grep -qE '^INVOCATION_ID=[0-9a-f]{32}$' \
    || fail "no \$INVOCATION_ID in the service's environment"
pass "PIDFile= and guessed main pid; a failing start process fails the unit"


# The daemon dies: the unit notices (it is pxinit's child now) and restarts.
in_ns kill -KILL "$pid"
poll 10 log_has 'withpidfile: state auto-restart \(result: signal\)' || fail "death of the forked daemon not noticed"
poll 10 test -s "$T/withpidfile.pid" || fail "not restarted"
poll 10 log_count_at_least 2 'withpidfile: state active \(running\)' \
    || fail "not active again after restart"
pass "death of the daemon is the unit's; Restart= applies"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
file_has "$T/guessed.term" term || fail "guessed daemon did not get SIGTERM at stop"
pass "stop reaches a daemon in its own session"
