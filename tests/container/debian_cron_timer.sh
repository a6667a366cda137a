#!/bin/bash
# Debian's cron and logrotate.timer under pxinit --systemd, in one container
# (cron runs jobs on the minute: the timer checks use that wait).
# - cron.service (enabled by the package) runs a job from /etc/cron.d.
# - logrotate.timer (enabled in timers.target.wants) is listed by
#   systemctl list-timers; starting logrotate.service by hand rotates a log.
. "${srcdir:-.}/tests/container/lib.sh"
. "${srcdir:-.}/tests/container/debian_lib.sh"

n=$(ctr_name cron)
deb_run "$n"
poll 30 deb_active "$n" cron || fail "cron not active: $(ctr exec "$n" systemctl status cron 2>&1)"
expect 0 ctr exec "$n" sh -c 'echo "* * * * * root touch /tmp/cron-ran" >/etc/cron.d/pxtest'

expect 0 ctr exec "$n" systemctl list-timers --no-pager
grep -qE 'logrotate\.timer +logrotate\.service' "$T/o" || fail "list-timers: $(cat "$T/o")"
pass "systemctl list-timers shows logrotate.timer"
expect 0 ctr exec "$n" systemctl is-active logrotate.timer

cat >"$T/pxtest.conf" <<'EOF2'
/var/log/pxtest.log {
    rotate 2
    size 1
    missingok
}
EOF2
expect 0 ctr cp "$T/pxtest.conf" "$n:/etc/logrotate.d/pxtest"
expect 0 ctr exec "$n" sh -c 'echo line >/var/log/pxtest.log'
expect 0 ctr exec "$n" systemctl start logrotate.service
rotated() { ctr exec "$n" test -s /var/log/pxtest.log.1; }
poll 30 rotated || fail "logrotate.service did not rotate: $(ctr exec "$n" systemctl status logrotate.service 2>&1)"
expect 0 ctr exec "$n" systemctl show -p Result --value logrotate.service
[ "$(cat "$T/o")" = success ] || fail "logrotate.service Result=$(cat "$T/o")"
expect 3 ctr exec "$n" systemctl is-active logrotate.service
pass "systemctl start logrotate.service rotated the log (oneshot, Result=success, now inactive)"

ran() { ctr exec "$n" test -e /tmp/cron-ran; }
poll 75 ran || fail "the cron job did not run within 75 s: $(ctr exec "$n" systemctl status cron 2>&1)"
pass "cron ran a job from /etc/cron.d"

deb_stop_clean "$n"
