#!/bin/bash
# What PID 1 reads from the unit directories cannot stall it (issue 15, item
# 10): an EnvironmentFile= linked to /dev/zero or larger than the cap, and a
# FIFO among the drop-ins, get clear errors; the daemon boots, answers and
# runs the other units.
. "${srcdir:-.}/tests/e2e/lib.sh"

# A build that reads /dev/zero to its end would take the machine's memory:
# cap it, so that it fails here instead (sanitizer builds reserve terabytes
# of address space for their shadow, and are not such a build).
grep -q __asan_init "$PXINIT" 2>/dev/null || PX_LAUNCH="prlimit --as=1073741824"

ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }

ln -s /dev/zero "$T/zero"
head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'a' > "$T/big"
unit envzero <<EOF2
[Service]
EnvironmentFile=$T/zero
ExecStart=/bin/sh -c 'echo envzero >> $T/runs; exec sleep 1000'
EOF2
unit envbig <<EOF2
[Service]
EnvironmentFile=$T/big
ExecStart=/bin/sh -c 'echo envbig >> $T/runs; exec sleep 1000'
EOF2
unit envopt <<EOF2
[Service]
EnvironmentFile=-$T/zero
ExecStart=/bin/sh -c 'echo envopt >> $T/runs; exec sleep 1000'
EOF2
unit fine <<EOF2
[Unit]
After=envzero.service envbig.service envopt.service
[Service]
ExecStart=/bin/sh -c 'echo fine >> $T/runs; exec sleep 1000'
EOF2

px_start
poll 10 file_has "$T/runs" '^fine$' || fail "the other units did not run: $(cat "$T/runs" 2>/dev/null)"
ctl status -q fine || fail "the daemon does not answer"
poll 5 log_has "EnvironmentFile=$T/zero: not a regular file" ||
    fail "no clear error for /dev/zero: $(cat "$T/log")"
poll 5 log_has "EnvironmentFile=$T/big: larger than" ||
    fail "no clear error for an oversized file: $(cat "$T/log")"
poll 5 file_has "$T/runs" '^envopt$' || fail "EnvironmentFile=- of a device stopped the unit"
file_has "$T/runs" '^envzero$' && fail "envzero ran without its EnvironmentFile="
pass "EnvironmentFile= of /dev/zero or too large: a clear error, nothing stalls"
px_signal TERM
px_wait 10

# A FIFO drop-in (no writer ever comes) at boot.
rm -f "$T/runs" "$UNITS"/env*.service
mkdir -p "$UNITS/fifo.service.d"
mkfifo "$UNITS/fifo.service.d/evil.conf"
unit fifo <<EOF2
[Service]
ExecStart=/bin/sh -c 'echo fifo >> $T/runs; exec sleep 1000'
EOF2
sed -i 's/^After=.*/After=fifo.service/' "$UNITS/fine.service"
px_start
poll 10 file_has "$T/runs" '^fine$' || fail "a FIFO drop-in stalled the boot: $(cat "$T/runs" 2>/dev/null)"
ctl status -q fine || fail "the daemon does not answer"
log_has 'fifo.service.d/evil.conf: cannot open: not a regular file' ||
    fail "no clear error for the FIFO drop-in: $(cat "$T/log")"
file_has "$T/runs" '^fifo$' && fail "a unit whose drop-in could not be read ran"
timeout 5 "$PXINIT" check "$UNITS/fifo.service" >"$T/chk.out" 2>&1; rc=$?
[ "$rc" = 1 ] || fail "check with a FIFO drop-in exited $rc: $(cat "$T/chk.out")"
pass "a FIFO drop-in: a clear error, the boot goes on, check refuses it"
