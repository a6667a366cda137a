#!/bin/bash
# pxinit launched with a strict umask (077, or a hardened root's 027) still
# makes what it creates for others as systemd does: the runtime directory
# 0755 (so a User= service reaches $RUN/notify, as it reaches
# /run/systemd/notify), the parents of RuntimeDirectory=a/b 0755, the
# status board readable. The main command keeps the umask it was launched with.
. "${srcdir:-.}/tests/e2e/lib.sh"
N=$(user_helper pxtest-notify)
chmod 755 "$T"   # the test's own dir: only $RUN below it is pxinit's to make

unit pkgd <<EOF2
[Service]
Type=notify
User=nobody
TimeoutStartSec=3
ExecStart=$N READY=1 STATUS=serving
EOF2
unit nested <<EOF2
[Service]
User=nobody
RuntimeDirectory=pxt-nested/inner
ExecStart=/bin/sh -c 'touch "\$RUNTIME_DIRECTORY/ok" && exec sleep 1000'
EOF2
script strict.sh <<'EOF2'
umask 077
exec "$@"
EOF2
script main.sh <<'EOF2'
umask > "$T/main.umask"
exec sleep 1000
EOF2

PX_TMPFS=/run PX_LAUNCH="$T/strict.sh" px_start -- "$T/main.sh"
is_active() { "$PXINIT" -R "$RUN" status "$1" >/dev/null 2>&1; }
poll 5 is_active pkgd || fail "a User= notify unit never became active: $("$PXINIT" -R "$RUN" status pkgd)"
pass "umask 077: a User= Type=notify unit reaches the notify socket"
[ "$(stat -c %a "$RUN")" = 755 ] || fail "runtime dir mode $(stat -c %a "$RUN"), want 755"
setpriv --reuid=65534 --regid=65534 --clear-groups "$PXINIT" -R "$RUN" status pkgd >/dev/null 2>"$T/e" \
    || fail "others cannot read the status: $(cat "$T/e")"
pass "umask 077: the runtime dir is 0755 and others read the status board"
poll 5 in_ns test -e /run/pxt-nested/inner/ok || fail "User= unit cannot use RuntimeDirectory=a/b (parent $(in_ns stat -c %a /run/pxt-nested))"
[ "$(in_ns stat -c %a /run/pxt-nested)" = 755 ] || fail "RuntimeDirectory= parent mode $(in_ns stat -c %a /run/pxt-nested), want 755"
pass "umask 077: RuntimeDirectory=a/b makes its parent 0755"
poll 5 test -s "$T/main.umask" || fail "main command did not run"
[ "$(cat "$T/main.umask")" = 0077 ] || fail "main command umask $(cat "$T/main.umask"), want the launch umask 0077"
pass "umask 077: the main command keeps the umask it was launched with"
