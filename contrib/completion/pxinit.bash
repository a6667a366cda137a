# pxinit.bash - bash completion for pxinit, and for systemctl and
# journalctl when those names are links to pxinit.
#
# Unit names come from the running daemon's status board: `pxinit list`
# reads it without a round trip to the daemon, so a <TAB> costs one short
# process. The options that choose the daemon (-R DIR, --user, --system) are
# passed on from the command line being completed.
#
# It needs no bash-completion functions: sourcing this file is enough.
# Installed as pxinit.bash, systemctl.bash and journalctl.bash (the last two
# source this one). When systemctl is not pxinit (an image with systemd), the
# systemctl and journalctl parts step aside for the completion installed for
# them, if any.

# __pxinit_target NAME: prints the file NAME resolves to on PATH, when it
# is pxinit (a link named systemctl or journalctl, or pxinit itself).
__pxinit_target() {
    local p
    p=$(type -P "$1" 2>/dev/null) || return 1
    p=$(readlink -f "$p" 2>/dev/null) || return 1
    [[ ${p##*/} == pxinit* ]] || return 1
    printf '%s\n' "$p"
}

# __pxinit_list CMD OPTIONS...: `pxinit OPTIONS list` through the binary
# CMD resolves to (under the name pxinit, whatever the link's name). Only
# the names and states, never an error.
__pxinit_list() {
    local bin
    bin=$(__pxinit_target "$1") || bin=$(__pxinit_target pxinit) || return 0
    shift
    (exec -a pxinit "$bin" "$@" list 2>/dev/null </dev/null) | awk '{print $1, $2}'
}

# __pxinit_units CMD FILTER SUFFIX OPTIONS...: unit names, one a line.
# FILTER: all, startable (not active) or stoppable (not inactive nor
# failed). SUFFIX: what a name without a type gets (.service for systemctl).
__pxinit_units() {
    local cmd=$1 filter=$2 suffix=$3
    shift 3
    __pxinit_list "$cmd" "$@" | awk -v f="$filter" -v s="$suffix" '
        f == "startable" && $2 == "active" {next}
        f == "stoppable" && ($2 == "inactive" || $2 == "failed") {next}
        {print (index($1, ".") ? $1 : $1 s)}'
}

# __pxinit_unit_files USER: names of the unit files in the directories the
# offline verbs look in (PXINIT_UNITS, pxinit's, systemd's).
__pxinit_unit_files() {
    local dirs d f
    if [[ -n ${PXINIT_UNITS-} ]]; then
        dirs=${PXINIT_UNITS//:/ }
    elif [[ $1 == 1 ]]; then
        dirs="${XDG_CONFIG_HOME:-$HOME/.config}/pxinit/units ${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
        dirs+=" /etc/systemd/user /usr/lib/systemd/user"
    else
        dirs="/etc/pxinit/units /etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system"
    fi
    for d in $dirs; do
        for f in "$d"/*.service "$d"/*.socket "$d"/*.timer "$d"/*.target; do
            [[ -e $f || -L $f ]] && printf '%s\n' "${f##*/}"
        done
    done | sort -u
}

# __pxinit_words: COMP_WORDS with `--opt` `=` `value` joined back into one
# word (bash splits at COMP_WORDBREAKS' `=`): sets __pw, and __pc (the index
# of the word under the cursor in __pw).
__pxinit_words() {
    local i w joined=0
    __pw=()
    __pc=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        if ((${#__pw[@]} > 0)) && [[ $w == = && ${__pw[-1]} == --* && ${__pw[-1]} != *=* ]]; then
            __pw[-1]+="="
            joined=1
        elif ((joined)) && [[ ${__pw[-1]} == *= ]] && ((i <= COMP_CWORD)); then
            __pw[-1]+=$w
            joined=0
        else
            __pw+=("$w")
            joined=0
        fi
        ((i == COMP_CWORD)) && __pc=$((${#__pw[@]} - 1))
    done
    ((COMP_CWORD < ${#COMP_WORDS[@]})) || __pw+=("")
    ((COMP_CWORD < ${#COMP_WORDS[@]})) || __pc=$((${#__pw[@]} - 1))
}

# __pxinit_reply CUR WORD...: COMPREPLY = the WORDs that start with CUR.
__pxinit_reply() {
    local cur=$1 w
    shift
    COMPREPLY=()
    for w in "$@"; do
        [[ $w == "$cur"* ]] && COMPREPLY+=("$w")
    done
}

# __pxinit_reply_value OPT=VALUE WORD...: a value after `--opt=`: bare when
# bash split the word at `=` (it replaces only the part after it).
__pxinit_reply_value() {
    local cur=$1 opt=${1%%=*}= i
    shift
    __pxinit_reply "${cur#*=}" "$@"
    if [[ $COMP_WORDBREAKS != *=* ]]; then
        for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$opt${COMPREPLY[i]}; done
    fi
}

__pxinit_signals="TERM KILL HUP INT QUIT USR1 USR2 STOP CONT ABRT ALRM WINCH PIPE"

_pxinit() {
    local __pw __pc cur prev i w verb="" ctx=() daemon_opts client_opts
    __pxinit_words
    cur=${__pw[__pc]}
    prev=${__pw[__pc - 1]-}
    for ((i = 1; i < __pc; i++)); do
        w=${__pw[i]}
        case $w in
        --) verb=--; break ;;
        -R | --runtime-dir) ctx+=(-R "${__pw[i + 1]-}") && ((i++)) ;;
        -R?* | --runtime-dir=* | --user | --system) ctx+=("$w") ;;
        -u | --units | -c | --config | --state-dir | -r | --rewrite | -e | --remap-exit | --grace | \
            --log-prefix | --timeout | -s | --signal | -n | --lines | --iterations | --base-time) ((i++)) ;;
        -*) ;;
        *) [[ -z $verb ]] && verb=$w ;;
        esac
    done

    # The main command after `--`: any command, then its files.
    if [[ $verb == -- ]]; then
        if ((i + 1 == __pc)); then
            mapfile -t COMPREPLY < <(compgen -c -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi
    # An option's value.
    case $prev in
    -R | --runtime-dir | -u | --units | --state-dir)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0
        ;;
    -c | --config)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
        ;;
    -s | --signal | -r | --rewrite)
        # shellcheck disable=SC2086 # one word per signal
        __pxinit_reply "$cur" $__pxinit_signals
        return 0
        ;;
    --log-prefix)
        __pxinit_reply "$cur" name name+timestamp none
        return 0
        ;;
    -n | --lines | --timeout | --iterations | --base-time | -e | --remap-exit | --grace) return 0 ;;
    esac
    case $cur in
    --runtime-dir=* | --units=* | --state-dir=*)
        mapfile -t COMPREPLY < <(compgen -d -- "${cur#*=}")
        return 0
        ;;
    esac

    client_opts="-R --runtime-dir --user --system"
    daemon_opts="-u --units -c --config -R --runtime-dir --state-dir -r --rewrite --single-child
        -e --remap-exit --grace --no-units --systemd --user --log-prefix -v --verbose -q --quiet
        -h --help -V --version --"
    if [[ -z $verb ]]; then
        if [[ $cur == -* ]]; then
            # shellcheck disable=SC2086
            __pxinit_reply "$cur" $daemon_opts
        else
            __pxinit_reply "$cur" start stop restart reload kill status list logs daemon-reload \
                shutdown check calendar list-timers list-sockets reset-failed
        fi
        return 0
    fi

    local opts="" units=""
    case $verb in
    start) opts="--no-block --timeout" units=startable ;;
    stop) opts="--no-block --timeout" units=stoppable ;;
    restart | reload) opts="--no-block --timeout" units=all ;;
    kill) opts="-s --signal" units=stoppable ;;
    status) opts="--json -q --quiet" units=all ;;
    logs) opts="-n --lines -f --follow" units=all ;;
    reset-failed) units=all ;;
    list) opts="--json" ;;
    list-timers | list-sockets) opts="--json -a --all" ;;
    daemon-reload | shutdown) opts="--no-block --timeout" ;;
    calendar) opts="--iterations --base-time" ;;
    check)
        if [[ $cur != -* ]]; then
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return 0
        fi
        ;;
    *) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        # shellcheck disable=SC2086
        __pxinit_reply "$cur" $opts $client_opts
    elif [[ -n $units ]]; then
        mapfile -t COMPREPLY < <(__pxinit_units "${__pw[0]}" "$units" "" "${ctx[@]}")
        __pxinit_reply "$cur" "${COMPREPLY[@]}"
    fi
    return 0
}

# systemd's property names (systemctl show -p), those pxinit's show prints.
__pxinit_props="Id Names Description LoadState ActiveState SubState FragmentPath DropInPaths
    UnitFileState UnitFilePreset StateChangeTimestamp ActiveEnterTimestamp ActiveExitTimestamp
    InactiveEnterTimestamp InactiveExitTimestamp CanStart CanStop CanReload ConditionResult
    Requires Wants Before After TriggeredBy Triggers Type Restart NotifyAccess RestartUSec
    TimeoutStartUSec TimeoutStopUSec WatchdogUSec MainPID ControlPID StatusText Result NRestarts
    ExecMainStartTimestamp ExecMainExitTimestamp ExecMainPID ExecMainCode ExecMainStatus ExecStart
    User Group WorkingDirectory KillMode KillSignal NextElapseUSecRealtime LastTriggerUSec Unit
    Listen NAccepted NConnections Version SystemState UnitPath NNames NFailedUnits NJobs"

_pxinit_systemctl() {
    local __pw __pc cur prev i w verb="" user=0 ctx=()
    __pxinit_words
    cur=${__pw[__pc]}
    prev=${__pw[__pc - 1]-}
    for ((i = 1; i < __pc; i++)); do
        w=${__pw[i]}
        case $w in
        --user) user=1 ctx+=(--user) ;;
        --system) user=0 ctx+=(--system) ;;
        -t | --type | --state | -p | --property | -s | --signal) ((i++)) ;;
        -*) ;;
        *) [[ -z $verb ]] && verb=$w ;;
        esac
    done
    case $prev in
    -t | --type)
        __pxinit_reply "$cur" service socket timer target help
        return 0
        ;;
    --state)
        __pxinit_reply "$cur" active inactive failed activating deactivating running dead exited \
            waiting listening auto-restart enabled disabled static masked alias
        return 0
        ;;
    -p | --property)
        # shellcheck disable=SC2086
        __pxinit_reply "$cur" $__pxinit_props
        return 0
        ;;
    -s | --signal)
        local s
        # shellcheck disable=SC2086,SC2046 # one word per signal
        __pxinit_reply "$cur" $__pxinit_signals $(for s in $__pxinit_signals; do echo "SIG$s"; done)
        return 0
        ;;
    esac
    case $cur in
    --type=*)
        __pxinit_reply_value "$cur" service socket timer target
        return 0
        ;;
    --state=*)
        __pxinit_reply_value "$cur" active inactive failed activating deactivating running dead exited \
            waiting listening enabled disabled static masked
        return 0
        ;;
    --property=*)
        # shellcheck disable=SC2086
        __pxinit_reply_value "$cur" $__pxinit_props
        return 0
        ;;
    --signal=*)
        # shellcheck disable=SC2086
        __pxinit_reply_value "$cur" $__pxinit_signals
        return 0
        ;;
    -*)
        __pxinit_reply "$cur" --quiet -q --no-block --no-pager --no-legend --plain --full -l --now \
            --all -a --type= -t --state= --property= -p --value --signal= -s --user --system
        [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
        return 0
        ;;
    esac

    if [[ -z $verb ]]; then
        __pxinit_reply "$cur" start stop restart try-restart reload reload-or-restart \
            try-reload-or-restart kill is-active is-failed is-enabled is-system-running status show \
            cat list-units list-unit-files list-timers list-sockets enable disable mask unmask \
            reset-failed daemon-reload poweroff halt reboot
        return 0
    fi
    local units=
    case $verb in
    start) units=startable ;;
    stop | kill) units=stoppable ;;
    restart | try-restart | reload | reload-or-restart | try-reload-or-restart | is-active | \
        is-failed | status | show | reset-failed) units=all ;;
    enable | disable | reenable | mask | unmask | is-enabled | cat)
        mapfile -t COMPREPLY < <(__pxinit_unit_files "$user")
        __pxinit_reply "$cur" "${COMPREPLY[@]}"
        return 0
        ;;
    *) return 0 ;;
    esac
    mapfile -t COMPREPLY < <(__pxinit_units "${__pw[0]}" "$units" .service "${ctx[@]}")
    __pxinit_reply "$cur" "${COMPREPLY[@]}"
    return 0
}

_pxinit_journalctl() {
    local __pw __pc cur prev i w ctx=()
    __pxinit_words
    cur=${__pw[__pc]}
    prev=${__pw[__pc - 1]-}
    for ((i = 1; i < __pc; i++)); do
        case ${__pw[i]} in
        --user | --system) ctx+=("${__pw[i]}") ;;
        esac
    done
    case $prev in
    -u | --unit)
        mapfile -t COMPREPLY < <(__pxinit_units "${__pw[0]}" all .service "${ctx[@]}")
        __pxinit_reply "$cur" "${COMPREPLY[@]}"
        return 0
        ;;
    -o | --output)
        __pxinit_reply "$cur" short short-iso cat json
        return 0
        ;;
    -S | --since | -U | --until)
        __pxinit_reply "$cur" today yesterday now -1h -10min
        return 0
        ;;
    -n | --lines) return 0 ;;
    esac
    case $cur in
    --unit=*)
        mapfile -t COMPREPLY < <(__pxinit_units "${__pw[0]}" all .service "${ctx[@]}")
        __pxinit_reply_value "$cur" "${COMPREPLY[@]}"
        return 0
        ;;
    --output=*)
        __pxinit_reply_value "$cur" short short-iso cat json
        return 0
        ;;
    esac
    __pxinit_reply "$cur" -u --unit -f --follow -n --lines -o --output -S --since -U --until -b --boot \
        -q --quiet -e --pager-end --no-pager --user --system
    return 0
}

complete -F _pxinit pxinit

# __pxinit_step_aside NAME: when NAME is not pxinit, loads the completion
# installed for it elsewhere (systemd's own), if any, and fails.
__pxinit_step_aside() {
    __pxinit_target "$1" >/dev/null && return 1
    local d f self dirs
    self=$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null)
    IFS=: read -ra dirs <<<"${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
    for d in "${BASH_COMPLETION_USER_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion}/completions" \
        "${dirs[@]}"; do
        [[ $d == */completions ]] || d=$d/bash-completion/completions
        for f in "$d/$1" "$d/$1.bash" "$d/_$1"; do
            [[ -f $f && $(readlink -f "$f") != "$self" && $(readlink -f "$f") != "${self%/*}/$1.bash" ]] || continue
            # shellcheck disable=SC1090
            . "$f" && return 0
        done
    done
    return 0
}
__pxinit_step_aside systemctl || complete -F _pxinit_systemctl systemctl
__pxinit_step_aside journalctl || complete -F _pxinit_journalctl journalctl
