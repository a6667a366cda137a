#!/bin/bash
# The socket options SPEC lists, as the kernel reports them on the fds the
# service gets (systemd.socket(5)): KeepAlive=, NoDelay=, ReceiveBuffer=,
# SendBuffer=, ReusePort=, BindIPv6Only=ipv6-only, PassCredentials=,
# Backlog= (ss's Send-Q of a listener), a bare port on IPv6 and IPv4;
# `pxinit check` names the file and line of a malformed address.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

read -r P4 P6 PANY < <($CLIENT freeport 3 | tr '\n' ' ')
[ -n "$PANY" ] || fail "no free ports"
# A machine (or container) without IPv6 on loopback: the second entry is
# IPv4 too, and a bare port must fall back to 0.0.0.0 (checked instead).
if /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    HAVE6=1 V6ADDR="[::1]:$P6"
else
    HAVE6=0 V6ADDR="127.0.0.1:$P6"
    echo "note: no IPv6 on loopback: the IPv6 checks are replaced by the IPv4 fallback's"
fi
mkdir -p "$T/opts.d"
cat >"$UNITS/opts.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P4
ListenStream=$V6ADDR
ListenStream=$T/opts.sock
KeepAlive=yes
NoDelay=yes
ReceiveBuffer=300000
SendBuffer=300000
ReusePort=yes
BindIPv6Only=ipv6-only
PassCredentials=yes
Backlog=7
EOF
unit opts <<EOF
[Service]
ExecStart=$SDL -e stream,stream,stream $T/opts.d
EOF
# any: a bare port, both IPv4 and IPv6 (BindIPv6Only=default: both).
mkdir -p "$T/any.d"
cat >"$UNITS/any.socket" <<EOF
[Socket]
ListenStream=$PANY
EOF
unit any <<EOF
[Service]
ExecStart=$SDL -e stream $T/any.d
EOF
# --- pxinit check: a malformed address, with file:line ----------------------------
mkdir -p "$T/bad"
printf '[Socket]\nAccept=no\nListenStream=127.0.0.1:99999\n' >"$T/bad/bad.socket"
printf '[Socket]\nListenDatagram=not an address\n' >"$T/bad/worse.socket"
OUT=$("$PXINIT" check "$T/bad/bad.socket" "$T/bad/worse.socket" 2>&1)
rc=$?
[ "$rc" != 0 ] || fail "pxinit check passes malformed addresses: $OUT"
grep -q "bad\.socket:3" <<<"$OUT" || fail "check does not name bad.socket:3: $OUT"
grep -q "worse\.socket:2" <<<"$OUT" || fail "check does not name worse.socket:2: $OUT"
pass "pxinit check names file:line of malformed addresses"

px_start
poll 10 listening opts.socket || fail "opts.socket is not listening: $(ctl status opts.socket 2>&1)"

backlog=$(ss -Hltn "sport = :$P4" | awk '{print $3}')
[ "$backlog" = 7 ] || fail "Backlog=7: ss shows $backlog"
B=$($CLIENT banner "127.0.0.1:$P4") || fail "connection to opts.socket: $B"
[[ "$B" =~ ^pxtest\ ([0-9]+)\ opts\.socket$ ]] || fail "opts's banner: '$B'"
R=$(cat "$T/opts.d/${BASH_REMATCH[1]}.report")
[ "$(field "$R" check)" = ok ] || fail "opts's check: $R"
[ "$(field "$R" fd4)" = "stream listening $V6ADDR" ] || fail "fd 4 is not $V6ADDR: $R"
opt() { field "$R" "opt$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
[ "$(opt 3 keepalive)" = 1 ] || fail "KeepAlive=yes: $(field "$R" opt3)"
[ "$(opt 3 nodelay)" = 1 ] || fail "NoDelay=yes: $(field "$R" opt3)"
[ "$(opt 3 rcvbuf)" -ge 300000 ] || fail "ReceiveBuffer=300000: $(field "$R" opt3)"
[ "$(opt 3 sndbuf)" -ge 300000 ] || fail "SendBuffer=300000: $(field "$R" opt3)"
[ "$(opt 3 reuseport)" = 1 ] || fail "ReusePort=yes: $(field "$R" opt3)"
[ "$HAVE6" = 0 ] || [ "$(opt 4 v6only)" = 1 ] || fail "BindIPv6Only=ipv6-only: $(field "$R" opt4)"
[ "$(opt 5 passcred)" = 1 ] || fail "PassCredentials=yes on the unix socket: $(field "$R" opt5)"
pass "KeepAlive, NoDelay, ReceiveBuffer, SendBuffer, ReusePort, BindIPv6Only, PassCredentials, Backlog"

B=$($CLIENT banner "127.0.0.1:$PANY") || fail "a bare port over IPv4: $B"
[[ "$B" =~ ^pxtest\ ([0-9]+)\ any\.socket$ ]] || fail "any's banner: '$B'"
R=$(cat "$T/any.d/${BASH_REMATCH[1]}.report")
if [ "$HAVE6" = 1 ]; then
    [ "$(field "$R" fd3)" = "stream listening [::]:$PANY" ] || fail "a bare port is not [::]:$PANY: $R"
    [ "$(opt 3 v6only)" = 0 ] || fail "a bare port is IPv6-only: $(field "$R" opt3)"
    B=$($CLIENT banner "[::1]:$PANY") || fail "a bare port over IPv6: $B"
    [[ "$B" =~ ^pxtest\ [0-9]+\ any\.socket$ ]] || fail "any's banner over IPv6: '$B'"
    pass "a bare port listens on IPv6 and IPv4"
else
    # IPv6 sockets may still exist with no address on loopback: [::] then
    # still takes IPv4; without them, 0.0.0.0.
    case "$(field "$R" fd3)" in
    "stream listening [::]:$PANY" | "stream listening 0.0.0.0:$PANY") ;;
    *) fail "a bare port without IPv6 on loopback is neither [::] nor 0.0.0.0:$PANY: $R" ;;
    esac
    pass "a bare port listens for IPv4 where loopback has no IPv6"
fi

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
