#!/bin/bash
# Units beside the main command: pxinit -u /units -- CMD in a container.
# Each unit's output reaches podman logs as lines prefixed by the unit's
# name; the main's lines come unprefixed. When the main exits, the units are
# stopped and the container exits with the main's code.
. "${srcdir:-.}/tests/container/lib.sh"

img=$(scratch_image) || fail "no scratch image"
mkdir -p "$T/units"
cat >"$T/units/web.service" <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'echo web listening; exec sleep 1000'
EOF2
cat >"$T/units/ticker.service" <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo tick $i; sleep 0.1; done; exec sleep 1000'
EOF2
n=$(ctr_name units)
expect 0 ctr run -d --name "$n" -v "$T/units:/units:ro" --entrypoint /pxinit "$img" \
    -u /units -- sh -c 'echo main up; while [ ! -e /tmp/done ]; do sleep 0.1; done; echo main done; exit 5'
poll 20 ctr_logs_have "$n" '^ticker: tick 3$' || fail "no 'ticker: tick 3' in podman logs: $(ctr logs "$n" 2>&1)"
ctr_logs_have "$n" '^web: web listening$' || fail "no 'web: web listening': $(ctr logs "$n" 2>&1)"
ctr_logs_have "$n" '^main up$' || fail "the main's line is missing or prefixed: $(ctr logs "$n" 2>&1)"
ctr logs "$n" >"$T/logs" 2>&1
grep -q 'web: web:' "$T/logs" && fail "a doubled prefix: $(cat "$T/logs")"
pass "podman logs: unit lines prefixed by the unit's name, the main's plain"

expect 0 ctr exec "$n" /pxinit status
grep -qE '^web +active' "$T/o" || fail "status does not show web active: $(cat "$T/o")"
grep -qE '^ticker +active' "$T/o" || fail "status does not show ticker active: $(cat "$T/o")"
pass "pxinit status through podman exec"

expect 0 ctr exec "$n" touch /tmp/done
poll 20 ctr_exited "$n" || fail "the container did not exit after its main: $(ctr_state "$n")"
[ "$(ctr_exit_code "$n")" = 5 ] || fail "exit code $(ctr_exit_code "$n"), want the main's 5"
ctr_logs_have "$n" '^main done$' || fail "no 'main done'"
pass "main exits 5: units stopped, container exit code 5"
