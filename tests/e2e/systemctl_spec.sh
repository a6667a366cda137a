#!/bin/bash
# systemctl_spec.sh - the built pxinit started under the name systemctl,
# checked from outside against SPEC "systemctl and journalctl" and
# systemctl(1): exit codes, show's property names, status's layout,
# list-units' filters, the runtime verbs, reset-failed after a start limit,
# poweroff; then, with no daemon, enable/disable/mask/unmask/is-enabled on
# pxinit's own unit directory (PXINIT_UNITS) and, in a private mount
# namespace, on systemd's tree, where systemd 252's own systemctl --root
# (the oracle, when contrib/install-deps.sh unpacked it) must do the same.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/check_lib.sh"

mkdir -p "$T/bin"
ln -s "$PXINIT" "$T/bin/systemctl"
# The client runs in the daemon's namespaces (pids as the daemon sees them,
# its private /etc/systemd/system and /run/systemd).
sc() { in_ns env PXINIT_RUNTIME_DIR="$RUN" PXINIT_UNITS="$UNITS" "$T/bin/systemctl" "$@"; }
px() { in_ns "$PXINIT" -R "$RUN" "$@"; }

script web.sh <<'EOF'
trap 'touch "$T/web.hup"' HUP
echo "web up"
echo "web warns" >&2
while :; do sleep 0.05; done
EOF
unit web <<EOF
[Unit]
Description=Web test daemon
[Service]
ExecStart=$T/web.sh
[Install]
WantedBy=multi-user.target
EOF
unit bad <<'EOF'
[Unit]
Description=Fails at once
[Service]
ExecStart=/bin/sh -c 'echo bad out; exit 7'
EOF
# Fails until $T/lim.ok exists; two starts an hour at most.
script lim.sh <<'EOF'
[ -e "$T/lim.ok" ] || exit 1
exec sleep 1000
EOF
unit lim <<EOF
[Unit]
StartLimitIntervalSec=1h
StartLimitBurst=2
[Service]
ExecStart=$T/lim.sh
Restart=always
RestartSec=10ms
EOF
unit once <<'EOF'
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/true
EOF
unit tick <<'EOF'
[Unit]
Description=Tick job
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
cat >"$UNITS/tick.timer" <<'EOF'
[Unit]
Description=Tick timer
[Timer]
OnActiveSec=1h
EOF

PX_TMPFS="/etc/systemd/system /run/systemd /etc/pxinit" px_start
# Waits with pxinit's own verbs, so a missing systemctl fails its checks, not this.
state_of() { px status --json "$1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["state"])' 2>/dev/null; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
poll 10 is_state web active || fail "web did not start: $(px status 2>&1)"
poll 10 is_state bad failed || fail "bad did not fail: $(px status 2>&1)"
poll 10 is_state lim failed || fail "lim did not hit its start limit: $(px status 2>&1)"
poll 10 is_state once active || fail "once did not start: $(px status 2>&1)"
web_pid=$(px status --json web | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])')

# --- is-active, is-failed (systemctl(1): 0 when active, else 3; is-failed 0
# when failed, else 1; one state word per unit).
out_is "is-active web" 0 active sc is-active web
out_is "is-active web.service" 0 active sc is-active web.service
out_is "is-active --quiet prints nothing" 0 "" sc is-active --quiet web
out_is "is-active of an unknown unit" 3 inactive sc is-active nope
out_is "is-active of a failed unit" 3 failed sc is-active bad
out_is "is-active of an inactive unit" 3 inactive sc is-active tick.service
out_is "is-active of two units, one active" 0 "$(printf 'active\ninactive')" sc is-active web nope
out_is "is-failed of a failed unit" 0 failed sc is-failed bad
out_is "is-failed of an active unit" 1 active sc is-failed web
out_is "is-failed --quiet" 0 "" sc is-failed --quiet bad
out_is "is-enabled of a unit of pxinit's own directory" 0 enabled sc is-enabled web

# --- status: systemctl's layout, exit 0 active, 3 not active, 4 unknown.
run sc status web
printf '%s\n' "$OUT" >"$T/status.web"
[ "$RC" = 0 ] && good "status web exits 0" || bad "status web exited $RC: $OUT $ERR"
st_has() { grep -qE -- "$2" "$1"; }
that "status: '● web.service - Web test daemon'" st_has "$T/status.web" '^● web\.service - Web test daemon$'
that "status: 'Loaded: loaded (PATH; enabled'" st_has "$T/status.web" "^ +Loaded: loaded \\($UNITS/web\\.service; enabled"
that "status: 'Active: active (running) since DATE; N ago'" st_has "$T/status.web" \
    '^ +Active: active \(running\) since [A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Z]+; .+ ago$'
that "status: 'Main PID: $web_pid (...)'" st_has "$T/status.web" "^ +Main PID: $web_pid( \\(.+\\))?$"
that "status: the last log lines" st_has "$T/status.web" 'web up$'
that "status: Loaded: comes before Active:, Active: before Main PID:" \
    test "$(grep -oE '^ +(Loaded|Active|Main PID):' "$T/status.web" | tr -d ' :' | tr '\n' ,)" = "Loaded,Active,MainPID,"
run sc status nope
if [ "$RC" = 4 ] && [ "$ERR" = "Unit nope.service could not be found." ]; then
    good "status of an unknown unit: exit 4, 'Unit nope.service could not be found.'"
else
    bad "status nope exited $RC (want 4), stderr '$ERR'"
fi
out_has "status of a failed unit: exit 3, 'Active: failed (Result: exit-code)'" 3 \
    '^ +Active: failed \(Result: exit-code\) since ' sc status bad
out_has "status of an inactive unit: exit 3, 'Active: inactive (dead)'" 3 '^ +Active: inactive \(dead\)' sc status tick.service
out_has "status of a oneshot with RemainAfterExit: 'active (exited)'" 0 '^ +Active: active \(exited\)' sc status once

# --- show: systemd's property names, -p (repeatable, comma lists), --value.
out_is "show -p ActiveState" 0 ActiveState=active sc show -p ActiveState web
out_is "show -p ActiveState --value" 0 active sc show -p ActiveState --value web
out_is "show --property=SubState" 0 SubState=running sc show --property=SubState web
out_is "show -p A,B in systemd's order" 0 "$(printf 'ActiveState=active\nSubState=running')" \
    sc show -p SubState,ActiveState web
out_is "show -p A -p B in systemd's order" 0 "$(printf 'ActiveState=active\nSubState=running')" \
    sc show -p SubState -p ActiveState web
out_is "show LoadState" 0 loaded sc show -p LoadState --value web
out_is "show Id" 0 web.service sc show -p Id --value web
out_is "show MainPID is the daemon's pid" 0 "$web_pid" sc show -p MainPID --value web
out_is "show NRestarts" 0 0 sc show -p NRestarts --value web
out_is "show Result of a running unit" 0 success sc show -p Result --value web
out_is "show UnitFileState" 0 enabled sc show -p UnitFileState --value web
out_is "show Description" 0 "Web test daemon" sc show -p Description --value web
out_is "show ExecMainStatus of a failed unit" 0 7 sc show -p ExecMainStatus --value bad
out_is "show Result of a failed unit" 0 exit-code sc show -p Result --value bad
out_is "show ActiveState, SubState of a failed unit" 0 "$(printf 'ActiveState=failed\nSubState=failed')" \
    sc show -p ActiveState,SubState bad
out_is "show Result after the start limit" 0 start-limit-hit sc show -p Result --value lim
run sc show -p NRestarts --value lim
[ "$RC" = 0 ] && [ "${OUT:-0}" -ge 1 ] 2>/dev/null && good "show NRestarts counts restarts ($OUT)" ||
    bad "show NRestarts of lim: rc $RC, '$OUT' (want >= 1)"
out_is "show of an unknown unit: not-found, exit 0" 0 \
    "$(printf 'LoadState=not-found\nActiveState=inactive')" sc show -p LoadState,ActiveState nope
out_is "show of an unknown property prints nothing" 0 "" sc show -p NoSuchProperty web
run sc show -p ActiveEnterTimestamp --value web
if [ "$RC" = 0 ] && grep -qE '^[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [A-Z]+$' <<<"$OUT" &&
    s=$(date -d "$OUT" +%s 2>/dev/null) && [ $(($(date +%s) - s)) -ge 0 ] && [ $(($(date +%s) - s)) -lt 120 ]; then
    good "show ActiveEnterTimestamp: systemctl's date, when web started ($OUT)"
else
    bad "show ActiveEnterTimestamp: rc $RC, '$OUT'"
fi
out_is "show ActiveEnterTimestamp of a unit never active: empty" 0 ActiveEnterTimestamp= \
    sc show -p ActiveEnterTimestamp tick.service
out_has "show without -p has ExecStart in systemd's form" 0 "^ExecStart=\\{ path=$T/web\\.sh ; argv\\[\\]=$T/web\\.sh ;" sc show web
out_has "show without a unit: the manager's properties" 0 '^NFailedUnits=[0-9]+$' sc show

# --- list-units: --type, --state, --all, --no-legend, --plain.
rows() { sc list-units --no-legend --plain "$@" 2>/dev/null; }
row_re() { printf '^%s +loaded +%s +%s( +%s)?$' "$1" "$2" "$3" "${4:-}"; }
out_has "list-units: web's row" 0 "$(row_re 'web\.service' active running 'Web test daemon')" rows --type=service
out_has "list-units: a failed unit's row" 0 "$(row_re 'bad\.service' failed failed 'Fails at once')" rows
run rows --type=service
! grep -q '^tick\.service' <<<"$OUT" && good "list-units leaves out inactive units" ||
    bad "list-units shows tick.service without --all: $OUT"
! grep -q '\.timer' <<<"$OUT" && good "list-units --type=service shows no timer" || bad "--type=service shows timers: $OUT"
out_has "list-units --all shows inactive units" 0 "$(row_re 'tick\.service' inactive dead 'Tick job')" rows --all
out_has "list-units --type=timer" 0 "$(row_re 'tick\.timer' active waiting 'Tick timer')" rows --type=timer
run rows --state=failed
if [ "$RC" = 0 ] && grep -q '^bad\.service' <<<"$OUT" && grep -q '^lim\.service' <<<"$OUT" &&
    ! grep -vqE '^[^ ]+ +loaded +failed +failed' <<<"$OUT"; then
    good "list-units --state=failed: the failed units only"
else
    bad "list-units --state=failed: rc $RC: $OUT"
fi
run sc list-units --type=service
printf '%s\n' "$OUT" >"$T/list-units"
n_rows=$(grep -cE '^(● |  )?[a-z]+\.service ' "$T/list-units")
that "list-units: the header" grep -qE '^ *UNIT +LOAD +ACTIVE +SUB +DESCRIPTION *$' "$T/list-units"
that "list-units: '$n_rows loaded units listed.'" grep -qE "^$n_rows loaded units listed\\." "$T/list-units"
that "list-units: '●' before a failed unit (no --plain)" grep -qE '^● bad\.service ' "$T/list-units"
run rows --type=service
! grep -q '●' <<<"$OUT" && ! grep -q 'units listed' <<<"$OUT" && ! grep -qE '^ *UNIT ' <<<"$OUT" &&
    good "--no-legend --plain: no glyph, header or legend" || bad "--no-legend --plain: $OUT"
out_has "list-timers names the timer" 0 'tick\.timer +tick\.service' sc list-timers --no-pager
rc_is "list-sockets" 0 sc list-sockets --no-pager

# --- cat: the file under '# PATH'.
out_is "cat web" 0 "$(printf '# %s\n%s' "$UNITS/web.service" "$(cat "$UNITS/web.service")")" sc cat web

# --- runtime verbs and their exit codes.
run sc start nope
if [ "$RC" = 5 ] && [ "$ERR" = "Failed to start nope.service: Unit nope.service not found." ]; then
    good "start of an unknown unit: exit 5 and systemctl's line"
else
    bad "start nope: rc $RC (want 5), stderr '$ERR'"
fi
rc_is "stop of an unknown unit: exit 5" 5 sc stop nope
rc_is "reload of a unit without ExecReload: exit 1" 1 sc reload web
rc_is "kill -s HUP web" 0 sc kill -s HUP web
that "kill reached the unit's main process" poll 5 test -e "$T/web.hup"
rm -f "$T/web.hup"
rc_is "kill --signal=SIGHUP web" 0 sc kill --signal=SIGHUP web
that "kill --signal reached it" poll 5 test -e "$T/web.hup"
rc_is "stop web" 0 sc stop web
out_is "stopped: is-active says inactive, exit 3" 3 inactive sc is-active web
rc_is "status of a stopped unit exits 3" 3 sc status web
rc_is "start web" 0 sc start web
out_is "started: active" 0 active sc is-active web
pid_a=$(sc show -p MainPID --value web)
rc_is "restart web" 0 sc restart web
pid_b=$(sc show -p MainPID --value web)
that "restart gave a new MainPID ($pid_a -> $pid_b)" test -n "$pid_b" -a "$pid_b" != "$pid_a" -a "$pid_b" != 0
rc_is "reload-or-restart of a unit without ExecReload restarts it" 0 sc reload-or-restart web
pid_c=$(sc show -p MainPID --value web)
that "reload-or-restart gave a new MainPID" test -n "$pid_c" -a "$pid_c" != "$pid_b" -a "$pid_c" != 0
rc_is "try-restart of an inactive unit" 0 sc try-restart tick.service
out_is "try-restart leaves it inactive" 3 inactive sc is-active tick.service
rc_is "try-reload-or-restart of an active unit" 0 sc try-reload-or-restart web
rc_is "start --no-block" 0 sc start --no-block tick.service

# --- the start limit and reset-failed.
out_is "is-system-running with failed units: degraded, exit 1" 1 degraded sc is-system-running
touch "$T/lim.ok"
rc_is "start of a unit past its start limit is refused" 1 sc start lim
out_is "it stays failed" 0 failed sc is-failed lim
rc_is "reset-failed lim" 0 sc reset-failed lim
out_is "reset-failed made it inactive" 3 inactive sc is-active lim
out_is "reset-failed: its Result is success" 0 success sc show -p Result --value lim
rc_is "start works at once after reset-failed" 0 sc start lim
lim_up() { [ "$(sc is-active lim 2>/dev/null)" = active ]; }
that "lim is active" poll 5 lim_up
rc_is "reset-failed without units" 0 sc reset-failed
out_is "bad is no longer failed" 3 inactive sc is-active bad
out_is "is-system-running without failed units: running" 0 running sc is-system-running

# --- daemon-reload starts a new unit (SPEC's daemon-reload).
unit late <<'EOF'
[Service]
ExecStart=/bin/sleep 1000
EOF
rc_is "daemon-reload" 0 sc daemon-reload
late_up() { [ "$(sc is-active late 2>/dev/null)" = active ]; }
that "daemon-reload started the new unit" poll 5 late_up

# --- what pxinit does not support: exit 1, one line naming it.
one_error_line "an unsupported verb" isolate sc isolate rescue.target
one_error_line "another unsupported verb" list-jobs sc list-jobs
one_error_line "an unsupported option" --host sc --host=example.org status web
run sc frobnicate
[ "$RC" != 0 ] && good "an unknown verb fails ($RC)" || bad "'systemctl frobnicate' exited 0"

# --- poweroff ends the daemon.
rc_is "poweroff" 0 sc poweroff
poll 15 px_gone && good "poweroff ended pxinit" || bad "pxinit still runs 15s after poweroff"
px_gone && px_wait 1

# --- no daemon: enable/disable/mask/unmask/is-enabled in pxinit's own
# directory (PXINIT_UNITS). Links go beside the unit's file.
OWN="$T/own"
mkdir -p "$OWN"
cat >"$OWN/app.service" <<'EOF'
[Service]
ExecStart=/bin/true
[Install]
WantedBy=multi-user.target
Alias=app-alias.service
EOF
cat >"$OWN/plain.service" <<'EOF'
[Service]
ExecStart=/bin/true
EOF
off() { env PXINIT_UNITS="$OWN" PXINIT_RUNTIME_DIR="$T/nodaemon" "$T/bin/systemctl" "$@"; }
wants="$OWN/multi-user.target.wants/app.service"
out_is "offline: is-enabled in pxinit's own directory says enabled" 0 enabled off is-enabled app
rc_is "offline: enable app" 0 off enable app
enable_err=$ERR
that "enable: the WantedBy link points at the file" test "$(readlink -f "$wants")" = "$OWN/app.service"
that "enable: the Alias link points at the file" test "$(readlink -f "$OWN/app-alias.service")" = "$OWN/app.service"
that "enable says 'Created symlink LINK → FILE.'" grep -qxF "Created symlink $wants → $OWN/app.service." <<<"$enable_err"
out_is "is-enabled app" 0 enabled off is-enabled app
out_is "is-enabled of the alias" 0 alias off is-enabled app-alias.service
had_links=no
[ -L "$wants" ] && had_links=yes
rc_is "offline: disable app" 0 off disable app
disable_err=$ERR
if [ "$had_links" = yes ]; then
    that "disable removed the links" test ! -L "$wants" -a ! -L "$OWN/app-alias.service"
    that "disable says 'Removed \"LINK\".'" grep -qxF "Removed \"$wants\"." <<<"$disable_err"
else
    echo "# not checked: disable removes the links (enable made none)"
fi
rc_is "mask of a unit whose only file is pxinit's is refused" 1 off mask app
that "the refused mask left the file alone" test -f "$OWN/app.service" -a ! -L "$OWN/app.service"
run off is-enabled nope
[ "$RC" = 1 ] && [ "$ERR" = "Failed to get unit file state for nope.service: No such file or directory" ] &&
    good "is-enabled of an unknown unit: exit 1 and systemctl's line" || bad "is-enabled nope: rc $RC, '$OUT' '$ERR'"
run off enable nope
[ "$RC" = 1 ] && good "enable of an unknown unit fails" || bad "enable nope: rc $RC '$ERR'"
rc_is "enable of a unit without [Install] succeeds (systemctl's notice)" 0 off enable plain
that "...and makes no link" test -z "$(find "$OWN" -type l)"

# --- no daemon, systemd's tree: the same steps by the oracle (systemd's
# systemctl --root) in a scratch root and by pxinit's in a private mount
# namespace whose /etc and /usr/lib are overlays on a tmpfs and
# whose /run/systemd/system exists (as pxinit --systemd makes it).
ORACLE=${PXINIT_ORACLE_DIR:-/var/cache/pxinit-oracle/systemd}
cat >"$T/tree_steps.sh" <<'EOF'
# $1: the systemctl command; $2: the root ("" or the scratch root).
sc=$1 root=$2
step() {
    echo "## $*"
    $sc "$@" >"$T/step.out" 2>"$T/step.err"
    echo "rc=$?"
    cat "$T/step.out"
    grep -E '^(Created symlink|Removed)' "$T/step.err" | sed "s|$root/|/|g" | sort
    (cd "$root/etc/systemd/system" && find . -type l -printf '%p -> %l\n' | sort)
}
step is-enabled pxlib.service
step enable pxlib.service
step is-enabled pxlib.service
step is-enabled pxlib-alias.service
step is-enabled pxstatic.service
step mask pxstatic.service
step is-enabled pxstatic.service
step unmask pxstatic.service
step is-enabled pxstatic.service
step enable pxreq.service
step is-enabled pxreq.service
step reenable pxlib.service
step disable pxlib.service pxreq.service
step is-enabled pxlib.service
step mask pxlib.service
step is-enabled pxlib.service
step unmask pxlib.service
step is-enabled pxlib.service
EOF
tree_units() { # DIR: the units of systemd's tree for the steps
    mkdir -p "$1" || return 1
    printf '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\nAlias=pxlib-alias.service\n' >"$1/pxlib.service"
    printf '[Service]\nExecStart=/bin/true\n[Install]\nRequiredBy=multi-user.target\n' >"$1/pxreq.service"
    printf '[Service]\nExecStart=/bin/true\n' >"$1/pxstatic.service"
    printf '[Unit]\nDescription=Multi-User System\n' >"$1/multi-user.target"
}
if [ -x "$ORACLE/bin/systemctl" ]; then
    O="$T/oroot"
    mkdir -p "$O/etc/systemd/system"
    tree_units "$O/lib/systemd/system"
    LD_LIBRARY_PATH="$ORACLE/usr/lib/x86_64-linux-gnu/systemd" T="$T" \
        bash "$T/tree_steps.sh" "$ORACLE/bin/systemctl --root=$O" "$O" >"$T/tree.oracle" 2>&1
    export -f tree_units
    T="$T" SC="$T/bin/systemctl" unshare --mount bash -c '
        for d in /etc /usr/lib; do
            ov="$T/guard$(echo "$d" | tr / _)"
            mkdir -p "$ov" && mount -t tmpfs pxinit-test "$ov" && mkdir "$ov/u" "$ov/w" &&
                mount -t overlay pxinit-test -o "lowerdir=$d,upperdir=$ov/u,workdir=$ov/w" "$d" || exit 1
        done
        mount -t tmpfs pxinit-test /run || exit 1
        rm -rf /etc/systemd/system /etc/pxinit && mkdir -p /etc/systemd/system /run/systemd/system || exit 1
        tree_units /usr/lib/systemd/system || exit 1
        unset PXINIT_UNITS
        PXINIT_RUNTIME_DIR="$T/nodaemon" bash "$T/tree_steps.sh" "$SC" ""
    ' >"$T/tree.pxinit" 2>&1
    if diff -u "$T/tree.oracle" "$T/tree.pxinit" >"$T/tree.diff"; then
        good "systemd's tree: enable/disable/mask/unmask/reenable/is-enabled as systemd 252's systemctl"
    else
        bad "systemd's tree differs from systemd 252's systemctl (- oracle, + pxinit):
$(cat "$T/tree.diff")"
    fi
else
    echo "# not checked: systemd's tree against the oracle (no $ORACLE/bin/systemctl)"
fi

checks_done
