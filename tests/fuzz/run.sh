#!/bin/bash
# run.sh - builds the fuzz harnesses with clang's libFuzzer (ASan+UBSan) and
# runs them. Independent of the build's CC: it compiles the sources itself,
# using only the configured tree's config.h.
#
#   run.sh [build]               build every harness
#   run.sh run [HARNESS...]      run each for FUZZ_SECONDS (default 600)
#   run.sh smoke [HARNESS...]    run each for FUZZ_SECONDS (default 60)
#
# Environment: srcdir (default: this script's ../..), builddir (default: the
# current directory; must hold config.h), CLANG (default clang),
# FUZZ_SECONDS, FUZZ_JOBS (parallel workers per harness, default 1).
# New inputs go to $builddir/tests/fuzz/work/HARNESS; a crash is saved as
# $builddir/tests/fuzz/crashes/HARNESS-crash-... and the run fails: fix the
# parser, then add the file to tests/fuzz/corpus/HARNESS/ so the replay in
# `make check` keeps it fixed.
set -euo pipefail

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${builddir:-$PWD}
srcdir=$(cd "$srcdir" && pwd)
builddir=$(cd "$builddir" && pwd)
CLANG=${CLANG:-clang}
HARNESSES="unit_file control_request notify timespan names tzfile calendar sockaddr socket_lines proto_journal timestamp"
out=$builddir/tests/fuzz/libfuzzer

[ -f "$builddir/config.h" ] || { echo "run.sh: no config.h in $builddir: run ./configure first" >&2; exit 2; }
command -v "$CLANG" >/dev/null || { echo "run.sh: $CLANG not found (contrib/install-deps.sh installs clang)" >&2; exit 2; }

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
# Warnings are the main build's job (-Werror there); here they only show.
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter -include $builddir/config.h -I$builddir -I$srcdir/src -DSYSCONFDIR=\"/etc\""
INIH_CFLAGS=$(pkg-config --cflags inih)
LIBS="$(pkg-config --libs inih) -lev"

build() {
    mkdir -p "$out/obj"
    local objs=() src obj
    # The library: every source but the entry points (main.c; fastpath.c
    # runs before libc and must stay free of sanitizers).
    for src in "$srcdir"/src/*/*.c; do
        case $(basename "$src") in fastpath.c) continue ;; esac
        obj=$out/obj/$(basename "$src" .c).o
        if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$0" -nt "$obj" ] ||
            [ "$builddir/config.h" -nt "$obj" ] ||
            [ -n "$(find "$srcdir/src" -name '*.h' -newer "$obj" -print -quit)" ]; then
            # shellcheck disable=SC2086
            "$CLANG" $CFLAGS $INIH_CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
        fi
        objs+=("$obj")
    done
    rm -f "$out/libpxfuzz.a"
    ar rcs "$out/libpxfuzz.a" "${objs[@]}"
    local h
    for h in $HARNESSES; do
        # shellcheck disable=SC2086
        "$CLANG" $CFLAGS $INIH_CFLAGS $SAN -fsanitize=fuzzer "$srcdir/tests/fuzz/fuzz_$h.c" \
            "$out/libpxfuzz.a" $LIBS -o "$out/fuzz_$h"
    done
    # The unit reader's words: every key of the table (so keys added later
    # are in), its sections, and the specifiers.
    {
        grep -o '{[A-Z], "[A-Za-z0-9-]*"' "$srcdir/src/unit/unit_key_table.c" |
            sed 's/.*"\(.*\)"/"\1="/' | sort -u
        printf '".target"\n"@.target"\n"[Unit]"\n"[Service]"\n"[Install]"\n"\\x0a--\\x0a"\n"@"\n"\\\\x2d"\n'
        printf '".timer"\n"@.timer"\n"[Timer]"\n"daily"\n"*-*-* 00:00:00"\n"Mon..Fri"\n"UTC"\n'
        printf '".socket"\n"@.socket"\n"[Socket]"\n"127.0.0.1:80"\n"[::1]:80"\n"@abstract"\n"/run/x.sock"\n'
        for c in n N p P i I j J f y Y t S C L E T V D U G u h s g H l v m b %; do
            printf '"%%%s"\n' "$c"
        done
    } >"$out/unit_file.dict"
    # The calendar parser's words: shorthands, weekdays, separators, zones.
    printf '"%s"\n' minutely hourly daily weekly monthly yearly annually quarterly \
        semiannually semi-annually Monday Mon Tuesday Wed Sunday Sat .. / , "~" "*" : - \
        " UTC" " CET" " CEST" " Europe/Berlin" " America/New_York" " Australia/Lord_Howe" \
        "@" "*-*-*" ".000001" >"$out/calendar.dict"
    # The address parser's words.
    printf '"%s"\n' "[" "]" ":" "%" "@" "/" "." "::" "::ffff:" "fe80::" "vsock:" "65535" \
        "127.0.0.1" "0" >"$out/sockaddr.dict"
    echo "run.sh: built $HARNESSES in $out"
}

# Runs one harness for $1 seconds; 0, or 1 when it found a crash.
run_one() {
    local secs=$1 h=$2 work=$builddir/tests/fuzz/work/$2 crashes=$builddir/tests/fuzz/crashes
    mkdir -p "$work" "$crashes"
    local jobs=${FUZZ_JOBS:-1} extra=()
    [ -f "$out/$h.dict" ] && extra+=(-dict="$out/$h.dict")
    [ "$jobs" -gt 1 ] && extra+=(-fork="$jobs")
    echo "=== fuzz_$h: ${secs}s"
    if ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$out/fuzz_$h" -max_total_time="$secs" -timeout=10 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$crashes/$h-" "${extra[@]}" \
        "$work" "$srcdir/tests/fuzz/corpus/$h" >"$builddir/tests/fuzz/fuzz_$h.log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' \
            "$builddir/tests/fuzz/fuzz_$h.log" | tr '\n' ' '
        echo
        echo "PASS: fuzz_$h"
        return 0
    fi
    tail -n 60 "$builddir/tests/fuzz/fuzz_$h.log"
    echo "FAIL: fuzz_$h (inputs in $crashes; log in tests/fuzz/fuzz_$h.log)"
    return 1
}

mode=${1:-build}
[ $# -gt 0 ] && shift
case $mode in
build) build ;;
run | smoke)
    build
    secs=${FUZZ_SECONDS:-$([ "$mode" = run ] && echo 600 || echo 60)}
    [ $# -gt 0 ] && HARNESSES="$*"
    pass=0 fail=0
    for h in $HARNESSES; do
        if run_one "$secs" "$h"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    done
    # automake's summary lines: .ci/run adds them up with the suites'.
    echo "# PASS: $pass"
    echo "# FAIL: $fail"
    [ "$fail" = 0 ]
    ;;
*)
    echo "usage: run.sh [build | run [HARNESS...] | smoke [HARNESS...]]" >&2
    exit 2
    ;;
esac
