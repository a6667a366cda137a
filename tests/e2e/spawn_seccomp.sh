#!/bin/bash
# Spawning where a container's seccomp profile refuses what the fast path
# uses (issue 15, item 2): with clone(CLONE_VM) denied (EPERM, clone3
# ENOSYS), pxinit falls back to fork() and every unit still starts, fails
# with the right status and message, and runs as its User=. With close_range()
# denied (as before Linux 5.9), a descriptor pxinit inherited above 65536,
# among more than 1,024, does not reach a service.
. "${srcdir:-.}/tests/e2e/lib.sh"

SECCOMP="${HELPERS:?}/pxtest-seccomp"
px() { "$PXINIT" -R "$RUN" "$@"; }
status_field() { px status "$1" 2>/dev/null | awk -v n="$2" '{print $n}'; }
is_failed_with() { [ "$(status_field "$1" 2)" = failed ] && [ "$(status_field "$1" 6)" = "$2" ]; }
is_active() { [ "$(status_field "$1" 2)" = active ]; }
chmod 755 "$T"
mkdir -m 777 "$T/svc"

unit good <<EOF
[Service]
ExecStart=/bin/sh -c 'id -u >$T/svc/good.uid; ls /proc/self/fd >$T/svc/good.fds; exec sleep 1000'
EOF
unit asnobody <<EOF
[Service]
User=nobody
ExecStart=/bin/sh -c 'id -u >$T/svc/nobody.uid; exec sleep 1000'
EOF
unit execty <<EOF
[Service]
Type=exec
ExecStart=/bin/sleep 1000
EOF
unit noexec <<EOF
[Service]
ExecStart=$T/missing/bin --flag
EOF
unit nodir <<EOF
[Service]
WorkingDirectory=$T/missing-dir
ExecStart=/bin/sleep 1000
EOF

# A sanitizer build's leak checker needs clone(CLONE_VM) for its thread.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 PX_LAUNCH="$SECCOMP --deny-clone-vm --" px_start
poll 10 is_active good || fail "good: $(px status good 2>&1), want active"
poll 5 is_active asnobody || fail "asnobody: $(px status asnobody 2>&1), want active"
poll 5 test -s "$T/svc/nobody.uid" || fail "asnobody did not run"
[ "$(cat "$T/svc/nobody.uid")" = "$(id -u nobody)" ] || fail "User=nobody ran as $(cat "$T/svc/nobody.uid")"
poll 5 is_active execty || fail "execty: $(px status execty 2>&1), want active"
poll 5 is_failed_with noexec code=203 || fail "noexec: $(px status noexec 2>&1), want failed code=203"
log_has "noexec: failed to execute for $T/missing/bin --flag: No such file or directory" ||
    fail "no exec failure logged for noexec"
poll 5 is_failed_with nodir code=200 || fail "nodir: $(px status nodir 2>&1), want failed code=200"
log_has "nodir: failed to change directory for /bin/sleep 1000" || fail "no chdir failure logged"
px restart good >/dev/null 2>&1 || fail "restart good failed"
poll 5 is_active good || fail "good after restart: $(px status good 2>&1)"
pass "clone(CLONE_VM) denied by seccomp: units start with fork(), failures reported as before"
px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC, want 0"

# An fd above 65536 needs a hard RLIMIT_NOFILE above it: CAP_SYS_RESOURCE.
# Without it, the highest this process may have still checks the fallback.
FD=70000
if ! "$SECCOMP" --fd $FD -- true 2>/dev/null; then
    FD=$(($(ulimit -Hn) - 1))
    echo "# no CAP_SYS_RESOURCE: fd $FD instead of 70000 (the fallback, not the 65536 bound)"
fi
rm -f "$T/svc/"*
: >"$T/log"
PX_LAUNCH="$SECCOMP --deny-close-range --fd $FD --many 1100 --" px_start
poll 10 test -s "$T/svc/good.fds" || fail "good did not run"
poll 5 is_failed_with noexec code=203 || fail "noexec: $(px status noexec 2>&1), want failed code=203"
grep -qx $FD "$T/svc/good.fds" && fail "fd $FD leaked into a service: $(tr '\n' ' ' <"$T/svc/good.fds")"
[ "$(sort -n "$T/svc/good.fds" | tail -n 1)" -le 4 ] ||
    fail "a service inherited descriptors: $(tr '\n' ' ' <"$T/svc/good.fds")"
pass "close_range() denied: inherited fd $FD does not reach a service"
px_signal TERM
px_wait 20
