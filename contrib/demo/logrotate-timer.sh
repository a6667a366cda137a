#!/bin/sh
# logrotate-timer.sh - Debian's own logrotate.timer and logrotate.service,
# as the package ships them, run by pxinit --systemd as PID 1 of a Debian 12
# container (issue 17). No unit file is written or changed.
#
#     contrib/demo/logrotate-timer.sh [PXINIT] [DIR]     (as root)
#
# PXINIT: a static pxinit (default src/pxinit of a build in this tree).
# DIR: where the image's tree is made once with debootstrap (minbase, plus
# logrotate; default /var/tmp/pxinit-logrotate; delete it for a new one).
# The mirror is the first one apt uses on this machine (MIRROR= to choose).
#
# What it does: copies pxinit into the tree, then sets up what a container
# that was stopped for three days has: the timer's Persistent= stamp under
# pxinit's state directory three days old (/var/lib/pxinit/timers/
# stamp-logrotate.timer, the file systemd keeps in /var/lib/systemd/timers),
# and logrotate's own state saying dpkg.log and alternatives.log were last
# rotated two months ago (their /etc/logrotate.d entries say "monthly").
# So the daily elapse was missed: Persistent=true makes the timer fire once
# after start. First boot: the units as packaged; AccuracySec=1h lets that
# elapse fire up to an hour later (as systemd does), so the demo only shows it
# due and stops. Second boot: a drop-in in /etc/systemd/system/
# logrotate.timer.d/ sets AccuracySec=1s (removed afterwards); the timer
# fires, the service runs logrotate, which rotates those two logs. The tree
# becomes the root of new PID and mount namespaces (pivot_root, as
# tests/fresh_debian.sh does), with /sys from the host: its
# /sys/class/power_supply reports no battery and no mains supply, where the
# service's ConditionACPower=true must hold (systemd: true unless on battery).
# The client runs inside the container (nsenter), as `docker exec` would.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PXINIT=${1:-$TOP/src/pxinit}
DIR=${2:-/var/tmp/pxinit-logrotate}
R=$DIR/root
[ "$(id -u)" = 0 ] || { echo "logrotate-timer.sh: needs root" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "logrotate-timer.sh: no pxinit at $PXINIT" >&2; exit 1; }
if ldd "$PXINIT" >/dev/null 2>&1; then
    echo "logrotate-timer.sh: $PXINIT is not static (configure without --disable-static-binary)" >&2
    exit 1
fi

if [ ! -x "$R/usr/sbin/logrotate" ]; then
    command -v debootstrap >/dev/null || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    }
    MIRROR=${MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}')}
    rm -rf "$R"
    mkdir -p "$DIR"
    debootstrap --variant=minbase --include=logrotate bookworm "$R" "$MIRROR"
fi

step() { printf '\n$ %s\n' "$*"; }

# --- the image as a stopped container would have it ---------------------------
install -m 0755 "$PXINIT" "$R/usr/local/sbin/pxinit"
rm -rf "$R/var/lib/pxinit" "$R/run/pxinit"
mkdir -p "$R/var/lib/pxinit/timers" "$R/var/lib/logrotate"
now=$(date +%s)
touch -d "@$((now - 3 * 86400))" "$R/var/lib/pxinit/timers/stamp-logrotate.timer"
# The state of logrotate's own: the two logs' last rotation two months ago.
old=$(date -u -d "@$((now - 62 * 86400))" +%Y-%-m-%-d-0:0:0)
printf 'logrotate state -- version 2\n"/var/log/dpkg.log" %s\n"/var/log/alternatives.log" %s\n' \
    "$old" "$old" >"$R/var/lib/logrotate/status"
chmod 0640 "$R/var/lib/logrotate/status" # as logrotate keeps it (no warning)
rm -f "$R"/var/log/dpkg.log.* "$R"/var/log/alternatives.log.*
[ -s "$R/var/log/dpkg.log" ] || echo "$(date '+%F %T') startup packages configure" >"$R/var/log/dpkg.log"

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) pxinit: $("$PXINIT" --version | head -1), image: Debian $(cat "$R/etc/debian_version"), logrotate $(chroot "$R" dpkg-query -W -f '${Version}' logrotate)"
step "cat /lib/systemd/system/logrotate.timer   # as packaged"
cat "$R/lib/systemd/system/logrotate.timer"
step "grep -v '^#' /lib/systemd/system/logrotate.service | grep .   # as packaged"
grep -v '^#' "$R/lib/systemd/system/logrotate.service" | grep .
step "ls /etc/systemd/system/timers.target.wants/ /etc/systemd/system/multi-user.target.wants/"
ls "$R/etc/systemd/system/timers.target.wants/" "$R/etc/systemd/system/multi-user.target.wants/"
step "ls -A /sys/class/power_supply   # the host's, seen by the container: no battery, no mains"
ls -A /sys/class/power_supply 2>&1 || true
step "ls -l --time-style=+%F /var/lib/pxinit/timers/   # the last trigger, 3 days ago"
ls -l --time-style=+%F "$R/var/lib/pxinit/timers/"
step "cat /var/lib/logrotate/status"
cat "$R/var/lib/logrotate/status"
step "ls -l /var/log   # before"
ls -l --time-style=+%T "$R/var/log"

# --- pxinit as PID 1 of the container -------------------------------------------
LOG=$DIR/pxinit.out
NS= INIT=
# boot: pxinit --systemd as PID 1 of new PID and mount namespaces whose root
# is the tree; its stdout is appended to $LOG.
boot() {
    unshare --pid --fork --mount --propagation private sh -c '
        F=$1
        mount --bind "$F" "$F" && mount -t proc proc "$F/proc" &&
            mount --rbind /sys "$F/sys" && mount --rbind /dev "$F/dev" &&
            mount -t tmpfs tmp "$F/tmp" && mount -t tmpfs run "$F/run" &&
            mkdir -p "$F/.oldroot" && cd "$F" && pivot_root . .oldroot && umount -l /.oldroot &&
            exec /usr/bin/env -i PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC \
                /usr/local/sbin/pxinit --systemd
    ' sh "$R" >>"$LOG" 2>&1 </dev/null &
    NS=$!
    INIT=
    for _ in $(seq 1 200); do
        INIT=$(cat /proc/$NS/task/*/children 2>/dev/null | awk '{print $1; exit}')
        [ -n "$INIT" ] && [ "$(readlink /proc/"$INIT"/exe 2>/dev/null)" = /usr/local/sbin/pxinit ] && break
        sleep 0.05
    done
    # Until the timers are armed.
    for _ in $(seq 1 100); do
        px status logrotate.timer 2>/dev/null | grep -q waiting && break
        sleep 0.1
    done
}
# stop: SIGTERM to PID 1, as `docker stop`; SIGKILL after 15 s.
stop() {
    [ -n "$INIT" ] || return 0
    kill -TERM "$INIT" 2>/dev/null || true
    for _ in $(seq 1 150); do
        kill -0 "$INIT" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$INIT" 2>/dev/null || true
    wait "$NS" 2>/dev/null || true
    INIT=
}
trap stop EXIT
# The client inside the container: its mount and PID namespaces, its root.
px() { nsenter -t "$INIT" -m -p -r -w /usr/local/sbin/pxinit "$@"; }

: >"$LOG"
echo
echo "# 1. The packaged units as they are. The missed daily elapse is due at once, and"
echo "#    AccuracySec=1h lets it fire anywhere in the hour after: pxinit, as systemd's"
echo "#    sd-event, wakes at the latest whole minute of that window (one wakeup shared"
echo "#    with other timers), so logrotate would run about an hour after start."
boot
step "pxinit list-timers"
px list-timers || true
step "pxinit status logrotate.timer"
px status logrotate.timer || true
step "kill -TERM <pxinit>   # docker stop"
stop
echo "(pxinit stopped: logrotate.service did not run; the stamp still says 3 days ago)"
step "ls -l --time-style=+%F /var/lib/pxinit/timers/stamp-logrotate.timer"
ls -l --time-style=+%F "$R/var/lib/pxinit/timers/stamp-logrotate.timer"

echo
echo "# 2. Not to wait an hour here: a drop-in narrows the window to a second, as an"
echo "#    admin would with systemd (the packaged files stay as shipped)."
mkdir -p "$R/etc/systemd/system/logrotate.timer.d"
printf '[Timer]\nAccuracySec=1s\n' >"$R/etc/systemd/system/logrotate.timer.d/demo-accuracy.conf"
step "cat /etc/systemd/system/logrotate.timer.d/demo-accuracy.conf"
cat "$R/etc/systemd/system/logrotate.timer.d/demo-accuracy.conf"
boot
# Until logrotate.service has run once (its last exit is known), 60 s at most.
ran=0
for _ in $(seq 1 600); do
    if px status --json logrotate.service 2>/dev/null | grep -q '"last_exit":{"code":[0-9]'; then
        ran=1
        break
    fi
    sleep 0.1
done

step "pxinit list-timers"
px list-timers || true
step "pxinit status logrotate.timer logrotate.service"
px status logrotate.timer logrotate.service || true
step "pxinit status --json logrotate.timer logrotate.service"
px status --json logrotate.timer logrotate.service >"$DIR/status.json" || true
cat "$DIR/status.json"
echo
step "pxinit status   # every unit --systemd loaded"
px status || true
step "ls -l /var/log   # after"
ls -l --time-style=+%T "$R/var/log"
step "cat /var/lib/logrotate/status"
cat "$R/var/lib/logrotate/status"
step "ls -l --time-style=+%FT%T /var/lib/pxinit/timers/   # logrotate's stamp: now"
ls -l --time-style=+%FT%T "$R/var/lib/pxinit/timers/"
step "kill -TERM <pxinit>   # docker stop"
stop
rm -rf "$R/etc/systemd/system/logrotate.timer.d"
step "pxinit's own output (PID 1's stdout, both boots)"
cat "$LOG"

ok=1
[ "$ran" = 1 ] || { echo "FAIL: logrotate.service did not run within 60 s"; ok=0; }
grep -q '"name":"logrotate",[^}]*"last_exit":{"code":0,' "$DIR/status.json" ||
    { echo "FAIL: logrotate.service did not exit 0"; ok=0; }
grep -q 'logrotate.*condition.*not met' "$LOG" && { echo "FAIL: a condition of logrotate.service did not hold"; ok=0; }
[ -f "$R/var/log/dpkg.log.1" ] || { echo "FAIL: dpkg.log was not rotated"; ok=0; }
[ "$ok" = 1 ] && echo "ok: logrotate.timer fired at start (Persistent=true, a missed elapse), logrotate.service ran (exit 0) and rotated dpkg.log"
[ "$ok" = 1 ]
