#!/bin/bash
# Reaping races: a main that exits before the loop starts, or together with
# an orphan, never hangs pxinit - as PID 1 or as a subreaper. Thousands of
# runs, each bounded by timeout(1); every one must exit 0.
. "${srcdir:-.}/tests/e2e/lib.sh"

runs() { # runs N LABEL CMD...: N runs, counts failures (hang = 124)
    local n=$1 label=$2 bad=0 rc
    shift 2
    for ((i = 0; i < n; i++)); do
        "$@" >/dev/null 2>>"$T/log" </dev/null
        rc=$?
        if [ $rc != 0 ]; then
            bad=$((bad + 1))
            echo "$label run $i: exit $rc" >>"$T/bad"
        fi
    done
    [ $bad = 0 ] || fail "$label: $bad of $n runs failed: $(head -n 5 "$T/bad")"
    pass "$label: $n runs, all exit 0"
}

NS="unshare --pid --fork --mount-proc"
runs 2000 "PID 1, pxinit -- true" timeout 10 $NS "$PXINIT" -R "$RUN" --no-units -- true
runs 2000 "subreaper, pxinit -- true" timeout 10 "$PXINIT" -R "$RUN" --no-units -q -- true
# The main and an orphan die together: the orphan is reparented as the main exits.
runs 500 "PID 1, main and orphan die together" timeout 10 $NS "$PXINIT" -R "$RUN" --no-units -- \
    sh -c '/bin/true & exit 0'
runs 500 "subreaper, main and orphan die together" timeout 10 "$PXINIT" -R "$RUN" --no-units -q -- \
    sh -c '/bin/true & exit 0'
