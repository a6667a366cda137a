#!/bin/bash
# user_spec.sh - SPEC "User mode" from outside, through systemctl --user and
# journalctl --user as a user who is not root (uid 4242): a user daemon
# started as `pxinit --user --systemd` with XDG_RUNTIME_DIR set runs the
# units of ~/.config/pxinit/units and those enabled under
# ~/.config/systemd/user/default.target.wants/; the user's systemctl and
# journalctl reach it with --user, and its offline enable writes the links
# in ~/.config/systemd/user.
. "${srcdir:-.}/tests/e2e/lib.sh"
. "${srcdir:-.}/tests/e2e/check_lib.sh"

U=4242
chmod 755 "$T"
mkdir -p "$T/bin" && cp "$PXINIT" "$T/bin/pxinit" && chmod 755 "$T/bin" "$T/bin/pxinit" &&
    ln -s pxinit "$T/bin/systemctl" && ln -s pxinit "$T/bin/journalctl" || fail "cannot copy pxinit"
H="$T/home"
X="$T/xdg"
mkdir -p "$H/.config/pxinit/units" "$H/.config/systemd/user/default.target.wants" "$X"
cat >"$H/.config/pxinit/units/hello.service" <<'EOF'
[Service]
ExecStart=/bin/sh -c 'echo "hello out"; exec sleep 1000'
EOF
cat >"$H/.config/systemd/user/greet.service" <<'EOF'
[Service]
ExecStart=/bin/sleep 1001
[Install]
WantedBy=default.target
EOF
ln -s ../greet.service "$H/.config/systemd/user/default.target.wants/greet.service"
chown -R "$U:$U" "$H" "$X"
chmod 700 "$X"

USER_ENV="HOME=$H XDG_RUNTIME_DIR=$X PATH=$T/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# as_user CMD...: CMD as the user in the daemon's namespaces.
as_user() {
    # shellcheck disable=SC2086
    in_ns setpriv --reuid="$U" --regid="$U" --clear-groups env -i $USER_ENV "$@"
}
usc() { as_user "$T/bin/systemctl" --user "$@"; }

# The user daemon: PID 1 of a namespace whose systemd user directories of
# the machine are empty tmpfs (the host's stay as they are).
prelude='for d in /etc/systemd/user /usr/lib/systemd/user; do
        [ ! -d "$d" ] || mount -t tmpfs pxinit-test "$d" || exit 1
    done
    exec setpriv --reuid="$U" --regid="$U" --clear-groups env -i $USER_ENV "$@"'
U="$U" USER_ENV="$USER_ENV" unshare --pid --fork --mount-proc sh -c "$prelude" sh \
    "$T/bin/pxinit" --user --systemd >"$T/out" 2>"$T/log" </dev/null &
PX_PID=$!
poll 5 px_started || fail "pxinit --user did not start"
poll 10 in_ns test -S "$X/pxinit/control" || fail "no control socket in \$XDG_RUNTIME_DIR/pxinit"
pass "pxinit --user runs with its socket in \$XDG_RUNTIME_DIR/pxinit"

up() { [ "$(usc is-active "$1" 2>/dev/null)" = active ]; }
that "systemctl --user is-active: a unit of ~/.config/pxinit/units" poll 10 up hello
that "systemctl --user is-active: a unit enabled in ~/.config/systemd/user" poll 10 up greet
run usc show -p MainPID --value hello
pid=$OUT
owner() { in_ns awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
[ "$RC" = 0 ] && [ -n "$pid" ] && [ "$pid" != 0 ] && [ "$(owner)" = "$U" ] &&
    good "systemctl --user show MainPID: the user's process" || bad "show MainPID: rc $RC '$OUT' $ERR"
out_has "systemctl --user status" 0 '^● hello\.service' usc status hello
run as_user "$T/bin/systemctl" is-active hello
[ "$OUT" != active ] && good "systemctl without --user does not reach the user daemon ($RC)" ||
    bad "systemctl without --user said active"
out_is "journalctl --user -u" 0 "hello out" as_user "$T/bin/journalctl" --user --no-pager -u hello -o cat

# Offline enable in the user's tree, then daemon-reload starts it.
cat >"$H/.config/systemd/user/later.service" <<'EOF'
[Service]
ExecStart=/bin/sleep 1002
[Install]
WantedBy=default.target
EOF
chown "$U:$U" "$H/.config/systemd/user/later.service"
rc_is "systemctl --user enable" 0 usc enable later.service
that "the link is in ~/.config/systemd/user/default.target.wants" \
    test "$(readlink -f "$H/.config/systemd/user/default.target.wants/later.service")" = "$H/.config/systemd/user/later.service"
out_is "systemctl --user is-enabled" 0 enabled usc is-enabled later.service
rc_is "systemctl --user daemon-reload" 0 usc daemon-reload
that "daemon-reload started the newly enabled unit" poll 10 up later
rc_is "systemctl --user stop" 0 usc stop hello
out_is "stopped" 3 inactive usc is-active hello

px_signal TERM
px_wait 10
checks_done
