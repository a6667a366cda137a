#!/bin/bash
# The fd store (sd_notify FDSTORE=1): a fd a Type=notify service hands to
# pxinit comes back to its next main process, named, from fd 3, with
# LISTEN_FDS, LISTEN_FDNAMES and its own LISTEN_PID, after a crash
# (Restart=always) and after `pxinit restart`; a stop and a start give
# nothing back; FileDescriptorStoreMax= caps it (0, the default: refused,
# and pxinit's fd table does not grow); FDSTOREREMOVE=1 drops fds by name.
# pxinit's own LISTEN_* (from its launcher) never reach a service. With a
# .socket unit, the socket's fd comes first, then the stored ones.
. "${srcdir:-.}/tests/e2e/lib.sh"
F="${HELPERS:?}/pxtest-fdstore"
for u in keep one none rm web; do mkdir -p "$T/$u"; done

unit keep <<EOF2
[Service]
Type=notify
FileDescriptorStoreMax=4
Restart=always
RestartSec=0
ExecStart=$F $T/keep
EOF2
unit one <<EOF2
[Service]
Type=notify
FileDescriptorStoreMax=1
ExecStart=$F -n 2 -N two $T/one
EOF2
unit none <<EOF2
[Service]
Type=notify
ExecStart=$F -n 3 $T/none
EOF2
unit rm <<EOF2
[Service]
Type=notify
FileDescriptorStoreMax=2
Restart=always
RestartSec=0
ExecStart=$F -R -N gone $T/rm
EOF2
cat >"$UNITS/web.socket" <<EOF2
[Socket]
ListenStream=$T/web.sock
FileDescriptorName=web
EOF2
unit web <<EOF2
[Service]
Type=notify
FileDescriptorStoreMax=2
Restart=always
RestartSec=0
ExecStart=$F $T/web
EOF2

# pxinit's launcher hands it socket activation meant for pxinit itself.
PX_LAUNCH="env LISTEN_FDS=2 LISTEN_FDNAMES=a:b LISTEN_PID=1" px_start

ctl() { in_ns "$PXINIT" -R "$RUN" "$@" >"$T/ctl.out" 2>&1 || fail "$*: $(cat "$T/ctl.out")"; }
# line UNIT N: the Nth start line of UNIT.
line() { sed -n "${2}p" "$T/$1/starts" 2>/dev/null; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
pid_of() { sed -n 's/^pid=\([0-9]*\) .*/\1/p' <<<"$1"; }
active() { status_is "$RUN" "$1" 0 " active " >/dev/null; }
inactive() { status_is "$RUN" "$1" 3 "inactive" >/dev/null; }

for u in keep one none rm; do
    poll 5 active $u || fail "$u not active: $(status_is "$RUN" $u 0)"
done

# First start: nothing passed, not even what pxinit was given.
l=$(line keep 1)
[ "$(field "$l" fds)" = 0 ] && [ "$(field "$l" listen_pid)" = - ] &&
    [ "$(field "$l" names)" = - ] || fail "first start was given something: $l"
pass "no LISTEN_* from pxinit's own environment"
made=$(cat "$T/keep/made")

# A crash: Restart=always brings it back with the same socket as fd 3.
in_ns kill -9 "$(pid_of "$l")"
poll 5 lines_at_least "$T/keep/starts" 2 || fail "keep did not restart"
l=$(line keep 2)
[ "$(field "$l" fds)" = 1 ] && [ "$(field "$l" names)" = x ] &&
    [ "$(field "$l" listen_pid)" = "$(pid_of "$l")" ] &&
    [ "$(field "$l" inodes)" = "$made" ] || fail "after a crash: '$l', made $made"
pass "a stored fd comes back after a crash, named, with LISTEN_PID its own pid"

# An explicit restart keeps it too.
poll 5 active keep || fail "keep not active again"
ctl restart keep
poll 5 lines_at_least "$T/keep/starts" 3 || fail "keep did not restart"
l=$(line keep 3)
[ "$(field "$l" fds)" = 1 ] && [ "$(field "$l" inodes)" = "$made" ] ||
    fail "after restart: '$l', made $made"
pass "a stored fd comes back after pxinit restart"

# A stop then a start: the store was closed.
poll 5 active keep || fail "keep not active again"
ctl stop keep
poll 5 inactive keep || fail "keep did not stop"
ctl start keep
poll 5 lines_at_least "$T/keep/starts" 4 || fail "keep did not start"
l=$(line keep 4)
[ "$(field "$l" fds)" = 0 ] || fail "after stop and start: '$l'"
pass "a stop drops the store"

# FileDescriptorStoreMax=1, two sent: the first kept.
ctl restart one
poll 5 lines_at_least "$T/one/starts" 2 || fail "one did not restart"
l=$(line one 2)
first=$(cut -d, -f1 "$T/one/made")
[ "$(field "$l" fds)" = 1 ] && [ "$(field "$l" names)" = two ] &&
    [ "$(field "$l" inodes)" = "$first," ] || fail "one: '$l', made $(cat "$T/one/made")"
log_has "one.*refused" || fail "no warning about the fd over FileDescriptorStoreMax="
pass "FileDescriptorStoreMax=1 keeps one of two"

# No store: refused, and each try leaves pxinit's table as it was.
poll 5 log_has "none.*refused" || fail "no warning for a unit without a store"
before=$(ls "/proc/$PX_INIT/fd" | wc -l)
for i in 2 3 4 5; do
    ctl restart none
    poll 5 lines_at_least "$T/none/starts" $i || fail "none did not restart"
    poll 5 active none || fail "none not active again"
done
l=$(line none 5)
[ "$(field "$l" fds)" = 0 ] || fail "none was given fds: $l"
after=$(ls "/proc/$PX_INIT/fd" | wc -l)
[ "$after" -le "$before" ] || fail "pxinit's fds grew from $before to $after"
pass "fds refused without FileDescriptorStoreMax=, none kept ($before -> $after)"

# FDSTOREREMOVE=1: the second run drops what the first stored.
l=$(line rm 1)
in_ns kill -9 "$(pid_of "$l")"
poll 5 lines_at_least "$T/rm/starts" 2 || fail "rm did not restart"
[ "$(field "$(line rm 2)" fds)" = 1 ] || fail "rm's second run: $(line rm 2)"
poll 5 active rm || fail "rm not active again"
in_ns kill -9 "$(pid_of "$(line rm 2)")"
poll 5 lines_at_least "$T/rm/starts" 3 || fail "rm did not restart again"
[ "$(field "$(line rm 3)" fds)" = 0 ] || fail "FDSTOREREMOVE=1 kept it: $(line rm 3)"
pass "FDSTOREREMOVE=1 drops fds by name"

# A socket unit's fd first, then the store's, each named.
ctl start web
poll 5 lines_at_least "$T/web/starts" 1 || fail "web did not start"
l=$(line web 1)
sock=$(stat -c %i "$T/web.sock" 2>/dev/null)
[ "$(field "$l" fds)" = 1 ] && [ "$(field "$l" names)" = web ] ||
    fail "web's first start: '$l'"
poll 5 active web || fail "web not active"
in_ns kill -9 "$(pid_of "$l")"
poll 5 lines_at_least "$T/web/starts" 2 || fail "web did not restart"
l=$(line web 2)
[ "$(field "$l" fds)" = 2 ] && [ "$(field "$l" names)" = web:x ] &&
    [ "$(field "$l" listen_pid)" = "$(pid_of "$l")" ] &&
    [ "$(field "$l" inodes)" = "$(field "$(line web 1)" inodes)$(cat "$T/web/made")" ] ||
    fail "web after a crash: '$l', made $(cat "$T/web/made")"
pass "a socket's fd, then the stored one, after a crash"
