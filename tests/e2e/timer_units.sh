#!/bin/bash
# .timer files in the unit layer (SPEC "Timers, sockets and targets"):
# `pxinit check` validates them with file:line errors; the daemon loads
# them from its unit directories (a malformed one fails alone, the others
# still run) and, with --systemd, from timers.target.wants/ together with
# the services they start, templates included. What a timer does once
# loaded (arming, elapsing) is tested elsewhere: here only that it is known.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
# True when the daemon knows the unit (status exits 4 for no such unit).
known() {
    ctl status "$1" >/dev/null 2>&1
    [ $? != 4 ]
}

# --- pxinit check, offline ---------------------------------------------------
C=$T/check
mkdir -p "$C"
cat >"$C/good.timer" <<'EOF2'
[Unit]
Description=nightly
[Timer]
OnCalendar=daily
OnBootSec=5min
Persistent=true
AccuracySec=1s
Unit=good.service
[Install]
WantedBy=timers.target
EOF2
cat >"$C/bad.timer" <<'EOF2'
[Timer]
OnCalendar=bogus
OnBootSec=5 parsecs
Persistent=maybe
Unit=other.timer
EOF2
printf '[Unit]\nDescription=none\n[Timer]\nPersistent=yes\n' >"$C/none.timer"
printf '[Timer]\nOnActiveSec=1\n[Service]\nExecStart=/bin/true\n' >"$C/svc.timer"
printf '[Service]\nExecStart=/bin/true\n[Timer]\nOnActiveSec=1\n' >"$C/web.service"

"$PXINIT" check "$C/good.timer" >"$T/chk" 2>&1 || fail "check good.timer exited $?: $(cat "$T/chk")"
grep -q 'good.timer: ok$' "$T/chk" || fail "check good.timer: $(cat "$T/chk")"
"$PXINIT" check "$C/bad.timer" >"$T/chk" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "check bad.timer exited $rc, want 1"
grep -q 'bad.timer:2: .*OnCalendar=' "$T/chk" || fail "no bad.timer:2 OnCalendar=: $(cat "$T/chk")"
grep -q 'bad.timer:3: .*OnBootSec=' "$T/chk" || fail "no bad.timer:3 OnBootSec=: $(cat "$T/chk")"
grep -q 'bad.timer:4: .*Persistent=' "$T/chk" || fail "no bad.timer:4 Persistent=: $(cat "$T/chk")"
grep -q 'bad.timer:5: .*Unit=' "$T/chk" || fail "no bad.timer:5 Unit=: $(cat "$T/chk")"
grep -q 'bad.timer: bad$' "$T/chk" || fail "check bad.timer: $(cat "$T/chk")"
"$PXINIT" check "$C/none.timer" >"$T/chk" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "check of a timer without trigger exited $rc, want 1"
grep -q 'none.timer: Timer unit lacks value setting. Refusing.' "$T/chk" ||
    fail "no trigger: $(cat "$T/chk")"
"$PXINIT" check "$C/svc.timer" "$C/web.service" >"$T/chk" 2>&1 ||
    fail "check of other kinds' sections exited $?: $(cat "$T/chk")"
grep -q 'svc.timer:3: unknown section \[Service\]' "$T/chk" || fail "[Service] in a timer: $(cat "$T/chk")"
grep -q 'web.service:3: unknown section \[Timer\]' "$T/chk" || fail "[Timer] in a service: $(cat "$T/chk")"
grep -q 'svc.timer: ok (with warnings)' "$T/chk" || fail "check svc.timer: $(cat "$T/chk")"
pass "pxinit check validates .timer files with file:line errors"

# --- the unit directories ----------------------------------------------------
cat >"$UNITS/nightly.timer" <<'EOF2'
[Timer]
OnCalendar=daily
EOF2
unit nightly <<'EOF2'
[Service]
Type=oneshot
ExecStart=/bin/true
EOF2
cat >"$UNITS/broken.timer" <<'EOF2'
[Unit]
Description=broken on purpose
[Timer]
OnBootSec=soon
EOF2
unit web <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo up > $T/web.up; exec sleep 1000'
EOF2

px_start
poll 5 test -s "$T/web.up" || fail "a service beside a broken timer did not run"
poll 5 known nightly.timer || fail "nightly.timer not loaded: $(ctl status nightly.timer 2>&1)"
log_has 'broken.timer:4: .*OnBootSec=' || fail "no file:line error naming OnBootSec= for broken.timer"
log_has 'broken.timer: .*unit failed to load' || fail "broken.timer not reported as failed to load"
log_has 'timer units are not supported' && fail "a .timer was skipped"
pass "timers load from the unit directories; a malformed one fails alone"
px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"

# --- --systemd: timers.target.wants/ ------------------------------------------
rm -rf "${UNITS:?}"/*
script setup.sh <<'EOF2'
set -e
L=/usr/lib/systemd/system
mkdir -p /etc/systemd/system/timers.target.wants $L
printf '[Timer]\nOnCalendar=daily\nPersistent=true\n[Install]\nWantedBy=timers.target\n' > $L/logrotate.timer
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' > $L/logrotate.service
printf '[Timer]\nOnCalendar=weekly\n' > $L/snap@.timer
printf '[Service]\nType=oneshot\nExecStart=/bin/echo %%i\n' > $L/snap@.service
printf '[Timer]\nOnCalendar=weekly\nUnit=job.service\n' > $L/other.timer
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' > $L/job.service
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' > $L/unrelated.service
ln -s $L/logrotate.timer /etc/systemd/system/timers.target.wants/logrotate.timer
ln -s $L/snap@.timer /etc/systemd/system/timers.target.wants/snap@home.timer
ln -s $L/other.timer /etc/systemd/system/timers.target.wants/other.timer
EOF2
PX_TMPFS="/etc/systemd/system /usr/lib/systemd/system /usr/lib/tmpfiles.d /etc/tmpfiles.d /run" \
    PX_SETUP="$T/setup.sh" px_start --systemd
poll 5 known timers.target || fail "timers.target not made: $(ctl status timers.target 2>&1)"
for u in logrotate.timer logrotate snap@home.timer snap@home other.timer job; do
    known "$u" || fail "--systemd did not load $u: $(ctl status "$u" 2>&1)"
done
known unrelated && fail "--systemd loaded a unit no link nor timer names"
known snap@.timer && fail "--systemd loaded a template"
pass "--systemd loads timers.target.wants/ and the services the timers start"
px_signal TERM
px_wait 20
