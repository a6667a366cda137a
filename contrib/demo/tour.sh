#!/bin/sh
# tour.sh - the main command of `make demo`: pxinit runs it as PID 1's main
# command, beside the units in units/, and shuts everything down when it
# exits. It shows what a user does with pxinit: the units' status, a request
# to the web service (started by its socket on the first connection), a
# restart (a new pid behind the same socket) and a crashing worker that
# pxinit restarts until its start limit, then gives up on.
#
# It needs `pxinit` on PATH and PXINIT_RUNTIME_DIR set (the Makefile's demo
# target does both), and curl. Every wait is a poll with a deadline.
set -u
URL=http://127.0.0.1:8080/

step() { printf '\n=== %s\n' "$*"; }
# run CMD...: print the command as typed, then run it.
run() {
    printf '$ %s\n' "$*"
    "$@"
}
# poll SECONDS CMD...: run CMD every 0.2 s until it succeeds; 1 at the deadline.
poll() {
    n=$(($1 * 5))
    shift
    while ! "$@" >/dev/null 2>&1; do
        n=$((n - 1))
        [ "$n" -gt 0 ] || return 1
        sleep 0.2
    done
}
# main_pid UNIT: the unit's main pid, from `pxinit status --json`.
main_pid() { pxinit status --json "$1" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p'; }
crashy_failed() { pxinit status crashy | grep -q failed; }
fail() {
    echo "tour: $*" >&2
    exit 1
}

step "pxinit status: the units pxinit loaded from units/"
run pxinit status || fail "pxinit status failed"
echo "(web is inactive: web.socket holds port 8080 and starts it on the first connection)"

step "curl: the first connection starts web.service"
run curl -sS --max-time 10 "$URL" || fail "no answer from $URL"
pid1=$(main_pid web)
run pxinit status web

step "pxinit restart web: a new process behind the same socket"
run pxinit restart web || fail "pxinit restart web failed"
run curl -sS --max-time 10 "$URL" || fail "no answer from $URL after the restart"
pid2=$(main_pid web)
echo "web's main pid: $pid1 before the restart, $pid2 after"
[ -n "$pid2" ] && [ "$pid2" != "$pid1" ] || fail "restart gave no new pid"

step "crashy: restarted on failure until its start limit (3 starts in 30 s)"
poll 20 crashy_failed || fail "crashy did not reach its start limit in 20 s"
run pxinit status crashy
# pxinit answers as systemctl when called by that name (doc/systemctl.md).
# A link of that name in a directory of its own, never the host's systemctl.
bin=$(mktemp -d)
ln -s "$(command -v pxinit)" "$bin/systemctl"
echo '$ systemctl status crashy'
"$bin/systemctl" status --no-pager crashy
rm -rf "$bin"

step "done: the main command exits 0, pxinit stops every unit and exits 0"
exit 0
