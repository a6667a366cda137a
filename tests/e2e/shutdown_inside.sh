#!/bin/bash
# `pxinit shutdown` run inside the container (as `podman exec CTR pxinit
# shutdown` does) is itself in the shutdown sweep: it must still exit 0, not
# 143 from the sweep's SIGTERM. The race is narrow, so it is tried ten times.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit svc <<'EOF2'
[Service]
ExecStart=/bin/sleep 1000
EOF2

sock_ready() { [ -S "$RUN/control" ]; }
for i in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$RUN"
    px_start
    poll 5 sock_ready || fail "round $i: no control socket"
    expect 0 in_ns "$PXINIT" -R "$RUN" shutdown
    px_wait 15
    [ "$PX_RC" = 0 ] || fail "round $i: pxinit exited $PX_RC after shutdown"
done
pass "pxinit shutdown from inside the namespace exits 0 (10 rounds)"
