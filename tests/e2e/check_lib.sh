# check_lib.sh - many independent checks in one e2e test (after lib.sh).
# Each check prints "ok: NAME" or "FAIL: NAME: why" and the test goes on,
# so one missing feature does not hide the state of the others; checks_done
# ends the test, with exit 1 when any check failed.

CHECKS_OK=0
CHECKS_BAD=0

good() {
    CHECKS_OK=$((CHECKS_OK + 1))
    echo "ok: $*"
}

bad() {
    CHECKS_BAD=$((CHECKS_BAD + 1))
    FAILED=1
    echo "FAIL: $*"
}

# run CMD...: runs CMD; sets RC, OUT (stdout) and ERR (stderr).
run() {
    "$@" >"$T/run.out" 2>"$T/run.err"
    RC=$?
    OUT=$(cat "$T/run.out")
    ERR=$(cat "$T/run.err")
}

# rc_is NAME RC CMD...: CMD exits RC.
rc_is() {
    local name=$1 want=$2
    shift 2
    run "$@"
    if [ "$RC" = "$want" ]; then
        good "$name"
    else
        bad "$name: '$*' exited $RC, want $want; stdout: $OUT; stderr: $ERR"
    fi
}

# out_is NAME RC TEXT CMD...: CMD exits RC and prints exactly TEXT.
out_is() {
    local name=$1 want=$2 text=$3
    shift 3
    run "$@"
    if [ "$RC" = "$want" ] && [ "$OUT" = "$text" ]; then
        good "$name"
    else
        bad "$name: '$*' exited $RC (want $want), printed '$OUT' (want '$text'); stderr: $ERR"
    fi
}

# out_has NAME RC REGEX CMD...: CMD exits RC and a line of its stdout
# matches REGEX (grep -E).
out_has() {
    local name=$1 want=$2 re=$3
    shift 3
    run "$@"
    if [ "$RC" = "$want" ] && grep -qE -- "$re" <<<"$OUT"; then
        good "$name"
    else
        bad "$name: '$*' exited $RC (want $want), no line matches /$re/ in: $OUT; stderr: $ERR"
    fi
}

# one_error_line NAME WORD CMD...: CMD exits 1 with one stderr line naming
# WORD (SPEC: what pxinit does not support) and nothing on stdout.
one_error_line() {
    local name=$1 word=$2
    shift 2
    run "$@"
    if [ "$RC" = 1 ] && [ -z "$OUT" ] && [ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] &&
        grep -qF -- "$word" <<<"$ERR"; then
        good "$name"
    else
        bad "$name: '$*' exited $RC (want 1 and one stderr line naming $word); stdout: $OUT; stderr: $ERR"
    fi
}

# that NAME CMD...: a plain condition.
that() {
    local name=$1
    shift
    if "$@"; then good "$name"; else bad "$name: '$*' is false"; fi
}

checks_done() {
    echo "# checks: $CHECKS_OK ok, $CHECKS_BAD failed"
    if [ "$CHECKS_BAD" != 0 ]; then
        if [ -f "$T/log" ]; then
            echo "--- pxinit stderr:"
            tail -n 40 "$T/log"
        fi
        exit 1
    fi
    exit 0
}
