#!/bin/bash
# Socket activation with Accept=no (SPEC "Timers, sockets and targets",
# systemd.socket(5), sd_listen_fds(3)): the boot opens the sockets and does
# not start what they activate; the first connection starts the service
# with the fds from 3 in Listen order, LISTEN_FDS, LISTEN_PID and
# LISTEN_FDNAMES, in blocking mode; list-sockets and status --json show
# them; while the service is killed or restarted no client is refused;
# Service= names another service; Sockets= gives a service the fds of two
# sockets, and a socket's fds to a second service; a service started by
# hand gets them too; a connection the running service leaves waiting
# costs PID 1 no CPU; TriggerLimitBurst= stops a service that never takes
# its connection, and the socket fails.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/sock_lib.sh"

reports() { ls "$1"/*.report 2>/dev/null | wc -l; }
has_reports() { [ "$(reports "$1")" -ge "${2:-1}" ]; }
# report_of DIR PID: the report the service PID wrote in DIR.
report_of() { cat "$1/$2.report" 2>/dev/null; }

read -r P_WEB P_MA P_LOOP P_OTHER P_MAN P_NEVER < <($CLIENT freeport 6 | tr '\n' ' ')
[ -n "$P_NEVER" ] || fail "no free ports"
mkdir -p "$T/web" "$T/backend" "$T/multi" "$T/loop" "$T/manual" "$T/never" "$T/second"

# web: a TCP port and a unix path, both named webfd.
cat >"$UNITS/web.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_WEB
ListenStream=$T/web.sock
FileDescriptorName=webfd
EOF
# No start limit: it is killed and restarted 5 times within seconds.
unit web <<EOF
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=$SDL -e stream,stream $T/web
EOF
# other.socket activates backend.service (Service=); fds named by default
# after the socket unit.
cat >"$UNITS/other.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_OTHER
Service=backend.service
EOF
unit backend <<EOF
[Service]
ExecStart=$SDL -e stream $T/backend
EOF
# multi takes the fds of two sockets, either of which starts it.
cat >"$UNITS/ma.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_MA
Service=multi.service
EOF
cat >"$UNITS/mb.socket" <<EOF
[Socket]
ListenStream=$T/mb.sock
Service=multi.service
EOF
unit multi <<EOF
[Service]
Sockets=ma.socket mb.socket
ExecStart=$SDL -e stream,stream $T/multi
EOF
# loop: its service exits without taking the connection, so the socket
# is readable again at once: 3 triggers, then the limit.
cat >"$UNITS/loop.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_LOOP
TriggerLimitIntervalSec=20s
TriggerLimitBurst=3
EOF
unit loop <<EOF
[Service]
ExecStart=$SDL -x -e stream $T/loop
EOF
# second: another service naming ma.socket in Sockets=, started by hand:
# a socket's fds go to every service that names it.
unit second <<EOF
[Service]
Sockets=ma.socket
ExecStart=$SDL -n -e stream $T/second
EOF
# manual: started by hand before any client, it gets its socket's fd all
# the same.
cat >"$UNITS/manual.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_MAN
EOF
unit manual <<EOF
[Service]
ExecStart=$SDL -e stream $T/manual
EOF
# never: its service runs and never takes the connection, which stays
# readable in the backlog: pxinit must not spin on it.
cat >"$UNITS/never.socket" <<EOF
[Socket]
ListenStream=127.0.0.1:$P_NEVER
EOF
unit never <<EOF
[Service]
ExecStart=$SDL -n -e stream $T/never
EOF
# plain: an ordinary service, so the boot's end can be seen.
unit plain <<EOF
[Service]
ExecStart=/bin/sh -c 'touch $T/plain.ran; exec sleep 1000'
EOF

px_start
poll 10 test -e "$T/plain.ran" || fail "the boot did not start plain"
for s in web.socket other.socket ma.socket mb.socket loop.socket manual.socket never.socket; do
    poll 5 listening "$s" || fail "$s is not active/listening: $(ctl status "$s" 2>&1)"
done
for u in web backend multi loop manual never second; do
    is_state "$u" inactive || fail "the boot started $u, which a socket activates: $(ctl status "$u" 2>&1)"
    [ "$(reports "$T/$u")" = 0 ] || fail "$u ran at boot"
done
pass "the boot opens the sockets and starts none of the services they activate"

# --- the first connection starts web; fds in Listen order -----------------------
B=$($CLIENT banner "127.0.0.1:$P_WEB") || fail "first connection to web.socket: $B"
[[ "$B" =~ ^pxtest\ ([0-9]+)\ webfd$ ]] || fail "web's banner: '$B'"
WEB_PID=${BASH_REMATCH[1]}
R=$(report_of "$T/web" "$WEB_PID")
[ -n "$R" ] || fail "web wrote no report"
[ "$(field "$R" check)" = ok ] || fail "web's check: $(field "$R" check)"$'\n'"$R"
[ "$(field "$R" listen_fds)" = 2 ] || fail "LISTEN_FDS: $R"
[ "$(field "$R" listen_fdnames)" = webfd:webfd ] || fail "LISTEN_FDNAMES: $R"
[ "$(field "$R" fd3)" = "stream listening 127.0.0.1:$P_WEB" ] || fail "fd 3 is not the TCP listener: $R"
[ "$(field "$R" fd4)" = "stream listening $T/web.sock" ] || fail "fd 4 is not the unix listener: $R"
is_state web active || fail "web not active after its first connection: $(ctl status web 2>&1)"
B=$($CLIENT banner "$T/web.sock") || fail "connection to web.sock: $B"
[ "$B" = "pxtest $WEB_PID webfd" ] || fail "the unix path served by another process: '$B' (web is $WEB_PID)"
[ "$(reports "$T/web")" = 1 ] || fail "web started more than once: $(ls "$T/web")"
pass "the first connection starts the service with LISTEN_FDS=2, LISTEN_FDNAMES and the fds in Listen order"

# --- list-sockets, status --json ------------------------------------------------------
L=$(ctl list-sockets | awk '{print $1, $2, $3}') || fail "list-sockets failed"
for want in "LISTEN UNIT ACTIVATES" "127.0.0.1:$P_WEB web.socket web.service" "$T/web.sock web.socket web.service" \
    "127.0.0.1:$P_OTHER other.socket backend.service" "$T/mb.sock mb.socket multi.service"; do
    grep -qFx "$want" <<<"$L" || fail "list-sockets lacks '$want':"$'\n'"$(ctl list-sockets)"
done
J=$(ctl list-sockets --json) || fail "list-sockets --json failed"
$PY -c 'import json,sys; json.load(sys.stdin)' <<<"$J" || fail "list-sockets --json is not JSON: $J"
grep -qF "\"127.0.0.1:$P_WEB\"" <<<"$J" || fail "list-sockets --json lacks web's port: $J"
J=$(ctl status --json web.socket) || fail "status --json web.socket failed"
A=$($CLIENT jsonkey address <<<"$J")
grep -qFx "127.0.0.1:$P_WEB" <<<"$A" && grep -qFx "$T/web.sock" <<<"$A" || fail "status --json web.socket lacks its listen addresses: $J"
[ "$($CLIENT jsonkey trigger <<<"$J" | head -n 1)" -ge 1 ] 2>/dev/null || fail "status --json web.socket counts no trigger: $J"
pass "list-sockets (LISTEN UNIT ACTIVATES, --json) and status --json show the sockets"

# --- kill -9 and restart while a client connects in a loop: nobody refused ------------------
$CLIENT loop "127.0.0.1:$P_WEB" "$T/loop.stop" "$T/loop.out" &
LOOP=$!
pids_seen() { [ "$(sed -n 's/^pids=//p' "$T/loop.out" 2>/dev/null | wc -w)" -ge "$1" ]; }
served_at_least() { [ "$(sed -n 's/^served=//p' "$T/loop.out" 2>/dev/null)" -ge "$1" ] 2>/dev/null; }
poll 10 served_at_least 3 || fail "the client loop got no banner: $(cat "$T/loop.out" 2>&1)"
for k in 1 2 3; do
    pid=$(ctl status web | awk '{print $3}')
    [[ "$pid" =~ ^[0-9]+$ ]] || fail "web has no pid before kill $k: $(ctl status web 2>&1)"
    in_ns kill -KILL "$pid" || fail "kill -9 $pid failed"
    poll 15 pids_seen $((k + 1)) || fail "no new web process after kill $k: $(cat "$T/loop.out")"
done
for k in 4 5; do
    ctl restart web >/dev/null 2>&1 || fail "restart web failed"
    poll 15 pids_seen $((k + 1)) || fail "no new web process after restart $((k - 3)): $(cat "$T/loop.out")"
done
n=$(sed -n 's/^served=//p' "$T/loop.out")
poll 10 served_at_least $((n + 3)) || fail "the last web process serves nobody: $(cat "$T/loop.out")"
touch "$T/loop.stop"
wait "$LOOP"
OUT=$(cat "$T/loop.out")
[ "$(field "$OUT" refused)" = 0 ] || fail "connections refused while web was killed: $OUT"
pass "3 kills and 2 restarts of web with a client connecting in a loop: $(field "$OUT" served) served, 0 refused"

# --- Service=: other.socket starts backend ---------------------------------------
B=$($CLIENT banner "127.0.0.1:$P_OTHER") || fail "connection to other.socket: $B"
[[ "$B" =~ ^pxtest\ ([0-9]+)\ other\.socket$ ]] || fail "backend's banner (fd named after the socket unit): '$B'"
R=$(report_of "$T/backend" "${BASH_REMATCH[1]}")
[ "$(field "$R" check)" = ok ] || fail "backend's check: $R"
[ "$(field "$R" listen_fdnames)" = other.socket ] || fail "backend's LISTEN_FDNAMES: $R"
is_state backend active || fail "backend not active: $(ctl status backend 2>&1)"
ctl status other 2>&1 | grep -q active && fail "other.service was started: $(ctl status other 2>&1)"
pass "Service= starts the service it names, with the socket's fd named after the socket"

# --- Sockets=: multi gets the fds of ma.socket and mb.socket ----------------------
B=$($CLIENT banner "$T/mb.sock") || fail "connection to mb.socket: $B"
[[ "$B" =~ ^pxtest\ ([0-9]+)\ mb\.socket$ ]] || fail "multi's banner on mb.sock: '$B'"
MULTI_PID=${BASH_REMATCH[1]}
R=$(report_of "$T/multi" "$MULTI_PID")
[ "$(field "$R" check)" = ok ] || fail "multi's check: $R"
names=$(field "$R" listen_fdnames)
case "$names" in
ma.socket:mb.socket) tcp=fd3 unix=fd4 ;;
mb.socket:ma.socket) tcp=fd4 unix=fd3 ;;
*) fail "multi's LISTEN_FDNAMES: '$names'" ;;
esac
[ "$(field "$R" $tcp)" = "stream listening 127.0.0.1:$P_MA" ] || fail "ma.socket's fd is not its port: $R"
[ "$(field "$R" $unix)" = "stream listening $T/mb.sock" ] || fail "mb.socket's fd is not its path: $R"
B=$($CLIENT banner "127.0.0.1:$P_MA") || fail "connection to ma.socket: $B"
[ "$B" = "pxtest $MULTI_PID ma.socket" ] || fail "ma.socket served by another process: '$B' (multi is $MULTI_PID)"
[ "$(reports "$T/multi")" = 1 ] || fail "multi started twice"
ctl start second >/dev/null 2>&1 || fail "start second failed: $(ctl status second 2>&1)"
poll 10 has_reports "$T/second" || fail "second wrote no report"
R=$(cat "$T"/second/*.report)
[ "$(field "$R" check)" = ok ] || fail "second's check: $R"
[ "$(field "$R" listen_fdnames)" = ma.socket ] || fail "second's LISTEN_FDNAMES: $R"
[ "$(field "$R" fd3)" = "stream listening 127.0.0.1:$P_MA" ] || fail "second's fd 3 is not ma.socket's: $R"
pass "a service's Sockets= gives it both sockets' fds, named; a second service naming one gets it too"

# --- started by hand; stopped, then started by the next client -----------------------
ctl start manual >/dev/null 2>&1 || fail "start manual failed: $(ctl status manual 2>&1)"
poll 10 has_reports "$T/manual" || fail "manual wrote no report"
R=$(cat "$T"/manual/*.report)
[ "$(field "$R" check)" = ok ] || fail "a service started by hand does not get its socket's fd: $R"
[ "$(field "$R" fd3)" = "stream listening 127.0.0.1:$P_MAN" ] || fail "manual's fd 3: $R"
ctl stop manual >/dev/null 2>&1 || fail "stop manual failed"
poll 5 is_state manual inactive || fail "manual not inactive after stop: $(ctl status manual 2>&1)"
poll 5 listening manual.socket || fail "manual.socket does not listen again after its service stopped: $(ctl status manual.socket 2>&1)"
B=$($CLIENT banner "127.0.0.1:$P_MAN") || fail "connection after manual stopped: $B"
[[ "$B" =~ ^pxtest\ [0-9]+\ manual\.socket$ ]] || fail "manual's banner: '$B'"
[ "$(reports "$T/manual")" = 2 ] || fail "manual ran $(reports "$T/manual") times, want 2"
pass "a service started by hand gets its socket's fd; once stopped, the next client starts it"

# --- a connection the running service leaves waiting: PID 1 stays idle ----------------
$CLIENT banner "127.0.0.1:$P_NEVER" >/dev/null 2>&1 &
NC=$!
poll 10 has_reports "$T/never" || fail "never.service did not start on its first connection"
poll 5 is_state never active || fail "never not active: $(ctl status never 2>&1)"
# utime + stime of pxinit, in clock ticks, over a second.
px_ticks() { awk '{print $14 + $15}' "/proc/$PX_INIT/stat"; }
t0=$(px_ticks)
sleep 1
t1=$(px_ticks)
[ $((t1 - t0)) -le 10 ] || fail "pxinit used $((t1 - t0)) ticks in 1s while a connection waits for a running service (spinning on a readable fd?)"
kill "$NC" 2>/dev/null
wait "$NC" 2>/dev/null
[ "$(reports "$T/never")" = 1 ] || fail "never started again while it ran"
pass "a connection left waiting by the running service costs PID 1 nothing ($((t1 - t0)) ticks in 1s)"

# --- TriggerLimitBurst=: a service that never accepts ---------------------------
$CLIENT banner "127.0.0.1:$P_LOOP" >"$T/loop.client" 2>&1 &
LC=$!
poll 20 is_state loop.socket failed || fail "loop.socket did not fail on its trigger limit: $(ctl status loop.socket 2>&1); runs: $(reports "$T/loop")"
n=$(reports "$T/loop")
[ "$n" -ge 1 ] && [ "$n" -le 3 ] || fail "loop ran $n times with TriggerLimitBurst=3"
wait "$LC"
B=$($CLIENT banner "127.0.0.1:$P_LOOP")
[ "$B" = refused ] || fail "a failed socket still takes connections: '$B'"
[ "$(reports "$T/loop")" = "$n" ] || fail "loop ran again after its socket failed"
is_state web.socket active || fail "web.socket hurt by loop.socket's failure: $(ctl status web.socket 2>&1)"
pass "TriggerLimitBurst=3 stops the loop after $n runs; the failed socket is closed"

# --- the fds come in blocking mode ----------------------------------------------------
# systemd clears O_NONBLOCK on the fds it passes (NonBlocking= defaults to
# off): a daemon that calls accept() blocking must not get EAGAIN.
for d in web backend multi manual never; do
    nb=$(cat "$T/$d"/*.report | sed -n 's/^nonblock=//p' | sort -u | tr '\n' ' ')
    [ -z "$nb" ] || fail "$d got fds in O_NONBLOCK mode: $nb(systemd passes them blocking, NonBlocking=no)"
done
pass "the listening fds come in blocking mode"

px_signal TERM
px_wait 20
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC"
