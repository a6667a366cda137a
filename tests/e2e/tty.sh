#!/bin/bash
# The main command on a real pseudo-terminal: it owns the terminal, its
# group is in the foreground, and a shell has job control (Ctrl-Z, Ctrl-C),
# both when pxinit leads the terminal's session (docker run -it) and when an
# interactive shell does.
. "${srcdir:-.}/tests/e2e/lib.sh"

command -v python3 >/dev/null || { echo "SKIP: python3 needed for the pty"; exit 77; }
for mode in leader shell; do
    timeout 90 python3 "${srcdir:-.}/tests/e2e/tty_drive.py" "$mode" "$RUN" "$PXINIT" >"$T/tty.out" 2>&1
    rc=$?
    cat "$T/tty.out"
    [ $rc = 0 ] || fail "terminal test ($mode) failed"
done
pass "terminal and job control"
