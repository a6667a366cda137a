#!/bin/bash
# Every control verb and every exit code (SPEC): 0 ok, 1 failed, 2 usage,
# 3 not active, 4 no such unit, 5 daemon unreachable.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }

script reloader.sh <<'EOF'
echo reloaded >> "$T/reload.log"
EOF
script trapper.sh <<'EOF'
trap 'echo USR1 >> "$T/child.sig"' USR1
echo $$ > "$T/trapper.pid"
sh -c 'trap "echo USR1 >> $T/grandchild.sig" USR1; echo ok > $T/gc.ready; while :; do sleep 0.05; done' &
while :; do sleep 0.05; done
EOF
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
ExecReload=$T/reloader.sh
EOF
unit db <<EOF
[Service]
ExecStart=$T/trapper.sh
EOF
# A oneshot's start job ends with its command: a failing one fails the start.
# (A Type=simple unit is started once forked, as with systemd.)
unit broken <<EOF
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'exit 3'
EOF
unit slow <<EOF
[Service]
Type=oneshot
ExecStartPre=/bin/sleep 30
ExecStart=/bin/true
EOF

# Nothing runs yet: unreachable.
expect 5 px status web
expect 5 px start web
grep -q "cannot reach the daemon" "$T/e" || fail "no unreachable message: $(cat "$T/e")"
pass "no daemon: exit 5"

px_start
poll 5 px status -q web || fail "web not active: $(px status web 2>&1)"
poll 5 px status -q db || fail "db not active"
poll 5 test -s "$T/gc.ready" || fail "db's grandchild did not start"

# SPEC: one line per unit: name, state, main pid, uptime, restarts, last exit.
expect 0 px status web
read -r f_name f_state f_pid f_up f_restarts f_exit f_sub f_more <"$T/o"
[ "$(wc -l <"$T/o")" = 1 ] && [ "$f_name" = web ] && [ "$f_state" = active ] &&
    [ "$f_pid" -gt 1 ] 2>/dev/null && [ "$f_restarts" = 0 ] && [ "$f_exit" = - ] &&
    [ "$f_sub" = running ] && [ -z "$f_more" ] && [[ $f_up =~ ^[0-9]+s$ ]] ||
    fail "status web is not one line of name, state, pid, uptime, restarts, last exit: $(cat "$T/o")"
expect 0 px status web.service
expect 0 "$PXINIT" status web -R "$RUN"
expect 0 env PXINIT_RUNTIME_DIR="$RUN" "$PXINIT" status web
cp "$T/o" "$T/o.board"
expect 0 env PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" status web
# The uptime may tick between the two: then two fresh reads must agree.
board_socket_agree() {
    "$PXINIT" -R "$RUN" status web >"$T/o.board" 2>&1 &&
        PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" status web >"$T/o" 2>&1 && cmp -s "$T/o" "$T/o.board"
}
cmp -s "$T/o" "$T/o.board" || poll 5 board_socket_agree ||
    fail "status over the socket differs: $(cat "$T/o") / $(cat "$T/o.board")"
expect 4 px status nosuch
grep -q "nosuch: no such unit" "$T/e" || fail "no such unit message: $(cat "$T/e")"
expect 4 env PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" status nosuch
pass "status of an active unit: 0 (board and socket, with and without .service, -R anywhere)"

expect 0 px status
grep -q "^UNIT" "$T/o" && fail "a legend line into a pipe: $(cat "$T/o")"
grep -q "^web  *active  *[0-9][0-9]*  *[0-9]*s  *0  *-  *running$" "$T/o" || fail "table row: $(cat "$T/o")"
grep -q "\.service" "$T/o" && fail "names shown with .service"
expect 0 px list
[ "$(wc -l <"$T/o")" = 4 ] || fail "list has $(wc -l <"$T/o") lines: $(cat "$T/o")"
command script -qec "$PXINIT -R $RUN status" /dev/null >"$T/o" 2>&1
head -n 1 "$T/o" | grep -q "^UNIT *STATE *PID *UPTIME *RESTARTS *LAST-EXIT *SUB" || fail "no legend on a terminal: $(cat "$T/o")"
pass "status and list print one line per unit (a legend on a terminal)"

expect 0 px status --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); u={x["name"]:x for x in d["units"]}; assert u["web"]["state"]=="active" and u["web"]["pid"]>0 and set(u["web"]["last_exit"])=={"code","signal"}, d' "$T/o" 2>"$T/py" ||
    fail "status --json: $(cat "$T/o") $(cat "$T/py")"
expect 0 env PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" list --json
python3 -m json.tool "$T/o" >/dev/null || fail "list --json over the socket is not JSON: $(cat "$T/o")"
pass "--json is valid JSON in SPEC's shape"

poll 5 px status broken >/dev/null; expect 3 px status broken
expect 3 px status --quiet broken
[ -s "$T/o" ] || [ -s "$T/e" ] && fail "--quiet printed something"
expect 3 px status web broken
pass "status of an inactive unit: 3; --quiet prints nothing"

expect 1 px start broken
grep -q "broken: start failed (result: exit-code, exit code 3)" "$T/e" || fail "start failure reason: $(cat "$T/e")"
pass "start of a failing unit: 1 with the reason"

expect 0 px stop web
expect 3 px status -q web
grep -q "^web  *inactive  *-  *-  .* dead$" <(px list) || fail "web not inactive after stop: $(px list)"
expect 0 px start web.service
expect 0 px status -q web
pass "stop waits until inactive, start until active"

pid1=$(px status --json web | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])')
expect 0 px restart web
pid2=$(px status --json web | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])')
[ "$pid1" != "$pid2" ] || fail "restart kept pid $pid1"
pass "restart gives a new main process"

expect 0 px reload web
file_has "$T/reload.log" reloaded || fail "ExecReload= did not run"
expect 0 px status -q web
expect 1 px reload db
grep -q "db: reload not supported: the unit has no ExecReload=" "$T/e" || fail "reload refusal: $(cat "$T/e")"
[ -s "$T/child.sig" ] && fail "reload without ExecReload= signalled the unit"
expect 1 px reload broken
pass "reload runs ExecReload=; a unit without one is refused with exit 1"

expect 0 px kill -s USR1 db
poll 5 file_has "$T/grandchild.sig" USR1 || fail "kill -s USR1 did not reach the grandchild"
poll 5 file_has "$T/child.sig" USR1 || fail "kill -s USR1 did not reach the main process"
expect 2 px kill -s NOSUCHSIG db
expect 1 px kill broken
expect 4 px kill nosuch
pass "kill signals the whole process group"

expect 0 px logs web
expect 2 px logs web db
expect 4 px logs nosuch
expect 2 px start
expect 2 px status --bogus
expect 2 px start web --timeout nope
expect 4 px start nosuch web
grep -q "nosuch: no such unit" "$T/e" || fail "start nosuch: $(cat "$T/e")"
pass "logs (0); usage errors (2); unknown units (4)"

start=$(date +%s%N)
expect 1 px start slow --timeout 0.5
el=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$el" -lt 5000 ] || fail "--timeout 0.5 took ${el}ms"
grep -q "timed out" "$T/e" || fail "timeout message: $(cat "$T/e")"
expect 0 px start slow --no-block
expect 0 px stop slow
pass "--timeout bounds the wait (exit 1), --no-block does not wait"

# The protocol by hand, as a socat user would.
if command -v socat >/dev/null; then
    printf 'status web\n' | socat - "UNIX-CONNECT:$RUN/control" >"$T/o"
    grep -q "^unit web active running" "$T/o" && grep -q "^end 0" "$T/o" || fail "socat status: $(cat "$T/o")"
    pass "socat speaks the line protocol"
fi

expect 0 px shutdown
px_wait 15
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC after shutdown"
expect 5 px status web
grep -q "stale" "$T/e" || fail "no stale message: $(cat "$T/e")"
[ -S "$RUN/control" ] && fail "control socket left behind"
pass "shutdown: the daemon exits 0; status then says the board is stale (5)"
