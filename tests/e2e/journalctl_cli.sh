#!/bin/bash
# journalctl (pxinit under that name) against a daemon with two units that
# write lines: -u merges the units in time order, -n, -o cat/json/short-iso,
# --since, -f sees a new line, -q, -b, and what is refused (exit 1).
. "${srcdir:-.}/tests/e2e/lib.sh"

script alpha.sh <<'EOF2'
echo "alpha 1"
while [ ! -e "$T/a2" ]; do sleep 0.02; done
echo "alpha 2"
echo "alpha err" >&2
while [ ! -e "$T/a3" ]; do sleep 0.02; done
echo "alpha 3"
exec sleep 1000
EOF2
script beta.sh <<'EOF2'
while [ ! -e "$T/b1" ]; do sleep 0.02; done
printf 'beta 1\ttab\n'
while [ ! -e "$T/more" ]; do sleep 0.02; done
echo "beta late"
exec sleep 1000
EOF2
unit alpha <<EOF2
[Service]
ExecStart=$T/alpha.sh
EOF2
unit beta <<EOF2
[Service]
ExecStart=$T/beta.sh
SyslogIdentifier=bee
EOF2

ln -s "$PXINIT" "$T/journalctl" || fail "cannot link journalctl"
J() { PXINIT_RUNTIME_DIR="$RUN" TZ=UTC "$T/journalctl" "$@"; }

px_start
poll 5 log_has 'alpha: state active' || fail "alpha did not start"
poll 5 log_has 'beta: state active' || fail "beta did not start"
# The lines come in a known order: alpha 1, beta 1, alpha 2, alpha err.
poll 5 file_has "$T/out" 'alpha: alpha 1' || fail "alpha 1 not captured"
touch "$T/b1"
poll 5 file_has "$T/out" 'beta 1' || fail "beta 1 not captured"
touch "$T/a2"
poll 5 file_has "$T/out" 'alpha err' || fail "alpha err not captured"

J -u alpha -u beta -o cat >"$T/cat" || fail "-o cat exited $?"
printf 'alpha 1\nbeta 1\ttab\nalpha 2\nalpha err\n' | cmp -s - "$T/cat" ||
    fail "-u alpha -u beta -o cat: $(cat "$T/cat")"
J -o cat -u 'al*' -u beta.service >"$T/glob" || fail "glob exited $?"
cmp -s "$T/cat" "$T/glob" || fail "-u 'al*': $(cat "$T/glob")"
pass "-u merges two units in time order; globs"

J -u alpha -u beta -n 2 -o cat >"$T/n2" || fail "-n 2 exited $?"
printf 'alpha 2\nalpha err\n' | cmp -s - "$T/n2" || fail "-n 2: $(cat "$T/n2")"
J -u alpha -n1 -o cat >"$T/n1" || fail "-n1 exited $?"
[ "$(cat "$T/n1")" = "alpha err" ] || fail "-n1: $(cat "$T/n1")"
J -u alpha -r -o cat >"$T/rev" || fail "-r exited $?"
printf 'alpha err\nalpha 2\nalpha 1\n' | cmp -s - "$T/rev" || fail "-r: $(cat "$T/rev")"
# stdout and stderr share the stream, as in systemd: both are info (6).
J -u alpha -p err >"$T/err" || fail "-p err exited $?"
[ "$(cat "$T/err")" = "-- No entries --" ] || fail "-p err: $(cat "$T/err")"
J -u alpha -p 0..info -o cat >"$T/info" || fail "-p 0..info exited $?"
[ "$(wc -l <"$T/info")" = 3 ] || fail "-p 0..info: $(cat "$T/info")"
pass "-n, -r, -p"

host=$(hostname)
J -u beta -o short-iso >"$T/iso" || fail "short-iso exited $?"
grep -qE "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+0000 $host bee\[[0-9]+\]: beta 1        tab\$" \
    "$T/iso" || fail "short-iso: $(cat "$T/iso")"
J -u beta >"$T/short" || fail "short exited $?"
grep -qE "^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} $host bee\[[0-9]+\]: beta 1 " \
    "$T/short" || fail "short: $(cat "$T/short")"
J -u alpha -o json -n 1 >"$T/json" || fail "json exited $?"
python3 - "$T/json" <<'EOF2' || fail "json: $(cat "$T/json")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["MESSAGE"] == "alpha err", o
assert o["_SYSTEMD_UNIT"] == "alpha.service", o
assert o["SYSLOG_IDENTIFIER"] == "alpha", o
assert o["PRIORITY"] == "6", o
assert int(o["_PID"]) > 0, o
assert o["__REALTIME_TIMESTAMP"].isdigit(), o
assert len(o["_BOOT_ID"]) == 32, o
EOF2
pass "-o short, short-iso, json"

# --since: the time of "alpha 2" (from json) keeps it and what follows.
since=$(J -u alpha -o json | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["MESSAGE"] == "alpha 2":
        print(int(o["__REALTIME_TIMESTAMP"]))')
[ -n "$since" ] || fail "no time for alpha 2"
at="@$((since / 1000000)).$(printf '%06d' $((since % 1000000)))"
J -u alpha -u beta -S "$at" -o cat >"$T/since" || fail "--since exited $?"
printf 'alpha 2\nalpha err\n' | cmp -s - "$T/since" || fail "--since $at: $(cat "$T/since")"
J -u alpha --until "$at" -o cat >"$T/until" || fail "--until exited $?"
printf 'alpha 1\nalpha 2\n' | cmp -s - "$T/until" || fail "--until $at: $(cat "$T/until")"
J -u alpha --since "2012-11-23 11:12:13" --until yesterday >"$T/old" || fail "old exited $?"
[ "$(cat "$T/old")" = "-- No entries --" ] || fail "no entries: $(cat "$T/old")"
J -q -u alpha --since tomorrow >"$T/quiet" || fail "-q exited $?"
[ ! -s "$T/quiet" ] || fail "-q printed: $(cat "$T/quiet")"
J -u alpha --since "not a time" 2>"$T/badtime" && fail "a bad --since was taken"
grep -q "Failed to parse timestamp: not a time" "$T/badtime" || fail "bad --since: $(cat "$T/badtime")"
pass "--since, --until, -- No entries --, -q"

J -u alpha -u beta -f -n 1 -o cat >"$T/follow" &
follower=$!
poll 5 file_has "$T/follow" '^alpha err$' || fail "-f did not print the last line first"
touch "$T/a3" "$T/more"
poll 5 file_has "$T/follow" '^alpha 3$' || fail "-f did not follow alpha: $(cat "$T/follow")"
poll 5 file_has "$T/follow" '^beta late$' || fail "-f did not follow beta: $(cat "$T/follow")"
J -u 'b*' -f -n 1 -t bee -o cat >"$T/follow2" &
follower2=$!
poll 5 file_has "$T/follow2" '^beta late$' || fail "-f -t did not print the last line first"
kill "$follower" "$follower2"
wait "$follower" "$follower2" 2>/dev/null
[ "$(grep -c . "$T/follow2")" = 1 ] || fail "-f -t: $(cat "$T/follow2")"
pass "-f follows new lines"

J -b -u alpha -n 1 -o cat >/dev/null || fail "-b exited $?"
J -b 0 -u alpha -n 1 -o cat >/dev/null || fail "-b 0 exited $?"
J -b -0 -u alpha -n 1 -o cat >/dev/null || fail "-b -0 exited $?"
J -b -1 -u alpha >/dev/null 2>"$T/boot" && fail "-b -1 was taken"
grep -q 'Data from the specified boot (-1) is not available' "$T/boot" || fail "-b -1: $(cat "$T/boot")"
J --no-pager -e -u alpha -o cat >"$T/e" || fail "--no-pager -e exited $?"
[ "$(wc -l <"$T/e")" = 4 ] || fail "-e: $(cat "$T/e")"
pass "-b, -e, --no-pager"

J --bogus >/dev/null 2>"$T/bogus" && fail "--bogus was taken"
[ "$(wc -l <"$T/bogus")" = 1 ] && grep -q -- "--bogus" "$T/bogus" || fail "--bogus: $(cat "$T/bogus")"
J --list-boots >/dev/null 2>"$T/lb" && fail "--list-boots was taken"
grep -q -- "--list-boots is not supported" "$T/lb" || fail "--list-boots: $(cat "$T/lb")"
J -o verbose >/dev/null 2>&1 && fail "-o verbose was taken"
J -u alpha FOO=bar >/dev/null 2>&1 && fail "a match pxinit cannot read was taken"
PXINIT_RUNTIME_DIR="$T/nowhere" "$T/journalctl" -u alpha >/dev/null 2>"$T/nod" && fail "no daemon, exit 0"
grep -q "$T/nowhere" "$T/nod" || fail "no daemon: $(cat "$T/nod")"
pass "unknown options and no daemon: exit 1 with one line"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
