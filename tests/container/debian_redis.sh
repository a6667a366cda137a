#!/bin/bash
# Debian's redis-server under pxinit --systemd: its unit (Type=notify with
# --supervised systemd, RuntimeDirectory=redis, many sandboxing keys pxinit
# accepts without enforcing) starts at boot and answers redis-cli.
. "${srcdir:-.}/tests/container/lib.sh"
. "${srcdir:-.}/tests/container/debian_lib.sh"

n=$(ctr_name redis)
deb_run "$n"
poll 30 deb_active "$n" redis-server || fail "redis-server not active: $(ctr exec "$n" systemctl status redis-server 2>&1)"
pong() { [ "$(ctr exec "$n" redis-cli ping 2>/dev/null)" = PONG ]; }
poll 20 pong || fail "redis-cli ping: $(ctr exec "$n" redis-cli ping 2>&1)"
pass "redis-cli ping: PONG"
expect 0 ctr exec "$n" redis-cli set pxinit works
expect 0 ctr exec "$n" redis-cli get pxinit
[ "$(cat "$T/o")" = works ] || fail "redis-cli get: $(cat "$T/o")"
pass "redis-cli set/get"

# Type=notify: active only after READY=1, and the main pid is redis itself.
expect 0 ctr exec "$n" systemctl show -p MainPID --value redis-server
pid=$(cat "$T/o")
expect 0 ctr exec "$n" cat "/proc/$pid/comm"
grep -q redis "$T/o" || fail "MainPID $pid of redis-server is $(cat "$T/o")"
expect 0 ctr exec "$n" test -d /run/redis
pass "systemctl show: MainPID is redis-server; RuntimeDirectory /run/redis exists"
expect 0 ctr exec "$n" systemctl status redis-server
grep -qE 'Active: active \(running\)' "$T/o" || fail "systemctl status redis-server: $(cat "$T/o")"
pass "systemctl status redis-server: active (running)"

deb_stop_clean "$n"
