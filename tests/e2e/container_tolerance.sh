#!/bin/bash
# What a container lacks is tolerated as systemd tolerates it: without
# CAP_SYS_RESOURCE an OOMScoreAdjust=-900 is skipped (postgresql's unit),
# without CAP_SYS_NICE a Nice=-5 becomes the closest level RLIMIT_NICE
# allows; CPUSchedulingPolicy= and IOSchedulingClass= are applied (a
# real-time policy that is not permitted fails with 214, as in systemd); in
# a user namespace that denies setgroups(), User= units start when their
# groups are the ones the process already has, and fail (216) otherwise.
. "${srcdir:-.}/tests/e2e/lib.sh"

px() { "$PXINIT" -R "$RUN" "$@"; }
status_field() { px status "$1" 2>/dev/null | awk -v n="$2" '{print $n}'; }
is_failed_with() { [ "$(status_field "$1" 2)" = failed ] && [ "$(status_field "$1" 6)" = "$2" ]; }

chmod 755 "$T"
mkdir -m 777 "$T/w"
# rec.sh NAME: what the service got, then it idles.
script rec.sh <<'EOF2'
{
    echo "nice=$(awk '{print $19}' /proc/$$/stat)"
    echo "oom=$(cat /proc/$$/oom_score_adj)"
    echo "sched=$(chrt -p $$ | sed -n 's/.*policy: //p')"
    echo "prio=$(chrt -p $$ | sed -n 's/.*priority: //p')"
    echo "io=$(ionice -p $$)"
    echo "id=$(id)"
} >"$T/w/$1.tmp"
mv "$T/w/$1.tmp" "$T/w/$1"
exec sleep 1000
EOF2
got() { sed -n "s/^$2=//p" "$T/w/$1"; }

svc() { # NAME LINES...
    local name=$1
    shift
    { echo "[Service]"; echo "ExecStart=$T/rec.sh $name"; printf '%s\n' "$@"; } >"$UNITS/$name.service"
}
svc oom 'OOMScoreAdjust=-900'
svc oomup 'OOMScoreAdjust=300'
svc nicer 'Nice=-5'
svc nicelow 'Nice=5'
svc batch 'CPUSchedulingPolicy=batch' 'Nice=3'
svc idle 'CPUSchedulingPolicy=idle' 'CPUSchedulingResetOnFork=yes'
svc fifo 'CPUSchedulingPolicy=fifo' 'CPUSchedulingPriority=10'
svc ioidle 'IOSchedulingClass=idle'
svc iobe 'IOSchedulingClass=best-effort' 'IOSchedulingPriority=7'
svc ionone 'IOSchedulingPriority=2'

# --- a container without CAP_SYS_NICE and CAP_SYS_RESOURCE
PX_LAUNCH="setpriv --bounding-set -sys_nice,-sys_resource" px_start
for u in oom oomup nicer nicelow batch idle ioidle iobe ionone; do
    poll 10 test -s "$T/w/$u" || fail "$u did not start: $(px status $u 2>&1)"
done
[ "$(got oom oom)" = 0 ] || fail "OOMScoreAdjust=-900: oom_score_adj $(got oom oom), want it left at 0"
[ "$(got oomup oom)" = 300 ] || fail "OOMScoreAdjust=300 (permitted) not applied: $(got oomup oom)"
[ "$(got nicer nice)" = 0 ] || fail "Nice=-5 without CAP_SYS_NICE (RLIMIT_NICE 0): nice $(got nicer nice), want 0"
[ "$(got nicelow nice)" = 5 ] || fail "Nice=5: nice $(got nicelow nice)"
pass "OOMScoreAdjust=-900 and Nice=-5 do not stop a start without the privilege"
[ "$(got batch sched)" = SCHED_BATCH ] || fail "CPUSchedulingPolicy=batch: $(got batch sched)"
[ "$(got batch nice)" = 3 ] || fail "Nice=3 with CPUSchedulingPolicy=batch: nice $(got batch nice)"
[ "$(got idle sched)" = "SCHED_IDLE|SCHED_RESET_ON_FORK" ] || fail "CPUSchedulingPolicy=idle with ResetOnFork: $(got idle sched)"
poll 5 is_failed_with fifo code=214 || fail "CPUSchedulingPolicy=fifo without CAP_SYS_NICE: $(px status fifo 2>&1), want failed code=214"
log_has 'fifo: failed to set CPU scheduling' || fail "no log line for the failed CPUSchedulingPolicy=fifo"
pass "CPUSchedulingPolicy= applied (a forbidden real-time policy fails with 214)"
[ "$(got ioidle io)" = idle ] || fail "IOSchedulingClass=idle: $(got ioidle io)"
[ "$(got iobe io)" = "best-effort: prio 7" ] || fail "IOSchedulingClass=best-effort/7: $(got iobe io)"
[ "$(got ionone io)" = "best-effort: prio 2" ] || fail "IOSchedulingPriority=2: $(got ionone io)"
pass "IOSchedulingClass= and IOSchedulingPriority= applied"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# With room under RLIMIT_NICE (where the launcher may raise it), the
# closest level it allows: 20 - 23 = -3.
if prlimit --nice=23:23 true 2>/dev/null; then
    rm -f "$T/w/nicer"
    PX_LAUNCH="prlimit --nice=23:23 setpriv --bounding-set -sys_nice,-sys_resource" px_start
    poll 10 test -s "$T/w/nicer" || fail "nicer did not start under RLIMIT_NICE 23"
    [ "$(got nicer nice)" = -3 ] || fail "Nice=-5 under RLIMIT_NICE 23: nice $(got nicer nice), want -3"
    pass "Nice=-5 takes the closest level RLIMIT_NICE allows"
    px_signal TERM
    px_wait 15
fi

# --- a user namespace that denies setgroups() (ids 0..65535 mapped)
rm -f "$UNITS"/*.service "$T"/w/*
# userns.sh CMD...: CMD (as this pid: px_start finds pxinit as its child,
# so no other child may show up meanwhile, and the waits are bash builtins)
# in a new user namespace with setgroups() denied, once map_ids has mapped
# ids 0..65535 onto themselves from outside.
mkfifo "$T/tick"
cat >"$T/userns.sh" <<'EOF2'
#!/bin/bash
echo $$ >"$T/userns.pid"
exec unshare --user --setgroups=deny bash -c '
    for ((i = 0; i < 500; i++)); do
        read -r map </proc/self/uid_map && [ -n "$map" ] && exec "$@"
        read -t 0.01 <>"$T/tick"
    done
    exit 1' bash "$@"
EOF2
chmod 755 "$T/userns.sh"
# map_ids: run in the background before px_start, once userns.pid is gone
# (removed by the caller: removed here, it could race with userns.sh
# writing it, and no map would ever be written).
map_ids() {
    local pid i
    for i in $(seq 1 500); do
        pid=$(cat "$T/userns.pid" 2>/dev/null)
        if [ -n "$pid" ] && [ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ]; then
            echo '0 0 65536' >/proc/$pid/uid_map && echo '0 0 65536' >/proc/$pid/gid_map
            return
        fi
        sleep 0.01
    done
}
svc nobody 'User=nobody'
svc nobodyadm 'User=nobody' 'SupplementaryGroups=adm'
adm=$(getent group adm | cut -d: -f3)
[ -n "$adm" ] || fail "no group adm here"

# pxinit with no supplementary groups (a container's init): User=nobody
# needs none beyond its primary group, so nothing is lost by skipping.
rm -f "$T/userns.pid"
map_ids &
PX_LAUNCH="env T=$T setpriv --clear-groups $T/userns.sh" px_start
poll 10 test -s "$T/w/nobody" || fail "User=nobody did not start where setgroups() is denied: $(px status nobody 2>&1)"
case "$(got nobody id)" in
"uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)") ;;
*) fail "User=nobody ids: $(got nobody id)" ;;
esac
# A group it would have to gain cannot be given: still an error.
poll 5 is_failed_with nobodyadm code=216 || fail "SupplementaryGroups=adm where setgroups() is denied: $(px status nobodyadm 2>&1), want failed code=216"
pass "User= starts where a user namespace denies setgroups(); a group it cannot get still fails"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"

# pxinit holding group adm: User=nobody would keep it, so it fails; the
# unit that asks for adm gets what it asked for.
rm -f "$T"/w/*
rm -f "$T/userns.pid"
map_ids &
PX_LAUNCH="env T=$T setpriv --groups=$adm $T/userns.sh" px_start
poll 10 test -s "$T/w/nobodyadm" || fail "nobodyadm did not start with adm already held: $(px status nobodyadm 2>&1)"
case "$(got nobodyadm id)" in
*"groups="*"($(getent group adm | cut -d: -f1))"*) ;;
*) fail "nobodyadm ids: $(got nobodyadm id)" ;;
esac
poll 5 is_failed_with nobody code=216 || fail "User=nobody keeping a group it should drop: $(px status nobody 2>&1), want failed code=216"
pass "a group that cannot be dropped is not silently kept"
px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
