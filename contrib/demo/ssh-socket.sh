#!/bin/sh
# ssh-socket.sh - Debian's own ssh.socket and ssh.service, as openssh-server
# ships them, run by pxinit --systemd as PID 1 of a Debian 12 container
# (issue 18): the socket is enabled under sockets.target.wants/, the first TCP
# connection to port 22 starts sshd, which answers with its banner
# ("SSH-2.0-OpenSSH_9.2p1 Debian-..."). No packaged unit file is changed.
#
#     contrib/demo/ssh-socket.sh [PXINIT] [DIR]     (as root)
#
# PXINIT: a static pxinit with socket units (default src/pxinit of a build
# in this tree). DIR: where the image's tree is made once with debootstrap
# (minbase, plus openssh-server; default /var/tmp/pxinit-ssh; delete it for
# a new one). The mirror is the first one apt uses on this machine (MIRROR=
# to choose).
#
# Debian 12's ssh.socket is Accept=no (ListenStream=22): it activates
# ssh.service (`sshd -D`, Type=notify), whose Debian build takes the
# listening fd through sd_listen_fds(). The package enables ssh.service
# under multi-user.target.wants/; the demo makes the switch that the
# package's README.Debian ("Socket-based activation with systemd")
# describes: `systemctl disable ssh.service` and `systemctl enable
# ssh.socket`, here as the two symlinks those commands make (removing
# sshd.service's alias too).
#
# The container gets its own network namespace (`unshare --net`, lo up), so
# port 22 is its own even when the host runs an sshd, and no traffic leaves
# it. The client is bash's /dev/tcp inside that namespace (nsenter -n), as
# a client on the container's network would see it; the second connection
# reaches the sshd that the first one started. The tree becomes the root of
# new PID and mount namespaces (pivot_root, as tests/fresh_debian.sh does).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PXINIT=${1:-$TOP/src/pxinit}
DIR=${2:-/var/tmp/pxinit-ssh}
R=$DIR/root
[ "$(id -u)" = 0 ] || { echo "ssh-socket.sh: needs root" >&2; exit 1; }
[ -x "$PXINIT" ] || { echo "ssh-socket.sh: no pxinit at $PXINIT" >&2; exit 1; }
if ldd "$PXINIT" >/dev/null 2>&1; then
    echo "ssh-socket.sh: $PXINIT is not static (configure without --disable-static-binary)" >&2
    exit 1
fi

if [ ! -x "$R/usr/sbin/sshd" ]; then
    command -v debootstrap >/dev/null || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    }
    MIRROR=${MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}')}
    rm -rf "$R"
    mkdir -p "$DIR"
    debootstrap --variant=minbase --include=openssh-server bookworm "$R" "$MIRROR"
fi

step() { printf '\n$ %s\n' "$*"; }

# --- the image: ssh.socket enabled instead of ssh.service ----------------------------
install -m 0755 "$PXINIT" "$R/usr/local/sbin/pxinit"
rm -rf "$R/run/pxinit" "$R/etc/systemd/system/ssh.socket.d"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) pxinit: $("$PXINIT" --version | head -1), image: Debian $(cat "$R/etc/debian_version"), openssh-server $(chroot "$R" dpkg-query -W -f '${Version}' openssh-server)"
step "cat /lib/systemd/system/ssh.socket   # as packaged"
cat "$R/lib/systemd/system/ssh.socket"
step "grep -v '^#' /lib/systemd/system/ssh.service | grep .   # as packaged"
grep -v '^#' "$R/lib/systemd/system/ssh.service" | grep .
# README.Debian: systemctl disable ssh.service; systemctl enable ssh.socket.
W=$R/etc/systemd/system
step "rm multi-user.target.wants/ssh.service; ln -s /lib/systemd/system/ssh.socket sockets.target.wants/"
rm -f "$W/multi-user.target.wants/ssh.service" "$W/sshd.service"
mkdir -p "$W/sockets.target.wants"
ln -sfn /lib/systemd/system/ssh.socket "$W/sockets.target.wants/ssh.socket"
step "ls -l /etc/systemd/system/sockets.target.wants/ /etc/systemd/system/multi-user.target.wants/"
ls -l "$W/sockets.target.wants/" "$W/multi-user.target.wants/" 2>&1 || true

# --- pxinit as PID 1 of the container --------------------------------------------
LOG=$DIR/pxinit.out
NS="" INIT=""
boot() {
    unshare --pid --fork --mount --net --propagation private sh -c '
        F=$1
        ip link set lo up &&
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
}
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
# banner: the first line a connection to port 22 gets, from the container's
# network (bash /dev/tcp, 5 s at most).
banner() {
    nsenter -t "$INIT" -n timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/22 && head -n 1 <&3 | tr -d "\r"'
}

: >"$LOG"
boot
# Until port 22 listens (pxinit opened it; sshd is not running yet).
for _ in $(seq 1 100); do
    nsenter -t "$INIT" -n ss -Hltn 'sport = :22' 2>/dev/null | grep -q LISTEN && break
    sleep 0.1
done
step "ss -ltnp   # in the container: pxinit holds port 22"
nsenter -t "$INIT" -n ss -ltnp || true
step "pxinit list-sockets"
px list-sockets || true
step "pxinit status ssh.socket ssh.service   # before the first connection: sshd not started"
px status ssh.socket ssh.service || true
step "exec 3<>/dev/tcp/127.0.0.1/22; head -n 1 <&3   # the first connection starts ssh.service"
first=$(banner || true)
echo "$first"
step "exec 3<>/dev/tcp/127.0.0.1/22; head -n 1 <&3   # a second connection, sshd already running"
second=$(banner || true)
echo "$second"
step "pxinit status ssh.socket ssh.service"
px status ssh.socket ssh.service || true
step "pxinit status --json ssh.socket"
px status --json ssh.socket || true
echo
step "ss -ltnp   # sshd got the listening socket from pxinit (LISTEN_FDS), bound nothing itself"
nsenter -t "$INIT" -n ss -ltnp || true
step "kill -TERM <pxinit>   # docker stop"
stop
step "pxinit's own output (PID 1's stdout)"
cat "$LOG"

ok=1
case $first in SSH-2.0-OpenSSH_*) ;; *) echo "FAIL: the first connection got no SSH banner: '$first'"; ok=0 ;; esac
case $second in SSH-2.0-OpenSSH_*) ;; *) echo "FAIL: the second connection got no SSH banner: '$second'"; ok=0 ;; esac
[ "$ok" = 1 ] && echo "ok: ssh.socket (Accept=no, enabled under sockets.target.wants/) started ssh.service on the first connection; sshd answered '$first'"
[ "$ok" = 1 ]
