#!/bin/bash
# --systemd makes /run/systemd/system (mode 0755, parents too), the
# directory by which deb-systemd-invoke, invoke-rc.d and Ansible's service
# module tell that systemd runs; it warns and runs on when it cannot, and
# leaves the directory in place. Only inside the test namespace's own /run.
. "${srcdir:-.}/tests/e2e/lib.sh"

SD_TMPFS="/etc/systemd/system /usr/lib/systemd/system /usr/lib/tmpfiles.d /etc/tmpfiles.d /run"
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
web_active() { "$PXINIT" -R "$RUN" status web >/dev/null 2>&1; }

# 1. A fresh /run: made, 0755, before the units start.
script check.sh <<'EOF'
test -d /run/systemd/system && stat -c %a /run/systemd /run/systemd/system >"$T/seen"
exec sleep 1000
EOF
unit seer <<EOF
[Service]
ExecStart=$T/check.sh
EOF
PX_TMPFS="$SD_TMPFS" px_start --systemd
poll 5 web_active || fail "pxinit --systemd did not start its units"
in_ns test -d /run/systemd/system || fail "--systemd: no /run/systemd/system"
[ "$(in_ns stat -c %a /run/systemd/system)" = 755 ] || fail "mode $(in_ns stat -c %a /run/systemd/system)"
[ "$(in_ns stat -c %a /run/systemd)" = 755 ] || fail "parent mode $(in_ns stat -c %a /run/systemd)"
poll 5 test -s "$T/seen" || fail "a unit did not see /run/systemd/system when it started"
log_has "warning" && fail "a warning: $(grep warning "$T/log")"
pass "--systemd: /run/systemd/system made 0755 before the units start"
px_signal TERM
px_wait 10

# 2. Already there (a restart of pxinit in the same container): kept as it is.
echo 'mkdir -p /run/systemd/system && chmod 700 /run/systemd/system' >"$T/setup.sh"
PX_TMPFS="$SD_TMPFS" PX_SETUP="$T/setup.sh" px_start --systemd
poll 5 web_active || fail "--systemd with /run/systemd/system there: units did not start"
[ "$(in_ns stat -c %a /run/systemd/system)" = 700 ] || fail "an existing /run/systemd/system was changed"
log_has "warning" && fail "a warning: $(grep warning "$T/log")"
pass "--systemd: an existing /run/systemd/system is used as it is"
px_signal TERM
px_wait 10

# 3. Cannot be made (/run/systemd is a file): one warning, pxinit runs on.
echo 'echo x >/run/systemd' >"$T/setup.sh"
PX_TMPFS="$SD_TMPFS" PX_SETUP="$T/setup.sh" px_start --systemd
poll 5 web_active || fail "--systemd without a possible /run/systemd/system: units did not start"
poll 5 log_has "cannot create /run/systemd/system" || fail "no warning"
[ "$(grep -c warning "$T/log")" = 1 ] || fail "more than one warning: $(grep warning "$T/log")"
pass "--systemd: when /run/systemd/system cannot be made, one warning and pxinit runs on"
px_signal TERM
px_wait 10

# 4. Without --systemd: not made.
PX_TMPFS="$SD_TMPFS" px_start
poll 5 web_active || fail "pxinit did not start its units"
in_ns test -e /run/systemd && fail "/run/systemd made without --systemd"
pass "without --systemd, /run/systemd is left alone"
px_signal TERM
px_wait 10
