#!/bin/bash
# contrib/ deployment files, exercised as far as this machine allows:
# - compose.yaml and k8s/*.yaml: structure checked (contrib_check.py: probes
#   are `pxinit status --quiet`, grace periods above pxinit's --grace);
# - Dockerfile.alpine: built over the scratch busybox image (no alpine here),
#   run: exit codes pass through;
# - k8s/pod.yaml: `podman kube play` with the Debian image (ports dropped:
#   no container network here), probes run by podman, then a clean stop.
. "${srcdir:-.}/tests/container/lib.sh"
PY=${PYTHON3:-python3}
"$PY" -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed (contrib/install-deps.sh installs it)"
. "${srcdir:-.}/tests/container/debian_lib.sh"

"$PY" "$SRC/tests/container/contrib_check.py" "$SRC" || fail "contrib_check.py"
pass "compose.yaml and k8s/*.yaml: pxinit status --quiet probes, grace periods above --grace"

# Dockerfile.alpine over the busybox image.
base=$(scratch_image) || fail "no scratch image"
atag="localhost/pxinit-alpine-test:$(content_tag "$PXINIT" "$SRC/contrib/docker/Dockerfile.alpine")"
mkdir -p "$T/actx" && cp "$PXINIT" "$T/actx/pxinit" || fail "cannot fill $T/actx"
abuild() {
    ctr image exists "$atag" && return 0
    # shellcheck disable=SC2086
    ctr_private podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
        --tmpdir "$CTR_RUN/tmp" build $CTR_ULIMITS --network none -q -t "$atag" \
        --build-arg BASE="$base" -f "$SRC/contrib/docker/Dockerfile.alpine" "$T/actx" >/dev/null
}
ctr_locked abuild || fail "podman build of Dockerfile.alpine failed"
expect 7 ctr run --rm "$atag" sh -c 'exit 7'
expect 0 ctr run --rm "$atag" test -d /etc/pxinit/units
pass "Dockerfile.alpine (over busybox): builds, exit 7 passes through"

# podman kube play of pod.yaml, named for this run.
pod="pxtest-$$-pod"
kube_cleanup() {
    ctr pod rm -f -t 0 "$pod" >/dev/null 2>&1
    cleanup
}
trap kube_cleanup EXIT
ctr tag "$DEB_IMG" localhost/pxinit-debian:latest || fail "podman tag"
"$PY" - "$SRC/contrib/k8s/pod.yaml" "$pod" >"$T/pod.yaml" <<'EOF2' || fail "cannot rewrite pod.yaml"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
d["metadata"]["name"] = sys.argv[2]
for c in d["spec"]["containers"]:
    c.pop("ports", None)  # no container network here (netns none)
yaml.safe_dump(d, sys.stdout)
EOF2
# kube play has no --ulimit: the limits go in a containers.conf of its own.
sed "s/^\[containers\]\$/[containers]\ndefault_ulimits = [\"nofile=$CTR_NOFILE:$CTR_NOFILE\", \"nproc=$CTR_NPROC:$CTR_NPROC\"]/" \
    "$CONTAINERS_CONF" >"$T/containers.conf" || fail "cannot write $T/containers.conf"
grep -q default_ulimits "$T/containers.conf" || fail "no [containers] in $CONTAINERS_CONF"
kube_play() {
    CONTAINERS_CONF="$T/containers.conf" ctr_private podman --root "$CTR_DIR/$CTR_DRIVER" \
        --runroot "$CTR_RUN/$CTR_DRIVER" --tmpdir "$CTR_RUN/tmp" kube play --network none "$1"
}
expect 0 kube_play "$T/pod.yaml"
c="$pod-app"
ready() { ctr exec "$c" /usr/bin/pxinit status --quiet nginx redis-server; }
poll 30 ready || fail "kube play: units not active: $(ctr exec "$c" /usr/bin/pxinit status 2>&1)"
expect 0 ctr exec "$c" curl -fsS -o /dev/null http://127.0.0.1/
expect 0 ctr exec "$c" sh -c 'tr "\0" " " </proc/1/cmdline'
grep -q -- '--systemd --grace 10' "$T/o" || fail "PID 1 is '$(cat "$T/o")', want pxinit --systemd --grace 10"
pass "podman kube play pod.yaml: pxinit --systemd --grace 10 is PID 1, nginx and redis active"
# podman turns the livenessProbe into the container's healthcheck.
if [ "$(ctr inspect -f '{{.Config.Healthcheck}}' "$c" 2>/dev/null)" != "<nil>" ]; then
    expect 0 ctr healthcheck run "$c"
    pass "podman healthcheck run (the livenessProbe): healthy"
fi
t0=$(now_ms)
expect 0 ctr pod stop -t 30 "$pod"
ms=$(($(now_ms) - t0))
[ "$(ctr_exit_code "$c")" = 0 ] || fail "pod stop: the container exited $(ctr_exit_code "$c")"
[ "$ms" -lt 15000 ] || fail "pod stop took $ms ms"
pass "podman pod stop: pxinit exited 0 in $ms ms"
