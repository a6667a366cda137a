#!/bin/bash
# timestamp_oracle.sh - journalctl's --since/--until syntax (base/timestamp.c,
# through tests/e2e/helpers/pxtest-timestamp) against systemd 252's
# parse_timestamp(), over tests/data/timestamp/exprs.txt under several TZ
# settings: the same value, or the same refusal.
#
# The oracle is `systemd-analyze timestamp` (its "UNIX seconds:" line),
# unpacked by contrib/install-deps.sh under /var/cache/pxinit-oracle/systemd
# (or $PXINIT_ORACLE_DIR). When the last word names a zone file, systemd
# parses in a forked child, which systemd-analyze 252 reports as a failure
# in some sandboxes while journalctl takes the text; for those, journalctl
# itself answers: --since X --until @V is accepted when X <= V, and refused
# with "--since= must be before --until=." otherwise, so two runs pin X.
# Without the oracle the test is skipped (77).
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
HELPERS=${HELPERS:-$srcdir/tests/e2e/helpers}
PX=$HELPERS/pxtest-timestamp
ORACLE_DIR=${PXINIT_ORACLE_DIR:-/var/cache/pxinit-oracle/systemd}
SA=$ORACLE_DIR/usr/bin/systemd-analyze
JC=$ORACLE_DIR/bin/journalctl
data=$srcdir/tests/data/timestamp/exprs.txt

libdir=
for d in "$ORACLE_DIR"/usr/lib/*/systemd; do
    [ -d "$d" ] && libdir=$d
done
if [ ! -x "$SA" ] || [ ! -x "$JC" ] || [ -z "$libdir" ]; then
    echo "SKIP: no systemd oracle at $ORACLE_DIR"
    exit 77
fi
[ -x "$PX" ] || {
    echo "FAIL: no $PX"
    exit 1
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/empty"
compared=0
problems=0

# µs from "@S" or "@S.F" (6 digits); "error" stays.
to_usec() {
    case $1 in
    @*.*)
        local s=${1#@}
        echo $((10#${s%%.*} * 1000000 + 10#${s#*.}))
        ;;
    @*) echo $((10#${1#@} * 1000000)) ;;
    *) echo "$1" ;;
    esac
}
at() { printf '@%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }

# run_env TZ CMD...: CMD with TZ set ("-": unset).
run_env() {
    local tz=$1
    shift
    if [ "$tz" = - ]; then
        env -u TZ "$@"
    else
        env TZ="$tz" "$@"
    fi
}

# sa_values TZ EXPR...: systemd-analyze on all of them at once; prints one
# value a line, in order ("error" for a refusal: it has no block on stdout).
sa_values() {
    local tz=$1
    shift
    run_env "$tz" LD_LIBRARY_PATH="$libdir" "$SA" timestamp -- "$@" 2>/dev/null >"$tmp/sa.out"
    local e line orig= i=0
    local -A val=()
    while IFS= read -r line; do
        case $line in
        "  Original form: "*) orig=${line#  Original form: } ;;
        "   UNIX seconds: "*) val["k$orig"]=$(to_usec "${line#   UNIX seconds: }") ;;
        esac
    done <"$tmp/sa.out"
    for e in "$@"; do
        echo "${val["k$e"]-error}"
    done
}

# jc_accepts TZ EXPR UNTIL_USEC: 0 when journalctl takes --since EXPR
# --until @UNTIL; 1 when X is after it; 2 when it cannot parse EXPR.
jc_accepts() {
    local err
    err=$(run_env "$1" LD_LIBRARY_PATH="$libdir" "$JC" -q -D "$tmp/empty" --since "$2" \
        --until "$(at "$3")" 2>&1 >/dev/null)
    case $err in
    "") return 0 ;;
    *"must be before"*) return 1 ;;
    *) return 2 ;;
    esac
}

# check TZ EXPR LOOSE PX SA: one comparison.
check() {
    local tz=$1 expr=$2 loose=$3 px=$4 sa=$5
    compared=$((compared + 1))
    local last=${expr##* }
    if [ "$sa" = error ] && [ "$last" != "$expr" ] && [ -f "/usr/share/zoneinfo/$last" ]; then
        # systemd-analyze's forked parse: ask journalctl.
        if [ "$px" = error ]; then
            jc_accepts "$tz" "$expr" 0
            [ $? = 2 ] && return
            echo "TZ=$tz '$expr': pxinit refuses, journalctl takes it"
            problems=$((problems + 1))
            return
        fi
        local slack=0
        [ -n "$loose" ] && slack=5000000
        jc_accepts "$tz" "$expr" $((px + slack))
        local hi=$?
        jc_accepts "$tz" "$expr" $((px - slack - 1))
        local lo=$?
        if [ $hi != 0 ] || [ $lo != 1 ]; then
            echo "TZ=$tz '$expr': pxinit $(at "$px"), journalctl disagrees ($hi $lo)"
            problems=$((problems + 1))
        fi
        return
    fi
    if [ "$px" = error ] || [ "$sa" = error ]; then
        if [ "$px" != "$sa" ]; then
            echo "TZ=$tz '$expr': pxinit $px, systemd $sa"
            problems=$((problems + 1))
        fi
        return
    fi
    local diff=$((px - sa))
    [ $diff -lt 0 ] && diff=$((-diff))
    if { [ -z "$loose" ] && [ $diff != 0 ]; } || [ $diff -gt 5000000 ]; then
        echo "TZ=$tz '$expr': pxinit $(at "$px"), systemd $(at "$sa")"
        problems=$((problems + 1))
    fi
}

# run_group: every expression of the group under every TZ of it.
run_group() {
    [ ${#exprs[@]} = 0 ] && return
    local tz i
    for tz in "${tzs[@]}"; do
        local -a pxv=() sav=()
        mapfile -t pxv < <(run_env "$tz" "$PX" "${exprs[@]}")
        mapfile -t sav < <(sa_values "$tz" "${exprs[@]}")
        for i in "${!exprs[@]}"; do
            check "$tz" "${exprs[$i]}" "${loose[$i]}" "$(to_usec "${pxv[$i]-missing}")" \
                "${sav[$i]-missing}"
        done
    done
    exprs=()
    loose=()
}

tzs=(-)
exprs=()
loose=()
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    "#"*) continue ;;
    "tz: "*)
        run_group
        read -r -a tzs <<<"${line#tz: }"
        continue
        ;;
    esac
    if [ "${line:0:1}" = "~" ]; then
        loose+=(1)
        exprs+=("${line:1}")
    else
        loose+=("")
        exprs+=("$line")
    fi
done <"$data"
run_group

echo "compared $compared expressions and TZ settings, $problems differences"
[ $compared -gt 500 ] || {
    echo "FAIL: too few comparisons"
    exit 1
}
[ $problems = 0 ]
