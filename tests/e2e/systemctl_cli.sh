#!/bin/bash
# The systemctl personality (SPEC "systemctl and journalctl"): the binary
# under the name systemctl, against a pxinit daemon: status, show,
# is-active, is-failed, list-units, start, stop, kill, try-restart,
# is-system-running and systemctl's exit codes. The link lives in the
# test's directory; /usr/bin/systemctl is never touched.
. "${srcdir:-.}/tests/e2e/lib.sh"

mkdir -p "$T/bin"
ln -s "$PXINIT" "$T/bin/systemctl"
sc() { PXINIT_RUNTIME_DIR="$RUN" "$T/bin/systemctl" "$@"; }
out_has() { grep -qE -- "$1" "$T/o" || fail "stdout of the last command lacks /$1/: $(cat "$T/o")"; }
err_has() { grep -qE -- "$1" "$T/e" || fail "stderr of the last command lacks /$1/: $(cat "$T/e")"; }

script talker.sh <<'EOF'
echo "hello from web"
exec sleep 1000
EOF
unit web <<EOF
[Unit]
Description=Web server
[Service]
ExecStart=$T/talker.sh
EOF
unit idle <<EOF
[Unit]
Description=Idle one
[Service]
ExecStart=/bin/sleep 1000
EOF
unit bad <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'exit 3'
EOF

# No daemon yet: systemctl's refusal, naming the runtime directory.
expect 1 sc status web
err_has "not been booted with pxinit.*$RUN"
expect 1 sc is-system-running
out_has '^offline$'

# Options systemctl has and pxinit has not, unknown ones, unknown verbs.
expect 1 sc --bogus status
err_has "^systemctl: unrecognized option '--bogus'$"
expect 1 sc isolate rescue.target
[ "$(wc -l <"$T/e")" = 1 ] || fail "a refused verb takes one line: $(cat "$T/e")"
err_has "isolate.*not supported"
expect 0 sc --version
out_has '^systemd [0-9]+ \(pxinit'

px_start
poll 5 sc is-active -q web || fail "web never became active"

# status: the block, the journal's lines after a blank line, exit 0.
expect 0 sc status web
out_has '^● web\.service - Web server$'
# In pxinit's own directories every unit starts at boot: enabled.
out_has "^     Loaded: loaded \\($UNITS/web\\.service; enabled; preset: enabled\\)\$"
out_has '^     Active: active \(running\) since [A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}.*; .* ago$'
out_has '^   Main PID: [0-9]+'
grep -q '^$' "$T/o" || fail "no blank line before the output lines: $(cat "$T/o")"
out_has '^[A-Z][a-z]{2} [0-9]{2} [0-9:]{8} [^ ]+ web\[[0-9]+\]: hello from web$'
# The process's name comes from /proc, so from inside the namespace.
in_ns env PXINIT_RUNTIME_DIR="$RUN" "$T/bin/systemctl" status web -n 0 >"$T/o" 2>"$T/e"
out_has '^   Main PID: [0-9]+ \(sleep\)$'
# Options after the verb as well as before it.
expect 0 sc status --no-pager web -n 0
grep -q 'hello from web' "$T/o" && fail "-n 0 still printed output lines"
expect 4 sc status nope
err_has '^Unit nope\.service could not be found\.$'

# is-active: one state per unit; 0 when any is active, else 3; -q is silent.
expect 0 sc is-active web
[ "$(cat "$T/o")" = active ] || fail "is-active web printed: $(cat "$T/o")"
expect 3 sc is-active nope
out_has '^inactive$'
expect 0 sc is-active --quiet web
[ -s "$T/o" ] && fail "is-active -q printed: $(cat "$T/o")"
expect 1 sc is-failed web

# start/stop and their exit codes.
expect 5 sc start nope
err_has '^Failed to start nope\.service: Unit nope\.service not found\.$'
expect 0 sc stop idle
expect 3 sc is-active idle
out_has '^inactive$'
expect 3 sc status idle
out_has '^○ idle\.service - Idle one$'
out_has '^     Active: inactive \(dead\)'
expect 0 sc try-restart idle
expect 3 sc is-active idle
expect 0 sc start idle
expect 0 sc is-active idle
pid1=$(sc show -p MainPID --value idle)
expect 0 sc try-restart idle
pid2=$(sc show -p MainPID --value idle)
[ -n "$pid2" ] && [ "$pid2" != 0 ] && [ "$pid1" != "$pid2" ] || fail "try-restart of an active unit: $pid1 -> $pid2"
expect 0 sc reload-or-restart idle
[ "$(sc show -p MainPID --value idle)" != "$pid2" ] || fail "reload-or-restart without ExecReload= did not restart"
expect 1 sc start bad
err_has '^Job for bad\.service failed'
expect 0 sc is-failed bad
out_has '^failed$'
expect 1 sc is-system-running
out_has '^degraded$'
expect 3 sc status bad
out_has '^× bad\.service$'
out_has '^     Active: failed \(Result: exit-code\) since .*; .* ago$'
out_has '^   Main PID: [0-9]+ \(code=exited, status=3/NOTIMPLEMENTED\)$'
# reset-failed: the unit is inactive again, the system running.
expect 0 sc reset-failed bad
expect 3 sc is-active bad
out_has '^inactive$'
expect 0 sc is-system-running
out_has '^running$'
expect 1 sc reset-failed nope
err_has 'Unit nope\.service not loaded\.$'

# show: KEY=VALUE, -p, --value, several units apart by a blank line.
expect 0 sc show web
out_has '^Id=web\.service$'
out_has '^ActiveState=active$'
out_has '^ActiveEnterTimestamp=[A-Z][a-z]{2} [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z+0-9-]+$'
grep -q '^ExecMainExitTimestamp=' "$T/o" && fail "show printed an empty property without --all"
expect 0 sc show --all web
out_has '^ExecMainExitTimestamp=$'
expect 0 sc show -p ActiveState --value web
[ "$(cat "$T/o")" = active ] || fail "show -p ActiveState --value: $(cat "$T/o")"
expect 0 sc show -p Id web idle
[ "$(cat "$T/o")" = "$(printf 'Id=web.service\n\nId=idle.service')" ] ||
    fail "show of two units: $(cat "$T/o")"
expect 0 sc show -p UnitFileState --value web
[ "$(cat "$T/o")" = enabled ] || fail "show -p UnitFileState --value: $(cat "$T/o")"
expect 0 sc show -p LoadState nope
out_has '^LoadState=not-found$'

# list-units: the table, the ● of a failed unit, the legend, --all, --plain.
expect 0 sc list-units
out_has '^  UNIT +LOAD +ACTIVE +SUB +DESCRIPTION$'
out_has '^  web\.service +loaded +active +running +Web server$'
out_has '^[0-9]+ loaded units listed\. Pass --all to see loaded but inactive units, too\.$'
expect 1 sc start bad
expect 0 sc list-units
out_has '^● bad\.service +loaded +failed +failed'
expect 0 sc list-units --no-legend --plain --state=failed
[ "$(wc -l <"$T/o")" = 1 ] || fail "--state=failed --no-legend: $(cat "$T/o")"
out_has '^bad\.service +loaded +failed +failed'
expect 0 sc list-units --all
out_has '^[0-9]+ loaded units listed\.$'
expect 0 sc list-units --type=service web.service
[ "$(grep -c '\.service' "$T/o")" = 1 ] || fail "a pattern lists only what it matches: $(cat "$T/o")"

# A name is one word of a request: a newline in it must not make two.
expect 1 sc stop "$(printf 'web\nshutdown')"
err_has '^Invalid unit name'
expect 0 sc is-active web

# kill -s: the unit's processes get the signal.
expect 0 sc kill -s KILL idle
poll 5 sh -c "! PXINIT_RUNTIME_DIR='$RUN' '$T/bin/systemctl' is-active -q idle" ||
    fail "idle still active after kill -s KILL"
expect 1 sc kill -s NOPE idle
err_has 'Failed to parse signal string NOPE'

# poweroff: pxinit ends.
expect 0 sc poweroff
px_wait 10
pass "systemctl personality"
