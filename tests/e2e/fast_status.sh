#!/bin/bash
# The libc-free `pxinit status UNIT` (src/client/fastpath.c) against glibc's path:
# same stdout, stderr and exit code for every unit state and every way of
# naming the runtime directory; and everything it must not answer (other
# options, unknown or long names, a terminal, stale, foreign, overflowed or
# busy boards) goes on to glibc's path unchanged.
#
# PXINIT_FAST_STATUS=0 forces glibc's path. PXINIT_FAST_STATUS=only makes the
# fast path exit 99 when it does not answer, so a test knows which path
# answered; that hook is compiled into the test build's copy of the binary
# only ($PXINIT_HOOKS, tests/e2e/helpers/pxinit-hooks), never into $PXINIT.
# In the builds without a fast path (FAST_STATUS_BUILT=no) both runs take
# glibc's path and only the equality is checked.
. "${srcdir:-.}/tests/e2e/lib.sh"

FAST=${FAST_STATUS_BUILT:-no}
HOOKS=${PXINIT_HOOKS:-$PXINIT}
[ "$FAST" != yes ] || [ "$HOOKS" != "$PXINIT" ] ||
    fail "PXINIT_HOOKS must name the test build's binary (make check sets it)"

# run NAME MODE ARGS...: pxinit ARGS with PXINIT_FAST_STATUS=MODE (empty:
# unset); stdout, stderr and the exit code into $T/NAME.{o,e,rc}. MODE only
# runs the test build's copy, the trick on (whatever PXINIT_PLAIN the suite
# runs with: this test compares the two paths); the others the binary itself.
run() {
    local name=$1 mode=$2
    shift 2
    if [ "$mode" = only ]; then
        env -u PXINIT_PLAIN PXINIT_FAST_STATUS=only "$HOOKS" "$@" >"$T/$name.o" 2>"$T/$name.e"
    elif [ -n "$mode" ]; then
        PXINIT_FAST_STATUS=$mode "$PXINIT" "$@" >"$T/$name.o" 2>"$T/$name.e"
    else
        env -u PXINIT_FAST_STATUS "$PXINIT" "$@" >"$T/$name.o" 2>"$T/$name.e"
    fi
    echo $? >"$T/$name.rc"
}

# same NAME WHAT: run NAME answered like glibc's runs g1 or g2 around it (an
# uptime may tick between them, so either will do; both stderr and exit
# code must match the one it matches).
same() {
    local g
    for g in g1 g2; do
        cmp -s "$T/$1.o" "$T/$g.o" && cmp -s "$T/$1.e" "$T/$g.e" && cmp -s "$T/$1.rc" "$T/$g.rc" &&
            return 0
    done
    fail "$2: the paths differ:
  glibc: rc $(cat "$T/g1.rc") out '$(cat "$T/g1.o")' err '$(cat "$T/g1.e")'
  this:  rc $(cat "$T/$1.rc") out '$(cat "$T/$1.o")' err '$(cat "$T/$1.e")'"
}

# fast ARGS...: the fast path answers (in the build that has it) exactly as
# glibc's path does.
fast() {
    run g1 0 "$@"
    run f only "$@"
    run d "" "$@"
    run g2 0 "$@"
    [ "$(cat "$T/f.rc")" != 99 ] || fail "not answered by the fast path: $*: $(cat "$T/f.e")"
    same f "$*"
    same d "$* (default)"
}

# declined ARGS...: the fast path does not answer, and the process goes on to
# give glibc's answer.
declined() {
    run g1 0 "$@"
    run f only "$@"
    run d "" "$@"
    run g2 0 "$@"
    if [ "$FAST" = yes ]; then
        [ "$(cat "$T/f.rc")" = 99 ] || fail "answered by the fast path: $*: $(cat "$T/f.o")"
    else
        same f "$*"
    fi
    same d "$*"
}

NAME31=n123456789012345678901234567890
NAME32=n1234567890123456789012345678901
script killer.sh <<'EOF'
kill -KILL $$
EOF
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit bad <<EOF
[Service]
ExecStart=/bin/sh -c 'exit 3'
EOF
unit killed <<EOF
[Service]
ExecStart=$T/killer.sh
EOF
unit done <<EOF
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
unit again <<EOF
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=/bin/sh -c 'exit 1'
Restart=always
RestartSec=1h
EOF
unit "a-b_c.d:e" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit "$NAME31" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit "$NAME32" <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF

px() { "$PXINIT" -R "$RUN" "$@"; }
px_start
state_is() { px status "$1" 2>/dev/null | grep -qE "$2"; }
poll 5 state_is web '^web +active .* running$' || fail "web not running: $(px status web 2>&1)"
poll 5 state_is bad '^bad +failed .* code=3 +failed$' || fail "bad not failed: $(px status bad 2>&1)"
poll 5 state_is killed 'signal=KILL +failed$' || fail "killed not killed: $(px status killed 2>&1)"
poll 5 state_is done '^done +inactive .* code=0 +dead$' || fail "done not done: $(px status done 2>&1)"
poll 5 state_is again 'code=1 +auto-restart$' || fail "again not waiting: $(px status again 2>&1)"
poll 5 state_is "$NAME31" active || fail "$NAME31 not active"
poll 5 state_is "$NAME32" active || fail "$NAME32 not active"

for u in web bad killed done again "a-b_c.d:e" "$NAME31"; do
    fast -R "$RUN" status "$u"
done
grep -q "^$NAME31  *active" "$T/f.o" || fail "31-byte name: $(cat "$T/f.o")"
fast -R "$RUN" status web.service
fast status web -R "$RUN"
fast status -R "$RUN" bad.service
fast --runtime-dir "$RUN" status killed
fast --runtime-dir="$RUN" status done
fast -R"$RUN" status again
fast status web --runtime-dir="$RUN"
fast -R /nonexistent status web -R "$RUN"
PXINIT_RUNTIME_DIR=$RUN fast status web
PXINIT_RUNTIME_DIR=/nonexistent fast status web -R "$RUN"
PXINIT_NO_BOARD= fast -R "$RUN" status web
PXINIT_NO_BOARD=0 fast -R "$RUN" status web
grep -q "^web  *active  *[0-9][0-9]*  *[0-9]*s  *0  *-  *running$" "$T/f.o" || fail "web: $(cat "$T/f.o")"
# -q, a health check's form: the exit code alone, from the fast path too.
for u in web bad done; do
    fast -R "$RUN" status -q "$u"
    fast -R "$RUN" status "$u" --quiet
done
[ "$(cat "$T/f.rc")" = 3 ] && [ ! -s "$T/f.o" ] || fail "status -q done: rc $(cat "$T/f.rc"), out '$(cat "$T/f.o")'"
pass "status UNIT: the same answer from both paths for active, failed, killed, inactive, auto-restart units, .service, -R/--runtime-dir anywhere, PXINIT_RUNTIME_DIR"

# The default runtime directory: $RUN bound on /run/pxinit in a mount
# namespace of the test's own (a tmpfs on /run first: the host's is untouched).
at_default() {
    local mode=$1 bin=$PXINIT
    shift
    [ "$mode" != only ] || bin=$HOOKS
    unshare --mount sh -c 'mount -t tmpfs pxinit-test /run && mkdir /run/pxinit &&
        mount --bind "$0" /run/pxinit && exec "$@"' "$RUN" \
        env -u PXINIT_RUNTIME_DIR -u PXINIT_PLAIN PXINIT_FAST_STATUS="$mode" "$bin" "$@"
}
at_default 0 status web >"$T/g1.o" 2>"$T/g1.e"; echo $? >"$T/g1.rc"
at_default only status web >"$T/f.o" 2>"$T/f.e"; echo $? >"$T/f.rc"
at_default 0 status web >"$T/g2.o" 2>"$T/g2.e"; echo $? >"$T/g2.rc"
[ "$(cat "$T/f.rc")" = 0 ] || fail "default runtime dir: $(cat "$T/f.rc") $(cat "$T/f.e")"
same f "status web in /run/pxinit"
pass "status UNIT with the default runtime directory"

declined -R "$RUN" status nosuch
[ "$(cat "$T/d.rc")" = 4 ] && grep -q "nosuch: no such unit" "$T/d.e" ||
    fail "unknown unit: $(cat "$T/d.rc") $(cat "$T/d.e")"
declined -R "$RUN" status "$NAME32"
[ "$(cat "$T/d.rc")" = 0 ] || fail "long name: $(cat "$T/d.rc")"
declined -R "$RUN" status 'a b'
declined -R "$RUN" status --json web
declined -R "$RUN" status web bad
declined -R "$RUN" status -n 0 web
declined -R "$RUN" status
declined -R "$RUN" status web -R
PXINIT_NO_BOARD=1 declined -R "$RUN" status web
declined -R "$T/nothing" status web
[ "$(cat "$T/d.rc")" = 5 ] || fail "no board: $(cat "$T/d.rc")"
pass "everything else goes on to glibc's path: unknown, long or invalid names, options, several units, no board"

# Not for a terminal (it gets a legend), nor without a stdout.
if [ "$FAST" = yes ]; then
    env -u PXINIT_PLAIN PXINIT_FAST_STATUS=only script -qec "$HOOKS -R $RUN status web" /dev/null >"$T/o" 2>&1
    [ $? = 99 ] || fail "answered for a terminal: $(cat "$T/o")"
    env -u PXINIT_PLAIN PXINIT_FAST_STATUS=only "$HOOKS" -R "$RUN" status web >&- 2>"$T/e"
    [ $? = 99 ] || fail "answered without a stdout"
fi
command script -qec "$PXINIT -R $RUN status web" /dev/null >"$T/o" 2>&1 || fail "status at a terminal: $(cat "$T/o")"
grep -q "^UNIT" "$T/o" || fail "no legend at a terminal: $(cat "$T/o")"
pass "a terminal or a closed stdout goes on to glibc's path"

# -q prints nothing, terminal or not: answered there too, with the code.
if [ "$FAST" = yes ]; then
    env -u PXINIT_PLAIN PXINIT_FAST_STATUS=only script -qec "$HOOKS -R $RUN status -q web" /dev/null >"$T/o" 2>&1
    [ $? = 0 ] && [ ! -s "$T/o" ] || fail "status -q at a terminal: $(cat "$T/o")"
    pass "status -q at a terminal is answered by the fast path"
fi

# PXINIT_PLAIN (base/tricks.h), read by the fast path itself: "all", "1" or a
# list naming fast-status send the query to glibc's path; other names do not.
# hooked PLAIN ARGS...: the test build's copy with PXINIT_FAST_STATUS=only
# and PXINIT_PLAIN=PLAIN, into $T/f.*; the installed binary with PLAIN alone
# into $T/d.*, glibc's path around them into $T/g1.* and $T/g2.*.
hooked() {
    local plain=$1
    shift
    run g1 0 "$@"
    PXINIT_PLAIN=$plain PXINIT_FAST_STATUS=only "$HOOKS" "$@" >"$T/f.o" 2>"$T/f.e"
    echo $? >"$T/f.rc"
    PXINIT_PLAIN=$plain "$PXINIT" "$@" >"$T/d.o" 2>"$T/d.e"
    echo $? >"$T/d.rc"
    run g2 0 "$@"
    same d "PXINIT_PLAIN=$plain $*"
}
for plain in all 1 fast-status clone-vm,fast-status sigwait,fast-status,timerfd; do
    hooked "$plain" -R "$RUN" status web
    [ "$(cat "$T/d.rc")" = 0 ] || fail "PXINIT_PLAIN=$plain: $(cat "$T/d.rc") $(cat "$T/d.e")"
    if [ "$FAST" = yes ]; then
        [ "$(cat "$T/f.rc")" = 99 ] || fail "PXINIT_PLAIN=$plain: answered by the fast path"
    fi
done
for plain in 0 "" clone-vm fast-statusx fast clone-vm,sigwait; do
    hooked "$plain" -R "$RUN" status web
    [ "$(cat "$T/f.rc")" != 99 ] || fail "PXINIT_PLAIN=$plain: not answered by the fast path"
    same f "PXINIT_PLAIN=$plain (fast path)"
done
pass "PXINIT_PLAIN=all (or naming fast-status) sends status to glibc's path"

# The hook is not in the binary itself: there a query the fast path does not
# answer goes on to glibc's path whatever PXINIT_FAST_STATUS says.
PXINIT_FAST_STATUS=only "$PXINIT" -R "$RUN" status nosuch >"$T/o" 2>"$T/e"
rc=$?
[ "$rc" = 4 ] && grep -q "nosuch: no such unit" "$T/e" ||
    fail "PXINIT_FAST_STATUS=only in the installed binary: rc $rc: $(cat "$T/o" "$T/e")"
if [ "$FAST" = yes ] && grep -q "PXINIT_FAST_STATUS=only" "$PXINIT"; then
    fail "the test hook's message is in $PXINIT"
fi
pass "the test hook is only in the test build's copy"

# Copies of the board: with nobody holding its lock (stale), and held by a
# stand-in daemon (flock) with one field changed.
board_copy() {
    mkdir -p "$T/$1"
    cp --sparse=always "$RUN/status" "$T/$1/status"
}
# hold DIR: this shell holds DIR's board locked, as a live daemon does.
hold() {
    local fd
    exec {fd}<"$T/$1/status"
    flock -x -n "$fd" || fail "cannot lock $1"
}
# patch DIR PYTHON: runs PYTHON with b, the board's bytes, and the record
# offset of unit web in w; the changed bytes are written back.
patch() {
    python3 - "$T/$1/status" "$2" <<'EOF'
import sys
path, code = sys.argv[1], sys.argv[2]
with open(path, "r+b") as f:
    b = bytearray(f.read(4096 + 16384 * 64))
    w = next(4096 + i * 64 for i in range(16384)
             if b[4096 + i * 64 + 32:4096 + i * 64 + 36] == b"web\0")
    exec(code)
    f.seek(0)
    f.write(b)
EOF
}

board_copy stale
declined -R "$T/stale" status web
[ "$(cat "$T/d.rc")" = 5 ] && grep -q "stale" "$T/d.e" || fail "stale board: $(cat "$T/d.rc") $(cat "$T/d.e")"

board_copy live
hold live
fast -R "$T/live" status web
fast -R "$T/live" status bad

board_copy version
patch version 'b[8] = 2'  # the version before timers' records
hold version
declined -R "$T/version" status web
[ "$(cat "$T/d.rc")" = 5 ] || fail "another version: $(cat "$T/d.rc") $(cat "$T/d.e")"

# A timer's record (SB_REC_TIMER: its next elapse and last trigger where a
# service's pids are, doc/status-board.md): both paths show its times.
board_copy timer
patch timer 'import time; n = int(time.time()); b[w + 4] |= 4
b[w + 8:w + 16] = ((n + 300) * 10**6).to_bytes(8, sys.byteorder)
b[w + 16:w + 24] = ((n - 7380) * 10**6).to_bytes(8, sys.byteorder)'
hold timer
fast -R "$T/timer" status web
grep -q '^web .*  -  .*running  left=[0-9a-z]*  passed=2h3min$' "$T/f.o" ||
    [ "$FAST" != yes ] || fail "a timer's record: $(cat "$T/f.o")"
grep -q '^web .*  -  .*running  left=[0-9a-z]*  passed=2h3min$' "$T/d.o" ||
    fail "a timer's record: $(cat "$T/d.o")"
pass "a timer's record reads the same on both paths"

board_copy magic
patch magic 'b[0:8] = b"PXSTATUX"'
hold magic
declined -R "$T/magic" status web

board_copy recsize
patch recsize 'b[16] = 65'
hold recsize
declined -R "$T/recsize" status web

board_copy overflow
patch overflow 'b[28] |= 1'
hold overflow
declined -R "$T/overflow" status web
[ "$(cat "$T/d.rc")" = 0 ] || fail "overflowed board, unit on it: $(cat "$T/d.rc") $(cat "$T/d.e")"
declined -R "$T/overflow" status nosuch

board_copy busy
patch busy 'b[w] |= 1'  # a writer that never finishes
hold busy
declined -R "$T/busy" status web
fast -R "$T/busy" status bad
pass "stale, foreign (magic, version, record size), overflowed and busy boards go on to glibc's path"

# The real daemon gone: its board is stale.
kill -KILL "$PX_INIT"
px_wait 5
declined -R "$RUN" status web
[ "$(cat "$T/d.rc")" = 5 ] && grep -q "is stale" "$T/d.e" || fail "after the daemon: $(cat "$T/d.e")"
pass "a board its daemon left is stale for both paths"
