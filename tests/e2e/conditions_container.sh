#!/bin/bash
# Conditions a container can answer are evaluated, not just accepted:
# ConditionVirtualization= (pxinit as PID 1 of a PID namespace is in a
# container; $container in its environment says so outright, empty: none),
# ConditionCapability= (pxinit's bounding set), ConditionPathIsMountPoint=,
# ConditionPathIsReadWrite= and their Assert*= forms, with '!' and '|'.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T"
mkdir -m 777 "$T/w" "$T/ro"
script rec.sh <<'EOF2'
echo "$1" >> "$T/w/runs"
exec sleep 1000
EOF2
# A read-only mount of the test's own, in pxinit's mount namespace.
cat >"$T/setup.sh" <<EOF2
mount -t tmpfs -o ro pxinit-test-ro "$T/ro"
EOF2

cond_unit() { # NAME CONDITION-LINES...
    local name=$1
    shift
    { echo "[Unit]"; printf '%s\n' "$@"; echo "[Service]"; echo "ExecStart=$T/rec.sh $name"; } \
        >"$UNITS/$name.service"
}
cond_unit notcontainer 'ConditionVirtualization=!container'
cond_unit container 'ConditionVirtualization=container'
cond_unit virtany 'ConditionVirtualization=yes'
cond_unit eitherway 'ConditionVirtualization=|container' 'ConditionVirtualization=|!container'
cond_unit nomknod 'ConditionCapability=CAP_MKNOD'
cond_unit withkill 'ConditionCapability=CAP_KILL'
cond_unit mounted "ConditionPathIsMountPoint=$T/ro" 'ConditionPathIsMountPoint=/proc'
cond_unit notmounted "ConditionPathIsMountPoint=$T/w"
cond_unit rw "ConditionPathIsReadWrite=$T/w" "ConditionPathIsReadWrite=!$T/ro"
cond_unit notrw "ConditionPathIsReadWrite=$T/ro"
cond_unit assertrw "AssertPathIsReadWrite=$T/ro"

ran() { grep -qx "$1" "$T/w/runs" 2>/dev/null; }

# --- in a container: a PID namespace, without CAP_MKNOD in the bounding set
PX_LAUNCH="setpriv --bounding-set -mknod" PX_SETUP="$T/setup.sh" px_start
for u in container virtany eitherway withkill mounted rw; do
    poll 10 ran "$u" || fail "$u did not run"
done
poll 5 log_has 'assertrw: state failed \(result: assert\)' || fail "AssertPathIsReadWrite= on a read-only mount did not fail the unit"
poll 5 log_has 'notcontainer: condition ConditionVirtualization=!container not met' || fail "no log line for ConditionVirtualization=!container"
poll 5 log_has 'nomknod: condition ConditionCapability=CAP_MKNOD not met' || fail "no log line for ConditionCapability="
poll 5 log_has 'notmounted: condition ConditionPathIsMountPoint=' || fail "no log line for ConditionPathIsMountPoint="
poll 5 log_has 'notrw: condition ConditionPathIsReadWrite=' || fail "no log line for ConditionPathIsReadWrite="
for u in notcontainer nomknod notmounted notrw assertrw; do
    ran "$u" && fail "$u ran, its condition does not hold"
done
pass "in a container: !container and a capability outside the bounding set skip, mount points and read-only mounts told apart"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# --- $container set empty: not a container, as systemd takes it
rm -f "$T/w/runs"
PX_LAUNCH="env container=" px_start
poll 10 ran notcontainer || fail "ConditionVirtualization=!container skipped with container= empty"
poll 10 ran nomknod || fail "ConditionCapability=CAP_MKNOD skipped with CAP_MKNOD in the bounding set"
poll 10 ran eitherway || fail "eitherway did not run"
poll 5 log_has 'container: condition ConditionVirtualization=container not met' || fail "ConditionVirtualization=container not skipped with container= empty"
ran container && fail "ConditionVirtualization=container ran with container= empty"
pass "container= empty: not a container"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# --- $container=podman names the manager
rm -f "$T/w/runs"
cond_unit podman 'ConditionVirtualization=podman'
cond_unit docker 'ConditionVirtualization=docker'
PX_LAUNCH="env container=podman" px_start
poll 10 ran podman || fail "ConditionVirtualization=podman skipped with container=podman"
poll 10 ran container || fail "ConditionVirtualization=container skipped with container=podman"
poll 5 log_has 'docker: condition ConditionVirtualization=docker not met' || fail "ConditionVirtualization=docker not skipped with container=podman"
ran docker && fail "ConditionVirtualization=docker ran with container=podman"
pass "container=podman: a podman container"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
