#!/bin/bash
# PID 1 never waits on a process that runs with a service's credentials
# (issue 15, item 2). A User=nobody unit stops (SIGSTOP) every process nobody
# may signal, over and over, while another User=nobody unit restarts in a
# loop: whatever of a spawn runs as nobody can be caught stopped. pxinit must
# go on answering on its control socket, spawning, reaping, and handling
# SIGTERM. On a build whose spawn waited (CLONE_VFORK) on a child that had
# already dropped to nobody, PID 1 hung in state D within a second.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T"

# kill(-1) reaches every process of the namespace the caller may signal,
# except itself and PID 1: a service's user can do no more than this.
script stopper <<'EOF'
echo started >"$T/stopper.up"
while :; do kill -STOP -1 2>/dev/null; done
EOF
chmod 777 "$T"
# Three of each: more spawns, and a stopper on each CPU.
for i in 1 2 3; do
    # The stoppers stop each other too: SIGKILL ends them stopped.
    unit stopper$i <<EOF
[Service]
User=nobody
ExecStart=$T/stopper
KillSignal=SIGKILL
EOF
    # Each restart spawns again as nobody; SIGKILL ends a stopped process too.
    unit victim$i <<EOF
[Unit]
StartLimitIntervalSec=0
[Service]
User=nobody
ExecStart=/bin/sleep 1000
KillSignal=SIGKILL
EOF
done

px_start
poll 10 test -f "$T/stopper.up" || fail "the stopper did not start"

pid1_state() { awk '/^State/{print $2}' "/proc/$PX_INIT/status"; }
# PID 1 answers over the socket (not the board) within a deadline, again and
# again while the attack runs; each restart of the victims kills, reaps and spawns.
answers() { timeout 5 "$PXINIT" -R "$RUN" restart victim1 victim2 victim3 >/dev/null 2>&1; }
end=$(($(date +%s) + 8))
n=0
while [ "$(date +%s)" -lt "$end" ]; do
    answers || fail "pxinit stopped answering on its control socket after $n requests (PID 1 state $(pid1_state))"
    n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "only $n restarts in 8 s"
pass "pxinit answered $n control requests while a User=nobody unit stopped all of nobody's processes"

px_signal TERM
px_wait 30
pass "pxinit handled SIGTERM and exited ($PX_RC)"
