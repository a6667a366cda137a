#!/bin/bash
# Entrypoint hygiene: pxinit sits in / while the main keeps the launch cwd;
# the main gets the launch signal mask and dispositions (and nothing of
# pxinit's own), the launcher's fds (which pxinit then closes), LISTEN_PID
# rewritten when it names pxinit; an idle pxinit does not wake up.
. "${srcdir:-.}/tests/e2e/lib.sh"

status_field() { awk -v k="$2:" '$1 == k {print $2}' "$1"; }

# cwd.
mkdir -p "$T/cwd"
(cd "$T/cwd" && unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- \
    sh -c 'pwd > "$0/pwd"; readlink /proc/1/cwd > "$0/pid1.cwd"' "$T" >"$T/out" 2>"$T/log" </dev/null)
[ $? = 0 ] || fail "cwd run failed"
[ "$(cat "$T/pwd")" = "$T/cwd" ] || fail "main's cwd $(cat "$T/pwd"), want $T/cwd"
[ "$(cat "$T/pid1.cwd")" = / ] || fail "pxinit's cwd $(cat "$T/pid1.cwd"), want /"
pass "pxinit in /, the main in the launch directory"

# Mask and dispositions: launched with INT ignored and USR2 blocked, the main
# sees exactly what a command started without pxinit sees (pxinit's own
# SIGPIPE/SIGTTIN/SIGTTOU ignores and its blocked signals do not leak).
env --ignore-signal=INT --block-signal=USR2 cat /proc/self/status >"$T/want" </dev/null
env --ignore-signal=INT --block-signal=USR2 \
    unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- cat /proc/self/status \
    >"$T/status" 2>"$T/log" </dev/null || fail "mask run failed"
[ $(( 0x$(status_field "$T/want" SigIgn) & 2 )) = 2 ] || fail "env --ignore-signal did not work"
for k in SigIgn SigBlk; do
    [ "$(status_field "$T/status" $k)" = "$(status_field "$T/want" $k)" ] ||
        fail "main $k $(status_field "$T/status" $k), want $(status_field "$T/want" $k)"
done
cat /proc/self/status >"$T/want" </dev/null
unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- cat /proc/self/status \
    >"$T/status" 2>"$T/log" </dev/null || fail "clean mask run failed"
for k in SigIgn SigBlk; do
    [ "$(status_field "$T/status" $k)" = "$(status_field "$T/want" $k)" ] ||
        fail "clean launch: main $k $(status_field "$T/status" $k), want $(status_field "$T/want" $k)"
done
pass "the main gets the launch mask and dispositions, nothing of pxinit's"

# fds: the launcher passes fd 5; the main has it, pxinit does not keep it.
echo passed > "$T/fdfile"
exec 5<"$T/fdfile"
px_start --no-units -- sleep 1000
exec 5<&-
main_sleep() { m=$(pgrep -P "$PX_INIT" -x sleep); [ -n "$m" ]; }
poll 5 main_sleep || fail "main did not start"
[ "$(readlink "/proc/$m/fd/5")" = "$T/fdfile" ] || fail "main's fd 5 is $(readlink "/proc/$m/fd/5")"
for f in /proc/"$PX_INIT"/fd/*; do
    [ "$(readlink "$f")" != "$T/fdfile" ] || fail "pxinit kept the launcher's fd (${f##*/})"
done
# The main's fds are exactly the launcher's (unshare passes them on unchanged).
launcher=$(ls /proc/"$PX_PID"/fd | sort -n | tr '\n' ' ')
mains=$(ls /proc/"$m"/fd | sort -n | tr '\n' ' ')
[ "$launcher" = "$mains" ] || fail "main's fds [$mains], launcher's [$launcher]"
pass "launcher's fd 5 passed to the main, closed in pxinit; no pxinit fd leaks"

# Idle: no wakeups over 2 s with a sleeping main (libev sleeps on a timerfd).
ctxt() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$PX_INIT/status"; }
before=$(ctxt)
sleep 2 # the measured idle period
after=$(ctxt)
[ "$before" = "$after" ] || fail "pxinit woke up while idle: $before -> $after context switches"
pass "idle: no wakeups in 2 s"
px_signal TERM
px_wait 5

# LISTEN_PID naming pxinit (PID 1 inside) becomes the main's; LISTEN_FDS stays.
LISTEN_PID=1 LISTEN_FDS=1 unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- \
    sh -c 'echo "$LISTEN_PID $$ $LISTEN_FDS"' >"$T/listen" 2>"$T/log" </dev/null
read -r lp self lf <"$T/listen"
[ "$lp" = "$self" ] && [ "$lf" = 1 ] || fail "LISTEN_PID/FDS in the main: $(cat "$T/listen")"
LISTEN_PID=77 unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units -- \
    sh -c 'echo "$LISTEN_PID"' >"$T/listen" 2>"$T/log" </dev/null
[ "$(cat "$T/listen")" = 77 ] || fail "LISTEN_PID naming someone else was changed: $(cat "$T/listen")"
pass "LISTEN_PID rewritten to the main's pid when it names pxinit"
