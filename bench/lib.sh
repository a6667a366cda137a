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

# pids_cgroup NAME: makes a pids cgroup NAME (cgroup v1's pids hierarchy, or
# v2 where its root hands the pids controller down) and prints its
# directory; prints nothing where neither can be had.
pids_cgroup() {
    local d
    for d in /sys/fs/cgroup/pids /sys/fs/cgroup /sys/fs/cgroup/unified; do
        [ -f "$d/cgroup.procs" ] || continue
        [ "$d" = /sys/fs/cgroup/pids ] || grep -qw pids "$d/cgroup.subtree_control" 2>/dev/null || continue
        mkdir -p "$d/$1" 2>/dev/null && [ -f "$d/$1/pids.current" ] && { echo "$d/$1"; return; }
        rmdir "$d/$1" 2>/dev/null
    done
}
