#!/bin/bash
# A unit holds three fds while it runs (its output pipe's ends, its pidfd).
# Launched with a soft open-files limit of 64, pxinit still starts 40 units
# (it takes its hard limit for itself), while the units and the main command
# get the limit they were launched with, as they would without pxinit.
. "${srcdir:-.}/tests/e2e/lib.sh"

N=40
for i in $(seq 1 $N); do
    unit "u$i" <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo "u$i nofile \$(ulimit -Sn)"; exec sleep 1000'
EOF2
done
unit own <<EOF2
[Service]
LimitNOFILE=100
ExecStart=/bin/sh -c 'echo "own nofile \$(ulimit -Sn)"; exec sleep 1000'
EOF2

need_hard_nofile 257
ulimit -Sn 64
px_start -- /bin/sh -c 'echo "main nofile $(ulimit -Sn)"; exec sleep 1000'
poll 20 lines_matching_at_least "$T/out" '^u[0-9]+: u[0-9]+ nofile 64$' $N ||
    fail "only $(grep -cE '^u[0-9]+: u[0-9]+ nofile 64$' "$T/out") of $N units started with nofile 64"
poll 5 file_has "$T/out" '^main nofile 64$' || fail "the main did not get the launch limit"
poll 5 file_has "$T/out" '^own: own nofile 100$' || fail "LimitNOFILE=100 not applied"
! log_has 'Too many open files' || fail "pxinit ran out of fds"
pass "$N units under a launch soft limit of 64 fds; units and main keep 64, LimitNOFILE= wins"
px_signal TERM
px_wait 20
