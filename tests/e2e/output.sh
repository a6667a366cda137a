#!/bin/bash
# Captured output (StandardOutput=journal, the default): lines on pxinit's
# stdout prefixed with the unit name or SyslogIdentifier=, stdout and stderr
# both captured, partial lines joined, long lines split with a marker, the
# last output before an exit kept, control processes captured too, and
# inherit/null/file targets as systemd has them.
. "${srcdir:-.}/tests/e2e/lib.sh"

script parts.sh <<'EOF2'
printf 'first '
sleep 0.2
printf 'second '
sleep 0.2
printf 'third\n'
echo "to stderr" >&2
printf 'no newline before exit'
EOF2
unit parts <<EOF2
[Service]
Type=oneshot
ExecStartPre=/bin/echo from ExecStartPre
ExecStart=$T/parts.sh
EOF2

unit ident <<EOF2
[Service]
Type=oneshot
SyslogIdentifier=my-ident
ExecStart=/bin/echo identified
EOF2

# 40000 bytes without a newline, then a short line: 16384 + 16384 + 7232.
script long.sh <<'EOF2'
head -c 40000 /dev/zero | tr '\0' 'x'
echo
echo after-long
EOF2
unit long <<EOF2
[Service]
Type=oneshot
ExecStart=$T/long.sh
EOF2

# Many lines right before exiting: nothing may be lost to the exit event.
unit burst <<EOF2
[Service]
Type=oneshot
ExecStart=/usr/bin/seq -f 'burst %%.0f' 1 5000
EOF2

unit errsep <<EOF2
[Service]
Type=oneshot
StandardError=null
ExecStart=/bin/sh -c 'echo visible; echo hidden >&2'
EOF2

unit tofile <<EOF2
[Service]
Type=oneshot
StandardOutput=file:$T/tofile.log
ExecStart=/bin/sh -c 'echo in-file; echo err-in-file >&2'
EOF2

unit inh <<EOF2
[Service]
Type=oneshot
StandardOutput=inherit
ExecStart=/bin/echo raw-inherit
EOF2

px_start
out_has() { grep -qxF -- "$1" "$T/out"; }
poll 10 out_has 'burst: burst 5000' || fail "burst output incomplete"
poll 10 out_has 'parts: no newline before exit' || fail "trailing partial line not flushed"

out_has 'parts: from ExecStartPre' || fail "ExecStartPre output not captured"
out_has 'parts: first second third' || fail "partial writes not joined into one line"
out_has 'parts: to stderr' || fail "stderr not captured"
pass "prefix, partial lines joined, stderr, control process, trailing partial line"

out_has 'my-ident: identified' || fail "SyslogIdentifier= not used as prefix"
pass "SyslogIdentifier= prefix"

[ "$(grep -c '^long: ' "$T/out")" = 4 ] || fail "long line: want 3 pieces and one short line"
x1=$(printf 'x%.0s' $(seq 16384))
out_has "long: ${x1}[...]" || fail "first piece of the long line is not 16384 bytes + marker"
out_has "long: $(printf 'x%.0s' $(seq 7232))" || fail "last piece of the long line wrong"
out_has 'long: after-long' || fail "line after the long one missing"
pass "a 40000-byte line is split into 16 KiB pieces with a marker"

[ "$(grep -c '^burst ' "$T/out")" = 0 ] || fail "unprefixed burst lines"
grep '^burst: ' "$T/out" | sed 's/^burst: burst //' | awk '$1 != NR {bad=1; exit} END {exit bad || NR != 5000}' \
    || fail "burst lines missing or out of order"
pass "5000 lines printed right before exit all arrive, in order"

out_has 'errsep: visible' || fail "errsep stdout missing"
grep -q hidden "$T/out" && fail "StandardError=null was captured"
pass "StandardError=null with StandardOutput=journal"

poll 5 file_has "$T/tofile.log" '^err-in-file$' || fail "file: target missing stderr"
file_has "$T/tofile.log" '^in-file$' || fail "file: target missing stdout"
grep -q 'in-file' "$T/out" && fail "file: output leaked to stdout"
pass "StandardOutput=file: (stderr follows)"

out_has 'raw-inherit' || fail "inherit output missing"
grep -q 'inh: raw-inherit' "$T/out" && fail "inherit output was prefixed"
pass "StandardOutput=inherit is written unprefixed"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# The prefix formats: none and name+timestamp.
: >"$T/out"
rm -f "$UNITS"/*.service
unit plain <<EOF2
[Service]
Type=oneshot
ExecStart=/bin/echo plain-line
EOF2
px_start --log-prefix none
poll 10 out_has 'plain-line' || fail "--log-prefix none: line missing or prefixed"
px_signal TERM
px_wait 10
printf '[Manager]\nLogPrefix=name+timestamp\n' >"$T/pxinit.conf"
px_start -c "$T/pxinit.conf"
poll 10 grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z plain: plain-line$' "$T/out" \
    || fail "LogPrefix=name+timestamp not applied"
px_signal TERM
px_wait 10
pass "--log-prefix none and LogPrefix=name+timestamp"
