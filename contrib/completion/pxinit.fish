# pxinit.fish - fish completion for pxinit. Unit names come from the
# running daemon's status board (`pxinit list`: no round trip to the
# daemon); -R DIR, --user and --system on the command line choose the
# daemon. systemctl.fish and journalctl.fish use the functions here.

# __pxinit_target NAME: the file NAME resolves to on PATH, when it is
# pxinit (pxinit itself, or a link named systemctl or journalctl).
function __pxinit_target --argument-names name
    set -l p (command -s $name); or return 1
    set p (realpath $p 2>/dev/null); or return 1
    string match -q 'pxinit*' (string replace -r '.*/' '' $p); or return 1
    echo $p
end

# __pxinit_ctx: the options of the command line that choose the daemon.
function __pxinit_ctx
    set -l t (commandline -opc)
    set -l i 2
    while test $i -le (count $t)
        switch $t[$i]
            case -R --runtime-dir
                set i (math $i + 1)
                test $i -le (count $t); and printf '%s\n' -R $t[$i]
            case '-R?*' '--runtime-dir=*' --user --system
                echo $t[$i]
        end
        set i (math $i + 1)
    end
end

# __pxinit_units CMD FILTER SUFFIX: unit names on the board. FILTER: all,
# startable (not active), stoppable (not inactive nor failed); SUFFIX:
# what a name without a type gets (.service for systemctl).
function __pxinit_units --argument-names cmd filter suffix
    set -l bin (__pxinit_target $cmd); or set bin (__pxinit_target pxinit); or return 0
    $bin (__pxinit_ctx) list 2>/dev/null </dev/null | while read -l name state rest
        switch $filter
            case startable
                test "$state" = active; and continue
            case stoppable
                contains -- "$state" inactive failed; and continue
        end
        if string match -q '*.*' -- $name
            echo $name
        else
            echo $name$suffix
        end
    end
end

# __pxinit_unit_files: names of the unit files where the offline verbs
# (enable, disable, mask, ...) look: PXINIT_UNITS, pxinit's, systemd's.
function __pxinit_unit_files
    set -l dirs
    if set -q PXINIT_UNITS
        set dirs (string split : -- $PXINIT_UNITS)
    else if contains -- --user (commandline -opc)
        set -l cfg $HOME/.config
        set -q XDG_CONFIG_HOME; and set cfg $XDG_CONFIG_HOME
        set dirs $cfg/pxinit/units $cfg/systemd/user /etc/systemd/user /usr/lib/systemd/user
    else
        set dirs /etc/pxinit/units /etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system
    end
    for d in $dirs
        for f in $d/*.service $d/*.socket $d/*.timer $d/*.target
            string replace -r '.*/' '' -- $f
        end
    end | sort -u
end

# __pxinit_verb: the verb of the command line so far (options and their
# values skipped), or nothing.
function __pxinit_verb
    set -l t (commandline -opc)
    set -l i 2
    while test $i -le (count $t)
        switch $t[$i]
            case -R --runtime-dir -u --units -c --config --state-dir -r --rewrite -e --remap-exit \
                --grace --log-prefix --timeout -s --signal -n --lines --iterations --base-time \
                -t --type --state -p --property -o --output -S --since -U --until
                set i (math $i + 1)
            case '-*'
            case '*'
                echo $t[$i]
                return 0
        end
        set i (math $i + 1)
    end
    return 1
end

function __pxinit_no_verb
    not __pxinit_verb >/dev/null
end

# __pxinit_verb_in VERB...: the verb is one of these.
function __pxinit_verb_in
    set -l v (__pxinit_verb); or return 1
    contains -- $v $argv
end

set -l __pxinit_verbs start stop restart reload kill status list logs daemon-reload shutdown check \
    calendar list-timers list-sockets reset-failed
complete -c pxinit -f
complete -c pxinit -n __pxinit_no_verb -a "$__pxinit_verbs"
complete -c pxinit -n '__pxinit_verb_in start' -a '(__pxinit_units pxinit startable "")'
complete -c pxinit -n '__pxinit_verb_in stop kill' -a '(__pxinit_units pxinit stoppable "")'
complete -c pxinit -n '__pxinit_verb_in restart reload status logs reset-failed' -a '(__pxinit_units pxinit all "")'
complete -c pxinit -n '__pxinit_verb_in check' -F
complete -c pxinit -s R -l runtime-dir -x -a '(__fish_complete_directories)' -d 'runtime directory'
complete -c pxinit -l user -d 'the user daemon'
complete -c pxinit -l system -d 'the system daemon'
complete -c pxinit -n '__pxinit_verb_in start stop restart reload daemon-reload shutdown' -l no-block -d 'do not wait'
complete -c pxinit -n '__pxinit_verb_in start stop restart reload daemon-reload shutdown' -l timeout -x -d 'seconds to wait'
complete -c pxinit -n '__pxinit_verb_in kill' -s s -l signal -x -a 'TERM KILL HUP INT QUIT USR1 USR2 STOP CONT' -d signal
complete -c pxinit -n '__pxinit_verb_in status list list-timers list-sockets' -l json -d 'JSON output'
complete -c pxinit -n '__pxinit_verb_in status' -s q -l quiet -d 'exit code only'
complete -c pxinit -n '__pxinit_verb_in list-timers list-sockets' -s a -l all -d 'inactive ones too'
complete -c pxinit -n '__pxinit_verb_in logs' -s n -l lines -x -d 'last N lines'
complete -c pxinit -n '__pxinit_verb_in logs' -s f -l follow -d 'follow new output'
complete -c pxinit -n '__pxinit_verb_in calendar' -l iterations -x -d 'how many elapses'
complete -c pxinit -n '__pxinit_verb_in calendar' -l base-time -x -d 'from this time'
# The daemon's options, before any verb.
complete -c pxinit -n __pxinit_no_verb -s u -l units -x -a '(__fish_complete_directories)' -d 'unit directory'
complete -c pxinit -n __pxinit_no_verb -s c -l config -r -F -d 'main config file'
complete -c pxinit -n __pxinit_no_verb -l state-dir -x -a '(__fish_complete_directories)' -d 'state directory'
complete -c pxinit -n __pxinit_no_verb -s r -l rewrite -x -d 'rewrite a signal SIG:SIG'
complete -c pxinit -n __pxinit_no_verb -l single-child -d 'signals to the main command only'
complete -c pxinit -n __pxinit_no_verb -s e -l remap-exit -x -d 'exit code taken as 0'
complete -c pxinit -n __pxinit_no_verb -l grace -x -d 'seconds before SIGKILL'
complete -c pxinit -n __pxinit_no_verb -l no-units -d 'load no unit files'
complete -c pxinit -n __pxinit_no_verb -l systemd -d 'also units enabled for systemd'
complete -c pxinit -n __pxinit_no_verb -l log-prefix -x -a 'name name+timestamp none' -d 'output line prefix'
complete -c pxinit -n __pxinit_no_verb -s v -l verbose -d 'debug logging'
complete -c pxinit -n __pxinit_no_verb -s q -l quiet -d 'only warnings and errors'
complete -c pxinit -n __pxinit_no_verb -s h -l help -d help
complete -c pxinit -n __pxinit_no_verb -s V -l version -d version
