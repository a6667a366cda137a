#!/bin/bash
# A unit starts in its own session and process group, re-parented to PID 1,
# with a clean signal mask, default dispositions and only fds 0, 1, 2.
. "${srcdir:-.}/tests/e2e/lib.sh"

script web.sh <<'EOF2'
echo $$ > "$T/web.pid"
exec sleep 1000
EOF2
unit web <<EOF2
[Unit]
Description=test web server
[Service]
ExecStart=$T/web.sh
EOF2

px_start
poll 5 test -s "$T/web.pid" || fail "web did not start"
poll 5 log_has 'web: state active \(running\)' || fail "no active state logged"

pid=$(cat "$T/web.pid")            # pid inside the namespace
status=$(in_ns cat /proc/$pid/status) || fail "cannot read status of $pid"
stat=$(in_ns cat /proc/$pid/stat)
set -- ${stat##*) }
ppid=$2 pgrp=$3 sid=$4
[ "$ppid" = 1 ] || fail "service parent is $ppid, want 1 (pxinit)"
[ "$pgrp" = "$pid" ] || fail "service pgid $pgrp != pid $pid"
pxsid=$(in_ns cat /proc/1/stat); set -- ${pxsid##*) }
[ "$sid" != "$4" ] && [ "$sid" != 0 ] || fail "service shares pxinit's session ($sid)"
[ "$(in_ns ps -o pid= -s "$sid" | wc -l)" = 1 ] || fail "service's session $sid has other members"
echo "$status" | grep -q '^SigBlk:[[:space:]]*0*$' || fail "blocked signals: $(echo "$status" | grep SigBlk)"
# Only SIGPIPE ignored: systemd's IgnoreSIGPIPE=yes default (SPEC).
echo "$status" | grep -q '^SigIgn:[[:space:]]*0*1000$' || fail "ignored signals: $(echo "$status" | grep SigIgn)"
fds=$(in_ns ls /proc/$pid/fd | sort -n | tr '\n' ' ')
[ "$fds" = "0 1 2 " ] || fail "service has fds: $fds"
pass "service in own session, clean mask, fds 0-2"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC after SIGTERM, want 0"
log_has 'web: state inactive' || fail "web not stopped on shutdown"
pass "shutdown exits 0"

# Dispositions pxinit inherited (nohup, a shell's `trap '' ...`) do not reach
# its services either: each starts with nothing ignored.
rm -f "$T/web.pid"
PX_LAUNCH="env --ignore-signal=HUP,INT,QUIT,USR1,RTMIN" px_start
poll 5 test -s "$T/web.pid" || fail "web did not start under inherited ignores"
px_ign=$(in_ns awk '$1 == "SigIgn:" {print $2}' /proc/1/status)
[ $(( 0x$px_ign & 0x207 )) = $(( 0x207 )) ] || fail "pxinit did not inherit the ignores: SigIgn $px_ign"
svc_ign=$(in_ns awk '$1 == "SigIgn:" {print $2}' "/proc/$(cat "$T/web.pid")/status")
[ $(( 0x$svc_ign )) = $(( 0x1000 )) ] || fail "a service inherited pxinit's ignored signals: SigIgn $svc_ign"
pass "inherited ignores are reset for services"
px_signal TERM
px_wait 10

# Many units: each one's output reaches its own pipe (spawn.c passes them
# through two reused low slots), and a service started after hundreds of
# pxinit's descriptors exist gets a small file table, not a copy of pxinit's
# (FDSize stays at the kernel's minimum of 64 when nothing was copied).
rm -f "$UNITS"/*.service
for i in $(seq 1 150); do
    printf '[Service]\nExecStart=/bin/sh -c "echo out-u%s; echo err-u%s >&2; exec sleep 1000"\n' \
        "$i" "$i" >"$UNITS/u$i.service"
done
px_start
# Captured output goes to pxinit's stdout, prefixed with the unit's name.
own_lines() { grep -cE '^u([0-9]+): (out|err)-u\1$' "$T/out"; }
poll 10 lines_matching_at_least "$T/out" '^u([0-9]+): (out|err)-u\1$' 300 ||
    fail "not every unit's output came with its own prefix: $(own_lines) lines of 300"
[ "$(count_lines "$T/out")" = 300 ] || fail "stray output lines: $(grep -vE '^u([0-9]+): (out|err)-u\1$' "$T/out" | head -3)"
pid=$(in_ns pgrep -n -x sleep) || fail "no service running"
fdsize=$(in_ns awk '$1 == "FDSize:" {print $2}' /proc/$pid/status)
# The small table is the CLONE_VM trick's (spawn.c); its plain way, fork(),
# copies pxinit's by design.
case ",${PXINIT_PLAIN:-}," in
*,all,* | *,1,* | *,clone-vm,*) ;;
*) [ "$fdsize" = 64 ] || fail "the last service's file table has $fdsize slots, want 64 (pxinit's was copied)" ;;
esac
fds=$(in_ns ls /proc/$pid/fd | sort -n | tr '\n' ' ')
[ "$fds" = "0 1 2 " ] || fail "service has fds: $fds"
pass "150 units: output to the right pipes, small file tables, fds 0-2"
px_signal TERM
px_wait 10
