#!/bin/bash
# calendar_oracle.sh - `pxinit calendar` against `systemd-analyze calendar`
# (Debian's systemd 252, the oracle), over tests/data/calendar/*.txt: the
# same normalized forms, the same next elapses, in local time and UTC,
# under several TZ settings and base times around DST changes, and the same
# rejections. Every line is compared but "From now:" (it depends on the
# clock), and of stderr the "Failed to ..." lines (not systemd's hints).
#
# The oracle is systemd-analyze unpacked, not installed, by
# contrib/install-deps.sh under /var/cache/pxinit-oracle/systemd (or
# $PXINIT_ORACLE_DIR). Without it this test fails: it does not skip.
#
# The corpus files hold one expression a line, and directives that apply to
# the lines after them until the next directive of the same kind:
#   tz: NAME...       the TZ settings to run under ("-": TZ unset)
#   base: TIME        --base-time (default @1700000000)
#   iterations: N     --iterations (default 3)
# Lines starting with # and empty lines are skipped. An expression is taken
# as written, blanks included.
set -u
srcdir=${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PXINIT=${PXINIT:-$srcdir/src/pxinit}
ORACLE_DIR=${PXINIT_ORACLE_DIR:-/var/cache/pxinit-oracle/systemd}
SA=$ORACLE_DIR/usr/bin/systemd-analyze
data=$srcdir/tests/data/calendar

fail() {
    echo "FAIL: $*"
    exit 1
}

libdir=
for d in "$ORACLE_DIR"/usr/lib/*/systemd; do
    [ -d "$d" ] && libdir=$d
done
oracle() { LD_LIBRARY_PATH=$libdir "$SA" "$@"; }
[ -x "$SA" ] && [ -n "$libdir" ] ||
    fail "no oracle at $ORACLE_DIR (contrib/install-deps.sh unpacks Debian's systemd there)"
version=$(oracle --version 2>&1 | head -n 1)
case $version in
"systemd 252 "*) ;;
*) fail "the oracle at $SA does not run as systemd 252: $version" ;;
esac
[ -x "$PXINIT" ] || fail "no pxinit at $PXINIT"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
compared=0
problems=0

# The lines both must agree on: stdout without "From now:", then stderr's
# "Failed to ..." lines, then the exit code.
filtered() {
    local rc=$1 out=$2 err=$3
    grep -v '^ *From now: ' "$out"
    echo "--- stderr"
    grep '^Failed to ' "$err"
    echo "--- exit $rc"
}

# run_group FILE LINE MODE TZ BASE ITER EXPR...: both tools on one group.
run_group() {
    local file=$1 line=$2 mode=$3 tz=$4 base=$5 iter=$6
    shift 6
    local envset=(env "TZ=$tz")
    [ "$tz" = - ] && envset=(env -u TZ)
    "${envset[@]}" LD_LIBRARY_PATH="$libdir" "$SA" calendar --base-time="$base" \
        --iterations "$iter" "$@" >"$tmp/sa.out" 2>"$tmp/sa.err"
    local sa_rc=$?
    "${envset[@]}" "$PXINIT" calendar --base-time="$base" --iterations "$iter" "$@" \
        >"$tmp/px.out" 2>"$tmp/px.err"
    local px_rc=$?
    compared=$((compared + $#))
    local rejected
    rejected=$(grep -c '^Failed to parse calendar specification' "$tmp/sa.err")
    if [ "$mode" = valid ] && [ "$rejected" != 0 ]; then
        echo "corpus: $file:$line: the oracle rejects what valid.txt holds (TZ=$tz):"
        grep '^Failed to parse' "$tmp/sa.err" | sed 's/^/    /'
        problems=$((problems + 1))
    fi
    if [ "$mode" = invalid ] && [ "$rejected" != $# ]; then
        echo "corpus: $file:$line: the oracle accepts some of invalid.txt (TZ=$tz):"
        grep -A1 'Original form\|Normalized form' "$tmp/sa.out" | sed 's/^/    /' | head -n 20
        problems=$((problems + 1))
    fi
    filtered "$sa_rc" "$tmp/sa.out" "$tmp/sa.err" >"$tmp/sa.cmp"
    filtered "$px_rc" "$tmp/px.out" "$tmp/px.err" >"$tmp/px.cmp"
    if ! diff -u --label systemd-analyze --label pxinit "$tmp/sa.cmp" "$tmp/px.cmp" \
        >"$tmp/diff"; then
        echo "differs: $file:$line: TZ=$tz --base-time='$base' --iterations $iter:"
        head -n 60 "$tmp/diff" | sed 's/^/    /'
        problems=$((problems + 1))
    fi
}

# run_file FILE MODE: the groups of one corpus file.
run_file() {
    local file=$1 mode=$2 n=0 start=0
    local tzs=(UTC) base=@1700000000 iter=3 exprs=()
    flush() {
        local tz
        if [ ${#exprs[@]} -gt 0 ]; then
            for tz in "${tzs[@]}"; do
                run_group "$(basename "$file")" "$start" "$mode" "$tz" "$base" "$iter" "${exprs[@]}"
            done
        fi
        exprs=()
    }
    [ -r "$file" ] || fail "no corpus $file"
    while IFS= read -r l || [ -n "$l" ]; do
        n=$((n + 1))
        case $l in
        '' | '#'*) continue ;;
        'tz: '*)
            flush
            read -r -a tzs <<<"${l#tz: }"
            ;;
        'base: '*)
            flush
            base=${l#base: }
            ;;
        'iterations: '*)
            flush
            iter=${l#iterations: }
            ;;
        *)
            [ ${#exprs[@]} = 0 ] && start=$n
            exprs+=("$l")
            ;;
        esac
    done <"$file"
    flush
}

run_file "$data/valid.txt" valid
run_file "$data/invalid.txt" invalid
[ "$compared" -gt 0 ] || fail "nothing compared"
[ "$problems" = 0 ] || fail "$problems group(s) differ from systemd-analyze ($compared runs of an expression)"
echo "ok: $compared runs of an expression agree with $version"
