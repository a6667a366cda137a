#!/bin/bash
# How unit files are found: drop-ins override a packaged unit, a template
# runs as the instances linked to it, a link to another unit is an alias
# (loaded once), a link to /dev/null masks, [Install] Alias= names a unit
# for After=, and --systemd loads what an image enabled for systemd.
. "${srcdir:-.}/tests/e2e/lib.sh"

script rec.sh <<'EOF2'
echo "$*" >> "$T/runs"
exec sleep 1000
EOF2

unit pkg <<EOF2
[Service]
Environment=MODE=packaged
ExecStart=/bin/sh -c 'echo pkg \$MODE >> $T/runs; exec sleep 1000'
EOF2
mkdir -p "$UNITS/pkg.service.d"
printf '[Service]\nEnvironment=MODE=override\n' > "$UNITS/pkg.service.d/50-mode.conf"
printf '[Service]\nEnvironment=EXTRA=1\n' > "$UNITS/pkg.service.d/10-extra.conf"

cat > "$UNITS/worker@.service" <<EOF2
[Service]
ExecStart=$T/rec.sh worker %i %n
EOF2
ln -s "worker@.service" "$UNITS/worker@alpha.service"
ln -s "worker@.service" "$UNITS/worker@beta.service"
mkdir -p "$UNITS/worker@beta.service.d"
printf '[Service]\nExecStart=\nExecStart=%s/rec.sh beta-override %%i\n' "$T" \
    > "$UNITS/worker@beta.service.d/override.conf"

unit real <<EOF2
[Service]
ExecStart=$T/rec.sh real
[Install]
Alias=nickname.service
EOF2
ln -s real.service "$UNITS/linked.service"
unit follower <<EOF2
[Unit]
After=nickname.service
[Service]
ExecStart=$T/rec.sh follower
EOF2
unit hidden <<EOF2
[Service]
ExecStart=$T/rec.sh hidden
EOF2
mv "$UNITS/hidden.service" "$T/hidden.service"
ln -s /dev/null "$UNITS/hidden.service"

# A systemd image: enabled units under /etc/systemd/system/*.target.wants,
# files in /lib/systemd/system, an override in /etc.
script setup.sh <<EOF2
mkdir -p /etc/systemd/system/multi-user.target.wants /usr/lib/systemd/system
printf '[Service]\nExecStart=$T/rec.sh sysd-enabled\n' > /usr/lib/systemd/system/sysd.service
printf '[Service]\nExecStart=$T/rec.sh sysd-disabled\n' > /usr/lib/systemd/system/off.service
ln -s /usr/lib/systemd/system/sysd.service /etc/systemd/system/multi-user.target.wants/sysd.service
printf '[Service]\nExecStart=$T/rec.sh getty %%i\n' > '/usr/lib/systemd/system/getty@.service'
ln -s '/usr/lib/systemd/system/getty@.service' '/etc/systemd/system/multi-user.target.wants/getty@tty1.service'
mkdir -p /usr/lib/tmpfiles.d
printf 'd /run/pkgdir 2750 nobody nogroup -\nd /run/%%t-skipped 0755 - - -\nf /run/notadir 0644 - - -\n' > /usr/lib/tmpfiles.d/pkg.conf
EOF2

PX_TMPFS="/etc/systemd/system /usr/lib/systemd/system /usr/lib/tmpfiles.d /etc/tmpfiles.d /run" \
    PX_SETUP="$T/setup.sh" px_start --systemd
poll 10 lines_at_least "$T/runs" 7 || fail "not all units ran: $(cat "$T/runs" 2>/dev/null)"
grep -qx 'pkg override' "$T/runs" || fail "drop-in did not override Environment=: $(cat "$T/runs")"
pass "drop-ins override a unit"
grep -qx 'worker alpha worker@alpha.service' "$T/runs" || fail "template instance alpha: $(cat "$T/runs")"
grep -qx 'beta-override beta' "$T/runs" || fail "instance drop-in: $(cat "$T/runs")"
pass "template instances with %i, %n and an instance drop-in"
[ "$(grep -cx real "$T/runs")" = 1 ] || fail "aliased unit ran $(grep -cx real "$T/runs") times"
log_has 'linked: state' && fail "an alias link was loaded as a unit of its own"
grep -q hidden "$T/runs" && fail "masked unit ran"
grep -qx follower "$T/runs" || fail "follower did not run"
pass "alias links load once, /dev/null masks"
grep -qx sysd-enabled "$T/runs" || fail "--systemd did not load the enabled unit"
grep -q sysd-disabled "$T/runs" && fail "--systemd loaded a unit that is not enabled"
grep -qx 'getty tty1' "$T/runs" || fail "--systemd did not load the enabled template instance"
pass "--systemd loads the units enabled for systemd"
[ "$(in_ns stat -c '%U %G %a' /run/pkgdir)" = "nobody nogroup 2750" ] \
    || fail "tmpfiles.d d line: $(in_ns stat -c '%U %G %a' /run/pkgdir 2>&1)"
in_ns test -e /run/notadir && fail "a tmpfiles.d f line was acted on"
pass "--systemd makes the directories of tmpfiles.d 'd' lines"

# An instance nobody enabled is made from its template on request.
"$PXINIT" -R "$RUN" start worker@gamma || fail "pxinit start worker@gamma exited $?"
poll 5 file_has "$T/runs" '^worker gamma worker@gamma.service$' || fail "worker@gamma did not run"
"$PXINIT" -R "$RUN" status --quiet worker@gamma.service || fail "worker@gamma not active"
"$PXINIT" -R "$RUN" start nothing@here 2>/dev/null
[ $? = 4 ] || fail "an instance without a template is not 'no such unit' (4)"
"$PXINIT" -R "$RUN" daemon-reload >/dev/null 2>&1
"$PXINIT" -R "$RUN" status --quiet worker@gamma || fail "daemon-reload dropped the requested instance"
pass "pxinit start name@inst instantiates a template"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
