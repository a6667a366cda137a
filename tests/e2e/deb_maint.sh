#!/bin/bash
# deb_maint.sh - issue 19's headline case: a Debian package installed into a
# running "container" whose init is pxinit --systemd is enabled and started
# by its own maintainer scripts (debhelper's dh_installsystemd snippets:
# deb-systemd-helper, deb-systemd-invoke, systemctl daemon-reload), stopped by
# dpkg -r and cleaned by dpkg -P; and an admin's script that runs
# systemctl daemon-reload/enable/restart.
#
# The container is this machine's own root, seen through an overlay whose
# writable layer is a tmpfs of a private mount namespace: inside it
# /usr/bin/systemctl and /usr/bin/journalctl are links to the built pxinit,
# /usr/sbin/policy-rc.d is removed (as the issue says) and
# /etc/systemd/system starts empty; pxinit is PID 1 of a PID namespace,
# chrooted there. The host's files, dpkg database and systemctl stay as they
# were (checked at the end).
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/check_lib.sh"

if ! command -v dpkg >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "no dpkg here: not a Debian machine"
    exit 77
fi
# init-system-helpers is Priority: required in Debian and listed in
# contrib/install-deps.sh: its absence is a broken machine, not a skip.
for t in deb-systemd-helper deb-systemd-invoke; do
    command -v "$t" >/dev/null || fail "$t missing (package init-system-helpers)"
done

# --- the package: what dh_installsystemd (debhelper 13.11.4, bookworm)
# writes for a service with [Install] and the default --restart-after-upgrade.
mkdeb() {
    local v=$1 d="$T/pkg-$1"
    mkdir -p "$d/DEBIAN" "$d/lib/systemd/system" "$d/usr/sbin"
    cat >"$d/DEBIAN/control" <<EOF
Package: pxdemo
Version: $v
Architecture: all
Maintainer: pxinit tests <pxinit@localhost>
Description: pxinit demo daemon
 A tiny daemon whose maintainer scripts enable and start it.
EOF
    cat >"$d/usr/sbin/pxdemod" <<EOF
#!/bin/sh
echo "pxdemo $v started"
echo \$\$ >/run/pxdemo.pid
exec sleep 100000
EOF
    cat >"$d/lib/systemd/system/pxdemo.service" <<'EOF'
[Unit]
Description=pxinit demo daemon

[Service]
ExecStart=/usr/sbin/pxdemod

[Install]
WantedBy=multi-user.target
EOF
    cat >"$d/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
# Automatically added by dh_installsystemd/13.11.4
if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ] || [ "$1" = "abort-deconfigure" ] || [ "$1" = "abort-remove" ] ; then
	# The following line should be removed in trixie or trixie+1
	deb-systemd-helper unmask 'pxdemo.service' >/dev/null || true

	# was-enabled defaults to true, so new installations run enable.
	if deb-systemd-helper --quiet was-enabled 'pxdemo.service'; then
		# Enables the unit on first installation, creates new
		# symlinks on upgrades if the unit file has changed.
		deb-systemd-helper enable 'pxdemo.service' >/dev/null || true
	else
		# Update the statefile to add new symlinks (if any), which need to be
		# cleaned up on purge. Also remove old symlinks.
		deb-systemd-helper update-state 'pxdemo.service' >/dev/null || true
	fi
fi
# End automatically added section
# Automatically added by dh_installsystemd/13.11.4
if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ] || [ "$1" = "abort-deconfigure" ] || [ "$1" = "abort-remove" ] ; then
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "$2" ]; then
			_dh_action=restart
		else
			_dh_action=start
		fi
		deb-systemd-invoke $_dh_action 'pxdemo.service' >/dev/null || true
	fi
fi
# End automatically added section
EOF
    cat >"$d/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
# Automatically added by dh_installsystemd/13.11.4
if [ -z "${DPKG_ROOT:-}" ] && [ "$1" = remove ] && [ -d /run/systemd/system ] ; then
	deb-systemd-invoke stop 'pxdemo.service' >/dev/null || true
fi
# End automatically added section
EOF
    cat >"$d/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
# Automatically added by dh_installsystemd/13.11.4
if [ "$1" = remove ] && [ -d /run/systemd/system ] ; then
	systemctl --system daemon-reload >/dev/null || true
fi
# End automatically added section
# Automatically added by dh_installsystemd/13.11.4
if [ "$1" = "purge" ]; then
	if [ -x "/usr/bin/deb-systemd-helper" ]; then
		deb-systemd-helper purge 'pxdemo.service' >/dev/null || true
	fi
fi
# End automatically added section
EOF
    chmod 755 "$d/DEBIAN/postinst" "$d/DEBIAN/prerm" "$d/DEBIAN/postrm" "$d/usr/sbin/pxdemod"
    dpkg-deb --root-owner-group -b "$d" "$T/pxdemo_${v}_all.deb" >/dev/null ||
        fail "dpkg-deb could not build pxdemo $v"
}
mkdeb 1.0
mkdeb 1.1

# What must be the same on the host afterwards.
host_state() {
    stat -c '%n %i %s %Y' /usr/bin/systemctl /usr/sbin/policy-rc.d /usr/bin/journalctl 2>&1
    ls -la /etc/systemd/system/multi-user.target.wants/pxdemo.service /lib/systemd/system/pxdemo.service \
        /usr/sbin/pxdemod /var/lib/systemd/deb-systemd-helper-enabled/pxdemo.service.dsh-also 2>&1
    dpkg-query -W pxdemo 2>&1
    stat -c '%n %s %Y' /var/lib/dpkg/status
}
host_state >"$T/host.before"

# --- the container. Runs as PID 1 of the new namespaces, then becomes pxinit.
cat >"$T/container.sh" <<'EOF'
O="$T/ov"
R="$O/root"
mkdir -p "$O" || exit 1
mount -t tmpfs pxinit-test "$O" || { echo "cannot mount a tmpfs" >"$T/skip"; exit 1; }
mkdir "$O/upper" "$O/work" "$R" || exit 1
mount -t overlay pxinit-test -o "lowerdir=/,upperdir=$O/upper,workdir=$O/work" "$R" ||
    { echo "this kernel cannot mount an overlay over /" >"$T/skip"; exit 1; }
mountpoint -q "$R" || exit 1
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --rbind /sys "$R/sys" &&
    mount -t tmpfs pxinit-test "$R/run" && mount -t tmpfs pxinit-test "$R/tmp" || exit 1
# The image: pxinit is systemctl and journalctl (for /bin too where / is not
# merged), no policy-rc.d, no units enabled yet, no pxinit units.
cp "$PXINIT" "$R/usr/sbin/pxinit" || exit 1
for d in usr/bin bin; do
    [ -L "$R/$d" ] && continue
    ln -sf /usr/sbin/pxinit "$R/$d/systemctl" && ln -sf /usr/sbin/pxinit "$R/$d/journalctl" || exit 1
done
rm -f "$R/usr/sbin/policy-rc.d"
rm -rf "$R/etc/systemd/system" "$R/etc/pxinit" "$R/var/lib/systemd/deb-systemd-helper-enabled"
mkdir -p "$R/etc/systemd/system" || exit 1
cp "$T"/pxdemo_*.deb "$R/tmp/" || exit 1
cd /
exec chroot "$R" /usr/sbin/pxinit --systemd
EOF
T="$T" PXINIT="$PXINIT" unshare --mount --pid --fork --mount-proc sh "$T/container.sh" \
    >"$T/out" 2>"$T/log" </dev/null &
PX_PID=$!
poll 10 px_started || fail "the container did not start"

# in_root CMD...: CMD inside the container (its pid and mount namespaces,
# its root), with a clean environment as dpkg and a shell there have.
in_root() {
    nsenter -t "$PX_INIT" -p -m -r -w env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
ready() { px_gone || in_root test -S /run/pxinit/control 2>/dev/null; }
poll 10 ready || fail "pxinit did not open /run/pxinit/control in the container"
if px_gone; then
    if [ -f "$T/skip" ]; then
        echo "skip: $(cat "$T/skip")"
        FAILED=0
        exit 77
    fi
    fail "the container's setup or pxinit failed"
fi
pass "pxinit --systemd runs as PID 1 of the container"

out_is "systemctl inside the container is pxinit" 0 /usr/sbin/pxinit in_root readlink /usr/bin/systemctl
that "no policy-rc.d in the container" in_root test ! -e /usr/sbin/policy-rc.d
that "pxinit --systemd created /run/systemd/system (the scripts' test for systemd)" \
    in_root test -d /run/systemd/system

main_pid() { in_root systemctl show -p MainPID --value pxdemo.service 2>/dev/null; }
is_active() { [ "$(in_root systemctl is-active pxdemo.service 2>/dev/null)" = active ]; }
is_inactive() { [ "$(in_root systemctl is-active pxdemo.service 2>/dev/null)" = inactive ]; }
# The daemon's pid file names the process pxinit watches.
pid_matches() {
    local p
    p=$(main_pid)
    [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" = "$(in_root cat /run/pxdemo.pid 2>/dev/null)" ]
}
journal_has() { in_root journalctl -u pxdemo -o cat --no-pager 2>/dev/null | grep -qx -- "$1"; }

# --- the exact command lines init-system-helpers 1.65 runs, one by one, so a
# failure below says which is missing. deb-systemd-helper enable (first
# install, /usr/bin/systemctl present): systemctl --root=/ --system
# --preset-mode=enable-only preset UNIT, then daemon-reload when it changed
# links; deb-systemd-invoke start/restart: systemctl --system is-enabled --
# UNIT, systemctl --system --quiet is-active -- UNIT, systemctl --quiet
# --system start UNIT; deb-systemd-invoke stop: systemctl stop UNIT.
in_root sh -c 'cat >/etc/systemd/system/pxprobe.service' <<'EOF2'
[Service]
ExecStart=/bin/sleep 100002
[Install]
WantedBy=multi-user.target
EOF2
probe_link=/etc/systemd/system/multi-user.target.wants/pxprobe.service
out_is "deb-systemd-helper's 'systemctl --root=/ --system --preset-mode=enable-only preset UNIT'" 0 "" \
    in_root systemctl --root=/ --system --preset-mode=enable-only preset pxprobe.service
out_is "preset (no preset file names it) enabled it" 0 /etc/systemd/system/pxprobe.service in_root readlink "$probe_link"
out_is "deb-systemd-invoke's 'systemctl --system is-enabled -- UNIT'" 0 enabled \
    in_root systemctl --system is-enabled -- pxprobe.service
out_is "postinst's 'systemctl --system daemon-reload'" 0 "" in_root systemctl --system daemon-reload
out_is "deb-systemd-invoke's 'systemctl --quiet --system start UNIT'" 0 "" \
    in_root systemctl --quiet --system start pxprobe.service
out_is "deb-systemd-invoke's 'systemctl --system --quiet is-active -- UNIT'" 0 "" \
    in_root systemctl --system --quiet is-active -- pxprobe.service
out_is "deb-systemd-invoke stop's 'systemctl stop UNIT'" 0 "" in_root systemctl stop pxprobe.service
out_is "stopped" 3 inactive in_root systemctl is-active pxprobe.service
in_root rm -f /etc/systemd/system/pxprobe.service "$probe_link"
in_root systemctl daemon-reload >/dev/null 2>&1

# systemd starts any unit of its tree on demand, enabled or not (a static
# unit, a unit a script enables after its daemon-reload).
in_root sh -c 'cat >/etc/systemd/system/pxdemand.service' <<'EOF2'
[Service]
ExecStart=/bin/sleep 100003
EOF2
in_root systemctl daemon-reload >/dev/null 2>&1
rc_is "systemctl start of a static unit of /etc/systemd/system" 0 in_root systemctl start pxdemand.service
out_is "the static unit is active" 0 active in_root systemctl is-active pxdemand.service
in_root systemctl stop pxdemand.service >/dev/null 2>&1
in_root rm -f /etc/systemd/system/pxdemand.service

# --- dpkg -i: postinst enables and starts it.
rc_is "dpkg -i pxdemo 1.0 succeeds" 0 in_root dpkg -i /tmp/pxdemo_1.0_all.deb
printf '%s\n%s\n' "$OUT" "$ERR" >"$T/dpkg-install.txt"
link=/etc/systemd/system/multi-user.target.wants/pxdemo.service
out_is "postinst enabled it: the WantedBy link" 0 /lib/systemd/system/pxdemo.service in_root readlink "$link"
out_is "systemctl is-enabled pxdemo says enabled" 0 enabled in_root systemctl is-enabled pxdemo
that "postinst started it: systemctl is-active pxdemo" poll 5 is_active
rc_is "pxinit status pxdemo exits 0" 0 in_root pxinit status pxdemo
that "MainPID is the daemon's pid" pid_matches
that "journalctl -u pxdemo shows its first line" poll 5 journal_has "pxdemo 1.0 started"
pid1=$(main_pid)

# --- upgrade: postinst's "restart" branch (configure with the old version).
rc_is "dpkg -i pxdemo 1.1 (upgrade) succeeds" 0 in_root dpkg -i /tmp/pxdemo_1.1_all.deb
printf '%s\n%s\n' "$OUT" "$ERR" >"$T/dpkg-upgrade.txt"
new_pid() { pid_matches && [ "$(main_pid)" != "$pid1" ]; }
that "the upgrade restarted it (a new MainPID)" poll 5 new_pid
that "the restarted daemon is 1.1" poll 5 journal_has "pxdemo 1.1 started"
that "still active after the upgrade" is_active

# --- an admin's script: a new unit, daemon-reload, enable, restart.
in_root sh -c 'cat >/root/admin.sh' <<'EOF'
set -e
cat >/etc/systemd/system/pxextra.service <<EOT
[Unit]
Description=pxinit demo extra
[Service]
ExecStart=/bin/sleep 100001
[Install]
WantedBy=multi-user.target
EOT
systemctl daemon-reload
systemctl enable pxextra.service
systemctl restart pxextra.service
systemctl restart pxdemo
EOF
pid2=$(main_pid)
rc_is "a script's systemctl daemon-reload/enable/restart succeeds" 0 in_root sh /root/admin.sh
out_is "its enable made the link" 0 /etc/systemd/system/pxextra.service \
    in_root readlink /etc/systemd/system/multi-user.target.wants/pxextra.service
out_is "its unit is enabled" 0 enabled in_root systemctl is-enabled pxextra
out_is "its unit is active" 0 active in_root systemctl is-active pxextra
restarted() { pid_matches && [ "$(main_pid)" != "$pid2" ]; }
that "its restart of pxdemo gave a new MainPID" poll 5 restarted
if in_root test -L /etc/systemd/system/multi-user.target.wants/pxextra.service; then
    rc_is "systemctl disable --now pxextra" 0 in_root systemctl disable --now pxextra
    out_is "pxextra is inactive after disable --now" 3 inactive in_root systemctl is-active pxextra
    that "disable removed its link" in_root test ! -L /etc/systemd/system/multi-user.target.wants/pxextra.service
else
    echo "# not checked: disable --now (enable made no link)"
fi

# --- dpkg -r: prerm stops it; postrm reloads.
pid3=$(in_root cat /run/pxdemo.pid 2>/dev/null)
running() { [ -n "$pid3" ] && in_root kill -0 "$pid3" 2>/dev/null; }
was_running=no
running && was_running=yes
rc_is "dpkg -r pxdemo succeeds" 0 in_root dpkg -r pxdemo
printf '%s\n%s\n' "$OUT" "$ERR" >"$T/dpkg-remove.txt"
that "prerm stopped it (is-active: inactive)" poll 5 is_inactive
daemon_gone() { ! running; }
if [ "$was_running" = yes ]; then
    that "its process is gone" poll 5 daemon_gone
else
    echo "# not checked: its process is gone (it did not run)"
fi
that "the unit file is gone" in_root test ! -e /lib/systemd/system/pxdemo.service

# --- dpkg -P: postrm purge removes the links deb-systemd-helper made.
linked=no
in_root test -L "$link" && linked=yes
rc_is "dpkg -P pxdemo succeeds" 0 in_root dpkg -P pxdemo
if [ "$linked" = yes ]; then
    that "purge removed the WantedBy link" in_root test ! -L "$link"
else
    echo "# not checked: purge removes the link (there was none)"
fi
that "purge removed deb-systemd-helper's state" \
    in_root test ! -e /var/lib/systemd/deb-systemd-helper-enabled/pxdemo.service.dsh-also
rc_is "pxinit still answers after all that" 0 in_root pxinit status

# --- poweroff ends the container's init.
rc_is "systemctl poweroff" 0 in_root systemctl poweroff
poll 15 px_gone && good "poweroff ended pxinit" || bad "pxinit still runs 15s after systemctl poweroff"

host_state >"$T/host.after"
if cmp -s "$T/host.before" "$T/host.after"; then
    good "the host is untouched"
else
    bad "the host changed: $(diff "$T/host.before" "$T/host.after")"
fi
[ "$CHECKS_BAD" = 0 ] || echo "# dpkg's output: $T/dpkg-*.txt"
checks_done
