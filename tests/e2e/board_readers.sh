#!/bin/bash
# board_readers.sh - the status board never kills anyone (issue 15, item 4):
# readers racing a truncation of the board never crash and never say "no
# such unit" for a unit that exists; they ask the socket instead.
. "${srcdir:-.}/tests/e2e/lib.sh"

for u in a b c d e f g h web; do
    unit "$u" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
done
mkdir -p "$T/race"
PX_TMPFS="$T/race" px_start
poll 5 status_is "$RUN" web 0 >/dev/null || fail "web not active"
# In the namespace, on a tmpfs (truncation is cheap there, as on /run): a
# copy of the board that the script holds locked, as a live daemon does,
# beside the real control socket; a racer cuts it short and restores it
# while readers ask for web. It prints how many readers crashed, said "no
# such unit", or answered otherwise.
cat >"$T/race.sh" <<EOF
T='$T' PXINIT='$PXINIT'
EOF
cat >>"$T/race.sh" <<'EOF'
cp --sparse=always "$T/run/status" "$T/race/status"
ln -s "$T/run/control" "$T/race/control"
exec 7<"$T/race/status"
flock -x -n 7 || exit 1
python3 - "$T/race/status" "$T/race/stop" <<'PY' &
import os, sys
path, stop = sys.argv[1], sys.argv[2]
full = os.path.getsize(path)
with open(path, "rb") as f:
    data = f.read(8192)
fd = os.open(path, os.O_RDWR)
cuts = [0, 100, 4096, 4096 + 64, 4096 + 64 * 5, 8000]
i = 0
while not os.path.exists(stop):
    os.ftruncate(fd, cuts[i % len(cuts)])
    os.pwrite(fd, data, 0)
    os.ftruncate(fd, full)
    i += 1
PY
racer=$!
crashed=0 nounit=0 other=0
for i in $(seq 1 400); do
    case $((i % 4)) in
    0) PXINIT_FAST_STATUS=0 "$PXINIT" -R "$T/race" status web >"$T/r.o" 2>"$T/r.e" ;;
    1) "$PXINIT" -R "$T/race" list >"$T/r.o" 2>"$T/r.e" ;;
    *) "$PXINIT" -R "$T/race" status web >"$T/r.o" 2>"$T/r.e" ;;
    esac
    rc=$?
    if [ "$rc" -ge 128 ]; then
        crashed=$((crashed + 1))
    elif [ "$rc" = 4 ] || grep -q "no such unit" "$T/r.e"; then
        nounit=$((nounit + 1))
    elif [ "$rc" != 0 ] || ! grep -q "^web  *active" "$T/r.o"; then
        other=$((other + 1))
        echo "reader $i: rc $rc: $(cat "$T/r.o" "$T/r.e")" >&2
    fi
done
touch "$T/race/stop"
wait "$racer"
echo "$crashed $nounit $other"
EOF
counts=$(in_ns bash "$T/race.sh") || fail "the race did not run"
read -r crashed nounit other <<<"$counts"
[ "$crashed" = 0 ] && [ "$nounit" = 0 ] && [ "$other" = 0 ] ||
    fail "of 400 readers racing a truncation, $crashed crashed, $nounit said no such unit, $other answered otherwise"
pass "400 readers racing a truncation of the board: none crashed, none said no such unit"
px_signal TERM
px_wait 10

exit "$FAILED"
