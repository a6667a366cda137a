#!/bin/bash
# RuntimeDirectory=, StateDirectory= (and siblings): made before the unit
# runs with their mode and User= ownership, exported as $RUNTIME_DIRECTORY
# etc.; the runtime one is removed when the unit stops unless preserved.
# /run and /var/lib are private tmpfs mounts inside the test's namespace.
. "${srcdir:-.}/tests/e2e/lib.sh"

chmod 755 "$T"
mkdir -m 777 "$T/w"
script show.sh <<'EOF2'
{
    echo "runtime=$RUNTIME_DIRECTORY"
    echo "state=$STATE_DIRECTORY"
    stat -c '%U %a' "${RUNTIME_DIRECTORY%%:*}"
    stat -c '%U %a' "$STATE_DIRECTORY"
    touch "${RUNTIME_DIRECTORY%%:*}/written" && echo writable
} > "$T/w/$1.out" 2>&1
exec sleep 1000
EOF2

unit daemon <<EOF2
[Service]
User=nobody
RuntimeDirectory=daemon daemon/sub
RuntimeDirectoryMode=0750
StateDirectory=daemon
ExecStart=$T/show.sh daemon
EOF2

# Oneshots that end at once: whether their runtime directory survives the
# stop can be looked at while pxinit runs on.
unit keeper <<EOF2
[Service]
Type=oneshot
RuntimeDirectory=keeper
RuntimeDirectoryPreserve=yes
ExecStart=/bin/sh -c 'touch \$RUNTIME_DIRECTORY/kept'
EOF2

unit dropper <<EOF2
[Service]
Type=oneshot
RuntimeDirectory=dropper
ExecStart=/bin/sh -c 'touch \$RUNTIME_DIRECTORY/dropped'
EOF2

unit bad <<EOF2
[Service]
RuntimeDirectory=/absolute
ExecStart=/bin/true
EOF2

PX_TMPFS="/run /var/lib" px_start
poll 10 test -s "$T/w/daemon.out" || fail "daemon did not run"
grep -q '^runtime=/run/daemon:/run/daemon/sub$' "$T/w/daemon.out" || fail "RUNTIME_DIRECTORY: $(cat "$T/w/daemon.out")"
grep -q '^state=/var/lib/daemon$' "$T/w/daemon.out" || fail "STATE_DIRECTORY: $(cat "$T/w/daemon.out")"
[ "$(sed -n 3p "$T/w/daemon.out")" = "nobody 750" ] || fail "runtime dir owner/mode: $(sed -n 3p "$T/w/daemon.out")"
[ "$(sed -n 4p "$T/w/daemon.out")" = "nobody 755" ] || fail "state dir owner/mode: $(sed -n 4p "$T/w/daemon.out")"
grep -q '^writable$' "$T/w/daemon.out" || fail "User=nobody cannot write its RuntimeDirectory"
pass "directories made with mode and owner, exported in the environment"
log_has "bad.service:2: .*RuntimeDirectory" || fail "absolute RuntimeDirectory= not rejected with file:line"
pass "an absolute RuntimeDirectory= is a load error"

poll 10 log_has 'keeper: state inactive' || fail "keeper did not run"
poll 10 log_has 'dropper: state inactive' || fail "dropper did not run"
in_ns test -f /run/keeper/kept || fail "RuntimeDirectoryPreserve=yes: /run/keeper removed at stop"
in_ns test -d /run/daemon || fail "/run/daemon missing while daemon runs"
kill -0 "$PX_INIT" || fail "pxinit gone"
in_ns test -e /run/dropper && fail "RuntimeDirectory= not removed when the unit stopped"
pass "runtime directory removed at stop, kept with RuntimeDirectoryPreserve=yes"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
