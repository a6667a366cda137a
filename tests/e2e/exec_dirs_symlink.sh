#!/bin/bash
# RuntimeDirectory= made, chowned and removed through descriptors, never
# through a symlink: a User=nobody service with RuntimeDirectory=app/x/y app
# owns /run/app, so it can swap app/x for a symlink to a root-owned
# directory elsewhere. Stopping it must not delete that directory's y, and
# starting it again must not hand that y to nobody. Also: a runtime tree
# with a mount inside is not entered, and a large one is removed.
# /run and /var/lib are private tmpfs mounts inside the test's namespace.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }
chmod 755 "$T"
mkdir -m 777 "$T/w"
script swap.sh <<'EOF2'
# The service's own move: /run/app is its, so it may rename and link there.
mv /run/$1/x /run/$1/x.old && ln -s /var/lib/victim /run/$1/x && touch "$T/w/$1.swapped"
exec sleep 1000
EOF2
cat >"$T/setup.sh" <<'EOF2'
mkdir -p /var/lib/victim/y && echo secret >/var/lib/victim/y/data && chmod 755 /var/lib/victim/y
EOF2

unit app <<EOF2
[Service]
User=nobody
RuntimeDirectory=app/x/y app
ExecStart=$T/swap.sh app
EOF2
unit keep <<EOF2
[Service]
User=nobody
RuntimeDirectory=keep/x/y keep
RuntimeDirectoryPreserve=yes
ExecStart=$T/swap.sh keep
EOF2
# Many files and a mount inside: the files go, the mount is left alone.
script fill.sh <<'EOF2'
mkdir -p "$RUNTIME_DIRECTORY/deep/a/b/c" && cd "$RUNTIME_DIRECTORY/deep" &&
    for i in $(seq 1 2000); do : >"f$i"; done && ln -s /var/lib/victim a/b/c/link &&
    touch "$T/w/filled"
exec sleep 1000
EOF2
unit fill <<EOF2
[Service]
RuntimeDirectory=fill
ExecStart=$T/fill.sh
EOF2

PX_TMPFS="/run /var/lib" PX_SETUP="$T/setup.sh" px_start
poll 10 test -e "$T/w/app.swapped" || fail "app did not swap its directory: $(tail -5 "$T/log")"
poll 10 test -e "$T/w/keep.swapped" || fail "keep did not swap its directory"
poll 10 test -e "$T/w/filled" || fail "fill did not fill its directory"

px stop app >/dev/null 2>&1 || fail "pxinit stop app failed"
poll 10 log_has 'app: state inactive' || fail "app did not stop"
in_ns test -f /var/lib/victim/y/data || fail "stopping app deleted /var/lib/victim/y through the swapped symlink"
in_ns test -e /run/app && fail "/run/app not removed at stop"
in_ns test -d /var/lib/victim || fail "the link's target itself went"
pass "stop removes the runtime tree without following the swapped symlink"

# keep's tree stays (RuntimeDirectoryPreserve=yes) with x a symlink: the
# next start must neither chown the target's y nor run on it.
px stop keep >/dev/null 2>&1
poll 10 log_has 'keep: state inactive' || fail "keep did not stop"
px start keep >/dev/null 2>&1
poll 10 log_has 'keep: cannot create /run/keep/x/y' || fail "a start through a swapped symlink was not refused: $(grep keep: "$T/log" | tail -3)"
[ "$(in_ns stat -c %U /var/lib/victim/y)" = root ] || fail "starting keep chowned /var/lib/victim/y to $(in_ns stat -c %U /var/lib/victim/y)"
pass "a start does not create or chown through a swapped symlink"

in_ns mount -t tmpfs pxinit-test-inner /run/fill/deep/a || fail "cannot mount inside /run/fill"
in_ns touch /run/fill/deep/a/inside
px stop fill >/dev/null 2>&1
poll 10 log_has 'fill: state inactive' || fail "fill did not stop"
in_ns test -f /run/fill/deep/f1 && fail "the files of /run/fill were not removed"
in_ns test -f /run/fill/deep/a/inside || fail "removal went into a mount inside the runtime directory"
log_has 'fill: RuntimeDirectory /run/fill not removed completely' || fail "no warning for what was left"
in_ns test -f /var/lib/victim/y/data || fail "removal of fill followed its symlink"
pass "removal stays on its file system and follows no symlink inside"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
