#!/bin/bash
# MAINPID= is taken only for a process of the unit, or from root (systemd's
# rule, CVE-2018-16888): an unprivileged service cannot make pxinit signal
# another unit's process, take over another unit's supervision, or abort
# the main command; the status board shows a main pid taken.
. "${srcdir:-.}/tests/e2e/lib.sh"
chmod 755 "$T"   # User=nobody reaches the notify socket and its scripts here
cp "${HELPERS:?}/pxtest-notify" "$T/notify"   # the checkout may be unreadable to nobody
N="$T/notify"
mkdir -m 1777 "$T/w"
BAD=0
soft_fail() { BAD=1; echo "FAIL: $*" >&2; }

# A root daemon with an untracked child in its group.
victim_unit
# A root unit whose main pid is tracked, restarted whenever it dies.
script victim2.sh <<'EOF2'
echo $$ > "$T/victim2.tmp"; mv "$T/victim2.tmp" "$T/victim2.pid"
exec sleep 1000
EOF2
unit victim2 <<EOF2
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=$T/victim2.sh
Restart=always
RestartSec=100ms
EOF2
# Unprivileged units naming those, and the main command, as their main pid.
# Ready first (boot waits for that, and the main command for the boot).
script claim.sh <<'EOF2'
"$T/notify" -c -x 0 READY=1
while [ ! -s "$T/$1" ]; do sleep 0.05; done
[ -z "$3" ] || while [ ! -e "$T/$3" ]; do sleep 0.05; done
exec "$T/notify" "MAINPID=$(cat "$T/$1")" $2
EOF2
unit evil <<EOF2
[Service]
Type=notify
NotifyAccess=all
User=nobody
ExecStart=$T/claim.sh victim.child
EOF2
unit evil4 <<EOF2
[Service]
Type=notify
NotifyAccess=all
User=nobody
ExecStart=$T/claim.sh stray.pid
EOF2
unit evil2 <<EOF2
[Service]
Type=notify
NotifyAccess=all
User=nobody
ExecStart=$T/claim.sh victim2.pid
EOF2
unit evil3 <<EOF2
[Service]
Type=notify
NotifyAccess=all
User=nobody
ExecStart=$T/claim.sh main.pid WATCHDOG=trigger go.main
EOF2
# A running unit that hands its main process over to a child later on.
script late.sh <<'EOF2'
"$T/notify" -c -x 0 READY=1
sleep 1000 &
echo $! > "$T/w/late.child"
"$T/notify" -c -x 0 "MAINPID=$!"
wait
EOF2
unit late <<EOF2
[Service]
Type=notify
NotifyAccess=all
User=nobody
ExecStart=$T/late.sh
EOF2

px_start -- sh -c "echo \$\$ > '$T/main.tmp'; mv '$T/main.tmp' '$T/main.pid'; exec sleep 1000"

# 1. A foreign root process: refused, and stopping the unit leaves it alone.
poll 10 log_has 'evil: (main pid is now|MAINPID=[0-9]+ refused)' || fail "evil's MAINPID= not seen"
poll 10 log_has 'victim: state active' || fail "victim not active"
"$PXINIT" -R "$RUN" stop evil >/dev/null 2>&1
poll 10 log_has 'evil: state (inactive|failed)' || fail "evil did not stop"
sleep 0.3  # a SIGTERM sent would have been handled by now
if [ -e "$T/victim.term" ] || [ -e "$T/victim.child.term" ] || ! in_ns kill -0 "$(cat "$T/victim.child")"; then
    soft_fail "stopping a User=nobody unit signalled another unit's process it named in MAINPID="
elif log_has "evil: main pid is now $(cat "$T/victim.child")"; then
    soft_fail "MAINPID= of a foreign root process was taken"
else
    log_has 'evil: MAINPID=[0-9]+ refused: it belongs to another unit' \
        || soft_fail "no refusal logged for evil"
    pass "MAINPID= of another unit's process is refused; stop leaves it alone"
fi

# 1b. A root process of no unit at all: refused, stop leaves it alone.
in_ns setsid sh -c 'echo $$ > "$0/stray.tmp"; mv "$0/stray.tmp" "$0/stray.pid"; exec sleep 1000' "$T" 2>/dev/null &
STRAY=$!
poll 10 log_has 'evil4: (main pid is now|MAINPID=[0-9]+ refused)' || fail "evil4's MAINPID= not seen"
"$PXINIT" -R "$RUN" stop evil4 >/dev/null 2>&1
poll 10 log_has 'evil4: state (inactive|failed)' || fail "evil4 did not stop"
sleep 0.3
if ! in_ns kill -0 "$(cat "$T/stray.pid")" || log_has "evil4: main pid is now"; then
    soft_fail "stopping a User=nobody unit killed a root process it named in MAINPID="
else
    log_has 'evil4: MAINPID=[0-9]+ refused: it is not a process of the unit' \
        || soft_fail "no refusal logged for evil4"
    pass "MAINPID= of a root process of no unit is refused; stop leaves it alone"
fi

# 2. Another unit's tracked main pid: that unit keeps its supervision.
poll 10 log_has 'evil2: (main pid is now|MAINPID=[0-9]+ refused)' || fail "evil2's MAINPID= not seen"
v2=$(cat "$T/victim2.pid")
in_ns kill -KILL "$v2"
if ! poll 5 log_has 'victim2: state auto-restart'; then
    soft_fail "victim2's exit was not booked on victim2 (Restart=always never fired)"
elif ! poll 5 log_count_at_least 2 'victim2: state active'; then
    soft_fail "victim2 not restarted"
else
    pass "MAINPID= of a pid another unit tracks is refused; that unit restarts"
fi

# 3. A running unit's MAINPID= of its own child: taken, and on the board.
poll 10 log_has 'late: main pid is now' || soft_fail "late's MAINPID= of its own child not taken"
lc=$(cat "$T/w/late.child")
if [ -n "$lc" ] && "$PXINIT" -R "$RUN" status late 2>&1 | grep -qw "$lc"; then
    pass "a main pid taken is published on the status board"
else
    soft_fail "status board does not show late's new main pid $lc: $("$PXINIT" -R "$RUN" status late 2>&1)"
fi

# 4. The main command, with WATCHDOG=trigger: it is not aborted.
touch "$T/go.main"
poll 10 log_has 'evil3: (main pid is now|MAINPID=[0-9]+ refused)' || fail "evil3's MAINPID= not seen"
poll 10 log_has 'evil3: state (failed|inactive|auto-restart)' || true
sleep 0.3
if ! in_ns kill -0 "$(cat "$T/main.pid")" 2>/dev/null; then
    soft_fail "MAINPID=<main command> + WATCHDOG=trigger killed the main command"
else
    log_has "evil3: MAINPID=[0-9]+ refused: it is pxinit's own or the main command's" \
        || soft_fail "no refusal logged for evil3"
    pass "MAINPID= of the main command is refused; WATCHDOG=trigger does not abort it"
fi

[ "$BAD" = 0 ] || fail "see above"
in_ns kill "$(cat "$T/stray.pid")"
wait "$STRAY" 2>/dev/null
px_signal TERM
px_wait 15
