#!/bin/bash
# journalctl_spec.sh - the built pxinit started under the name journalctl,
# checked from outside against SPEC "systemctl and journalctl" and
# journalctl(1): -u (repeatable, merged in time order), -n, -o
# short|short-iso|cat|json (journal field names), --since/--until, -f, -q,
# -b, -e, --no-pager, and one line for what is not supported.
#
# The units' lines are written one at a time, each only once pxinit has the
# one before (pxinit logs), so their order is known.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/check_lib.sh"

mkdir -p "$T/bin"
ln -s "$PXINIT" "$T/bin/journalctl"
jc() { in_ns env PXINIT_RUNTIME_DIR="$RUN" "$T/bin/journalctl" --no-pager "$@"; }
px() { in_ns "$PXINIT" -R "$RUN" "$@"; }

script a.sh <<'EOF'
w() { while [ ! -e "$T/go.$1" ]; do sleep 0.02; done; }
echo "A1"
w a2
echo "A2 to stderr" >&2
w a3
echo "A3 héllo ✓"
w a4
echo "A4 followed"
exec sleep 1000
EOF
script b.sh <<'EOF'
w() { while [ ! -e "$T/go.$1" ]; do sleep 0.02; done; }
w b1
echo "B1"
w b2
echo "B2"
exec sleep 1000
EOF
unit a <<EOF
[Service]
ExecStart=$T/a.sh
EOF
unit b <<EOF
[Service]
ExecStart=$T/b.sh
EOF
unit c <<'EOF'
[Service]
SyslogIdentifier=custom
ExecStart=/bin/sh -c 'echo C1; exec sleep 1000'
EOF
# stderr on a pipe of its own (stdout goes to a file): PRIORITY 3.
unit d <<EOF
[Service]
StandardOutput=file:$T/d.out
StandardError=journal
ExecStart=/bin/sh -c 'echo "D out"; echo "D err" >&2; exec sleep 1000'
EOF

px_start
logged() { px logs "$1" 2>/dev/null | grep -qxF -- "$2"; }
step() { # UNIT LINE GO: waits until pxinit has UNIT's LINE, then lets GO run
    poll 10 logged "$1" "$2" || fail "pxinit never had '$2' of $1: $(px logs "$1" 2>&1)"
    [ -z "${3:-}" ] || touch "$T/go.$3"
}
step a A1 b1
step b B1 a2
step a "A2 to stderr" b2
step b B2 a3
step a "A3 héllo ✓"
step c C1
step d "D err"
pid_of() { px status --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["pid"])'; }
pid_a=$(pid_of a)
pid_b=$(pid_of b)
pid_c=$(pid_of c)
pid_d=$(pid_of d)
merged="$(printf 'A1\nB1\nA2 to stderr\nB2\nA3 héllo ✓')"

# --- -u, repeated: one stream in time order; -o cat: the message alone.
out_is "-u a -o cat" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓')" jc -u a -o cat
out_is "-u a.service is -u a" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓')" jc -u a.service -o cat
out_is "-u a -u b merged in time order" 0 "$merged" jc -u a -u b -o cat
out_is "-u b -u a: the same order" 0 "$merged" jc -u b -u a -o cat
out_is "--unit=a --unit=b" 0 "$merged" jc --unit=a --unit=b -o cat
out_is "--output=cat" 0 "$(printf 'B1\nB2')" jc -u b --output=cat
out_is "-n 2 over two units" 0 "$(printf 'B2\nA3 héllo ✓')" jc -u a -u b -n 2 -o cat
out_is "-n3 over two units" 0 "$(printf 'A2 to stderr\nB2\nA3 héllo ✓')" jc -u b -u a -n3 -o cat
out_is "--lines=1" 0 "A3 héllo ✓" jc -u a --lines=1 -o cat
run jc -o cat
grep -qxF C1 <<<"$OUT" && grep -qxF B1 <<<"$OUT" && grep -qxF A1 <<<"$OUT" &&
    good "no -u: every unit" || bad "journalctl without -u: rc $RC: $OUT $ERR"

# --- -o short and short-iso: DATE HOST IDENT[PID]: MESSAGE.
out_has "-o short" 0 "^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ a\\[$pid_a\\]: A1\$" jc -u a -o short
out_has "short is the default" 0 "^[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [^ ]+ b\\[$pid_b\\]: B1\$" jc -u b
out_has "SyslogIdentifier= names the line" 0 " custom\\[$pid_c\\]: C1\$" jc -u c
out_has "-o short-iso" 0 \
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:?[0-9]{2} [^ ]+ a\\[$pid_a\\]: A1\$" jc -u a -o short-iso
run jc -u a -o short-iso
d=$(head -n 1 <<<"$OUT" | cut -d' ' -f1)
s=$(date -d "$d" +%s 2>/dev/null)
[ -n "$s" ] && [ $(($(date +%s) - s)) -ge 0 ] && [ $(($(date +%s) - s)) -lt 120 ] &&
    good "short-iso's time is when the line came ($d)" || bad "short-iso's time '$d' is not now"

# --- -o json: one object a line, journal field names, values as strings.
# A2 goes to stderr, which by default (StandardError=inherit) shares
# stdout's pipe: as with systemd, its lines are stdout's (PRIORITY 6). d's
# stderr has a pipe of its own: PRIORITY 3.
run jc -u a -u b -u c -u d -o json
printf '%s\n' "$OUT" >"$T/json"
if [ "$RC" = 0 ] && python3 - "$T/json" "$pid_a" "$pid_b" "$pid_c" "$pid_d" >"$T/json.check" 2>&1 <<'EOF'; then
import json, sys, time
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
e = [json.loads(l) for l in lines]
want = [("A1", "a", "a", sys.argv[2], "6"), ("B1", "b", "b", sys.argv[3], "6"),
        ("A2 to stderr", "a", "a", sys.argv[2], "6"), ("B2", "b", "b", sys.argv[3], "6"),
        ("A3 héllo ✓", "a", "a", sys.argv[2], "6"), ("C1", "c", "custom", sys.argv[4], "6"),
        ("D err", "d", "d", sys.argv[5], "3")]
got = [(x.get("MESSAGE"), x.get("_SYSTEMD_UNIT", "").replace(".service", ""),
        x.get("SYSLOG_IDENTIFIER"), x.get("_PID"), x.get("PRIORITY")) for x in e]
assert sorted(got, key=lambda g: g[0]) == sorted(want, key=lambda g: g[0]), got
assert all(x["_SYSTEMD_UNIT"].endswith(".service") for x in e), e
ts = [x["__REALTIME_TIMESTAMP"] for x in e]
assert all(isinstance(t, str) and t.isdigit() for t in ts), ts
ts = [int(t) for t in ts]
assert ts == sorted(ts), ts
now = time.time() * 1e6
assert all(0 <= now - t < 120e6 for t in ts), (now, ts)
EOF
    good "-o json: MESSAGE _SYSTEMD_UNIT SYSLOG_IDENTIFIER _PID PRIORITY (6 stdout, 3 stderr of its own) __REALTIME_TIMESTAMP"
else
    bad "-o json: rc $RC: $(head -c 600 "$T/json") $(tail -n 3 "$T/json.check") $ERR"
fi
run jc -u a -o json -n 1
python3 -c 'import json,sys; x=json.loads(sys.argv[1]); assert x["MESSAGE"]=="A3 héllo ✓", x' "$OUT" 2>/dev/null &&
    good "-o json keeps UTF-8 in MESSAGE" || bad "-o json -n 1: $OUT"

# --- -q, -b, -e, no entries.
out_is "an unknown unit: '-- No entries --'" 0 "-- No entries --" jc -u nope
out_is "-q: no informational lines" 0 "" jc -q -u nope
out_is "-b: this boot" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓')" jc -b -u a -o cat
out_is "-b 0" 0 "$(printf 'B1\nB2')" jc -b 0 -u b -o cat
out_is "-e: the end" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓')" jc -e -u a -o cat
out_is "-q -o cat" 0 "$(printf 'B1\nB2')" jc -q -u b -o cat

# --- -f: the last lines, then new ones as they come.
sleep 1.1 # the next line must come in a later second than these (--since below)
since=$(date '+%Y-%m-%d %H:%M:%S')
env PXINIT_RUNTIME_DIR="$RUN" "$T/bin/journalctl" --no-pager -f -u a -o cat >"$T/follow" 2>&1 &
follower=$!
poll 5 file_has "$T/follow" '^A3 héllo ✓$' && good "-f prints the last lines first" ||
    bad "-f printed: $(cat "$T/follow")"
touch "$T/go.a4"
poll 5 file_has "$T/follow" '^A4 followed$' && good "-f follows new lines" ||
    bad "-f did not follow: $(cat "$T/follow")"
kill -0 "$follower" 2>/dev/null && good "-f keeps following" || bad "-f exited by itself"
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
step a "A4 followed"

# --- --since/--until in journalctl's time syntax.
out_is "--since DATE" 0 "A4 followed" jc -u a --since "$since" -o cat
out_is "--until DATE" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓')" jc -u a --until "$since" -o cat
out_is "-S @EPOCH" 0 "A4 followed" jc -u a -S "@$(date -d "$since" +%s)" -o cat
out_is "--since '-1h'" 0 "$(printf 'A1\nA2 to stderr\nA3 héllo ✓\nA4 followed')" jc -u a --since -1h -o cat
out_is "--since '1 hour ago' --until now" 0 "$(printf 'B1\nB2')" jc -u b --since "1 hour ago" --until now -o cat
out_is "--since today" 0 "$(printf 'B1\nB2')" jc -u b --since today -o cat
out_is "--until yesterday: nothing" 0 "" jc -q -u b --until yesterday -o cat
rc_is "--since garbage: exit 1" 1 jc -u a --since "not a time"

# --- what pxinit does not support: exit 1, one line naming it.
one_error_line "--vacuum-size is not supported" --vacuum-size jc --vacuum-size=1M
one_error_line "--flush is not supported" --flush jc --flush

checks_done
