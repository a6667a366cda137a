#!/bin/bash
# pxinit status --quiet as a container health probe, through podman exec and
# podman's own --health-cmd (run by `podman healthcheck run`: podman's timer
# for it needs systemd, which a container host may not have).
# status --quiet UNIT...: exit 0 only when every named unit is active, 3 when
# one is not (SPEC: exit codes).
. "${srcdir:-.}/tests/container/lib.sh"

img=$(scratch_image) || fail "no scratch image"
mkdir -p "$T/units"
cat >"$T/units/web.service" <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'exec sleep 1000'
EOF2
# db runs until /tmp/db-crash appears, then fails (no restart).
cat >"$T/units/db.service" <<'EOF2'
[Service]
ExecStart=/bin/sh -c 'while [ ! -e /tmp/db-crash ]; do sleep 0.1; done; exit 3'
EOF2
n=$(ctr_name health)
expect 0 ctr run -d --name "$n" -v "$T/units:/units:ro" --entrypoint /pxinit \
    --health-cmd '["/pxinit", "status", "--quiet", "web", "db"]' --health-interval disable --health-retries 1 \
    "$img" -u /units -- sleep 1000
healthy() { ctr exec "$n" /pxinit status --quiet web db; }
poll 20 healthy || fail "status --quiet web db never exited 0: $(ctr exec "$n" /pxinit status 2>&1)"
expect 0 ctr exec "$n" /pxinit status --quiet web
[ -s "$T/o" ] && fail "status --quiet printed: $(cat "$T/o")"
pass "status --quiet: 0 and silent while web and db are active"
expect 0 ctr healthcheck run "$n"
pass "podman healthcheck run: healthy"

expect 0 ctr exec "$n" touch /tmp/db-crash
db_failed() { ctr exec "$n" /pxinit status db 2>&1 | grep -qE '^db +failed'; }
poll 20 db_failed || fail "db did not fail: $(ctr exec "$n" /pxinit status 2>&1)"
expect 3 ctr exec "$n" /pxinit status --quiet db
expect 3 ctr exec "$n" /pxinit status --quiet web db
expect 0 ctr exec "$n" /pxinit status --quiet web
pass "status --quiet: 3 once db failed, 0 for web alone"
expect 1 ctr healthcheck run "$n"
h=$(ctr inspect -f '{{.State.Health.Status}}' "$n")
[ "$h" = unhealthy ] || fail "podman records the container as '$h', want unhealthy"
pass "podman healthcheck run: unhealthy"
expect 4 ctr exec "$n" /pxinit status --quiet nosuch
pass "status --quiet of an unknown unit: 4"
