#!/bin/bash
# Entrypoint signals: a storm of 1000 SIGUSR1 is forwarded (as many as the
# kernel's coalescing lets through, at least one) and pxinit stays correct;
# --single-child and the PXINIT_* knobs; SIGTSTP stops the main, never PID 1.
. "${srcdir:-.}/tests/e2e/lib.sh"

# The oldest: a shell main forks children that are "sh" too until they exec.
# The main's pid once it is pxinit's child: it is spawned through an
# intermediate that exits, and under load it can write its ready file before
# that, while its parent is still the intermediate.
main_pid() {
    poll 5 pgrep -o -P "$PX_INIT" -x "$1" >/dev/null || fail "no main $1 under pxinit"
    pgrep -o -P "$PX_INIT" -x "$1"
}
proc_state() { awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# The storm. The main counts what arrives; TERM afterwards still works.
script counter.sh <<'EOF2'
n=0
trap 'n=$((n+1)); echo $n > "$T/usr1.count"' USR1
trap 'echo "$n" > "$T/usr1.final"; exit 0' TERM
echo ready > "$T/storm.ready"
while :; do sleep 0.01; done
EOF2
px_start --no-units -- "$T/counter.sh"
poll 5 test -s "$T/storm.ready" || fail "counter did not start"
for i in $(seq 1000); do kill -USR1 "$PX_INIT" || fail "kill $i failed"; done
poll 10 test -s "$T/usr1.count" || fail "no SIGUSR1 of the storm arrived"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "after the storm, TERM: exit $PX_RC, want 0"
[ "$(cat "$T/usr1.final")" -ge 1 ] || fail "count after the storm: $(cat "$T/usr1.final")"
pass "1000 SIGUSR1 forwarded ($(cat "$T/usr1.final") arrived after coalescing), then TERM"

# Group forwarding reaches the main's background child (sleep dies of USR1);
# PXINIT_SINGLE_CHILD=1 spares it.
script family.sh <<'EOF2'
sleep 1000 &
echo $! > "$T/family.child"
trap 'echo usr1 >> "$T/family.main"' USR1
trap 'kill $(cat "$T/family.child") 2>/dev/null; exit 0' TERM
while :; do sleep 0.01; done
EOF2
for knob in 0 1; do
    rm -f "$T/family.child" "$T/family.main"
    PXINIT_SINGLE_CHILD=$knob px_start --no-units -- "$T/family.sh"
    poll 5 test -s "$T/family.child" || fail "family did not start"
    host_child=$(pgrep -P "$(main_pid family.sh)" -x sleep | head -n 1)
    [ -n "$host_child" ] || fail "no background child"
    px_signal USR1
    poll 5 test -s "$T/family.main" || fail "main did not get USR1"
    if [ $knob = 0 ]; then
        poll 5 sh -c "! kill -0 $host_child 2>/dev/null" || fail "group forwarding missed the child"
    else
        kill -0 "$host_child" 2>/dev/null || fail "PXINIT_SINGLE_CHILD=1 still signalled the group"
    fi
    px_signal TERM
    px_wait 10
    [ "$PX_RC" = 0 ] || fail "family exit $PX_RC"
done
pass "group forwarding; PXINIT_SINGLE_CHILD=1 forwards to the main only"

# PXINIT_REWRITE and PXINIT_VERBOSE.
PXINIT_REWRITE=TERM:USR2,INT:0 PXINIT_VERBOSE=1 \
    px_start --no-units -- sh -c "trap 'exit 9' USR2; trap 'exit 8' INT; echo r > $T/rw.ready; while :; do sleep 0.01; done"
poll 5 test -s "$T/rw.ready" || fail "rewrite main did not start"
px_signal INT
px_signal TERM
px_wait 5
[ "$PX_RC" = 9 ] || fail "PXINIT_REWRITE: exit $PX_RC, want 9 (INT dropped, TERM as USR2)"
log_has 'main command .* started' || fail "PXINIT_VERBOSE=1 gave no debug output"
pass "PXINIT_REWRITE (with SIG:0 dropping) and PXINIT_VERBOSE"

# SIGTSTP to PID 1: the main (its own session, an orphaned group where the
# kernel discards TSTP) is stopped with SIGSTOP; pxinit keeps running; CONT resumes.
px_start --no-units -- sh -c "echo r > $T/tstp.ready; while :; do sleep 0.01; done"
poll 5 test -s "$T/tstp.ready" || fail "tstp main did not start"
m=$(main_pid sh) || exit 1
px_signal TSTP
poll 5 sh -c "[ \"\$(awk '/^State:/ {print \$2}' /proc/$m/status)\" = T ]" || fail "main not stopped by TSTP"
[ "$(proc_state "$PX_INIT")" != T ] || fail "pxinit stopped itself as PID 1"
px_signal CONT
poll 5 sh -c "[ \"\$(awk '/^State:/ {print \$2}' /proc/$m/status)\" != T ]" || fail "main not resumed by CONT"
px_signal TERM
px_wait 5
[ "$PX_RC" = 143 ] || fail "tstp main exit $PX_RC, want 143"
pass "SIGTSTP stops the main, not PID 1; SIGCONT resumes it"

# Realtime signals queue, so a burst of one reaches the main one for one,
# even when it piled up at pxinit (stopped meanwhile from outside): pxinit
# takes each siginfo on its own from its signalfd (libev's ev_signal
# ran its watcher once for a pile) and forwards each. The main
# (pxtest-sigcount) counts what it gets.
SIGCOUNT="${HELPERS:?}/pxtest-sigcount"
mkdir -p "$T/rt"
px_start --no-units -- "$SIGCOUNT" "$T/rt"
poll 5 test -e "$T/rt/ready" || fail "pxtest-sigcount did not start"
rt=$(kill -l RTMIN+3)
kill -STOP "$PX_INIT"
poll 5 sh -c "[ \"\$(awk '/^State:/ {print \$2}' /proc/$PX_INIT/status)\" = T ]" || fail "pxinit not stopped"
for i in $(seq 200); do kill -s RTMIN+3 "$PX_INIT" || fail "kill $i failed"; done
for i in $(seq 50); do kill -s USR2 "$PX_INIT"; kill -s RTMIN+3 "$PX_INIT"; done
kill -CONT "$PX_INIT"
count_of() { awk -v s="$1" '$1 == s {print $2}' "$T/rt/counts" 2>/dev/null; }
# TERM only then: a lower signal number is taken first, at pxinit and at the main.
poll 10 sh -c "[ \"\$(awk '\$1 == $rt {print \$2}' $T/rt/counts 2>/dev/null)\" = 250 ]" ||
    fail "250 RTMIN+3 sent, the main got $(count_of "$rt"): $(tr '\n' ' ' <"$T/rt/counts")"
[ "$(count_of "$(kill -l USR2)")" = 1 ] || fail "50 USR2 while stopped: $(count_of "$(kill -l USR2)") arrived, want 1"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "sigcount main exit $PX_RC, want 0"
pass "250 RTMIN+3 queued at pxinit forwarded one for one (50 USR2 as one)"

# Before the main starts (units still booting) signals are pxinit's own:
# USR1 is ignored, TERM shuts down and the main never starts.
unit slowboot <<'EOF2'
[Service]
Type=oneshot
ExecStart=/bin/sleep 30
EOF2
px_start -- sh -c "echo started > $T/early.main"
booting() { pgrep -P "$PX_INIT" -x sleep >/dev/null; }
poll 5 booting || fail "slowboot did not start"
px_signal USR1
sleep 0.2 # USR1 must not have ended anything
kill -0 "$PX_INIT" || fail "pxinit died of USR1 while booting"
px_signal TERM
px_wait 10
[ ! -e "$T/early.main" ] || fail "the main started after TERM during boot"
log_has 'received SIGTERM' || fail "no 'received SIGTERM' in the log"
rm -f "$UNITS/slowboot.service"
pass "while units boot: USR1 ignored, TERM shuts down before the main starts (exit $PX_RC)"
