#!/bin/bash
# A unit's process group id is signalled only while it still names the unit's
# group. An exited RemainAfterExit= oneshot keeps no group: once its id is
# reused by an unrelated process (forced here by writing the namespace's
# ns_last_pid), neither `kill` nor `stop` of the oneshot reaches that process.
# A group whose leader exited but whose other members live on is still
# signalled, and forgotten as soon as its last member is reaped.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }

# Exits at once: its group is empty from then on.
script one.sh <<'EOF2'
echo $$ > "$T/one.pid"
EOF2
unit one <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$T/one.sh
EOF2

# Leaves a child in its group, which exits when told to.
script two.sh <<'EOF2'
echo $$ > "$T/two.pid"
sh -c 'while [ ! -e "$T/two.go" ]; do sleep 0.02; done' &
echo $! > "$T/two.child"
EOF2
unit two <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$T/two.sh
EOF2

# Leaves a grandchild in its group for good: stopping the unit must end it.
script three.sh <<'EOF2'
sleep 1000 &
echo $! > "$T/three.child"
EOF2
unit three <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$T/three.sh
EOF2

# reuse ID NAME: starts an unrelated process in the namespace, not a child of
# pxinit, with pid ID, leader of its own session and group (setsid); writes
# its pid to $T/NAME.pid. True when it got that pid.
reuse() {
    rm -f "$T/$2.pid"
    in_ns sh -c 'echo $(($1 - 1)) > /proc/sys/kernel/ns_last_pid || exit 1
        setsid sleep 1000 &
        echo $! > "$2.tmp"; mv "$2.tmp" "$2"; wait' sh "$1" "$T/$2.pid" >/dev/null 2>&1 &
    poll 5 test -s "$T/$2.pid" || fail "could not start a process for id $1"
    [ "$(cat "$T/$2.pid")" = "$1" ] && poll 2 is_leader "$1"
}
is_leader() {
    in_ns sh -c 'id=$1; set -- $(sed "s/.*) //" /proc/$id/stat); [ "$3" = "$id" ] && [ "$4" = "$id" ]' \
        sh "$1" 2>/dev/null
}
alive() { in_ns kill -0 "$1" 2>/dev/null; }
dead() { ! alive "$1"; }
# reuse_retry ID NAME: a few tries (another fork may take the id first).
reuse_retry() {
    local i
    for i in 1 2 3 4 5; do
        reuse "$1" "$2" && return 0
        in_ns kill "$(cat "$T/$2.pid")" 2>/dev/null
    done
    fail "pid $1 could not be reused (got $(cat "$T/$2.pid"))"
}

px_start
# ns_last_pid exists with CONFIG_CHECKPOINT_RESTORE (Debian's kernels have it).
in_ns test -w /proc/sys/kernel/ns_last_pid || { echo "no ns_last_pid to steer pids with"; exit 77; }
for u in one two three; do
    poll 5 log_has "$u: state active \(exited\)" || fail "$u did not reach exited"
done

# 1. The oneshot's id, reused by an unrelated process.
g=$(cat "$T/one.pid")
reuse_retry "$g" victim1
px kill -s TERM one >/dev/null 2>&1
poll 1 dead "$g" && fail "kill TERM one signalled pid $g, an unrelated process with its old group id"
px stop one || fail "stop one failed"
poll 5 log_has "one: state inactive" || fail "one did not stop"
poll 1 dead "$g" && fail "stop one signalled pid $g, an unrelated process with its old group id"
pass "an exited oneshot's reused group id is never signalled (kill, stop)"

# 2. A group that emptied after its leader: forgotten when its last member went.
g2=$(cat "$T/two.pid")
c2=$(cat "$T/two.child")
alive "$c2" || fail "two's child $c2 is gone too early"
touch "$T/two.go"
poll 5 dead "$c2" || fail "two's child did not exit"
zombies_reaped || fail "two's child was not reaped"
reuse_retry "$g2" victim2
px stop two || fail "stop two failed"
poll 5 log_has "two: state inactive" || fail "two did not stop"
poll 1 dead "$g2" && fail "stop two signalled pid $g2, an unrelated process with its old group id"
pass "a group whose last member was reaped is forgotten"

# 3. A group whose leader exited but whose member lives on is still the unit's.
c3=$(cat "$T/three.child")
alive "$c3" || fail "three's grandchild $c3 is gone too early"
px stop three || fail "stop three failed"
poll 5 dead "$c3" || fail "stop three did not end its grandchild $c3, still in its group"
pass "stop still reaches what is left in an exited oneshot's group"

in_ns kill "$g" "$g2" 2>/dev/null
px_signal TERM
# pxinit's own bound is --grace (5 s) and 5 s more after SIGKILL: a process
# the test started through nsenter can linger as a zombie of nsenter, which
# is outside the namespace, until nsenter reaps it.
px_wait 15
