#!/bin/bash
# systemctl --user and journalctl --user find the user daemon where
# `pxinit --user` does ($XDG_RUNTIME_DIR/pxinit, else /tmp/pxinit-UID), and
# like it they must refuse a directory that is not the user's own 0700 one:
# another local user can make /tmp/pxinit-UID first and listen there, to
# read the user's requests and feed them made-up replies. Here the
# directory belongs to another uid and a fake daemon listens in it: no
# client may talk to it.
. "${srcdir:-.}/tests/e2e/lib.sh"

U=4242
OTHER=4343
chmod 755 "$T"
mkdir -p "$T/bin" && cp "$PXINIT" "$T/bin/pxinit" && chmod 755 "$T/bin" "$T/bin/pxinit" ||
    fail "cannot copy pxinit"
ln -s pxinit "$T/bin/systemctl" && ln -s pxinit "$T/bin/journalctl" || fail "links"
X="$T/xdg"
mkdir -p "$X/pxinit" "$T/home" && chown "$U:$U" "$X" "$T/home" && chmod 700 "$X" &&
    chown "$OTHER:$OTHER" "$X/pxinit" && chmod 755 "$X/pxinit" || fail "cannot plant"

# The fake daemon: notes each request, answers "end 0".
python3 - "$X/pxinit/control" "$T/contacted" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.listen(8)
open(sys.argv[1] + ".ready", "w").close()
while True:
    c, _ = s.accept()
    data = c.recv(4096)
    with open(sys.argv[2], "ab") as f:
        f.write(data)
    try:
        c.sendall(b"end 0\n")
    except OSError:
        pass
    c.close()
PY
FAKE=$!
trap 'kill $FAKE 2>/dev/null; cleanup' EXIT
poll 5 test -e "$X/pxinit/control.ready" || fail "the fake daemon did not start"

as_user() {
    setpriv --reuid="$U" --regid="$U" --clear-groups \
        env -i HOME="$T/home" XDG_RUNTIME_DIR="$X" PATH=/usr/bin:/bin "$@"
}
# pxinit --user refuses it already (sduser): the baseline.
out=$(as_user "$T/bin/pxinit" --user status web 2>&1) && fail "pxinit --user status: $out"
case "$out" in *refused*) ;; *) fail "pxinit --user status said: $out" ;; esac
for cmd in "systemctl --user is-active web" "systemctl --user status web" \
    "systemctl --user show web" "journalctl --user -u web --no-pager"; do
    set -- $cmd
    out=$(as_user "$T/bin/$1" "${@:2}" 2>&1) && fail "$cmd succeeded: $out"
    [ -e "$T/contacted" ] && fail "$cmd talked to the planted socket: $(cat "$T/contacted")"
    case "$out" in *refused*) ;; *) fail "$cmd does not say the directory is refused: $out" ;; esac
done
pass "systemctl --user and journalctl --user refuse another user's runtime directory"
