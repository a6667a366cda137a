#!/bin/bash
# With nothing to watch but signals (a main command, no units), pxinit waits
# in sigwaitinfo rather than in epoll_wait (signals.c, signals_sleep), and
# still hears of everything else: forwarded signals, control clients (more
# than one accept batch at once), a flood on the notify socket, orphans,
# SIGTERM's grace timer after a long sleep, SIGHUP's reload without a main.
# With the sigwait trick off (PXINIT_PLAIN=all or sigwait, tricks.h) the
# same must hold with pxinit idle in libev's epoll_wait, the plain way.
. "${srcdir:-.}/tests/e2e/lib.sh"

case $(uname -m) in
x86_64) SYS_SIGTIMEDWAIT=128 SYS_EPOLL_WAIT="232 281" ;;
aarch64) SYS_SIGTIMEDWAIT=137 SYS_EPOLL_WAIT=22 ;;
*) echo "no rt_sigtimedwait number for $(uname -m)"; exit 77 ;;
esac
case ",${PXINIT_PLAIN:-}," in
*,all,* | *,1,* | *,sigwait,*) IDLE_WAIT=$SYS_EPOLL_WAIT ;;
*) IDLE_WAIT=$SYS_SIGTIMEDWAIT ;;
esac
# pxinit is blocked in its idle wait now (/proc/PID/syscall's first field):
# rt_sigtimedwait, or epoll_wait with the trick off.
in_sigwait() {
    local nr w
    nr=$(cut -d' ' -f1 "/proc/$PX_INIT/syscall" 2>/dev/null) || return 1
    for w in $IDLE_WAIT; do [ "$nr" = "$w" ] && return 0; done
    return 1
}
# A control client started in the background (timeout's child, $client):
# connected, its request written, it waits for the answer.
client_waiting() {
    local c
    c=$(pgrep -P "$client" | head -n 1)
    [ -n "$c" ] && in_poll "$c"
}

script counter.sh <<'EOF2'
n=0
trap 'n=$((n+1)); echo $n > "$T/usr1.count"' USR1
trap 'exit 0' TERM
echo ready > "$T/main.ready"
while :; do sleep 0.01; done
EOF2
px_start --no-units -- "$T/counter.sh"
poll 5 test -s "$T/main.ready" || fail "main did not start"
poll 5 in_sigwait || fail "idle pxinit not in sigtimedwait: $(cat "/proc/$PX_INIT/syscall")"
pass "an idle entrypoint waits in sigtimedwait"

for i in 1 2 3; do
    px_signal USR1
    poll 5 sh -c "[ \"\$(cat $T/usr1.count 2>/dev/null)\" = $i ]" || fail "USR1 number $i not forwarded"
done
poll 5 in_sigwait || fail "not back in sigtimedwait after forwarding"
pass "signals forwarded one by one from sigtimedwait"

# 150 clients at once: more than one wakeup's accept batch and more than
# the daemon's client cap (64 each). Through the socket: status alone would
# read the status board and never connect. Every one is answered: a burst
# is neither refused nor evicted (control.c).
clients=()
for i in $(seq 150); do
    (PXINIT_NO_BOARD=1 timeout 10 "$PXINIT" -R "$RUN" status >/dev/null 2>&1
        echo $? >>"$T/clients") &
    clients+=($!)
done
wait "${clients[@]}"
[ "$(count_lines "$T/clients")" = 150 ] || fail "clients finished: $(count_lines "$T/clients")"
[ "$(grep -cx 0 "$T/clients")" = 150 ] || fail "client exits: $(sort "$T/clients" | uniq -c | tr '\n' ' ')"
poll 5 in_sigwait || fail "not back in sigtimedwait after the clients"
pass "150 simultaneous control clients answered, then back to sigtimedwait"

# 3000 datagrams: far more than the socket queues (net.unix.max_dgram_qlen)
# and than one wakeup reads, so the sender blocks unless pxinit drains.
msgs=$(seq -f 'STATUS=%g' 3000)
# shellcheck disable=SC2086 # one message per word
NOTIFY_SOCKET="$RUN/notify" timeout 20 "${HELPERS:?}/pxtest-notify" -x 0 $msgs ||
    fail "notify flood not drained (sender exit $?)"
poll 5 in_sigwait || fail "not back in sigtimedwait after the notify flood"
pass "a flood on the notify socket drained"

# 50 orphans at once: their SIGCHLDs merge; the sweep finds the rest.
in_ns sh -c 'for i in $(seq 50); do (sleep 0.1 &); done'
poll 5 no_zombies || fail "orphans left as zombies: $(zombies | wc -l)"
poll 5 in_sigwait || fail "not back in sigtimedwait after the orphans"
pass "50 orphans reaped"
px_signal TERM
px_wait 5
[ "$PX_RC" = 0 ] || fail "exit $PX_RC, want 0"

# A SIGIO someone sends is forwarded; a socket's SIGIO raised while that one
# is pending is not queued again. So the wait must end on a SIGIO of either
# kind, or a client that came meanwhile waits for some other signal. pxinit
# is stopped so that both are pending when it next looks.
stopped() { [ "$(cut -d' ' -f3 "/proc/$PX_INIT/stat" 2>/dev/null)" = T ]; }
mkdir -p "$T/sc"
px_start --no-units -- "$HELPERS/pxtest-sigcount" "$T/sc"
poll 5 test -e "$T/sc/ready" || fail "counting main did not start"
poll 5 in_sigwait || fail "not in sigtimedwait before SIGIO"
kill -STOP "$PX_INIT"
poll 5 stopped || fail "pxinit did not stop"
px_signal IO
PXINIT_NO_BOARD=1 timeout 3 "$PXINIT" -R "$RUN" list >/dev/null 2>&1 &
client=$!
poll 3 client_waiting || fail "client not waiting for its answer"
kill -CONT "$PX_INIT"
wait "$client"
rc=$?
[ "$rc" = 0 ] || fail "client that came while a sent SIGIO was pending: exit $rc"
poll 5 grep -qx '29 1' "$T/sc/counts" || fail "SIGIO not forwarded: $(cat "$T/sc/counts" | tr '\n' ' ')"
pass "a client that came while a sent SIGIO was pending answered; the SIGIO forwarded"

# The other way round: a client's readiness is pending when someone sends
# SIGIO. That SIGIO must still reach the main, and so must realtime signals
# of the number sockets raise (SIGRTMIN, which only the kernel's si_code
# tells apart).
poll 5 in_sigwait || fail "not in sigtimedwait before the client"
kill -STOP "$PX_INIT"
poll 5 stopped || fail "pxinit did not stop"
PXINIT_NO_BOARD=1 timeout 3 "$PXINIT" -R "$RUN" list >/dev/null 2>&1 &
client=$!
poll 3 client_waiting || fail "client not waiting for its answer"
px_signal IO
px_signal RTMIN
px_signal RTMIN
kill -CONT "$PX_INIT"
wait "$client"
rc=$?
[ "$rc" = 0 ] || fail "client: exit $rc"
poll 5 grep -qx '29 2' "$T/sc/counts" ||
    fail "SIGIO sent while a client was pending not forwarded: $(cat "$T/sc/counts" | tr '\n' ' ')"
poll 5 grep -qx '34 2' "$T/sc/counts" ||
    fail "SIGRTMIN not forwarded twice: $(cat "$T/sc/counts" | tr '\n' ' ')"
pass "SIGIO and SIGRTMIN sent while a client's readiness was pending forwarded"
px_signal TERM
px_wait 5

# The loop's clock does not run during sigtimedwait: the grace timer SIGTERM
# starts after a long sleep must still last its full second.
script stubborn.sh <<'EOF2'
trap '' TERM
echo ready > "$T/stubborn.ready"
while :; do sleep 0.01; done
EOF2
px_start --no-units --grace 1 -- "$T/stubborn.sh"
poll 5 test -s "$T/stubborn.ready" || fail "stubborn main did not start"
poll 5 in_sigwait || fail "not in sigtimedwait before TERM"
sleep 2 # the sleep under test: libev's clock is now 2 s behind
t0=$(date +%s%N)
px_signal TERM
px_wait 10
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$PX_RC" = 137 ] || fail "stubborn main: exit $PX_RC, want 137 (SIGKILL)"
[ "$ms" -ge 900 ] || fail "SIGKILL after ${ms} ms, before the 1 s grace period"
pass "grace period after a sleep: SIGKILL after ${ms} ms"

# No main command, no units yet: SIGHUP's daemon-reload loads and starts one.
px_start
poll 5 in_sigwait || fail "pxinit without units not in sigtimedwait"
script late.sh <<'EOF2'
echo up > "$T/late.up"
exec sleep 1000
EOF2
unit late <<EOF2
[Service]
ExecStart=$T/late.sh
[Install]
WantedBy=multi-user.target
EOF2
px_signal HUP
poll 5 test -s "$T/late.up" || fail "unit added before SIGHUP not started"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit $PX_RC after SIGHUP's unit, want 0"
pass "SIGHUP from sigtimedwait reloads and starts a new unit"
