# bench/lib.sh - sourced by the benchmark scripts.

# bench_need CMD:PACKAGE...: every CMD on PATH, or its Debian package
# installed when INSTALL=1, or a clear message and exit 1.
bench_need() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} = 0 ] && return 0
    local pkgs
    pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
    pkgs=${pkgs% }
    if [ "${INSTALL:-0}" = 1 ]; then
        # shellcheck disable=SC2086 # one word per package
        apt-get install -y --no-install-recommends $pkgs
    else
        echo "missing: $pkgs" >&2
        echo "install them (apt-get install $pkgs) or run with INSTALL=1" >&2
        exit 1
    fi
}
