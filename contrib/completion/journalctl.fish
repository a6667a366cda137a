# journalctl.fish - fish completion for journalctl when journalctl is a
# link to pxinit; otherwise fish's own completion for journalctl is loaded.
source (dirname (status filename))/pxinit.fish
if not __pxinit_target journalctl >/dev/null
    test -f $__fish_data_dir/completions/journalctl.fish
    and source $__fish_data_dir/completions/journalctl.fish
else
    complete -c journalctl -f
    complete -c journalctl -s u -l unit -x -a '(__pxinit_units journalctl all .service)' -d unit
    complete -c journalctl -s f -l follow -d 'follow new entries'
    complete -c journalctl -s n -l lines -x -d 'last N entries'
    complete -c journalctl -s o -l output -x -a 'short short-iso cat json' -d 'output format'
    complete -c journalctl -s S -l since -x -a 'today yesterday now' -d 'from this time'
    complete -c journalctl -s U -l until -x -a 'today yesterday now' -d 'up to this time'
    complete -c journalctl -s b -l boot -d 'this boot'
    complete -c journalctl -s q -l quiet -d 'no info lines'
    complete -c journalctl -s e -l pager-end -d 'the end'
    complete -c journalctl -l no-pager -d 'no pager'
    complete -c journalctl -l user -d 'the user daemon'
    complete -c journalctl -l system -d 'the system daemon'
end
