#!/bin/bash
# pxinit logs [-n N] [-f] UNIT: the unit's recent output kept in memory, and
# new lines as they come; pxinit status -n N UNIT ends with them too.
. "${srcdir:-.}/tests/e2e/lib.sh"

script talker.sh <<'EOF2'
for i in $(seq 1 30); do echo "line $i"; done
while [ ! -e "$T/more" ]; do sleep 0.02; done
echo "after follow 1"
echo "after follow 2" >&2
exec sleep 1000
EOF2
unit talker <<EOF2
[Service]
ExecStart=$T/talker.sh
EOF2

px_start
ctl() { "$PXINIT" -R "$RUN" "$@"; }
poll 5 log_has 'talker: state active' || fail "talker did not start"
poll 5 file_has "$T/out" 'talker: line 30' || fail "talker output not captured"

ctl logs -n 5 talker > "$T/tail5" || fail "logs -n 5 exited $?"
[ "$(tr '\n' ' ' < "$T/tail5")" = "line 26 line 27 line 28 line 29 line 30 " ] \
    || fail "logs -n 5: $(cat "$T/tail5")"
ctl logs talker.service > "$T/all" || fail "logs exited $?"
[ "$(wc -l < "$T/all")" = 30 ] && [ "$(head -n 1 "$T/all")" = "line 1" ] || fail "logs: $(head -3 "$T/all")"
pass "logs and logs -n"

ctl status -n 3 talker > "$T/status" || fail "status -n 3 exited $?"
grep -q '^Recent output:' "$T/status" || fail "status -n 3 shows no recent output: $(cat "$T/status")"
[ "$(tail -n 3 "$T/status" | tr '\n' ' ')" = "line 28 line 29 line 30 " ] || fail "status -n 3: $(cat "$T/status")"
ctl status talker | grep -q 'Recent output' && fail "status into a pipe fetched the log (scripts want it fast)"
pass "status -n N ends with the recent output"

ctl logs -f -n 1 talker > "$T/follow" &
follower=$!
poll 5 file_has "$T/follow" '^line 30$' || fail "logs -f did not print the last line first"
touch "$T/more"
poll 5 file_has "$T/follow" '^after follow 2$' || fail "logs -f did not follow new lines: $(cat "$T/follow")"
grep -q '^after follow 1$' "$T/follow" || fail "stdout line missing from the follow"
kill "$follower"; wait "$follower" 2>/dev/null
ctl status --quiet talker || fail "daemon unwell after a follower left"
pass "logs -f follows stdout and stderr"

ctl logs nosuch >/dev/null 2>&1
[ $? = 4 ] || fail "logs of a missing unit is not exit 4"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
