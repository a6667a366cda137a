#!/bin/bash
# podman run's exit code is the main command's, through pxinit as PID 1:
# its own code, 127 for a command not found, 126 for one not executable,
# 128+N for a main killed by signal N.
. "${srcdir:-.}/tests/container/lib.sh"

img=$(scratch_image) || fail "no scratch image"

expect 0 ctr run --rm "$img" true
pass "true -> 0"
expect 7 ctr run --rm "$img" sh -c 'exit 7'
pass "exit 7 -> 7"
expect 127 ctr run --rm "$img" /no/such/command
grep -q "no/such/command" "$T/e" || fail "no error names the missing command: $(cat "$T/e")"
pass "missing command -> 127, named on stderr"
# A file that exists and is not executable: 126.
expect 126 ctr run --rm "$img" /etc/hostname
pass "not executable -> 126"
expect 137 ctr run --rm "$img" sh -c 'kill -KILL $$'
pass "killed by SIGKILL -> 137"
expect 143 ctr run --rm "$img" sh -c 'kill -TERM $$'
pass "killed by SIGTERM -> 143"
# The exit code podman records for a detached container is the same.
n=$(ctr_name detached)
expect 0 ctr run -d --name "$n" "$img" sh -c 'exit 42'
poll 20 ctr_exited "$n" || fail "detached container did not exit: $(ctr_state "$n")"
[ "$(ctr_exit_code "$n")" = 42 ] || fail "podman inspect says $(ctr_exit_code "$n"), want 42"
pass "detached exit 42 recorded as 42"
