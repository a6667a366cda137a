#!/bin/bash
# podman stop sends SIGTERM to PID 1. pxinit forwards it to the main, which
# here traps it and takes about a second to exit 0: the container stops in
# about that time (not podman's 10 s timeout, after which it would SIGKILL)
# and its exit code is the main's, 0.
. "${srcdir:-.}/tests/container/lib.sh"

img=$(scratch_image) || fail "no scratch image"
n=$(ctr_name stop)
expect 0 ctr run -d --name "$n" "$img" sh -c '
    trap "echo got TERM; sleep 1; echo bye; exit 0" TERM
    echo ready
    while :; do sleep 0.1; done'
poll 20 ctr_logs_have "$n" '^ready' || fail "main did not start: $(ctr logs "$n" 2>&1)"
t0=$(now_ms)
expect 0 ctr stop -t 10 "$n"
ms=$(($(now_ms) - t0))
[ "$(ctr_exit_code "$n")" = 0 ] || fail "exit code $(ctr_exit_code "$n"), want 0; logs: $(ctr logs "$n" 2>&1)"
ctr_logs_have "$n" '^bye' || fail "the main's trap did not finish: $(ctr logs "$n" 2>&1)"
# One second of the trap, plus podman's own overhead; 10 s would be the kill.
[ "$ms" -ge 900 ] && [ "$ms" -lt 6000 ] || fail "podman stop took $ms ms, want about 1 s"
pass "podman stop: the TERM-trapping main ran its trap, exit 0 in $ms ms"
