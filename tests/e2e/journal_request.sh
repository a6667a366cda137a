#!/bin/bash
# The `journal` request (doc/protocol.md), raw, as journalctl sends it:
# entry lines of two units merged in time order, -n over both, -S/-U, the
# priority of stderr's own pipe (3) against stdout (6), the main pid, UTF-8
# kept, an unknown unit contributing nothing, and -f getting new lines of
# two units at once.
. "${srcdir:-.}/tests/e2e/lib.sh"

req() { python3 "${srcdir:-.}/tests/e2e/journal_req.py" "$RUN/control" "$@"; }
px() { "$PXINIT" -R "$RUN" "$@"; }

# Two units that take turns, the test giving the turn once the last line is
# in pxinit's memory, so their order in time is known: a1 b1 a2 b2 a3 b3.
script alpha.sh <<'EOF2'
echo $$ > "$T/alpha.pid"
for i in 1 2 3; do
    while [ "$(cat "$T/turn" 2>/dev/null)" != "a$i" ]; do sleep 0.01; done
    echo "alpha line $i"
done
exec sleep 1000
EOF2
script beta.sh <<'EOF2'
echo $$ > "$T/beta.pid"
for i in 1 2 3; do
    while [ "$(cat "$T/turn" 2>/dev/null)" != "b$i" ]; do sleep 0.01; done
    echo "beta line $i"
done
exec sleep 1000
EOF2
# stdout to the journal, stderr to a rotated file: two pipes.
script errs.sh <<'EOF2'
echo "to stdout"
echo "to stderr" >&2
printf 'caf\303\251 \\ tab\there\n'
exec sleep 1000
EOF2
script ticker.sh <<'EOF2'
while :; do
    [ -e "$T/tick.$1" ] && { echo "tick $1 $(cat "$T/tick.$1")"; rm -f "$T/tick.$1"; }
    sleep 0.02
done
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
unit errs <<EOF2
[Service]
ExecStart=$T/errs.sh
StandardError=file:$T/errs.err
X-LogMaxSize=1M
EOF2
script flood.sh <<'EOF2'
echo "flood ready"
while [ ! -e "$T/go" ]; do sleep 0.02; done
head -c 30000000 /dev/zero | tr '\0' x | fold -w 100
touch "$T/flood.done"
exec sleep 1000
EOF2
unit flood <<EOF2
[Service]
ExecStart=$T/flood.sh
EOF2
unit t1 <<EOF2
[Service]
ExecStart=$T/ticker.sh one
EOF2
unit t2 <<EOF2
[Service]
ExecStart=$T/ticker.sh two
EOF2
px_start

both_up() { [ -s "$T/alpha.pid" ] && [ -s "$T/beta.pid" ]; }
poll 10 both_up || fail "alpha and beta did not start"
in_memory() { req "journal alpha beta" >"$T/j" && grep -q "$1\$" "$T/j"; }
for i in 1 2 3; do
    echo "a$i" >"$T/turn"
    poll 5 in_memory "alpha line $i" || fail "alpha line $i: $(cat "$T/j")"
    echo "b$i" >"$T/turn"
    poll 5 in_memory "beta line $i" || fail "beta line $i: $(cat "$T/j")"
done

# 1. Order across two units, oldest first, and the fields.
grep '^entry ' "$T/j" | cut -d' ' -f7- >"$T/msgs"
printf 'alpha line 1\nbeta line 1\nalpha line 2\nbeta line 2\nalpha line 3\nbeta line 3\n' >"$T/want"
cmp -s "$T/msgs" "$T/want" || fail "order across units: $(cat "$T/j")"
tail -n 1 "$T/j" | grep -qx 'end 0' || fail "journal does not end with 'end 0': $(cat "$T/j")"
grep -q '^entry [0-9]* [0-9]* 6 alpha.service alpha alpha line 1$' "$T/j" ||
    fail "alpha's entry line: $(cat "$T/j")"
grep -q '^entry [0-9]* [0-9]* 6 beta.service bee beta line 1$' "$T/j" ||
    fail "SyslogIdentifier= is not the ident: $(cat "$T/j")"
# Times grow, and the pid is the unit's main pid.
awk '$1 == "entry" { if ($2 <= last) exit 1; last = $2 }' "$T/j" || fail "times do not grow: $(cat "$T/j")"
apid=$(cat "$T/alpha.pid")
grep -q "^entry [0-9]* $apid 6 alpha.service " "$T/j" || fail "pid $apid not in alpha's lines: $(cat "$T/j")"
now=$(date +%s%N)
awk -v now="${now%???}" '$1 == "entry" && ($2 > now || $2 < now - 600000000) { exit 1 }' "$T/j" ||
    fail "times are not realtime microseconds (now $now): $(cat "$T/j")"
pass "two units merged in time order, with ident, pid and realtime"

# 2. -n over both units together.
req "journal -n 3 beta alpha" >"$T/j"
grep '^entry ' "$T/j" | cut -d' ' -f7- >"$T/msgs"
printf 'beta line 2\nalpha line 3\nbeta line 3\n' >"$T/want"
cmp -s "$T/msgs" "$T/want" || fail "-n 3: $(cat "$T/j")"
req "journal -n 0 alpha" >"$T/j"
[ "$(cat "$T/j")" = "end 0" ] || fail "-n 0: $(cat "$T/j")"
pass "-n counts over the units together"

# 3. -S/-U, inclusive, in microseconds.
req "journal alpha beta" >"$T/j"
t2=$(awk '/alpha line 2$/ { print $2 }' "$T/j")
t3=$(awk '/beta line 2$/ { print $2 }' "$T/j")
req "journal -S $t2 -U $t3 alpha beta" >"$T/j"
grep '^entry ' "$T/j" | cut -d' ' -f7- >"$T/msgs"
printf 'alpha line 2\nbeta line 2\n' >"$T/want"
cmp -s "$T/msgs" "$T/want" || fail "-S $t2 -U $t3: $(cat "$T/j")"
req "journal -S $((t3 + 1)) -n 1 alpha" >"$T/j"
grep '^entry ' "$T/j" | cut -d' ' -f7- >"$T/msgs"
[ "$(cat "$T/msgs")" = "alpha line 3" ] || fail "-S with -n: $(cat "$T/j")"
req "journal -S x alpha" >"$T/j"
grep -q '^error 2 ' "$T/j" && grep -qx 'end 2' "$T/j" || fail "-S x is not a usage error: $(cat "$T/j")"
pass "-S and -U filter by time, inclusive"

# 4. Unknown units contribute nothing; no unit: every unit.
req "journal nosuch alpha nosuch2.service" >"$T/j"
[ "$(grep -c '^entry ' "$T/j")" = 3 ] && grep -qx 'end 0' "$T/j" || fail "unknown units: $(cat "$T/j")"
req "journal nosuch" >"$T/j"
[ "$(cat "$T/j")" = "end 0" ] || fail "only an unknown unit: $(cat "$T/j")"
req "journal" >"$T/j"
grep -q ' alpha.service ' "$T/j" && grep -q ' beta.service ' "$T/j" && grep -q ' errs.service ' "$T/j" ||
    fail "journal without units: $(cat "$T/j")"
pass "unknown units give nothing, none gives all"

# 5. stderr on its own pipe is priority 3, stdout 6; UTF-8 stays, control
# bytes and the backslash are escaped.
errs_read() { req "journal errs" >"$T/j" && grep -q "tab" "$T/j"; }
poll 5 errs_read || fail "errs: $(cat "$T/j")"
grep -q '^entry [0-9]* [1-9][0-9]* 6 errs.service errs to stdout$' "$T/j" || fail "stdout prio 6: $(cat "$T/j")"
grep -q '^entry [0-9]* [1-9][0-9]* 3 errs.service errs to stderr$' "$T/j" || fail "stderr prio 3: $(cat "$T/j")"
grep -q "errs caf$(printf '\303\251') \\\\x5c tab\\\\x09here\$" "$T/j" || fail "message bytes: $(cat -v "$T/j")"
pass "stderr's own pipe is priority 3, stdout 6; UTF-8 kept, escapes"

# 6. -f: new lines of two units as they come, no end. One client drives
# it: it asks, makes the units write, and reads what comes.
cat >"$T/follow.py" <<'EOF2'
import os, socket, sys, time
path, t = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(path)
s.sendall(b"journal -f t1 t2\n")
buf = b""
def wait_for(text):
    global buf
    deadline = time.monotonic() + 5
    while text.encode() not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit("no %r in %r" % (text, buf))
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        if not data:
            sys.exit("closed, got %r" % buf)
        buf += data
def tick(name, n):
    with open(os.path.join(t, "tick." + name + ".new"), "w") as f:
        f.write(str(n))
    os.rename(os.path.join(t, "tick." + name + ".new"), os.path.join(t, "tick." + name))
# The first tick comes in the dump or in the follow (both are set up in
# one go): once it is seen, the follow is on and the next ones come by it.
tick("one", 1); wait_for("tick one 1\n")
tick("two", 2); wait_for("tick two 2\n")
tick("one", 3); wait_for("tick one 3\n")
time.sleep(0.2)
s.settimeout(0.3)
try:
    buf += s.recv(65536)
except socket.timeout:
    pass
sys.stdout.write(buf.decode())
EOF2
python3 "$T/follow.py" "$RUN/control" "$T" >"$T/f" 2>"$T/fe" || fail "-f: $(cat "$T/fe")"
grep -q '^end' "$T/f" && fail "-f sent end: $(cat "$T/f")"
grep '^entry ' "$T/f" | cut -d' ' -f5,7- >"$T/msgs"
printf 't1.service tick one 1\nt2.service tick two 2\nt1.service tick one 3\n' >"$T/want"
cmp -s "$T/msgs" "$T/want" || fail "-f lines: $(cat "$T/f")"
pass "-f follows two units at once"

# 7. A follower that stops reading while a unit floods is dropped: pxinit
# neither waits for it nor keeps more than its 8 MiB for it.
req "journal -f flood" 10 "flood ready" "$T/slow.on" "$T/slow.go" >"$T/slow" &
spid=$!
poll 5 test -e "$T/slow.on" || fail "the slow follower did not get flood's first line: $(cat "$T/slow")"
touch "$T/go"
poll 60 test -e "$T/flood.done" || fail "flood did not get its 30 MB out (is pxinit waiting for the follower?)"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$PX_INIT/status")
[ "$rss" -lt 65536 ] || fail "pxinit holds $rss kB after the flood"
touch "$T/slow.go"
wait "$spid"
rc=$?
[ "$rc" = 4 ] || fail "the slow follower was not dropped (rc $rc)"
pass "a slow follower is dropped (pxinit at $rss kB)"

# 8. pxinit is still answering (the followers that left are gone).
px status alpha >/dev/null || fail "pxinit does not answer after the follower left"
px_signal TERM
px_wait 10 || fail "pxinit did not exit"
exit 0
