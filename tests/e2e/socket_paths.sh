#!/bin/bash
# Sockets in the file system and beside it (SPEC "Timers, sockets and
# targets", systemd.socket(5)): SocketMode= (default 0666),
# SocketUser=/SocketGroup=, DirectoryMode= for missing parents, Symlinks=,
# RemoveOnStop= (and a path that stays without it), ListenFIFO=,
# ListenDatagram= and ListenSequentialPacket= on unix paths, an abstract
# @name; a symlink planted where a socket or FIFO will be is not followed.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

# sock NAME LISTEN-LINES...: NAME.socket with those lines, and NAME.service
# running the helper with KINDS (default stream) into $T/NAME.d.
sock() {
    local name=$1 kinds=$2
    shift 2
    printf '[Socket]\n' >"$UNITS/$name.socket"
    printf '%s\n' "$@" >>"$UNITS/$name.socket"
    mkdir -p "$T/$name.d"
    unit "$name" <<EOF
[Service]
ExecStart=$SDL -e $kinds $T/$name.d
EOF
}
ABS="pxtest-$$-$RANDOM"

sock dflt stream "ListenStream=$T/dflt.sock"
sock mode stream "ListenStream=$T/mode.sock" "SocketMode=0600"
sock owner stream "ListenStream=$T/owner.sock" "SocketUser=nobody" "SocketGroup=nogroup"
sock dir stream "ListenStream=$T/deep/a/b/dir.sock" "DirectoryMode=0750"
sock link stream "ListenStream=$T/link.sock" "Symlinks=$T/link1 $T/link2" "RemoveOnStop=yes"
sock keep stream "ListenStream=$T/keep.sock"
sock fifo fifo "ListenFIFO=$T/fifo"
sock dg dgram "ListenDatagram=$T/dg.sock"
sock seq seqpacket "ListenSequentialPacket=$T/seq.sock"
sock abs stream "ListenStream=@$ABS"
# evil: nobody owns the directory and planted a symlink where the socket
# goes, at a root file that a chmod or chown through it would open up.
mkdir -p "$T/evil"
echo precious >"$T/target"
chmod 600 "$T/target"
ln -s "$T/target" "$T/evil/evil.sock"
chown -h nobody:nogroup "$T/evil/evil.sock"
chown nobody:nogroup "$T/evil"
sock evil stream "ListenStream=$T/evil/evil.sock" "SocketUser=nobody" "SocketMode=0666"
echo precious >"$T/target2"
chmod 600 "$T/target2"
ln -s "$T/target2" "$T/evil/evil.fifo"
chown -h nobody:nogroup "$T/evil/evil.fifo"
sock evilfifo fifo "ListenFIFO=$T/evil/evil.fifo" "SocketUser=nobody" "SocketMode=0666"
# plain: an ordinary service that looks for a socket as it starts; pxinit
# opens the sockets before any service starts.
unit plain <<EOF
[Service]
ExecStart=/bin/sh -c '[ -S $T/dflt.sock ] && [ -p $T/fifo ] && touch $T/plain.saw; touch $T/plain.ran; exec sleep 1000'
EOF

px_start
poll 10 test -e "$T/plain.ran" || fail "the boot did not start plain"
[ -e "$T/plain.saw" ] || fail "a service started at boot before the sockets were open"
for s in dflt mode owner dir link keep fifo dg seq abs; do
    poll 5 listening "$s.socket" || fail "$s.socket is not active/listening: $(ctl status "$s.socket" 2>&1)"
done

# --- modes, owners, parents ----------------------------------------------------------
[ -S "$T/dflt.sock" ] || fail "$T/dflt.sock is not a socket"
[ "$(stat -c %a "$T/dflt.sock")" = 666 ] || fail "default SocketMode: $(stat -c %a "$T/dflt.sock"), want 666"
[ "$(stat -c %a "$T/mode.sock")" = 600 ] || fail "SocketMode=0600: $(stat -c %a "$T/mode.sock")"
[ "$(stat -c %U:%G "$T/owner.sock")" = nobody:nogroup ] || fail "SocketUser/Group: $(stat -c %U:%G "$T/owner.sock")"
[ "$(stat -c %U:%G "$T/dflt.sock")" = root:root ] || fail "default owner: $(stat -c %U:%G "$T/dflt.sock")"
for d in "$T/deep" "$T/deep/a" "$T/deep/a/b"; do
    [ "$(stat -c %a "$d")" = 750 ] || fail "DirectoryMode=0750: $d is $(stat -c %a "$d")"
done
[ -S "$T/deep/a/b/dir.sock" ] || fail "no socket under the made directories"
fd_count() { ls "/proc/$PX_INIT/fd" | wc -l; }
BEFORE=$(fd_count)
for i in $(seq 1 20); do
    ctl stop mode.socket >/dev/null 2>&1 && ctl start mode.socket >/dev/null 2>&1 || fail "stop/start mode.socket, round $i"
done
poll 5 listening mode.socket || fail "mode.socket after 20 stops and starts: $(ctl status mode.socket 2>&1)"
fds_same() { [ "$(fd_count)" = "$BEFORE" ]; }
poll 5 fds_same || fail "pxinit holds $(fd_count) fds after 20 stops and starts of a socket, $BEFORE before"
[ "$(stat -c %a "$T/mode.sock")" = 600 ] || fail "SocketMode=0600 after a restart: $(stat -c %a "$T/mode.sock")"
pass "sockets open before the first service; SocketMode= (default 0666), SocketUser=/SocketGroup=, DirectoryMode= for missing parents; 20 stops and starts leak no fd"

# --- Symlinks=, RemoveOnStop= ----------------------------------------------------
for l in link1 link2; do
    [ "$(readlink "$T/$l")" = "$T/link.sock" ] || fail "Symlinks=: $T/$l -> '$(readlink "$T/$l")'"
done
B=$($CLIENT banner "$T/link1") || fail "connection through the symlink: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ link\.socket$ ]] || fail "link's banner: '$B'"
ctl stop link.socket >/dev/null 2>&1 || fail "stop link.socket failed"
poll 5 is_state link.socket inactive || fail "link.socket not inactive after stop: $(ctl status link.socket 2>&1)"
for p in link.sock link1 link2; do
    [ -e "$T/$p" ] || [ -L "$T/$p" ] && fail "RemoveOnStop=yes left $T/$p"
done
ctl stop keep.socket >/dev/null 2>&1 || fail "stop keep.socket failed"
poll 5 is_state keep.socket inactive || fail "keep.socket not inactive after stop"
[ -S "$T/keep.sock" ] || fail "without RemoveOnStop= the path was removed"
B=$($CLIENT banner "$T/keep.sock")
[ "$B" = refused ] || fail "a stopped socket still takes connections: '$B'"
ctl start keep.socket >/dev/null 2>&1 || fail "start keep.socket over its old socket file failed: $(ctl status keep.socket 2>&1)"
poll 5 listening keep.socket || fail "keep.socket does not listen again over its old socket file: $(ctl status keep.socket 2>&1)"
B=$($CLIENT banner "$T/keep.sock") || fail "connection to the restarted keep.socket: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ keep\.socket$ ]] || fail "keep's banner: '$B'"
pass "Symlinks= point at the socket; RemoveOnStop=yes removes path and links, the default keeps the path, which a new start replaces"

# --- ListenFIFO= -----------------------------------------------------------------
[ -p "$T/fifo" ] || fail "$T/fifo is not a FIFO"
[ "$(stat -c %a "$T/fifo")" = 666 ] || fail "the FIFO's mode: $(stat -c %a "$T/fifo")"
timeout 5 sh -c "echo through-the-fifo >'$T/fifo'" || fail "cannot write into the FIFO"
fifo_read() { grep -q through-the-fifo "$T"/fifo.d/*.fifo 2>/dev/null; }
poll 10 fifo_read || fail "a write to the FIFO did not start fifo.service: $(ctl status fifo 2>&1); $(cat "$T"/fifo.d/*.report 2>&1)"
R=$(cat "$T"/fifo.d/*.report)
[ "$(field "$R" check)" = ok ] || fail "fifo's check: $R"
[ "$(field "$R" fd3)" = "fifo $T/fifo" ] || fail "fd 3 is not the FIFO: $R"
pass "ListenFIFO=: a write starts the service, which reads it from fd 3"

# --- ListenDatagram=, ListenSequentialPacket=, abstract --------------------------
B=$($CLIENT dgram "$T/dg.sock" ping "$T/dg.client") || fail "no reply to a datagram: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ dg\.socket\ ping$ ]] || fail "dg's reply: '$B'"
R=$(cat "$T"/dg.d/*.report)
[ "$(field "$R" check)" = ok ] || fail "dg's check: $R"
[ "$(field "$R" fd3)" = "dgram not-listening $T/dg.sock" ] || fail "fd 3 of dg: $R"
pass "ListenDatagram= on a unix path: the first datagram starts the service, which gets it"

B=$($CLIENT banner "$T/seq.sock" seqpacket) || fail "connection to seq.sock: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ seq\.socket$ ]] || fail "seq's banner: '$B'"
R=$(cat "$T"/seq.d/*.report)
[ "$(field "$R" check)" = ok ] || fail "seq's check: $R"
pass "ListenSequentialPacket= on a unix path"

grep -q "@$ABS\$" /proc/net/unix || fail "@$ABS is not in /proc/net/unix"
[ -e "@$ABS" ] && fail "the abstract name made a file"
B=$($CLIENT banner "@$ABS") || fail "connection to @$ABS: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ abs\.socket$ ]] || fail "abs's banner: '$B'"
R=$(cat "$T"/abs.d/*.report)
[ "$(field "$R" fd3)" = "stream listening @$ABS" ] || fail "fd 3 of abs: $R"
pass "an abstract @name listens (in /proc/net/unix, no file)"

# --- a planted symlink is not followed -------------------------------------------------
[ "$(stat -c %U:%a "$T/target")" = root:600 ] || fail "the symlink was followed: the target is now $(stat -c %U:%a "$T/target")"
[ "$(cat "$T/target")" = precious ] || fail "the target's content changed"
[ -S "$T/target" ] && fail "a socket was bound at the symlink's target"
[ "$(stat -c %U:%a "$T/target2")" = root:600 ] || fail "the FIFO's symlink was followed: the target is now $(stat -c %U:%a "$T/target2")"
[ "$(cat "$T/target2")" = precious ] || fail "the FIFO symlink's target changed"
[ -L "$T/evil/evil.fifo" ] || [ -p "$T/evil/evil.fifo" ] || fail "what is at the FIFO's path now: $(ls -l "$T/evil")"
poll 5 is_state evilfifo.socket failed || fail "evilfifo.socket, whose path is a planted symlink, is not failed: $(ctl status evilfifo.socket 2>&1)"
poll 5 is_state evil.socket failed || fail "evil.socket, whose path is a planted symlink, is not failed: $(ctl status evil.socket 2>&1)"
log_has 'evil\.socket' || fail "no word in the log about evil.socket"
listening dflt.socket || fail "other sockets hurt"
pass "a symlink planted at a socket's path is not followed; the socket fails alone"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
