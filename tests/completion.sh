#!/bin/bash
# completion.sh - the shell completions (contrib/completion) against a
# running daemon with two units: verbs, and unit names from its status
# board, for pxinit, and for systemctl and journalctl as links to pxinit.
# bash always; zsh and fish when they are installed (otherwise those parts
# are skipped, saying so).
. "${srcdir:?}/tests/e2e/lib.sh"
C=$srcdir/contrib/completion

# web runs; worker ran once and is inactive.
unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
unit worker <<EOF
[Service]
Type=oneshot
ExecStart=/bin/true
EOF
px_start
board_ready() {
    "$PXINIT" -R "$RUN" list 2>/dev/null | grep -q '^web  *active' &&
        "$PXINIT" -R "$RUN" list 2>/dev/null | grep -q '^worker  *inactive'
}
poll 5 board_ready || fail "web and worker not on the board: $("$PXINIT" -R "$RUN" list 2>&1)"

# The three names on PATH, links to the built binary.
mkdir -p "$T/bin"
for n in pxinit systemctl journalctl; do ln -s "$PXINIT" "$T/bin/$n"; done
export PATH="$T/bin:$PATH"
export PXINIT_RUNTIME_DIR=$RUN

# --- bash
# comp FUNC LINE: COMPREPLY of FUNC for LINE (the cursor at its end),
# sorted, one line.
comp() {
    local func=$1 line=$2
    COMP_LINE=$line
    COMP_POINT=${#line}
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    "$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
# expect FUNC LINE WANT
expect() {
    local got
    got=$(comp "$1" "$2")
    [ "$got" = "$3" ] || fail "bash: '$2<TAB>' gave '$got', wanted '$3'"
    pass "bash: '$2<TAB>' -> $3"
}

# shellcheck disable=SC1091
. "$C/pxinit.bash"
complete -p pxinit | grep -q _pxinit || fail "bash: no completion for pxinit"
complete -p systemctl | grep -q _pxinit_systemctl || fail "bash: systemctl (a link to pxinit) not taken"
complete -p journalctl | grep -q _pxinit_journalctl || fail "bash: journalctl (a link to pxinit) not taken"
expect _pxinit "pxinit sta" "start status"
expect _pxinit "pxinit status w" "web worker"
expect _pxinit "pxinit start w" "worker"
expect _pxinit "pxinit stop w" "web"
expect _pxinit "pxinit logs " "web worker"
expect _pxinit "pxinit --sys" "--systemd"
expect _pxinit_systemctl "systemctl restart w" "web.service worker.service"
expect _pxinit_systemctl "systemctl is-a" "is-active"
expect _pxinit_systemctl "systemctl show -p ActiveS" "ActiveState"
expect _pxinit_systemctl "systemctl --type " "help service socket target timer"
expect _pxinit_journalctl "journalctl -u w" "web.service worker.service"
# The unit-file verbs list the files where they look (PXINIT_UNITS).
PXINIT_UNITS=$UNITS expect _pxinit_systemctl "systemctl enable w" "web.service worker.service"
expect _pxinit_journalctl "journalctl -o short-" "short-iso"
# -R on the command line chooses the daemon; without it the default (none
# here) has no units.
(
    unset PXINIT_RUNTIME_DIR
    expect _pxinit "pxinit -R $RUN status w" "web worker"
    expect _pxinit "pxinit -R /nonexistent status w" ""
) || exit 1
# A systemctl that is not pxinit: its completion steps aside.
(
    mkdir -p "$T/other" && printf '#!/bin/sh\n' >"$T/other/systemctl" && chmod 755 "$T/other/systemctl"
    PATH="$T/other:$PATH"
    complete -r systemctl
    . "$C/systemctl.bash"
    ! complete -p systemctl 2>/dev/null | grep -q _pxinit || fail "bash: took systemctl, which is not pxinit"
    pass "bash: steps aside for a systemctl that is not pxinit"
) || exit 1

# --- --user: a user-mode daemon beside the system one; --user on the line
# being completed chooses it (a build without --user skips this part).
XDG_RUNTIME_DIR=$T/none "$PXINIT" --user list >/dev/null 2>&1
if [ $? = 2 ]; then
    echo "skip: this build has no --user (the --user completions are not checked)"
else
    mkdir -m 0700 "$T/xdg" && mkdir -p "$T/cfg/pxinit/units" || fail "cannot make the user dirs"
    printf '[Service]\nExecStart=/bin/sleep 1000\n' >"$T/cfg/pxinit/units/wuser.service"
    export XDG_RUNTIME_DIR=$T/xdg XDG_CONFIG_HOME=$T/cfg XDG_STATE_HOME=$T/state
    unshare --pid --fork --mount-proc "$PXINIT" --user >"$T/user.log" 2>&1 </dev/null &
    USER_NS=$!
    stop_user() { pkill -KILL -P "$USER_NS" 2>/dev/null; wait "$USER_NS" 2>/dev/null; }
    trap 'stop_user; cleanup' EXIT
    user_ready() { "$PXINIT" --user list 2>/dev/null | grep -q '^wuser  *active'; }
    poll 5 user_ready || fail "the user daemon has no wuser: $(cat "$T/user.log")"
    expect _pxinit "pxinit --user status w" "wuser"
    expect _pxinit "pxinit status w" "web worker"
    expect _pxinit_systemctl "systemctl --user restart w" "wuser.service"
    expect _pxinit_journalctl "journalctl --user -u w" "wuser.service"
    stop_user
    unset XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_STATE_HOME
fi

# --- fish: `complete -C` lists the candidates without a terminal.
if command -v fish >/dev/null; then
    fcomp() {
        timeout 20 fish --no-config -c "set -p fish_complete_path $C; complete -C '$1'" 2>&1 | cut -f1 | sort | tr '\n' ' ' |
            sed 's/ $//'
    }
    fexpect() {
        local got
        got=$(fcomp "$1")
        [ "$got" = "$2" ] || fail "fish: '$1<TAB>' gave '$got', wanted '$2'"
        pass "fish: '$1<TAB>' -> $2"
    }
    fexpect "pxinit sta" "start status"
    fexpect "pxinit status w" "web worker"
    fexpect "systemctl restart w" "web.service worker.service"
    fexpect "journalctl -u w" "web.service worker.service"
    PXINIT_UNITS=$UNITS fexpect "systemctl enable w" "web.service worker.service"
else
    echo "skip: fish is not installed (the fish completions are not checked)"
fi

# --- zsh: a pseudo-terminal runs an interactive zsh; a completion widget
# prints the matches instead of inserting them.
if command -v zsh >/dev/null; then
    zcomp() {
        ZC_DIR=$C ZC_LINE=$1 timeout 20 zsh -f "$srcdir/tests/completion_zsh.zsh" 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'
    }
    zexpect() {
        local got
        got=$(zcomp "$1")
        [ "$got" = "$2" ] || fail "zsh: '$1<TAB>' gave '$got', wanted '$2'"
        pass "zsh: '$1<TAB>' -> $2"
    }
    zexpect "pxinit sta" "start status"
    zexpect "pxinit status w" "web worker"
    zexpect "systemctl restart w" "web.service worker.service"
    zexpect "journalctl -u w" "web.service worker.service"
    PXINIT_UNITS=$UNITS zexpect "systemctl enable w" "web.service worker.service"
else
    echo "skip: zsh is not installed (the zsh completion is not checked)"
fi
