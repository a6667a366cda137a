#!/bin/bash
# Size-based rotation of file output (X-LogMaxSize=, X-LogMaxFiles=, and
# LogMaxSize= in pxinit.conf): files stay under the size, the number of old
# files is kept, rotation happens between lines, and no line is lost.
. "${srcdir:-.}/tests/e2e/lib.sh"

# 3000 lines of 21 bytes = 63000 bytes: 7 files of at most 10000 bytes.
unit keep <<EOF2
[Service]
Type=oneshot
StandardOutput=append:$T/keep.log
X-LogMaxSize=10000
X-LogMaxFiles=10
ExecStart=/usr/bin/seq -f 'keep line %%010.0f' 1 3000
EOF2

# The same, but only 2 old files are kept.
unit few <<EOF2
[Service]
Type=oneshot
StandardOutput=file:$T/few.log
X-LogMaxSize=10K
X-LogMaxFiles=2
ExecStart=/usr/bin/seq -f 'few  line %%010.0f' 1 3000
EOF2

# Defaults from pxinit.conf; stderr follows stdout into the same file.
unit dflt <<EOF2
[Service]
Type=oneshot
StandardOutput=truncate:$T/dflt.log
ExecStart=/bin/sh -c 'seq -f "dflt line %%010.0f" 1 1000; echo "dflt line on stderr" >&2'
EOF2
printf '[Manager]\nLogMaxSize=4K\nLogMaxFiles=1\n' >"$T/pxinit.conf"

px_start -c "$T/pxinit.conf"
for u in keep few dflt; do
    poll 20 log_has "$u: state inactive" || fail "$u did not finish"
done
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

sizes_ok() { # MAX FILE...: every file at most MAX bytes and ending in a newline
    local max=$1 f
    shift
    for f in "$@"; do
        [ "$(stat -c %s "$f")" -le "$max" ] || { echo "$f: $(stat -c %s "$f") > $max"; return 1; }
        [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || { echo "$f: cut line"; return 1; }
    done
}
in_order() { # oldest file first on stdin: numbers consecutive, ending at LAST
    awk -v last="$1" '{ n = $3 + 0; if (NR > 1 && n != prev + 1) { print "gap after " prev; bad = 1; exit } prev = n }
        END { if (!bad && prev != last) { print "ends at " prev; bad = 1 } exit bad }'
}

files=$(ls "$T"/keep.log* | sort -t. -k3 -n -r)
[ "$(echo "$files" | wc -l)" = 7 ] || fail "keep: want 7 files, got: $files"
sizes_ok 10000 $files || fail "keep: a file is too big or ends in a cut line"
cat "$T"/keep.log.{6,5,4,3,2,1} "$T/keep.log" | in_order 3000 || fail "keep: lines lost across rotation"
[ "$(cat "$T"/keep.log* | wc -l)" = 3000 ] || fail "keep: want 3000 lines in all"
pass "X-LogMaxSize=10000: 7 files under the size, all 3000 lines in order"

[ -f "$T/few.log.2" ] && [ ! -e "$T/few.log.3" ] || fail "few: want few.log, .1, .2 only: $(ls "$T"/few.log*)"
sizes_ok 10240 "$T"/few.log* || fail "few: a file is too big or ends in a cut line"
cat "$T/few.log.2" "$T/few.log.1" "$T/few.log" | in_order 3000 || fail "few: kept lines not contiguous"
pass "X-LogMaxFiles=2 keeps two old files, the newest lines contiguous"

[ -f "$T/dflt.log.1" ] && [ ! -e "$T/dflt.log.2" ] || fail "dflt: pxinit.conf defaults not applied"
sizes_ok 4096 "$T"/dflt.log* || fail "dflt: a file is too big"
grep -q '^dflt line on stderr$' "$T/dflt.log" || fail "dflt: stderr not in the file"
pass "LogMaxSize=/LogMaxFiles= in pxinit.conf; stderr follows stdout"

# A FIFO where a rotated file belongs (a service that owns the directory can
# put one there): PID 1 opens the file itself, and must not wait in open()
# for a reader. The unit fails to start; pxinit answers on.
rm -f "$UNITS"/*.service
mkfifo "$T/trap.log"
unit trap <<EOF2
[Service]
StandardOutput=append:$T/trap.log
X-LogMaxSize=10000
ExecStart=/bin/sleep 1000
EOF2
unit other <<EOF2
[Service]
ExecStart=/bin/sleep 1000
EOF2
px_start
poll 5 log_has 'other: state active' || fail "a FIFO as an output file held pxinit up"
timeout 5 "$PXINIT" -R "$RUN" status other >/dev/null || fail "status did not answer with a FIFO output file"
log_has 'trap: .*cannot open' || fail "no error for the FIFO output file"
px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
pass "a FIFO as a rotated output file fails the unit, not pxinit"
