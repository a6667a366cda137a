#!/bin/bash
# Timer units at run time (SPEC "Timers, sockets and targets"): an elapse
# starts the unit a timer activates, which the boot does not start by
# itself; OnUnitActiveSec= repeats; Persistent= fires once at start for an
# elapse missed since its stamp; a stopped timer fires no more; OnBootSec=
# counts from pxinit's start in a PID namespace; a reload does not start
# what a new timer activates; OnTimezoneChange= fires on a new localtime.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
STATE="$T/state"

script record.sh <<'EOF2'
date +%s%N >> "$T/$1.runs"
EOF2
oneshot() {
    unit "$1" <<EOF2
[Service]
Type=oneshot
ExecStart=$T/record.sh $1
EOF2
}
oneshot once
oneshot rep
oneshot pers
oneshot boot
# PID 1 of a PID namespace: OnBootSec= counts from pxinit's start, not
# from the host's boot long ago (which would fire at once).
printf '[Timer]\nOnBootSec=1200ms\nAccuracySec=1ms\n' > "$UNITS/boot.timer"
cat > "$UNITS/once.timer" <<EOF2
[Timer]
OnActiveSec=1s
AccuracySec=1ms
EOF2
cat > "$UNITS/rep.timer" <<EOF2
[Timer]
OnActiveSec=200ms
OnUnitActiveSec=400ms
AccuracySec=1ms
EOF2
cat > "$UNITS/pers.timer" <<EOF2
[Timer]
OnCalendar=*-*-* 00:00:00 UTC
Persistent=yes
AccuracySec=1ms
EOF2
# The last run two days ago: one elapse (or two) missed since.
mkdir -p "$STATE/timers"
touch -d '2 days ago' "$STATE/timers/stamp-pers.timer"

started=$(date +%s%N)
px_start --state-dir "$STATE"

poll 5 file_has "$T/once.runs" . || fail "OnActiveSec=1s did not start once.service"
first=$(head -n 1 "$T/once.runs")
elapsed_ms=$(( (first - started) / 1000000 ))
[ "$elapsed_ms" -ge 900 ] ||
    fail "once.service ran ${elapsed_ms} ms after the start: the boot started it, not its timer"
pass "OnActiveSec=1s started its oneshot after ${elapsed_ms} ms, not at boot"
poll 5 file_has "$T/boot.runs" . || fail "OnBootSec= did not start boot.service"
boot_ms=$(( ($(head -n 1 "$T/boot.runs") - started) / 1000000 ))
[ "$boot_ms" -ge 1100 ] || fail "OnBootSec=1200ms fired after ${boot_ms} ms: not from pxinit's start"
pass "OnBootSec= in a PID namespace counts from pxinit's start (${boot_ms} ms)"

poll 5 lines_at_least "$T/rep.runs" 4 || fail "OnUnitActiveSec= did not repeat (runs: $(count_lines "$T/rep.runs"))"
pass "OnUnitActiveSec= repeats"

poll 5 file_has "$T/pers.runs" . || fail "Persistent= did not catch up a missed elapse"
[ "$(count_lines "$T/pers.runs")" = 1 ] || fail "Persistent= caught up more than once"
now=$(date +%s)
stamp=$(stat -c %Y "$STATE/timers/stamp-pers.timer")
[ $((now - stamp)) -le 10 ] || fail "the stamp was not renewed (mtime $stamp, now $now)"
pass "Persistent= fires once at start for a missed elapse and renews its stamp"

is_state once.timer active || fail "once.timer is $(state_of once.timer) after its elapse"
ctl stop rep.timer >/dev/null || fail "stop rep.timer"
poll 5 is_state rep.timer inactive || fail "rep.timer is $(state_of rep.timer) after stop"
n=$(count_lines "$T/rep.runs")
# Absence needs a wait: three periods of the timer.
sleep 1.3
[ "$(count_lines "$T/rep.runs")" -le $((n + 1)) ] || fail "rep.timer still fires after its stop"
pass "a stopped timer fires no more"
[ "$(count_lines "$T/once.runs")" = 1 ] || fail "once.service ran more than once"
pass "a spent OnActiveSec= does not fire again"

# A timer and its unit added by daemon-reload: the unit waits for the timer.
oneshot late
printf '[Timer]\nOnActiveSec=1s\nAccuracySec=1ms\n' > "$UNITS/late.timer"
reloaded=$(date +%s%N)
ctl daemon-reload >/dev/null || fail "daemon-reload"
poll 5 file_has "$T/late.runs" . || fail "late.timer, added by daemon-reload, did not start late.service"
late_ms=$(( ($(head -n 1 "$T/late.runs") - reloaded) / 1000000 ))
[ "$late_ms" -ge 900 ] || fail "late.service ran ${late_ms} ms after daemon-reload: not through its timer"
pass "daemon-reload starts a new timer, not the unit it activates (${late_ms} ms)"

# A stopped timer whose Unit= changes by daemon-reload takes the new one in
# place: the timers of other units must still hear of their units' changes
# (the index of timers by unit is built again, not searched stale).
oneshot aa
oneshot bb
oneshot zz
script slow.sh <<'EOF2'
sleep 0.5
date +%s%N >> "$T/xx.runs"
EOF2
printf '[Service]\nType=oneshot\nExecStart=%s\n' "$T/slow.sh" > "$UNITS/xx.service"
printf '[Timer]\nOnActiveSec=1h\n' > "$UNITS/aa.timer"
printf '[Timer]\nOnActiveSec=1h\n' > "$UNITS/bb.timer"
printf '[Timer]\nOnActiveSec=3s\nAccuracySec=1ms\n' > "$UNITS/xx.timer"
ctl daemon-reload >/dev/null || fail "daemon-reload (aa bb xx)"
poll 5 is_state bb.timer active || fail "bb.timer is $(state_of bb.timer)"
ctl stop bb.timer || fail "stop bb.timer"
printf '[Timer]\nOnActiveSec=1h\nUnit=zz.service\n' > "$UNITS/bb.timer"
ctl daemon-reload >/dev/null || fail "daemon-reload (bb.timer's Unit=)"
poll 10 file_has "$T/xx.runs" . || fail "xx.timer did not start xx.service"
poll 5 sh -c "timeout 10 '$PXINIT' -R '$RUN' status --json xx.timer | grep -q '\"sub\":\"elapsed\"'" ||
    fail "xx.timer did not hear xx.service end: $(ctl status xx.timer)"
pass "a reload that changes a stopped timer's Unit= leaves other timers hearing their units"

# OnTimezoneChange=: a second pxinit, its /etc a directory of ours (bound
# there in its mount namespace), whose localtime link we replace.
px_signal TERM
px_wait 15
UNITS="$T/units2"
RUN="$T/run2"
mkdir -p "$UNITS" "$T/etc"
ln -s /usr/share/zoneinfo/UTC "$T/etc/localtime"
oneshot zone
printf '[Timer]\nOnTimezoneChange=yes\n' > "$UNITS/zone.timer"
echo "mount --bind '$T/etc' /etc" > "$T/setup.sh"
PX_SETUP="$T/setup.sh" px_start --state-dir "$STATE"
poll 5 is_state zone.timer active || fail "zone.timer is $(state_of zone.timer)"
[ ! -e "$T/zone.runs" ] || fail "zone.service ran before the zone changed"
ln -sfn /usr/share/zoneinfo/Europe/Berlin "$T/etc/localtime"
poll 5 file_has "$T/zone.runs" . || fail "OnTimezoneChange= did not fire when /etc/localtime changed"
pass "OnTimezoneChange= fires when /etc/localtime changes"
