#!/bin/bash
# systemctl's unit-file verbs against a running pxinit: enable/disable edit
# the links beside the unit in pxinit's own directory (PXINIT_UNITS) and, with
# --now, start and stop the unit through the daemon; without --now the
# daemon is left alone. In pxinit's own directory every unit is enabled.
# The unit has a name no host has: without --root, disable also looks in
# the host's /etc/systemd/system.
. "${srcdir:-.}/tests/e2e/lib.sh"

unit pxtest-sdfiles-web <<EOF2
[Service]
ExecStart=/bin/sleep 1000
[Install]
WantedBy=multi-user.target
Alias=pxtest-sdfiles-www.service
EOF2

mkdir -p "$T/bin"
ln -s "$PXINIT" "$T/bin/systemctl"
sc() { PXINIT_UNITS=$UNITS PXINIT_RUNTIME_DIR=$RUN "$T/bin/systemctl" "$@"; }
is_active() { [ "$(sc is-active pxtest-sdfiles-web.service 2>/dev/null)" = active ]; }
is_inactive() { [ "$(sc is-active pxtest-sdfiles-web.service 2>/dev/null)" = inactive ]; }

px_start
poll 5 is_active || fail "the unit did not start at boot: $(sc is-active pxtest-sdfiles-web.service 2>&1)"

[ "$(sc is-enabled pxtest-sdfiles-web.service)" = enabled ] || fail "a unit of pxinit's own directory is enabled"

sc disable pxtest-sdfiles-web.service 2>"$T/err" || fail "disable: $(cat "$T/err")"
is_active || fail "disable without --now stopped the unit"

sc disable --now pxtest-sdfiles-web.service 2>"$T/err" || fail "disable --now: $(cat "$T/err")"
poll 5 is_inactive || fail "disable --now did not stop the unit: $(sc is-active pxtest-sdfiles-web.service 2>&1)"

sc enable --now pxtest-sdfiles-web.service 2>"$T/err" || fail "enable --now: $(cat "$T/err")"
grep -q "Created symlink $UNITS/multi-user.target.wants/pxtest-sdfiles-web.service → $UNITS/pxtest-sdfiles-web.service." "$T/err" ||
    fail "enable did not say what it linked: $(cat "$T/err")"
[ "$(readlink "$UNITS/multi-user.target.wants/pxtest-sdfiles-web.service")" = "$UNITS/pxtest-sdfiles-web.service" ] ||
    fail "no .wants link beside the unit"
[ "$(readlink "$UNITS/pxtest-sdfiles-www.service")" = "$UNITS/pxtest-sdfiles-web.service" ] || fail "no alias link"
poll 5 is_active || fail "enable --now did not start the unit"

sc mask pxtest-sdfiles-web.service 2>"$T/err" && fail "mask of a unit in pxinit's own directory was not refused"
grep -q "Failed to mask unit, file \"$UNITS/pxtest-sdfiles-web.service\" already exists." "$T/err" ||
    fail "mask refused without systemctl's message: $(cat "$T/err")"

sc -q disable pxtest-sdfiles-web.service 2>"$T/err" || fail "disable -q failed"
[ -s "$T/err" ] && fail "disable -q said something: $(cat "$T/err")"
[ -e "$UNITS/pxtest-sdfiles-www.service" ] && fail "disable left the alias link"
[ -e "$UNITS/multi-user.target.wants" ] && fail "disable left the emptied .wants directory"
[ -f "$UNITS/pxtest-sdfiles-web.service" ] || fail "disable removed the unit file"

pass "systemctl enable/disable --now with a running pxinit"
