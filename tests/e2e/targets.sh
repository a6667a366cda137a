#!/bin/bash
# .target units (SPEC "Timers, sockets and targets"): a target groups units
# through Wants=/Requires=/After= and the NAME.wants/ and NAME.requires/
# directories; starting it starts what it wants, in order; stopping it stops
# what is PartOf= or BindsTo= it; status, list and --json show it with its
# suffix; `check` validates it; with --systemd the targets an image's links
# name are units too.
. "${srcdir:-.}/tests/e2e/lib.sh"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }

# a is slow to become ready; b is ordered after it: b must see a's mark.
script a.sh <<'EOF2'
sleep 0.3
touch "$T/a.ready"
echo a >> "$T/runs"
EOF2
script b.sh <<'EOF2'
if [ -e "$T/a.ready" ]; then echo "b after a" >> "$T/runs"; else echo "b before a" >> "$T/runs"; fi
exec sleep 1000
EOF2
unit a <<EOF2
[Unit]
PartOf=app.target
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$T/a.sh
ExecStop=/bin/rm -f $T/a.ready
EOF2
unit b <<EOF2
[Unit]
After=a.service
PartOf=app.target
[Service]
ExecStart=$T/b.sh
EOF2
cat > "$UNITS/app.target" <<EOF2
[Unit]
Description=the app
Wants=a.service b.service
EOF2
# c is wanted through a directory, and bound to the target.
unit c <<EOF2
[Unit]
BindsTo=more.target
[Service]
ExecStart=/bin/sleep 1000
EOF2
unit d <<EOF2
[Service]
ExecStart=/bin/sleep 1000
EOF2
printf '[Unit]\nDescription=more\n' > "$UNITS/more.target"
mkdir "$UNITS/more.target.wants" "$UNITS/more.target.requires"
ln -s ../c.service "$UNITS/more.target.wants/c.service"
: > "$UNITS/more.target.requires/d.service"
printf '[Path]\nPathExists=/nonexistent\n' > "$UNITS/t.path"

px_start
poll 5 is_state app.target active || fail "app.target not active at boot: $(ctl status app.target 2>&1)"
poll 5 is_state more.target active || fail "more.target not active at boot"
poll 5 is_state b active || fail "b not started at boot"
log_has 't.path: .path units are not supported, skipped' || fail "no info line for the .path"
pass "targets start at boot with every unit; other types are skipped with a line"

ctl status app.target >"$T/st" || fail "status app.target exited $?"
grep -q '^app.target  *active' "$T/st" || fail "status line: $(cat "$T/st")"
ctl list >"$T/list" || fail "list exited $?"
grep -q '^app.target ' "$T/list" || fail "list lacks app.target: $(cat "$T/list")"
grep -q '^b ' "$T/list" || fail "list shows services with a suffix: $(cat "$T/list")"
ctl list --json >"$T/list.json" || fail "list --json exited $?"
grep -q '"name":"app.target","state":"active","sub":"active"' "$T/list.json" ||
    fail "list --json: $(cat "$T/list.json")"
ctl status --json more.target >"$T/st.json" || fail "status --json exited $?"
grep -q '"name":"more.target"' "$T/st.json" || fail "status --json: $(cat "$T/st.json")"
PXINIT_NO_BOARD=1 ctl status app.target | grep -q '^app.target  *active' ||
    fail "status through the socket: $(PXINIT_NO_BOARD=1 ctl status app.target 2>&1)"
ctl status nosuch.target >/dev/null 2>&1
[ $? = 4 ] || fail "status of an unknown target is not 4"
pass "status, list and --json show targets with their suffix, services without"

# Stop by target: PartOf= units go with it.
ctl stop app.target || fail "stop app.target exited $?"
is_state app.target inactive || fail "app.target: $(state_of app.target)"
poll 5 is_state a inactive || fail "a (PartOf=) not stopped: $(state_of a)"
poll 5 is_state b inactive || fail "b (PartOf=) not stopped: $(state_of b)"
ctl status app.target >/dev/null 2>&1
[ $? = 3 ] || fail "status of an inactive target is not 3"
pass "stopping a target stops what is PartOf= it; status says 3"

# Start by target: what it wants starts, in After= order, before it is active.
: > "$T/runs"
ctl start app.target || fail "start app.target exited $?"
is_state a active || fail "a not active once app.target started: $(state_of a)"
is_state b active || fail "b not active once app.target started: $(state_of b)"
poll 5 file_has "$T/runs" '^b ' || fail "b did not run"
grep -qx 'b after a' "$T/runs" || fail "b did not wait for a: $(cat "$T/runs")"
pass "starting a target starts what it wants, in order, and waits for it"

# NAME.wants/ and NAME.requires/: c and d belong to more.target; c is
# BindsTo= it and stops with it, d (required, not bound) stays.
ctl stop more.target || fail "stop more.target exited $?"
poll 5 is_state c inactive || fail "c (BindsTo=) not stopped: $(state_of c)"
is_state d active || fail "d stopped with more.target: $(state_of d)"
ctl stop d || fail "stop d"
ctl start more.target || fail "start more.target exited $?"
is_state c active || fail "c (from more.target.wants/) not started: $(state_of c)"
is_state d active || fail "d (from more.target.requires/) not started: $(state_of d)"
pass "NAME.wants/ and NAME.requires/ add Wants= and Requires="

# Requires= in systemd's sense: stopping d stops more.target (it requires d).
ctl stop d || fail "stop d"
poll 5 is_state more.target inactive || fail "more.target still $(state_of more.target)"
pass "stopping a required unit stops the target"

# A restart of a unit reaches the target that Requires= it (as a target).
ctl start more.target || fail "start more.target exited $?"
ctl restart d || fail "restart d exited $?"
poll 5 is_state more.target active || fail "more.target after restart of d: $(state_of more.target)"
log_has 'more.target: restarting with d' || fail "more.target not restarted with d"
pass "restarting a required unit restarts the target"

ctl restart app.target || fail "restart app.target exited $?"
is_state app.target active || fail "app.target after restart: $(state_of app.target)"
is_state b active || fail "b after restart: $(state_of b)"
pass "restart of a target"

# daemon-reload: a new target starts (and what it wants), a removed one goes.
ctl stop d || fail "stop d"
printf '[Unit]\nWants=d.service\n' > "$UNITS/late.target"
ctl daemon-reload >/dev/null || fail "daemon-reload exited $?"
poll 5 is_state late.target active || fail "late.target after daemon-reload: $(state_of late.target)"
poll 5 is_state d active || fail "late.target did not start d: $(state_of d)"
rm "$UNITS/late.target"
ctl daemon-reload >/dev/null || fail "daemon-reload exited $?"
ctl status late.target >/dev/null 2>&1
[ $? = 4 ] || fail "a removed target is still known"
pass "daemon-reload adds and removes targets"

# check: a target validates, [Service] in it is an unknown section.
"$PXINIT" check "$UNITS/app.target" >"$T/chk" 2>&1 || fail "check app.target: $(cat "$T/chk")"
grep -q 'app.target: ok$' "$T/chk" || fail "check output: $(cat "$T/chk")"
printf '[Unit]\nWants=x.service\nBogus=1\n[Service]\nExecStart=/bin/true\n' > "$T/bad.target"
"$PXINIT" check "$T/bad.target" >"$T/chk" 2>&1 || fail "check of warnings exited $?"
grep -q 'bad.target:3' "$T/chk" || fail "no file:line for the unknown key: $(cat "$T/chk")"
grep -q 'bad.target:4.*unknown section \[Service\]' "$T/chk" || fail "[Service] in a target: $(cat "$T/chk")"
pass "pxinit check validates targets"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"

# --systemd: multi-user.target (a file in /lib) and sockets.target (none)
# named by .wants links are units; what the links name is what they want.
rm -rf "$UNITS"/*
script setup.sh <<EOF2
mkdir -p /etc/systemd/system/multi-user.target.wants /etc/systemd/system/sockets.target.wants /usr/lib/systemd/system
printf '[Service]\nExecStart=/bin/sleep 1000\n' > /usr/lib/systemd/system/web.service
printf '[Service]\nExecStart=/bin/sleep 1000\n' > /usr/lib/systemd/system/sock.service
printf '[Unit]\nDescription=Multi-User System\n' > /usr/lib/systemd/system/multi-user.target
ln -s /usr/lib/systemd/system/web.service /etc/systemd/system/multi-user.target.wants/web.service
ln -s /usr/lib/systemd/system/sock.service /etc/systemd/system/sockets.target.wants/sock.service
mkdir -p /etc/systemd/system/timers.target.wants
ln -s /usr/lib/systemd/system/web.service /etc/systemd/system/timers.target.wants/web.service
ln -s /dev/null /etc/systemd/system/timers.target
EOF2
PX_TMPFS="/etc/systemd/system /usr/lib/systemd/system /usr/lib/tmpfiles.d /etc/tmpfiles.d /run" \
    PX_SETUP="$T/setup.sh" px_start --systemd
poll 5 is_state multi-user.target active || fail "multi-user.target: $(ctl status multi-user.target 2>&1)"
poll 5 is_state sockets.target active || fail "sockets.target: $(ctl status sockets.target 2>&1)"
is_state web active || fail "web not started"
ctl status timers.target >"$T/st" 2>&1
[ $? = 3 ] && grep -q masked "$T/st" || fail "a masked target was made up: $(cat "$T/st")"
ctl stop web sock || fail "stop web sock"
ctl start multi-user.target || fail "start multi-user.target"
is_state web active || fail "multi-user.target did not start what its .wants/ links name"
is_state sock inactive || fail "multi-user.target started a unit of sockets.target"
pass "--systemd: the targets an image's links name are units, wanting what the links name"
px_signal TERM
px_wait 20
