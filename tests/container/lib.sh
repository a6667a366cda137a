# lib.sh - helpers for the container tests: pxinit as PID 1 of a real
# container under podman (rootful, runc, cgroupfs).
#
# Podman never touches the host's /etc/containers or /var/lib/containers:
# its storage, run state and config files live in one directory under the
# build tree ($CTR_DIR, shared by all container tests so an image is built
# once), and the config files are named by CONTAINERS_CONF and friends.
#
# Skips (exit 77, reason on stderr) when pxinit is not the static binary (the
# dynamic and sanitizer builds: it could not run FROM scratch), or podman,
# runc or busybox-static are missing. Anything else that goes wrong is a
# failure. Every wait is a poll with a deadline.
#
# Use: . "$srcdir/tests/container/lib.sh"; img=$(scratch_image) || fail ...;
#      ctr run --rm "$img" sh -c 'exit 7'

set -u

: "${PXINIT:?PXINIT must point at the built binary}"
SRC=${srcdir:-.}

skip() {
    echo "SKIP: $*" >&2
    exit 77
}

[ "$(id -u)" = 0 ] || skip "container tests run podman as root"
command -v podman >/dev/null || skip "podman is not installed (contrib/install-deps.sh installs it)"
command -v runc >/dev/null || skip "runc is not installed (contrib/install-deps.sh installs it)"
command -v readelf >/dev/null || skip "readelf (binutils) is needed to tell a static pxinit"
# A dynamic pxinit (--disable-static-binary, sanitizers) has no libc in a
# FROM scratch image: these tests are for the default static build.
readelf -lW "$PXINIT" 2>/dev/null | grep -q 'Requesting program interpreter' &&
    skip "$PXINIT is not a static binary (only the static build runs FROM scratch)"
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || skip "$BUSYBOX missing (busybox-static; contrib/install-deps.sh installs it)"
readelf -lW "$BUSYBOX" 2>/dev/null | grep -q 'Requesting program interpreter' &&
    skip "$BUSYBOX is not static (install busybox-static, not busybox)"

# The shared directory: next to the tests in the build tree.
case "$PXINIT" in
*/src/pxinit) CTR_DIR_DEFAULT="${PXINIT%/src/pxinit}/tests/container/.storage" ;;
*) CTR_DIR_DEFAULT="${TMPDIR:-/tmp}/pxinit-container-storage" ;;
esac
CTR_DIR=${CTR_DIR:-$CTR_DIR_DEFAULT}
# Podman's run state (--runroot, which must be under 50 characters, and
# --tmpdir): under /tmp, never the host's /run, named after $CTR_DIR so that
# two build trees do not share it. TMPDIR may be long: /tmp then.
CTR_RUN_BASE=${TMPDIR:-/tmp}
[ "${#CTR_RUN_BASE}" -lt 20 ] || CTR_RUN_BASE=/tmp
CTR_RUN="$CTR_RUN_BASE/pxinit-ctr-$(echo "$CTR_DIR" | sha256sum | cut -c1-8)"
mkdir -p "$CTR_DIR/conf" "$CTR_RUN/tmp" || skip "cannot create $CTR_DIR or $CTR_RUN"
[ "${#CTR_RUN}" -lt 40 ] || skip "podman's run root $CTR_RUN is too long (podman wants under 50 characters)"

# overlay on overlay does not mount (a build tree in a container, or the
# pivot_root'ed tree of tests/fresh_debian.sh): vfs there. vfs copies each
# layer per container, cheap for the 3 MB scratch image.
if [ -z "${CTR_DRIVER:-}" ]; then
    case "$(stat -f -c %T "$CTR_DIR" 2>/dev/null)" in
    overlayfs) CTR_DRIVER=vfs ;;
    *) CTR_DRIVER=overlay ;;
    esac
fi

# The config files, written once per test (same content, atomic rename).
ctr_conf() {
    local d=$CTR_DIR/conf
    cat >"$d/containers.conf.$$" <<EOF
# written by tests/container/lib.sh
[containers]
netns = "none"
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$CTR_RUN/tmp"
EOF
    cat >"$d/storage-$CTR_DRIVER.conf.$$" <<EOF
# written by tests/container/lib.sh
[storage]
driver = "$CTR_DRIVER"
graphroot = "$CTR_DIR/$CTR_DRIVER"
runroot = "$CTR_RUN/$CTR_DRIVER"
# No private bind mount of the overlay driver's home over itself: it stayed
# mounted in the build tree after the tests (rm -rf of the tree: EBUSY).
[storage.options.overlay]
skip_mount_home = "true"
EOF
    cat >"$d/registries.conf.$$" <<EOF
# written by tests/container/lib.sh: no registry, images are built locally
unqualified-search-registries = []
EOF
    mv -f "$d/containers.conf.$$" "$d/containers.conf" &&
        mv -f "$d/storage-$CTR_DRIVER.conf.$$" "$d/storage-$CTR_DRIVER.conf" &&
        mv -f "$d/registries.conf.$$" "$d/registries.conf"
}
ctr_conf || skip "cannot write podman's config files in $CTR_DIR/conf"
export CONTAINERS_CONF="$CTR_DIR/conf/containers.conf"
export CONTAINERS_STORAGE_CONF="$CTR_DIR/conf/storage-$CTR_DRIVER.conf"
export CONTAINERS_REGISTRIES_CONF="$CTR_DIR/conf/registries.conf"

# The hard limits of this machine cannot be raised, and runc fails ("error
# setting rlimit type 7: operation not permitted") when podman asks for its
# defaults (1048576 files): every run and build names limits within ours.
# 16384 at most: here nproc 65536 fails too though the shell's hard limit
# is higher. nproc counts all of root's processes on the host (no user
# namespace), so it must not be small either.
ctr_limit() {
    local v
    v=$(ulimit -H "$1")
    [ "$v" = unlimited ] || [ "$v" -gt 16384 ] && v=16384
    echo "$v"
}
CTR_NOFILE=$(ctr_limit -n)
CTR_NPROC=$(ctr_limit -u)
CTR_ULIMITS="--ulimit nofile=$CTR_NOFILE:$CTR_NOFILE --ulimit nproc=$CTR_NPROC:$CTR_NPROC"

T=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-ctr.XXXXXX")
FAILED=0

# ctr ARGS...: podman with this suite's storage and flags. run, create and
# build get the limits. Every call is bounded (CTR_TIMEOUT seconds, then
# KILL): a wedged podman or container fails the test instead of hanging CI.
ctr() {
    local verb=$1
    shift
    case "$verb" in
    run | create | build)
        # shellcheck disable=SC2086
        timeout -k 10 "${CTR_TIMEOUT:-300}" podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
            --tmpdir "$CTR_RUN/tmp" "$verb" $CTR_ULIMITS "$@"
        ;;
    *)
        timeout -k 10 "${CTR_TIMEOUT:-300}" podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
            --tmpdir "$CTR_RUN/tmp" "$verb" "$@"
        ;;
    esac
}

# ctr_name NAME: a container name unique to this test run; every container
# named so is removed on exit (by prefix: n=$(ctr_name x) runs in a subshell).
ctr_name() { echo "pxtest-$$-$1"; }

cleanup() {
    local ids
    ids=$(ctr ps -a -q --filter "name=^pxtest-$$-" 2>/dev/null)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || ctr rm -f -t 0 $ids >/dev/null 2>&1 ||
        echo "# could not remove containers $ids" >&2
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

# poll SECONDS CMD...: true as soon as CMD succeeds, false after the deadline.
poll() {
    local deadline=$(($(date +%s%N) + ${1%.*} * 1000000000))
    shift
    while :; do
        if "$@"; then return 0; fi
        [ "$(date +%s%N)" -ge "$deadline" ] && return 1
        sleep 0.05
    done
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ctr_locked CMD...: CMD under the suite's lock, so tests started together by
# make -j build a shared image once.
ctr_locked() {
    (
        flock -w 600 9 || { echo "cannot lock $CTR_DIR/lock" >&2; exit 1; }
        "$@"
    ) 9>"$CTR_DIR/lock"
}

# ctr_private CMD...: CMD in a mount namespace of its own where
# /var/lib/containers is an empty tmpfs. Image builds and imports write
# containers/image's blob info cache there (root only, no option moves it);
# this keeps the host's untouched. When the directory does not exist, /var/lib
# is covered instead (empty, which podman with our --root does not mind),
# unless the suite's storage lies below it.
ctr_private() {
    # shellcheck disable=SC2016
    unshare -m sh -c '
        mount --make-rprivate / 2>/dev/null
        if [ -d /var/lib/containers ]; then
            mount -t tmpfs pxinit-ctr /var/lib/containers || exit 1
        else
            case "$1" in
            /var/lib/*) ;;
            *) mount -t tmpfs pxinit-ctr /var/lib || exit 1 ;;
            esac
        fi
        shift
        exec "$@"' sh "$CTR_DIR" "$@"
}

# ctr_build_locked TAG CONTEXT DOCKERFILE: builds the image unless it exists.
ctr_build_locked() {
    if ctr image exists "$1"; then return 0; fi
    # shellcheck disable=SC2086
    ctr_private podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
        --tmpdir "$CTR_RUN/tmp" build $CTR_ULIMITS --network none -q -t "$1" -f "$3" "$2" >/dev/null
}

# ctr_build TAG CONTEXT DOCKERFILE: builds TAG from CONTEXT once for all tests.
ctr_build() { ctr_locked ctr_build_locked "$@"; }

# ctr_import_locked TAG TARFILE [CHANGE...]: podman import of a root tree
# tarball unless TAG exists; each CHANGE is a --change (e.g. 'ENTRYPOINT [...]').
ctr_import_locked() {
    local tag=$1 tar=$2 c args=()
    shift 2
    if ctr image exists "$tag"; then return 0; fi
    for c in "$@"; do args+=(--change "$c"); done
    ctr_private podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
        --tmpdir "$CTR_RUN/tmp" import -q "${args[@]}" "$tar" "$tag" >/dev/null
}
ctr_import() { ctr_locked ctr_import_locked "$@"; }

# content_tag FILE...: a short hash of the files, so an image is rebuilt
# when pxinit (or its Dockerfile) changes and reused while it does not.
content_tag() { cat "$@" | sha256sum | cut -c1-16; }

# scratch_image: prints the name of the FROM scratch image of
# contrib/docker/Dockerfile.scratch with this build's pxinit, building it
# first when needed.
scratch_image() {
    local df="$SRC/contrib/docker/Dockerfile.scratch"
    local tag
    tag="localhost/pxinit-scratch:$(content_tag "$PXINIT" "$df" "$BUSYBOX")"
    if ! ctr image exists "$tag"; then
        local ctx="$T/scratch-context"
        mkdir -p "$ctx" && cp "$PXINIT" "$ctx/pxinit" && cp "$BUSYBOX" "$ctx/busybox" ||
            fail "cannot fill the build context $ctx"
        ctr_build "$tag" "$ctx" "$df" || fail "podman build of $df failed"
    fi
    echo "$tag"
}

# ctr_state NAME: the container's status (running, exited...).
ctr_state() { ctr inspect -f '{{.State.Status}}' "$1" 2>/dev/null; }
ctr_running() { [ "$(ctr_state "$1")" = running ]; }
ctr_exited() { [ "$(ctr_state "$1")" = exited ]; }
# ctr_exit_code NAME: the exit code podman recorded.
ctr_exit_code() { ctr inspect -f '{{.State.ExitCode}}' "$1"; }
# ctr_logs_have NAME PATTERN: podman logs NAME has a line matching PATTERN.
ctr_logs_have() { ctr logs "$1" 2>&1 | grep -qE -- "$2"; }
