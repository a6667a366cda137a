#!/bin/bash
# Shutdown as a subreaper (pxinit not PID 1): a leftover's own child, in a
# session of its own, is reparented to pxinit only when that leftover exits
# on its SIGTERM. It must get SIGTERM too, and time to finish its handler,
# not wait out --grace for SIGKILL. This is sshd (KillMode=process): after
# the unit stops, a login session's monitor is left, and the user's command
# runs in a session below it.
. "${srcdir:-.}/tests/e2e/lib.sh"

# The user's command: finishes its handler on TERM.
script cmd.sh <<'EOF2'
trap 'echo graceful > "$T/cmd.done"; exit 0' TERM
echo $$ > "$T/cmd.pid"
while :; do sleep 0.02; done
EOF2
# The session monitor: starts the command in a new session, exits on TERM.
script session.sh <<'EOF2'
trap 'exit 0' TERM
setsid "$T/cmd.sh" &
while :; do sleep 0.02; done
EOF2
# The daemon: the session is its child, in a session of its own.
script daemon.sh <<'EOF2'
setsid "$T/session.sh" &
exec sleep 1000
EOF2
unit sshlike <<EOF2
[Service]
ExecStart=$T/daemon.sh
KillMode=process
EOF2

# PID 1 of the namespace is a shell; pxinit is its child, so a subreaper.
unshare --pid --fork --mount-proc sh -c '"$0" "$@"; echo $? > "'"$T"'/rc"' \
    "$PXINIT" -R "$RUN" -u "$UNITS" --grace 10 >"$T/out" 2>"$T/log" </dev/null &
PX_PID=$!
poll 5 px_find_init || fail "namespace did not start"
poll 5 test -s "$T/cmd.pid" || fail "the session's command did not start"

"$PXINIT" -R "$RUN" stop sshlike || fail "stop failed"
"$PXINIT" -R "$RUN" status sshlike | grep -qw inactive || fail "unit not inactive after stop"
start=$(date +%s)
"$PXINIT" -R "$RUN" shutdown || fail "shutdown request failed"
poll 15 test -s "$T/rc" || fail "pxinit did not exit"
took=$(( $(date +%s) - start ))
[ "$(cat "$T/rc")" = 0 ] || fail "pxinit exited $(cat "$T/rc"), want 0"
file_has "$T/cmd.done" graceful || fail "the session's command got no SIGTERM (took ${took}s)"
log_has 'sending SIGKILL' && fail "SIGKILL was needed: the reparented command got no SIGTERM"
[ "$took" -lt 5 ] || fail "shutdown took ${took}s, waiting out --grace"
pass "subreaper: a leftover's child reparented at shutdown gets SIGTERM and finishes its handler"
