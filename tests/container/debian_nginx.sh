#!/bin/bash
# Debian's nginx package under pxinit --systemd: the unit the package enabled
# starts at boot (Type=forking, PIDFile, ExecStartPre), serves a page, and
# systemctl/journalctl inside the container show it. podman stop ends it.
. "${srcdir:-.}/tests/container/lib.sh"
. "${srcdir:-.}/tests/container/debian_lib.sh"

n=$(ctr_name nginx)
deb_run "$n"
poll 30 deb_active "$n" nginx || fail "nginx not active: $(ctr exec "$n" systemctl status nginx 2>&1)"
expect 0 ctr exec "$n" curl -fsS http://127.0.0.1/
grep -q 'Welcome to nginx' "$T/o" || fail "nginx served: $(head -5 "$T/o")"
pass "curl inside the container gets nginx's page"

expect 0 ctr exec "$n" systemctl status nginx
grep -qE 'Active: active \(running\)' "$T/o" || fail "systemctl status nginx: $(cat "$T/o")"
grep -q 'nginx.service' "$T/o" || fail "systemctl status nginx names no unit: $(cat "$T/o")"
pass "systemctl status nginx: active (running)"
expect 0 ctr exec "$n" systemctl is-enabled nginx
expect 0 ctr exec "$n" systemctl show -p MainPID --value nginx
pid=$(cat "$T/o")
[ "$pid" -gt 1 ] 2>/dev/null || fail "MainPID of nginx: '$pid'"
expect 0 ctr exec "$n" cat /run/nginx.pid
[ "$(cat "$T/o")" = "$pid" ] || fail "MainPID $pid is not nginx's PIDFile $(cat "$T/o")"
pass "systemctl show: MainPID is the PIDFile's pid"

# A reload goes to the running master (ExecReload), which keeps serving.
expect 0 ctr exec "$n" systemctl reload nginx
expect 0 ctr exec "$n" systemctl show -p MainPID --value nginx
[ "$(cat "$T/o")" = "$pid" ] || fail "reload changed MainPID from $pid to $(cat "$T/o")"
expect 0 ctr exec "$n" curl -fsS -o /dev/null http://127.0.0.1/
pass "systemctl reload nginx: same master, still serving"

# journalctl -u nginx reads what pxinit kept of the unit's output. nginx
# writes its own log files and nothing to stdout, so the journal may be empty
# ("-- No entries --"); debian_socket.sh checks lines a unit printed.
expect 0 ctr exec "$n" journalctl -u nginx --no-pager -n 20
pass "journalctl -u nginx: exit 0"

expect 0 ctr exec "$n" systemctl restart nginx
poll 20 deb_active "$n" nginx || fail "nginx not active after restart"
expect 0 ctr exec "$n" systemctl show -p MainPID --value nginx
[ "$(cat "$T/o")" != "$pid" ] || fail "restart kept MainPID $pid"
expect 0 ctr exec "$n" curl -fsS -o /dev/null http://127.0.0.1/
pass "systemctl restart nginx: new master, serving"

deb_stop_clean "$n"
ctr logs "$n" 2>&1 | grep -qiE 'nginx' || fail "podman logs never mention nginx: $(ctr logs "$n" 2>&1 | tail)"
