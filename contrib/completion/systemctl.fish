# systemctl.fish - fish completion for systemctl when systemctl is a link
# to pxinit; otherwise fish's own completion for systemctl is loaded.
source (dirname (status filename))/pxinit.fish
if not __pxinit_target systemctl >/dev/null
    test -f $__fish_data_dir/completions/systemctl.fish
    and source $__fish_data_dir/completions/systemctl.fish
else
    set -l verbs start stop restart try-restart reload reload-or-restart try-reload-or-restart kill \
        is-active is-failed is-enabled is-system-running status show cat list-units list-unit-files \
        list-timers list-sockets enable disable mask unmask reset-failed daemon-reload poweroff halt reboot
    complete -c systemctl -f
    complete -c systemctl -n __pxinit_no_verb -a "$verbs"
    complete -c systemctl -n '__pxinit_verb_in start' -a '(__pxinit_units systemctl startable .service)'
    complete -c systemctl -n '__pxinit_verb_in stop kill' -a '(__pxinit_units systemctl stoppable .service)'
    complete -c systemctl -n '__pxinit_verb_in restart try-restart reload reload-or-restart try-reload-or-restart is-active is-failed status show reset-failed' \
        -a '(__pxinit_units systemctl all .service)'
    complete -c systemctl -n '__pxinit_verb_in enable disable mask unmask is-enabled cat' -a '(__pxinit_unit_files)'
    complete -c systemctl -s q -l quiet -d 'no output'
    complete -c systemctl -l no-block -d 'do not wait'
    complete -c systemctl -l no-pager -d 'no pager'
    complete -c systemctl -l no-legend -d 'no header and footer'
    complete -c systemctl -l plain -d 'a list, not a tree'
    complete -c systemctl -s l -l full -d 'do not shorten'
    complete -c systemctl -l now -d 'also start or stop'
    complete -c systemctl -s a -l all -d 'all units and properties'
    complete -c systemctl -s t -l type -x -a 'service socket timer target help' -d 'unit type'
    complete -c systemctl -l state -x -a 'active inactive failed activating deactivating running dead exited waiting listening enabled disabled static masked' -d 'unit state'
    complete -c systemctl -s p -l property -x -a 'Id Names Description LoadState ActiveState SubState FragmentPath UnitFileState MainPID Result NRestarts ExecMainStatus ExecMainPID ExecStart ActiveEnterTimestamp StateChangeTimestamp Type Restart User Group' -d property
    complete -c systemctl -l value -d 'values only'
    complete -c systemctl -s s -l signal -x -a 'TERM KILL HUP INT QUIT USR1 USR2 STOP CONT' -d signal
    complete -c systemctl -l user -d 'the user daemon'
    complete -c systemctl -l system -d 'the system daemon'
end
