#!/bin/bash
# Socket activation inside the Debian image under pxinit --systemd: a socket
# unit enabled in sockets.target.wants (as a package would) listens at boot;
# each connection starts an instance of pxecho@.service (Accept=yes,
# StandardInput=socket). A second socket (Accept=no) starts pxwait.service
# at its first connection, with the listening fd (LISTEN_FDS=1); journalctl
# -u pxwait shows what that service printed.
. "${srcdir:-.}/tests/container/lib.sh"
. "${srcdir:-.}/tests/container/debian_lib.sh"

mkdir -p "$T/wants"
cat >"$T/pxecho.socket" <<'EOF2'
[Unit]
Description=pxinit test echo socket

[Socket]
ListenStream=127.0.0.1:7777
Accept=yes

[Install]
WantedBy=sockets.target
EOF2
cat >"$T/pxecho@.service" <<'EOF2'
[Unit]
Description=pxinit test echo connection

[Service]
StandardInput=socket
StandardError=journal
ExecStart=/bin/sh -c 'read -r line; echo "echo: $line"; echo "served $line" >&2'
EOF2
cat >"$T/pxwait.socket" <<'EOF2'
[Socket]
ListenStream=127.0.0.1:7778

[Install]
WantedBy=sockets.target
EOF2
cat >"$T/pxwait.service" <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'echo "activated LISTEN_FDS=$LISTEN_FDS LISTEN_FDNAMES=$LISTEN_FDNAMES"; exec sleep 1000'
EOF2
ln -s /etc/systemd/system/pxecho.socket "$T/wants/pxecho.socket"
ln -s /etc/systemd/system/pxwait.socket "$T/wants/pxwait.socket"
n=$(ctr_name socket)
deb_run "$n" -v "$T/pxecho.socket:/etc/systemd/system/pxecho.socket:ro" \
    -v "$T/pxecho@.service:/etc/systemd/system/pxecho@.service:ro" \
    -v "$T/pxwait.socket:/etc/systemd/system/pxwait.socket:ro" \
    -v "$T/pxwait.service:/etc/systemd/system/pxwait.service:ro" \
    -v "$T/wants:/etc/systemd/system/sockets.target.wants:ro"

poll 20 deb_active "$n" pxecho.socket || fail "pxecho.socket not active: $(ctr exec "$n" systemctl status pxecho.socket 2>&1)"
expect 0 ctr exec "$n" systemctl list-sockets --no-pager
grep -qE '127\.0\.0\.1:7777 +pxecho\.socket' "$T/o" || fail "list-sockets: $(cat "$T/o")"
pass "pxecho.socket listens at boot (systemctl list-sockets)"

talk() { ctr exec "$n" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7777 && echo "$1" >&3 && timeout 10 cat <&3' bash "$1"; }
for w in one two; do
    out=$(talk "$w") || fail "connection $w failed: $out"
    [ "$out" = "echo: $w" ] || fail "connection $w got '$out'"
done
pass "two connections, each answered by its own pxecho@ instance"

# The instances' stderr goes to pxinit's stdout (podman logs), prefixed.
ctr_logs_have "$n" '^pxecho@.*served two$' || fail "podman logs lack 'served two': $(ctr logs "$n" 2>&1 | tail)"
pass "podman logs show what the instances printed to stderr"

expect 3 ctr exec "$n" systemctl is-active pxwait.service
expect 0 ctr exec "$n" bash -c 'exec 3<>/dev/tcp/127.0.0.1/7778'
poll 20 deb_active "$n" pxwait.service || fail "pxwait.service not started by a connection: $(ctr exec "$n" systemctl status pxwait.socket pxwait.service 2>&1)"
pass "Accept=no: the first connection started pxwait.service"
logged() { ctr exec "$n" journalctl -u pxwait --no-pager -o cat 2>/dev/null | grep -qx "activated LISTEN_FDS=1 LISTEN_FDNAMES=pxwait.socket"; }
poll 10 logged || fail "journalctl -u pxwait: $(ctr exec "$n" journalctl -u pxwait --no-pager 2>&1)"
pass "journalctl -u pxwait: the service got the listening fd (LISTEN_FDS=1)"

deb_stop_clean "$n"
