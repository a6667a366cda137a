# lib.sh - helpers for end-to-end tests: the real pxinit binary as PID 1 in a
# fresh PID namespace, with its own temp unit and runtime directories.
#
# Every wait is a poll with a deadline; every test kills its namespace's PID 1
# on exit, which makes the kernel kill whatever is left in it.

set -u

: "${PXINIT:?PXINIT must point at the built binary}"
# Python helpers print what tests poll for while they still run: unbuffered,
# whatever the caller's environment says (tests/fresh_debian.sh runs env -i).
export PYTHONUNBUFFERED=1
# The tests follow units through their state changes ("web: state active
# (running)"), which pxinit logs at info; the default level (notice) shows
# one line per event. quiet_logs.sh checks the default.
export PXINIT_LOG_LEVEL="${PXINIT_LOG_LEVEL:-info}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-e2e.XXXXXX")
UNITS="$T/units"
RUN="$T/run"
mkdir -p "$UNITS"
PX_PID=      # host pid of unshare (whose child is the namespace's PID 1)
PX_INIT=     # host pid of pxinit, PID 1 inside
PX_RC=
FAILED=0

cleanup() {
    if [ -n "$PX_INIT" ] && kill -0 "$PX_INIT" 2>/dev/null; then
        kill -KILL "$PX_INIT" 2>/dev/null
    fi
    if [ -n "$PX_PID" ]; then
        wait "$PX_PID" 2>/dev/null
    fi
    if [ "${KEEP:-0}" = 1 ] || [ "$FAILED" != 0 ]; then
        echo "# test files kept in $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT

fail() {
    FAILED=1
    echo "FAIL: $*" >&2
    if [ -f "$T/log" ]; then
        echo "--- pxinit stderr:" >&2
        tail -n 60 "$T/log" >&2
    fi
    exit 1
}

pass() { echo "ok: $*"; }

# expect CODE CMD...: runs CMD (output to $T/o, $T/e), checks its exit code.
expect() {
    local want=$1
    shift
    "$@" >"$T/o" 2>"$T/e"
    local rc=$?
    [ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want; stdout: $(cat "$T/o"); stderr: $(cat "$T/e")"
}

# unit NAME <<EOF ... EOF: writes $UNITS/NAME.service from stdin.
unit() { cat >"$UNITS/$1.service"; }

# script NAME <<'EOF' ... EOF: an executable sh script $T/NAME, so units need no
# nested quoting (systemd's quoting has its own unit tests). Inside, $T is set.
script() {
    { echo "#!/bin/sh"; echo "T='$T'; export T"; cat; } >"$T/$1"
    chmod 755 "$T/$1"
}

# user_helper NAME: the path of a copy of the e2e helper NAME that any user
# can execute. The build tree may sit where only root can enter (a checkout
# in /root/project: /root is 0700), so a User= service must not run it there.
# $T itself is opened to others for it.
user_helper() {
    mkdir -p "$T/bin" && cp "${HELPERS:?}/$1" "$T/bin/$1" &&
        chmod 755 "$T" "$T/bin" "$T/bin/$1" || fail "cannot copy helper $1"
    echo "$T/bin/$1"
}

# poll SECONDS CMD...: true as soon as CMD succeeds, false after the deadline.
poll() {
    local deadline=$(( $(date +%s%N) + ${1%.*} * 1000000000 ))
    shift
    while :; do
        if "$@"; then return 0; fi
        [ "$(date +%s%N)" -ge "$deadline" ] && return 1
        sleep 0.02
    done
}

log_has() { grep -qE -- "$1" "$T/log" 2>/dev/null; }
# log_count_at_least N PATTERN: the log has at least N lines matching.
log_count_at_least() { [ "$(grep -cE -- "$2" "$T/log" 2>/dev/null)" -ge "$1" ]; }
file_has() { [ -f "$1" ] && grep -qE -- "$2" "$1"; }
count_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
lines_at_least() { [ "$(count_lines "$1")" -ge "$2" ]; }
# lines_matching_at_least FILE PATTERN N
lines_matching_at_least() { [ "$(grep -cE -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# px_start [OPTIONS...] [-- COMMAND]: pxinit as PID 1 with this test's dirs.
# With PX_TMPFS="/run /var/lib", those get a private tmpfs inside the
# namespace first (its mounts are private), so tests never touch the host's;
# PX_SETUP names a script run there next, to fill them.
# Its stdout goes to $T/out, or to $PX_STDOUT when set (a fifo, say).
# A directory of PX_TMPFS that this machine lacks (/etc/tmpfiles.d, which only
# systemd's package makes) is made inside the namespace alone: its nearest
# existing parent gets an overlay whose writable layer is a tmpfs there.
# All are made before the first tmpfs is mounted, since an overlay on /etc
# would hide a tmpfs already mounted on /etc/systemd/system.
px_start() {
    local prelude='for d in $PX_TMPFS; do
            [ -d "$d" ] && continue
            a=$d; while [ ! -d "$a" ]; do a=$(dirname "$a"); done
            ov="$PX_OV/$(echo "$a" | tr / _)"
            if [ ! -d "$ov" ]; then
                mkdir -p "$ov" && mount -t tmpfs pxinit-test "$ov" && mkdir "$ov/u" "$ov/w" &&
                    mount -t overlay pxinit-test -o "lowerdir=$a,upperdir=$ov/u,workdir=$ov/w" "$a" || exit 1
            fi
            mkdir -p "$d" || exit 1
        done
        for d in $PX_TMPFS; do mount -t tmpfs pxinit-test "$d" || exit 1; done
        [ -z "$PX_SETUP" ] || sh "$PX_SETUP" || exit 1; exec "$@"'
    # PX_LAUNCH: a command prefix for the launch, e.g. env --ignore-signal=...
    PX_TMPFS="${PX_TMPFS:-}" PX_SETUP="${PX_SETUP:-}" PX_OV="$T/overlays" \
        ${PX_LAUNCH:-} unshare --pid --fork --mount-proc sh -c "$prelude" sh \
        "$PXINIT" -R "$RUN" -u "$UNITS" "$@" \
        >"${PX_STDOUT:-$T/out}" 2>"$T/log" </dev/null &
    PX_PID=$!
    # A pxinit that already ran to its end is fine too (px_wait collects it).
    poll 5 px_started || fail "pxinit did not start"
}

px_started() { px_find_init || px_gone; }

px_find_init() {
    PX_INIT=$(pgrep -P "$PX_PID" 2>/dev/null | head -n 1)
    [ -n "$PX_INIT" ]
}

# px_wait SECONDS: waits for pxinit to exit; sets PX_RC.
px_wait() {
    poll "$1" px_gone || fail "pxinit did not exit within $1s"
    wait "$PX_PID"
    PX_RC=$?
    PX_PID=
    PX_INIT=
}

px_gone() { ! kill -0 "$PX_PID" 2>/dev/null; }

# px_signal SIG: signals pxinit (PID 1 inside the namespace).
px_signal() { kill -s "$1" "$PX_INIT"; }

# Runs a command inside the namespace (pid and mount, so /proc is its own).
in_ns() { nsenter -t "$PX_INIT" -p -m "$@"; }

# Zombie children of pxinit, as host pids.
# in_poll PID: PID is blocked in poll or ppoll (/proc/PID/syscall), as a
# control client is once connected, its request written, waiting for the
# answer.
in_poll() {
    local nr
    nr=$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null) || return 1
    case "$(uname -m):$nr" in
    x86_64:7 | x86_64:271 | aarch64:73) return 0 ;;
    *) return 1 ;;
    esac
}

zombies() { ps -o pid=,stat= --ppid "$PX_INIT" 2>/dev/null | awk '$2 ~ /^Z/ {print $1}'; }
no_zombies() { [ -z "$(zombies)" ]; }
# zombies_reaped: every zombie child of pxinit seen now is reaped soon. With a
# unit restarting beside the check, a fresh zombie can always be caught
# between its exit and its reaping; each one must be gone soon after.
ZOMBIES_SEEN=
still_zombies() { local z; for z in $(zombies); do case " $ZOMBIES_SEEN " in *" $z "*) echo "$z" ;; esac; done; }
none_still_zombies() { [ -z "$(still_zombies)" ]; }
zombies_reaped() { ZOMBIES_SEEN=$(zombies | tr '\n' ' '); [ -z "$ZOMBIES_SEEN" ] || poll 2 none_still_zombies; }

[ "$(id -u)" = 0 ] || { echo "FAIL: end-to-end tests need root (unshare --pid)" >&2; exit 1; }

# runner_script LINES RUNS: $T/runner.sh NAME, a unit's command (for
# Restart=on-failure) that prints and exits, RUNS runs in all. Run n prints
# LINES numbered lines, then (runs before the last) a last line without a
# newline, flushed as a line of its own when the run exits. An orphan in a
# session of its own (the unit's group kill does not reach it) outlives each
# run and writes into the same pipe when the next run tells it to, before
# that run's lines; the last run's orphan writes after the unit is inactive.
# So each unit's whole output has one right order: runner_expected's.
# idle_units N: units i1..iN that print "iK up" and then sleep.
idle_units() {
    local i
    script idle.sh <<'EOF2'
echo "$1 up"
exec sleep 1000
EOF2
    for i in $(seq 1 "$1"); do
        unit "i$i" <<EOF2
[Service]
ExecStart=$T/idle.sh i$i
EOF2
    done
}

# need_hard_nofile N: skips the test (exit 77, counted as SKIP, not PASS)
# when the hard RLIMIT_NOFILE is below N.
need_hard_nofile() {
    [ "$(ulimit -Hn)" -ge "$1" ] || { echo "hard limit $(ulimit -Hn): too low for this test"; exit 77; }
}

# trick_off NAME: true when PXINIT_PLAIN (exported to pxinit) turns the speed
# trick NAME off (src/base/tricks.h), for the checks only the trick makes true.
trick_off() {
    case ",${PXINIT_PLAIN:-}," in
    *,all,* | *,1,* | *,"$1",*) return 0 ;;
    esac
    return 1
}

# runner_units N: units r1..rN running $T/runner.sh, restarted on failure
# 50 ms later, with no start limit (so every run of runner_script happens).
runner_units() {
    local i
    for i in $(seq 1 "$1"); do
        unit "r$i" <<EOF2
[Unit]
StartLimitIntervalSec=0
[Service]
ExecStart=$T/runner.sh r$i
Restart=on-failure
RestartSec=50ms
EOF2
    done
}

runner_script() {
    script runner.sh <<EOF2
name=\$1
n=\$(cat "\$T/\$name.count" 2>/dev/null || echo 0)
n=\$((n + 1))
echo \$n >"\$T/\$name.count"
# Waits until the orphan left the unit's process group (else the stop after
# this run's exit would kill it).
away() { while [ ! -e "\$T/\$name.away.\$1" ]; do sleep 0.02; done; }
if [ \$n -gt 1 ]; then
    touch "\$T/\$name.go.\$((n - 1))"
    while [ ! -e "\$T/\$name.done.\$((n - 1))" ]; do sleep 0.02; done
fi
i=1
while [ \$i -le $1 ]; do echo "\$name run \$n line \$i"; i=\$((i + 1)); done
if [ \$n -ge $2 ]; then
    echo "\$name run \$n last"
    setsid sh -c ": >'\$T/\$name.away.\$n'; sleep 0.3; echo '\$name run \$n orphan'" &
    away \$n
    exit 0
fi
printf '%s run %s partial' "\$name" "\$n"
setsid sh -c ": >'\$T/\$name.away.\$n'; while [ ! -e '\$T/\$name.go.\$n' ]; do sleep 0.02; done
    echo '\$name run \$n orphan'; touch '\$T/\$name.done.\$n'" &
away \$n
exit 1
EOF2
}
# runner_expected NAME LINES RUNS: the whole output of runner.sh NAME, in order.
runner_expected() {
    local n l
    for n in $(seq 1 "$3"); do
        for l in $(seq 1 "$2"); do echo "$1 run $n line $l"; done
        if [ "$n" -lt "$3" ]; then echo "$1 run $n partial"; else echo "$1 run $n last"; fi
        echo "$1 run $n orphan"
    done
}

# status_is DIR UNIT RC [PATTERN]: `pxinit status UNIT` run in the
# namespace exits RC and its line matches PATTERN.
status_is() {
    local out rc
    out=$(in_ns "$PXINIT" -R "$1" status "$2" 2>&1)
    rc=$?
    [ "$rc" = "$3" ] || { echo "status $2: rc $rc, want $3: $out"; return 1; }
    [ -z "${4:-}" ] || grep -qE -- "$4" <<<"$out" || { echo "status $2: '$out'"; return 1; }
}

# victim_unit: a root unit "victim" whose daemon has a child in its group that
# pxinit does not track: the target of a service that tries to make pxinit
# signal what is not its own. The child's pid lands in $T/victim.child; a
# SIGTERM to the daemon touches $T/victim.term, to the child
# $T/victim.child.term.
victim_unit() {
    script victim.sh <<'EOF2'
sh -c 'echo $$ > "$T/victim.child.tmp"; mv "$T/victim.child.tmp" "$T/victim.child"
    trap "touch $T/victim.child.term; exit 0" TERM; while :; do sleep 0.1; done' &
trap 'touch "$T/victim.term"; exit 0' TERM
while :; do sleep 0.1; done
EOF2
    unit victim <<EOF2
[Service]
ExecStart=$T/victim.sh
EOF2
}
