#!/bin/bash
# daemon-reload and sockets (SPEC "Timers, sockets and targets", "Control
# verbs": re-read unit files, start new, stop removed, restart changed):
# an unchanged socket keeps its fd (the same socket inode in PID 1 before
# and after) and a client waiting in its backlog across the reload is
# served; a changed socket listens on its new port and not on the old; a
# removed socket is closed; a new one listens.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

# tcp_inode PORT: the inode of the socket listening on 127.0.0.1:PORT.
tcp_inode() { awk -v a="0100007F:$(printf %04X "$1")" '$2 == a && $4 == "0A" {print $10}' /proc/net/tcp; }
px_holds() { ls -l "/proc/$PX_INIT/fd" 2>/dev/null | grep -q "socket:\[$1\]"; }
# service NAME: NAME.service serving its socket.
service() {
    mkdir -p "$T/$1.d"
    unit "$1" <<EOF
[Service]
ExecStart=$SDL -e stream $T/$1.d
EOF
}
socket() { printf '[Socket]\nListenStream=127.0.0.1:%s\n' "$2" >"$UNITS/$1.socket"; }

read -r P_KEEP P_OLD P_NEW P_GONE P_ADD P_ACC < <($CLIENT freeport 6 | tr '\n' ' ')
[ -n "$P_ACC" ] || fail "no free ports"
socket keep "$P_KEEP"
# keep's service waits in ExecStartPre until told, so that its first
# client sits in the backlog of pxinit's fd across the reload.
mkdir -p "$T/keep.d"
unit keep <<EOF
[Service]
ExecStartPre=/bin/sh -c 'touch $T/keep.pre; while [ ! -e $T/go ]; do sleep 0.05; done'
ExecStart=$SDL -e stream $T/keep.d
EOF
socket moved "$P_OLD"
service moved
socket gone "$P_GONE"
service gone

# acc: Accept=yes, an instance holds its connection across the reload.
printf '[Socket]\nListenStream=127.0.0.1:%s\nAccept=yes\n' "$P_ACC" >"$UNITS/acc.socket"
mkdir -p "$T/acc.d" "$T/hold"
unit acc@ <<EOF
[Service]
ExecStart=$SDL -c $T/acc.d
EOF
instances() { ctl status 2>/dev/null | awk -v p="$1@" 'index($1, p) == 1 {print $1}'; }

px_start
for s in keep moved gone acc; do
    poll 10 listening "$s.socket" || fail "$s.socket is not active/listening: $(ctl status "$s.socket" 2>&1)"
done
I_KEEP=$(tcp_inode "$P_KEEP")
I_GONE=$(tcp_inode "$P_GONE")
[ -n "$I_KEEP" ] && px_holds "$I_KEEP" || fail "pxinit holds no socket listening on $P_KEEP ($I_KEEP)"
[ -n "$I_GONE" ] && px_holds "$I_GONE" || fail "pxinit holds no socket listening on $P_GONE ($I_GONE)"

# A client of keep: its service starts and waits in ExecStartPre.
$CLIENT banner "127.0.0.1:$P_KEEP" >"$T/keep.client" 2>&1 &
KC=$!
poll 10 test -e "$T/keep.pre" || fail "keep's first client did not start keep: $(ctl status keep 2>&1)"

$CLIENT hold "127.0.0.1:$P_ACC" 1 "$T/hold" &
HOLD=$!
poll 10 test -e "$T/hold/conn.1" || fail "acc's first connection not answered"
grep -q '^pxtest ' "$T/hold/conn.1" || fail "acc's banner: $(cat "$T/hold/conn.1")"
INST=$(instances acc)
[ -n "$INST" ] || fail "no instance of acc listed"

socket moved "$P_NEW"
rm "$UNITS/gone.socket"
socket added "$P_ADD"
service added
ctl daemon-reload >"$T/reload.out" 2>&1 || fail "daemon-reload failed: $(cat "$T/reload.out")"

# --- the unchanged socket keeps its fd ---------------------------------------------
[ "$(tcp_inode "$P_KEEP")" = "$I_KEEP" ] || fail "keep.socket's socket changed across the reload: $I_KEEP -> $(tcp_inode "$P_KEEP")"
px_holds "$I_KEEP" || fail "pxinit no longer holds keep.socket's fd (socket:[$I_KEEP])"
touch "$T/go"
wait "$KC"
grep -qE '^pxtest [0-9]+ keep\.socket$' "$T/keep.client" || fail "the client waiting across the reload got '$(cat "$T/keep.client")'"
listening keep.socket || is_state keep.socket active || fail "keep.socket after the reload: $(ctl status keep.socket 2>&1)"
pass "daemon-reload keeps an unchanged socket's fd; the client in its backlog is served"

# --- an Accept=yes instance across the reload --------------------------------------------
[ "$(instances acc)" = "$INST" ] || fail "acc's instance after the reload: '$(instances acc)', was '$INST'"
OUT=$($CLIENT echo "127.0.0.1:$P_ACC" after-reload) || fail "acc does not serve after the reload: $OUT"
touch "$T/hold/release"
wait "$HOLD"
no_acc() { [ -z "$(instances acc)" ]; }
poll 10 no_acc || fail "acc's instances did not end after the reload: $(instances acc)"
pass "an Accept=yes instance runs on across the reload, and its socket serves"

# --- changed, removed, added ---------------------------------------------------------
new_up() { [ -n "$(tcp_inode "$P_NEW")" ]; }
poll 10 new_up || fail "moved.socket does not listen on its new port $P_NEW: $(ctl status moved.socket 2>&1)"
B=$($CLIENT banner "127.0.0.1:$P_NEW") || fail "connection to moved's new port: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ moved\.socket$ ]] || fail "moved's banner on its new port: '$B'"
old_down() { [ -z "$(tcp_inode "$P_OLD")" ]; }
poll 5 old_down || fail "moved.socket still listens on its old port $P_OLD"
pass "a changed socket listens on its new port, not on the old one"

gone_closed() { [ -z "$(tcp_inode "$P_GONE")" ] && ! px_holds "$I_GONE"; }
poll 5 gone_closed || fail "the removed gone.socket is still open (port $P_GONE)"
B=$($CLIENT banner "127.0.0.1:$P_GONE")
[ "$B" = refused ] || fail "the removed socket's port answers: '$B'"
pass "a removed socket is closed"

poll 10 listening added.socket || fail "added.socket does not listen after the reload: $(ctl status added.socket 2>&1)"
B=$($CLIENT banner "127.0.0.1:$P_ADD") || fail "connection to added.socket: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ added\.socket$ ]] || fail "added's banner: '$B'"
pass "a socket added before the reload listens"

# --- reloads with nothing changed leak nothing --------------------------------------------
fd_count() { ls "/proc/$PX_INIT/fd" | wc -l; }
BEFORE=$(fd_count)
for i in $(seq 1 10); do
    ctl daemon-reload >/dev/null 2>&1 || fail "daemon-reload $i failed"
done
fds_same() { [ "$(fd_count)" = "$BEFORE" ]; }
poll 5 fds_same || fail "pxinit holds $(fd_count) fds after 10 reloads, $BEFORE before"
[ "$(tcp_inode "$P_KEEP")" = "$I_KEEP" ] || fail "keep.socket's socket changed over 10 reloads"
pass "10 more reloads: the same fds, keep.socket's socket still the first"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
