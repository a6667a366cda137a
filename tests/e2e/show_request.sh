#!/bin/bash
# The `show` request (doc/protocol.md), raw on the control socket: systemd's
# property names and values, per-unit timestamps, the not-found and masked
# sets, -p, --all-units, the manager's properties.
. "${srcdir:-.}/tests/e2e/lib.sh"

HELPER=${CTL_CLIENT:-$(dirname "$PXINIT")/../tests/e2e/helpers/ctl_client}
[ -x "$HELPER" ] || fail "no ctl_client helper at $HELPER"
px() { "$PXINIT" -R "$RUN" "$@"; }

# show REQUEST...: the reply to one request, in $T/show.
show() {
    printf '%s\n' "$*" >"$T/req"
    "$HELPER" send "$RUN/control" "$T/req" >"$T/show" 2>&1
}
# prop UNIT KEY: the (escaped) value of KEY in $T/show; fails when absent.
prop() { awk -v u="$1" -v k="$2" '$1 == "prop" && $2 == u && $3 == k { print $4; f = 1; exit } END { exit !f }' "$T/show"; }
has_prop() { prop "$1" "$2" >/dev/null; }
want() {
    local v
    v=$(prop "$1" "$2") || fail "$1: no $2 in: $(cat "$T/show")"
    [ "$v" = "$3" ] || fail "$1: $2=$v, want $3"
}

unit web <<EOF
[Unit]
Description=The web
[Service]
ExecStart=/bin/sleep 1000
Restart=no
EOF
mkdir -p "$UNITS/web.service.d"
printf '[Service]\nEnvironment=A=1\n' >"$UNITS/web.service.d/10-env.conf"
# Crashes once $T/crash exists (not at boot).
script crash.sh <<'EOF'
[ -e "$T/crash" ] && exit 3
exec sleep 1000
EOF
unit crash <<EOF
[Service]
ExecStart=$T/crash.sh
Restart=on-failure
RestartSec=10ms
StartLimitIntervalSec=1h
StartLimitBurst=3
EOF
unit oneexit <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'exit 3'
EOF
ln -s /dev/null "$UNITS/hidden.service"
unit sockd <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
cat >"$UNITS/sockd.socket" <<EOF
[Socket]
ListenStream=$T/my sock
EOF
unit ticked <<EOF
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
cat >"$UNITS/tick.timer" <<EOF
[Timer]
OnActiveSec=1h
OnCalendar=*-*-* 04:00:00
Unit=ticked.service
EOF

px_start
poll 5 px status web >/dev/null || fail "web not running"

# A running service.
show show web
tail -n 1 "$T/show" | grep -qx "end 0" || fail "show web: $(cat "$T/show")"
want web Id web.service
want web Names web.service
want web LoadState loaded
want web ActiveState active
want web SubState running
want web Type simple
want web Restart no
want web Result success
want web Description 'The\x20web'
want web FragmentPath "$UNITS/web.service"
want web UnitFileState -
want web ConditionResult yes
want web DropInPaths "$UNITS/web.service.d/10-env.conf"
want web Environment A=1
pid=$(px status --json web | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])')
want web MainPID "$pid"
want web ExecMainPID "$pid"
want web ExecMainCode 0
prop web ExecStart | grep -q '^{\\x20path=/bin/sleep\\x20;\\x20argv\[\]=/bin/sleep\\x201000\\x20;' ||
    fail "ExecStart: $(prop web ExecStart)"
prop web ExecStart | grep -q "pid=$pid" || fail "ExecStart pid: $(prop web ExecStart)"
# Property order: the Service interface's, then the Unit interface's.
awk '$1 == "prop" { print $3 }' "$T/show" >"$T/keys"
[ "$(head -n 1 "$T/keys")" = Type ] || fail "first property: $(head -n 1 "$T/keys")"
grep -n -x -e Type -e MainPID -e ExecStart -e KillMode -e Id -e Description -e ActiveState \
    -e StateChangeTimestamp -e CanStart "$T/keys" | cut -d: -f2 | tr '\n' ' ' >"$T/order"
[ "$(cat "$T/order")" = "Type MainPID ExecStart KillMode Id Description ActiveState StateChangeTimestamp CanStart " ] ||
    fail "order: $(cat "$T/order")"
pass "show UNIT: names, states, MainPID as status's, ExecStart's form, systemd's order"

# Timestamps: set and in order (inactive exit <= active enter <= state change).
ie=$(prop web InactiveExitTimestamp)
ae=$(prop web ActiveEnterTimestamp)
sc=$(prop web StateChangeTimestamp)
es=$(prop web ExecMainStartTimestamp)
now=$(($(date +%s) * 1000000))
for v in "$ie" "$ae" "$sc" "$es"; do
    [ "$v" -gt $((now - 600000000)) ] && [ "$v" -le $((now + 1000000)) ] || fail "timestamp $v is not near now ($now)"
done
[ "$ie" -le "$ae" ] && [ "$ae" -le "$sc" ] && [ "$ie" -le "$es" ] || fail "timestamps out of order: $ie $ae $sc $es"
want web ActiveExitTimestamp 0
want web InactiveEnterTimestamp 0
[ "$(prop web ActiveEnterTimestampMonotonic)" -gt 0 ] || fail "no monotonic stamp"
pass "timestamps: Unix usec, ordered, 0 for never"

# A crash, then its automatic restarts: NRestarts counts them.
touch "$T/crash"
px kill -s KILL crash >/dev/null 2>&1 || fail "kill crash"
# Killed, restarted, exits 3, restarted, exits 3: the start limit ends it.
failed() { show show -p ActiveState crash && [ "$(prop crash ActiveState)" = failed ]; }
poll 5 failed || fail "crash never failed: $(cat "$T/show")"
show show crash
[ "$(prop crash NRestarts)" -ge 2 ] || fail "NRestarts=$(prop crash NRestarts)"
want crash ExecMainStatus 3
want crash ExecMainCode 1
want crash Result start-limit-hit
pass "a crashing unit: NRestarts counts, ExecMainStatus=3, ExecMainCode=1 (exited)"

# A oneshot that exits 3 fails: Result=exit-code.
px start oneexit >/dev/null 2>&1
show show oneexit
want oneexit ActiveState failed
want oneexit SubState failed
want oneexit Result exit-code
want oneexit ExecMainStatus 3
[ "$(prop oneexit InactiveEnterTimestamp)" -ge "$(prop oneexit InactiveExitTimestamp)" ] ||
    fail "failed unit: inactive enter before exit"
[ "$(prop oneexit ExecMainExitTimestamp)" -ge "$(prop oneexit ExecMainStartTimestamp)" ] ||
    fail "exit before start"
pass "a oneshot exiting 3: failed, Result=exit-code, ExecMainStatus=3"

# -p: only those, in systemd's order whatever the order asked.
show show -p SubState,Id -p ActiveState,NoSuchProperty web
[ "$(grep -c '^prop ' "$T/show")" = 3 ] || fail "-p gave: $(cat "$T/show")"
[ "$(awk '$1 == "prop" { printf "%s ", $3 }' "$T/show")" = "Id ActiveState SubState " ] ||
    fail "-p order: $(cat "$T/show")"
pass "-p selects, in systemd's order; an unknown property is not printed"

# Not loaded: the not-found set; masked: the masked set; end 0 both.
show show nosuch
want nosuch Id nosuch.service
want nosuch LoadState not-found
want nosuch ActiveState inactive
want nosuch SubState dead
tail -n 1 "$T/show" | grep -qx "end 0" || fail "not-found: $(tail -n 1 "$T/show")"
show show hidden.service
want hidden.service LoadState masked
want hidden.service ActiveState inactive
pass "not-found and masked sets, end 0"

# A timer: Triggers and the unit's TriggeredBy.
show show -p Triggers,Unit,NextElapseUSecRealtime,TimersMonotonic,TimersCalendar tick.timer
want tick.timer TimersMonotonic '{\x20OnActiveUSec=1h\x20;\x20next_elapse=0\x20}'
prop tick.timer TimersCalendar | grep -q '^{\\x20OnCalendar=\*-\*-\*\\x2004:00:00\\x20;\\x20next_elapse=[A-Z][a-z][a-z]\\x20' ||
    fail "TimersCalendar: $(prop tick.timer TimersCalendar)"
[ "$(prop tick.timer NextElapseUSecRealtime)" -gt "$(($(date +%s) * 1000000))" ] || fail "NextElapseUSecRealtime: $(prop tick.timer NextElapseUSecRealtime)"
want tick.timer Triggers ticked.service
want tick.timer Unit ticked.service
show show -p TriggeredBy ticked
want ticked TriggeredBy tick.timer
pass "timers: Triggers, TriggeredBy"

# A socket: Listen as "TYPE ADDRESS" (escaped), Triggers, NAccepted.
show show sockd.socket
want sockd.socket Listen "Stream\\x20$T/my\\x20sock"
want sockd.socket Triggers sockd.service
want sockd.socket NAccepted 0
want sockd.socket Accept no
want sockd.socket SubState listening
show show -p TriggeredBy,ActiveState sockd
want sockd TriggeredBy sockd.socket
want sockd ActiveState inactive
pass "sockets: Listen, Triggers, TriggeredBy"

# --all-units: every loaded unit.
show show --all-units -p Id,LoadState,ActiveState,SubState,Description
for u in web.service crash.service oneexit.service tick.timer; do
    want "$u" Id "$u"
done
pass "--all-units"

# The manager.
show show
want - Version "$(px --version | awk '{ print $2 }')"
want - SystemState degraded
want - NFailedUnits 2
prop - UnitPath | grep -q "$UNITS" || fail "UnitPath: $(prop - UnitPath)"
show show -p NNames
[ "$(prop - NNames)" -ge 4 ] || fail "NNames: $(prop - NNames)"
pass "manager properties"

