#!/bin/bash
# Timer units end to end (SPEC "Timers, sockets and targets"): a timer starts
# its oneshot service when it elapses, and not at boot by itself;
# list-timers shows the next elapse as systemctl does; status --json gives
# next_elapse and last_trigger; start, stop and status take X.timer; an
# elapse does not start a second copy of a unit that is active (a running
# oneshot counts); `check` validates .timer files with file:line.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
sub_of() { ctl status "$1" 2>/dev/null | awk '{print $7}'; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
# json_field NAME FIELD: FIELD of status --json NAME ("null" or a number).
json_field() { ctl status --json "$1" 2>/dev/null | sed -n "s/.*\"$2\":\\([0-9a-z]*\\).*/\\1/p"; }
triggered() { [ "$(json_field "$1" last_trigger)" != null ] && [ -n "$(json_field "$1" last_trigger)" ]; }
now_s() { date +%s; }

# tick: a oneshot started by its timer 5s after the timer starts (time for
# the checks before it, on a loaded machine too).
script tick.sh <<'EOF2'
echo "run $(date +%s)" >> "$T/tick"
EOF2
unit tick <<EOF2
[Service]
Type=oneshot
ExecStart=$T/tick.sh
EOF2
cat >"$UNITS/tick.timer" <<EOF2
[Unit]
Description=tick every start
[Timer]
OnActiveSec=5s
AccuracySec=1ms
EOF2
# busy: a oneshot that runs 1.5s; its timer elapses every 0.5s after it
# started, twice while it still runs: no second copy, so its starts and
# ends alternate. Once it has ended, the overdue elapse starts it again.
script busy.sh <<'EOF2'
echo start >> "$T/busy"
sleep 1.5
echo end >> "$T/busy"
EOF2
unit busy <<EOF2
[Service]
Type=oneshot
ExecStart=$T/busy.sh
EOF2
cat >"$UNITS/busy.timer" <<EOF2
[Timer]
OnActiveSec=1ms
OnUnitActiveSec=500ms
AccuracySec=1ms
EOF2
# long: a service started by hand before its timer elapses (6s): the elapse
# finds it active and starts nothing. Unit= names it.
script long.sh <<'EOF2'
echo start >> "$T/long"
exec sleep 1000
EOF2
unit long <<EOF2
[Service]
ExecStart=$T/long.sh
EOF2
cat >"$UNITS/other.timer" <<EOF2
[Timer]
OnActiveSec=6s
AccuracySec=1ms
Unit=long.service
EOF2

T0=$(now_s)
px_start
poll 5 is_state tick.timer active || fail "tick.timer not active at boot: $(ctl status tick.timer 2>&1)"
[ "$(sub_of tick.timer)" = waiting ] || fail "tick.timer's sub-state: $(ctl status tick.timer 2>&1)"
ctl start long || fail "start long exited $?"
LONG_PID=$(ctl status long | awk '{print $3}')
[ -n "$LONG_PID" ] && [ "$LONG_PID" != - ] || fail "long has no pid: $(ctl status long 2>&1)"
[ ! -e "$T/tick" ] && is_state tick inactive || fail "tick.service started before its timer elapsed"
pass "timers are active (waiting) at boot; the units they activate are not started by themselves"

# list-timers: systemctl's columns, the next elapse within a few seconds.
ctl list-timers >"$T/lt" || fail "list-timers exited $?"
head -n 1 "$T/lt" | grep -qE '^NEXT +LEFT +LAST +PASSED +UNIT +ACTIVATES$' ||
    fail "list-timers header: $(cat "$T/lt")"
grep -qE '^[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Z+0-9-]+ +[0-9]+(s|ms) left +- +- +tick\.timer +tick\.service$' "$T/lt" ||
    fail "list-timers has no waiting tick.timer: $(cat "$T/lt")"
grep -qE ' other\.timer +long\.service$' "$T/lt" || fail "list-timers: Unit= not shown: $(cat "$T/lt")"
grep -qE '^[0-9]+ timers listed\.$' "$T/lt" && grep -qx 'Pass --all to see loaded but inactive timers, too.' "$T/lt" ||
    fail "list-timers footer: $(cat "$T/lt")"
ctl list-timers --json >"$T/lt.json" || fail "list-timers --json exited $?"
NEXT=$(sed -n 's/.*"next":\([0-9]*\),"left":[0-9]*,"last":0,"passed":0,"unit":"tick.timer","activates":"tick.service".*/\1/p' "$T/lt.json")
[ -n "$NEXT" ] || fail "list-timers --json: $(cat "$T/lt.json")"
[ "$NEXT" -ge $(( (T0 + 5) * 1000000 )) ] && [ "$NEXT" -le $(( ($(now_s) + 6) * 1000000 )) ] ||
    fail "tick.timer's next elapse $NEXT is not 5s after its start ($T0)"
N=$(json_field tick.timer next_elapse)
[ "$N" = $(( NEXT / 1000000 )) ] || fail "status --json next_elapse $N, list-timers $NEXT"
[ "$(json_field tick.timer last_trigger)" = null ] || fail "status --json: a last trigger before any"
pass "list-timers and status --json show the next elapse"

# The elapse starts the service; last_trigger is then set.
poll 10 lines_at_least "$T/tick" 1 || fail "tick.timer did not start tick.service"
poll 5 triggered tick.timer || fail "no last_trigger after the elapse: $(ctl status --json tick.timer)"
LAST=$(json_field tick.timer last_trigger)
[ "$LAST" -ge "$T0" ] && [ "$LAST" -le "$(now_s)" ] || fail "last_trigger $LAST out of [$T0, now]"
ctl list-timers --all >"$T/lt" || fail "list-timers --all exited $?"
grep -qE ' [0-9]+(ms|s|min [0-9]+s) ago +tick\.timer +tick\.service$' "$T/lt" ||
    fail "list-timers shows no last trigger: $(cat "$T/lt")"
! grep -q 'Pass --all' "$T/lt" || fail "list-timers --all still hints at --all"
pass "the elapse starts the service; status --json and list-timers show the last trigger"

# busy: one copy at a time, though its timer elapsed while it ran; and
# again after it ended.
poll 10 lines_at_least "$T/busy" 4 || fail "busy.timer did not start busy.service twice: $(cat "$T/busy" 2>&1)"
[ "$(head -n 4 "$T/busy" | tr '\n' ' ')" = "start end start end " ] ||
    fail "a second copy of busy.service while it ran: $(cat "$T/busy")"
pass "an elapse does not start a second copy of a running oneshot"

# other.timer elapses at 6s and finds long.service active.
poll 10 triggered other.timer || fail "other.timer did not elapse: $(ctl status --json other.timer)"
! poll 1 lines_at_least "$T/long" 2 || fail "a second copy of long.service: $(cat "$T/long")"
[ "$(ctl status long | awk '{print $3}')" = "$LONG_PID" ] || fail "long.service was restarted"
pass "an elapse does not start a unit that is active"

# stop, status, start of a timer.
ctl stop tick.timer || fail "stop tick.timer exited $?"
ctl status tick.timer >"$T/st"
rc=$?
[ "$rc" = 3 ] && grep -qE '^tick\.timer +inactive ' "$T/st" || fail "status of a stopped timer: rc $rc $(cat "$T/st")"
ctl list-timers >"$T/lt" || fail "list-timers exited $?"
! grep -q 'tick\.timer' "$T/lt" || fail "list-timers shows an inactive timer without --all: $(cat "$T/lt")"
ctl list-timers --all | grep -qE '^- +- +.* tick\.timer +tick\.service$' ||
    fail "list-timers --all: $(ctl list-timers --all)"
# A start counts from now, as systemd's: a timer without Persistent= forgets
# its last trigger (passed=-).
ctl start tick.timer || fail "start tick.timer exited $?"
ctl status tick.timer >"$T/st" || fail "status of a started timer exited $?"
grep -qE '^tick\.timer +active .* waiting +left=[0-9a-z]+ +passed=-$' "$T/st" ||
    fail "status line of a timer: $(cat "$T/st")"
poll 10 lines_at_least "$T/tick" 2 || fail "a restarted tick.timer did not elapse again"
PXINIT_NO_BOARD=1 ctl status --json tick.timer | grep -qE '"next_elapse":(null|[0-9]+),"last_trigger":[0-9]+' ||
    fail "status --json through the socket: $(PXINIT_NO_BOARD=1 ctl status --json tick.timer)"
pass "pxinit start|stop|status X.timer"

# check: a good and a bad .timer, offline.
printf '[Timer]\nOnCalendar=daily\nPersistent=true\n' >"$T/good.timer"
"$PXINIT" check "$T/good.timer" >"$T/chk" 2>&1 || fail "check good.timer: $(cat "$T/chk")"
grep -q 'good.timer: ok$' "$T/chk" || fail "check output: $(cat "$T/chk")"
printf '[Unit]\nDescription=bad\n[Timer]\nOnCalendar=notaday 25:61\n' >"$T/bad.timer"
"$PXINIT" check "$T/bad.timer" >"$T/chk" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q 'bad.timer:4' "$T/chk" || fail "check bad.timer: rc $rc $(cat "$T/chk")"
pass "pxinit check validates .timer files with file:line"

# No daemon: exit 5.
"$PXINIT" -R "$T/nowhere" list-timers >"$T/o" 2>"$T/e"
rc=$?
[ "$rc" = 5 ] && [ ! -s "$T/o" ] || fail "list-timers without a daemon: rc $rc $(cat "$T/o" "$T/e")"
pass "list-timers without a daemon exits 5"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
