#!/bin/bash
# Descriptors per unit: pxinit keeps one per running unit (its output pipe's
# read end), not three (both ends of the pipe and a pidfd), so 208 units run
# under a hard and soft RLIMIT_NOFILE of 300, which 3 per unit cannot fit.
# Meanwhile units that print, exit and restart, leaving behind orphans that
# keep writing into the same pipe after their parent exited, lose no line and
# keep every producer's order across the restarts.
. "${srcdir:-.}/tests/e2e/lib.sh"

LIMIT=300
# One descriptor per unit is the pipe-reopen trick's; the plain way keeps two.
trick_off pipe-reopen && { echo "pipe-reopen is off (PXINIT_PLAIN): two fds per unit"; exit 77; }
N_IDLE=200
N_RUN=8
RUNS=4
LINES=30

idle_units $N_IDLE
runner_script $LINES $RUNS
runner_units $N_RUN

need_hard_nofile $LIMIT
ulimit -n $LIMIT # soft and hard: pxinit cannot raise it
px_start

idle_up() { lines_matching_at_least "$T/out" '^i[0-9]+: i[0-9]+ up$' $N_IDLE; }
poll 60 idle_up ||
    fail "only $(grep -cE '^i[0-9]+: i[0-9]+ up$' "$T/out") of $N_IDLE idle units started under a limit of $LIMIT fds"
[ "$(grep -E '^i[0-9]+: ' "$T/out" | sort -u | wc -l)" = $N_IDLE ] || fail "an idle unit printed twice or garbled"
fds=$(in_ns ls /proc/1/fd | wc -l)
units=$((N_IDLE + N_RUN))
# One per unit, plus pxinit's own (signalfd, epoll sets, sockets, board...).
[ "$fds" -le $((units + 40)) ] || fail "pxinit holds $fds fds for $units units"
pass "$units units under RLIMIT_NOFILE $LIMIT: pxinit holds $fds fds"

all_orphans() { lines_matching_at_least "$T/out" '^r[0-9]+: r[0-9]+ run [0-9]+ orphan$' $((N_RUN * RUNS)); }
poll 60 all_orphans ||
    fail "$(grep -cE 'orphan$' "$T/out") of $((N_RUN * RUNS)) orphan lines arrived"
inactive() { "$PXINIT" -R "$RUN" status "$1" 2>&1 | grep -qw inactive; }
for i in $(seq 1 $N_RUN); do
    poll 10 inactive "r$i" || fail "r$i did not end inactive: $("$PXINIT" -R "$RUN" status "r$i" 2>&1)"
done
for i in $(seq 1 $N_RUN); do
    want=$(runner_expected "r$i" $LINES $RUNS)
    got=$(grep "^r$i: " "$T/out" | sed "s/^r$i: //")
    [ "$got" = "$want" ] ||
        fail "r$i: lines lost, doubled or out of order across restarts: $(diff <(echo "$want") <(echo "$got") | head -5)"
done
! log_has 'Too many open files' || fail "pxinit ran out of fds: $(grep -m1 'Too many' "$T/log")"
poll 2 no_zombies || fail "zombies left: $(zombies)"
pass "$N_RUN units x $RUNS runs with orphans: every line once, in order, partial lines flushed"

px_signal TERM
px_wait 30
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
pass "shutdown"
