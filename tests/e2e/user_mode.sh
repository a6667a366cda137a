#!/bin/bash
# pxinit --user (SPEC "One binary, two roles"), run by a user who is not
# root (uid 4242) as PID 1 of a test namespace with its own /tmp and /run:
# units from $XDG_CONFIG_HOME/pxinit/units (~/.config/pxinit/units), the
# runtime directory $XDG_RUNTIME_DIR/pxinit or /tmp/pxinit-UID made 0700,
# `pxinit --user VERB` reaching it; a /tmp/pxinit-UID that another user
# planted (their directory, a loose mode, a symlink) refused with one warning
# while the daemon runs on; --systemd reading
# ~/.config/systemd/user/default.target.wants/; a non-root pxinit without
# --user keeping the system paths.
. "${srcdir:-.}/tests/e2e/lib.sh"

U=4242
OTHER=4343
chmod 755 "$T" # the user walks through it to their home
mkdir -p "$T/bin" && cp "$PXINIT" "$T/bin/pxinit" && chmod 755 "$T/bin" "$T/bin/pxinit" ||
    fail "cannot copy pxinit"
PX="$T/bin/pxinit"
H="$T/home"
mkdir -p "$H/.config/pxinit/units"
cat >"$H/.config/pxinit/units/hello.service" <<EOF
[Service]
ExecStart=/bin/sh -c 'id -u >$H/hello.uid; exec sleep 1000'
EOF
# A Persistent= timer keeps its stamp in the state directory.
cat >"$H/.config/pxinit/units/tick.timer" <<EOF
[Timer]
OnCalendar=2099-01-01
Persistent=true
EOF
cat >"$H/.config/pxinit/units/tick.service" <<EOF
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
chown -R "$U:$U" "$H"

# The user's environment: HOME, and what the test adds (XDG_*=...).
USER_ENV=
as_user() {
    # shellcheck disable=SC2086
    setpriv --reuid="$U" --regid="$U" --clear-groups \
        env -i HOME="$H" PATH=/usr/sbin:/usr/bin:/sbin:/bin $USER_ENV "$@"
}

# user_start ARGS...: pxinit ARGS as the user, PID 1 of a namespace whose
# /tmp and /run are fresh tmpfs ($T stays reachable through a bind mount),
# and whose systemd user unit directories are empty. PX_SETUP runs as root
# first, to plant things in /tmp.
user_start() {
    local prelude='cd "$T" && mount -t tmpfs -o mode=1777 pxinit-test /tmp && mkdir -p "$T" &&
        mount --no-canonicalize --bind /proc/self/cwd "$T" && mount -t tmpfs -o mode=755 pxinit-test /run && cd / || exit 1
        for d in /etc/systemd/user /usr/lib/systemd/user; do
            [ ! -d "$d" ] || mount -t tmpfs pxinit-test "$d" || exit 1
        done
        [ -z "$PX_SETUP" ] || sh "$PX_SETUP" || exit 1
        exec setpriv --reuid="$U" --regid="$U" --clear-groups \
            env -i HOME="$H" PATH=/usr/sbin:/usr/bin:/sbin:/bin $USER_ENV "$@"'
    rm -f "$H/hello.uid"
    T="$T" U="$U" H="$H" USER_ENV="$USER_ENV" PX_SETUP="${PX_SETUP:-}" \
        unshare --pid --fork --mount-proc sh -c "$prelude" sh "$PX" "$@" \
        >"$T/out" 2>"$T/log" </dev/null &
    PX_PID=$!
    poll 5 px_started || fail "pxinit did not start"
}

hello_ran() { [ "$(cat "$H/hello.uid" 2>/dev/null)" = "$U" ]; }
user_status() { in_ns setpriv --reuid="$U" --regid="$U" --clear-groups \
    env -i HOME="$H" $USER_ENV "$PX" --user status "$@"; }
stop_daemon() {
    px_signal TERM
    px_wait 10
}

# 1. The defaults: ~/.config/pxinit/units, /tmp/pxinit-4242.
user_start --user
poll 5 hello_ran || fail "the unit in ~/.config/pxinit/units did not run as $U"
pass "--user: units from ~/.config/pxinit/units run, as the user"
[ "$(in_ns stat -c '%a %u %F' /tmp/pxinit-$U)" = "700 $U directory" ] ||
    fail "runtime dir: $(in_ns stat -c '%a %u %F' /tmp/pxinit-$U)"
pass "--user: /tmp/pxinit-$U made, 0700, the user's"
poll 5 test -e "$H/.local/state/pxinit/timers/stamp-tick.timer" ||
    fail "no timer stamp under ~/.local/state/pxinit: $(find "$H" -name 'stamp-*')"
[ "$(stat -c %u "$H/.local/state/pxinit/timers/stamp-tick.timer")" = "$U" ] || fail "stamp not the user's"
pass "--user: state directory ~/.local/state/pxinit"
poll 5 in_ns test -S /tmp/pxinit-$U/control || fail "no control socket in /tmp/pxinit-$U"
out=$(user_status hello 2>&1) || fail "pxinit --user status hello: $out"
case "$out" in *hello*active*) ;; *) fail "pxinit --user status hello said: $out" ;; esac
out=$(in_ns setpriv --reuid="$U" --regid="$U" --clear-groups env -i HOME="$H" \
    "$PX" status --user hello 2>&1) || fail "pxinit status --user hello: $out"
pass "pxinit --user status (before or after the verb) reaches the user daemon"
# Without --user the client looks for the system daemon, not the user's.
in_ns setpriv --reuid="$U" --regid="$U" --clear-groups env -i HOME="$H" \
    "$PX" status hello >/dev/null 2>&1 && fail "pxinit status without --user reached the user daemon"
pass "pxinit status without --user does not reach the user daemon"
log_has "refused|cannot create runtime|cannot lock" && fail "a warning about the runtime directory"
stop_daemon

# 2. A /tmp/pxinit-4242 planted first: refused with one warning, the daemon
# runs on (units too) without control socket and board, and never writes
# into it; a client refuses it too.
planted() {
    echo "$1" >"$T/setup.sh"
    PX_SETUP="$T/setup.sh" user_start --user
    poll 5 hello_ran || fail "$2: the unit did not run"
    poll 5 log_has "runtime directory /tmp/pxinit-$U refused: $3" ||
        fail "$2: no warning naming the runtime directory"
    [ "$(grep -cE 'runtime directory|control socket' "$T/log")" = 1 ] || fail "$2: more than one warning"
    in_ns sh -c "find /tmp/pxinit-$U/ /tmp/elsewhere/ -mindepth 1 2>/dev/null" | grep -q . &&
        fail "$2: pxinit wrote into it: $(in_ns ls -la /tmp/pxinit-$U/)"
    out=$(user_status hello 2>&1) && fail "$2: a client used it: $out"
    case "$out" in *refused*) ;; *) fail "$2: the client said: $out" ;; esac
    pass "a /tmp/pxinit-$U $2: refused with one warning, the daemon runs on, clients refuse it"
    stop_daemon
}
planted "mkdir -m 700 /tmp/pxinit-$U && chown $OTHER:$OTHER /tmp/pxinit-$U" \
    "of another user" "another user owns it"
planted "mkdir -m 755 /tmp/pxinit-$U && chown $U:$U /tmp/pxinit-$U" \
    "with mode 0755" "its mode is not 0700"
planted "mkdir -m 700 /tmp/elsewhere && chown $U:$U /tmp/elsewhere && ln -s /tmp/elsewhere /tmp/pxinit-$U" \
    "that is a symlink" "it is a symlink"

# 3. $XDG_RUNTIME_DIR/pxinit and $XDG_CONFIG_HOME, with --systemd: the
# user units enabled in $XDG_CONFIG_HOME/systemd/user/default.target.wants/.
X="$H/xdg-run"
C="$H/xdg-config"
mkdir -p "$X" "$C/pxinit/units" "$C/systemd/user/default.target.wants"
chmod 700 "$X"
cat >"$C/pxinit/units/cfg.service" <<EOF
[Service]
ExecStart=/bin/sh -c 'touch $H/cfg.ran; exec sleep 1000'
EOF
cat >"$C/systemd/user/sd.service" <<EOF
[Service]
ExecStart=/bin/sh -c 'touch $H/sd.ran; exec sleep 1000'
[Install]
WantedBy=default.target
EOF
cat >"$C/systemd/user/off.service" <<EOF
[Service]
ExecStart=/bin/sh -c 'touch $H/off.ran; exec sleep 1000'
EOF
ln -s ../sd.service "$C/systemd/user/default.target.wants/sd.service"
chown -R "$U:$U" "$H"
USER_ENV="XDG_RUNTIME_DIR=$X XDG_CONFIG_HOME=$C"
user_start --user --systemd
poll 5 test -e "$H/cfg.ran" || fail "the unit in \$XDG_CONFIG_HOME/pxinit/units did not run"
[ -e "$H/hello.uid" ] && fail "~/.config/pxinit/units was read although XDG_CONFIG_HOME is set"
pass "--user: units from \$XDG_CONFIG_HOME/pxinit/units"
poll 5 test -e "$H/sd.ran" || fail "--systemd: the enabled user unit did not run"
[ -e "$H/off.ran" ] && fail "--systemd: a user unit not enabled ran"
pass "--user --systemd: units enabled in \$XDG_CONFIG_HOME/systemd/user/default.target.wants run"
[ "$(stat -c '%a %u' "$X/pxinit")" = "700 $U" ] || fail "\$XDG_RUNTIME_DIR/pxinit: $(stat -c '%a %u' "$X/pxinit")"
in_ns test -e /tmp/pxinit-$U && fail "/tmp/pxinit-$U made although XDG_RUNTIME_DIR is set"
out=$(user_status sd 2>&1) || fail "pxinit --user status sd: $out"
pass "--user: runtime dir \$XDG_RUNTIME_DIR/pxinit, 0700, reached by pxinit --user"
in_ns test -e /run/systemd/system && fail "--user --systemd made /run/systemd/system"
pass "--user --systemd leaves /run/systemd/system alone"
stop_daemon

# 4. -R still wins in user mode.
USER_ENV="XDG_RUNTIME_DIR=$X XDG_CONFIG_HOME=$C"
rm -rf "${X:?}/pxinit"
user_start --user -R "$H/own-run"
poll 5 test -S "$H/own-run/control" || fail "--user -R DIR: no control socket in DIR"
[ -e "$X/pxinit" ] && fail "--user -R DIR: \$XDG_RUNTIME_DIR/pxinit made too"
out=$(in_ns setpriv --reuid="$U" --regid="$U" --clear-groups env -i HOME="$H" \
    "$PX" --user -R "$H/own-run" status cfg 2>&1) || fail "pxinit --user -R DIR status: $out"
pass "--user -R DIR: DIR is the runtime directory, for daemon and client"
stop_daemon

# 5. Not root and no --user: the system's paths, exactly as for root.
USER_ENV="XDG_RUNTIME_DIR=$X XDG_CONFIG_HOME=$C"
rm -rf "${X:?}/pxinit" "$H/cfg.ran"
user_start -v
poll 5 log_has "/run/pxinit" || fail "a non-root pxinit without --user did not use /run/pxinit"
log_has "/etc/pxinit/units|loaded 0 units" || fail "a non-root pxinit without --user: units from where?"
[ -e "$X/pxinit" ] && fail "a non-root pxinit without --user made \$XDG_RUNTIME_DIR/pxinit"
in_ns test -e /tmp/pxinit-$U && fail "a non-root pxinit without --user made /tmp/pxinit-$U"
[ -e "$H/cfg.ran" ] && fail "a non-root pxinit without --user ran the user's units"
pass "a non-root pxinit without --user keeps the system paths"
stop_daemon
