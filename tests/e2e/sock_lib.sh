# sock_lib.sh - what the socket-unit e2e tests share, after lib.sh.

# The system's python3 when there is one: a version manager's shim in PATH
# can take a second per start, and the tests start a client per check.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CLIENT="$PY ${srcdir:-.}/tests/e2e/sock_client.py"
SDL=$(user_helper pxtest-sdlisten)
ctl() { timeout 10 "$PXINIT" -R "$RUN" "$@"; }
state_of() { ctl status "$1" 2>/dev/null | awk '{print $2}'; }
is_state() { [ "$(state_of "$1")" = "$2" ]; }
# listening X.socket: active, its fds watched (sub-state listening).
listening() { ctl status "$1" 2>/dev/null | grep -qw listening && is_state "$1" active; }
# field REPORT KEY: KEY's value in a pxtest-sdlisten report.
field() { sed -n "s/^$2=//p" <<<"$1"; }
