#!/bin/sh
# run.sh - `make demo`: pxinit as PID 1 of fresh PID, mount and network
# namespaces, on the example units in units/, with tour.sh as its main
# command. tests/e2e/demo.sh runs the same script.
#
#     contrib/demo/run.sh PXINIT      (as root: unshare needs it)
#
# The network namespace has only its own loopback (brought up here), so
# web.socket's 127.0.0.1:8080 never meets a port of the host's. pxinit's
# runtime and state directories are a temporary directory, removed at the
# end. The exit status is pxinit's: the main command's, 0 when the tour ran.
set -eu
PXINIT=${1:?usage: run.sh PXINIT}
case $PXINIT in /*) ;; *) PXINIT=$(pwd)/$PXINIT ;; esac
TOP=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$PXINIT" ] || { echo "run.sh: no pxinit at $PXINIT" >&2; exit 1; }
for tool in unshare ip curl python3; do
    command -v "$tool" >/dev/null || {
        echo "run.sh: $tool is missing (contrib/install-deps.sh installs it)" >&2
        exit 1
    }
done
D=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
# Ctrl-C reaches pxinit (it stops every unit) and this shell: exit through
# the EXIT trap, so the directory goes too.
trap 'exit 130' INT
trap 'exit 143' TERM
rc=0
# sh -c brings lo up, then becomes pxinit: PID 1 of the new namespaces.
unshare --pid --fork --mount-proc --net sh -c 'ip link set lo up && exec "$0" "$@"' \
    "$PXINIT" -R "$D/run" --state-dir "$D/state" -u "$TOP/units" -- \
    env PATH="$(dirname "$PXINIT"):$PATH" PXINIT_RUNTIME_DIR="$D/run" \
    sh "$TOP/contrib/demo/tour.sh" || rc=$?
exit "$rc"
