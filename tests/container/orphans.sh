#!/bin/bash
# PID 1's other job: orphans re-parented to it are reaped. The main makes
# many orphans (each a double fork whose parent exits at once) that exit at
# once or up to a second later, many after the storm: afterwards no zombie
# is left in the container. (With a PID 1 that does not reap, such as a
# plain `exec sleep`, the late ones stay zombies.)
. "${srcdir:-.}/tests/container/lib.sh"

img=$(scratch_image) || fail "no scratch image"
n=$(ctr_name orphans)
expect 0 ctr run -d --name "$n" "$img" sh -c '
    i=0
    while [ $i -lt 150 ]; do
        (sleep 0.$((5 + i % 5)) &)
        (true &)
        i=$((i + 1))
    done
    echo storm done
    exec sleep 1000'
poll 30 ctr_logs_have "$n" '^storm done' || fail "the storm did not finish: $(ctr logs "$n" 2>&1)"

# zombies_in_ctr: the zombies in the container, from its own /proc.
zombies_in_ctr() {
    ctr exec "$n" sh -c 'for s in /proc/[0-9]*/stat; do read -r l <"$s" 2>/dev/null || continue; set -- ${l##*) }; [ "$1" = Z ] && echo "${s%/stat}"; done; true'
}
no_zombies() {
    local z
    z=$(zombies_in_ctr) || return 1
    [ -z "$z" ]
}
poll 20 no_zombies || fail "zombies left: $(zombies_in_ctr)"
# and besides pxinit and the main's sleep, only the probe's own ps is left.
others() { ctr exec "$n" ps -o pid,args | awk 'NR > 1 && $1 != 1 && $2 != "ps" && $0 !~ /sleep 1000/'; }
no_others() { [ -z "$(others)" ]; }
poll 20 no_others || fail "processes left: $(others)"
expect 0 ctr exec "$n" /pxinit status
pass "300 orphans reaped, no zombie or stray process left"
