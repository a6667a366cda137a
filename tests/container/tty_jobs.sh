#!/bin/bash
# podman run -it: pxinit as PID 1 on the container's terminal, an
# interactive shell as its main with job control (tests/container/tty_drive.py).
. "${srcdir:-.}/tests/container/lib.sh"

command -v python3 >/dev/null || skip "python3 needed for the pty"
img=$(scratch_image) || fail "no scratch image"
n=$(ctr_name tty)
# shellcheck disable=SC2086
timeout 120 python3 "$SRC/tests/container/tty_drive.py" \
    podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" --tmpdir "$CTR_RUN/tmp" \
    run -it --name "$n" $CTR_ULIMITS "$img" >"$T/tty.out" 2>&1
rc=$?
cat "$T/tty.out"
[ $rc = 0 ] || fail "terminal test failed ($rc)"
pass "podman run -it: job control"
