# shellcheck shell=bash
# debian_lib.sh - the Debian image of the --systemd container tests, on top
# of lib.sh. Source it after lib.sh.
#
# The root tree comes from Debian's archive (no image registry needed):
# mmdebstrap (or debootstrap) with the packages below, as one tarball cached
# in $PXINIT_CONTAINER_CACHE (default /var/cache/pxinit-container) under a
# name made from the package list, so a developer's reruns skip it. CI starts
# empty and pays for it once per `make check` (flock: tests started together
# wait for the first). Then podman import, and a podman build of
# contrib/docker/Dockerfile.debian adds this build's pxinit.

DEB_SUITE=bookworm
DEB_MIRROR=${DEB_MIRROR:-http://deb.debian.org/debian}
# What the cases need: the services, and curl/procps to look at them.
DEB_PACKAGES="nginx-light,redis-server,cron,logrotate,curl,procps"
# Bump to rebuild every cached tree after a change of how it is made.
DEB_RECIPE=1

command -v mmdebstrap >/dev/null || command -v debootstrap >/dev/null ||
    skip "neither mmdebstrap nor debootstrap is installed (contrib/install-deps.sh installs mmdebstrap)"

DEB_KEY=$(echo "$DEB_RECIPE $DEB_SUITE $DEB_MIRROR $DEB_PACKAGES" | sha256sum | cut -c1-16)
DEB_CACHE=${PXINIT_CONTAINER_CACHE:-/var/cache/pxinit-container}
mkdir -p "$DEB_CACHE" 2>/dev/null && [ -w "$DEB_CACHE" ] || DEB_CACHE=$CTR_DIR/cache
mkdir -p "$DEB_CACHE" || fail "cannot create $DEB_CACHE"
DEB_TAR=$DEB_CACHE/debian-$DEB_SUITE-$DEB_KEY.tar

# deb_rootfs_build: makes $DEB_TAR (under the cache's lock).
deb_rootfs_build() {
    [ -s "$DEB_TAR" ] && return 0
    local tmp="$DEB_TAR.tmp.$$" start
    start=$(date +%s)
    echo "# building the Debian root tree $DEB_TAR (cold: a few minutes)" >&2
    if command -v mmdebstrap >/dev/null; then
        # force-unsafe-io: no fsync per file, the tree is thrown away on a crash.
        timeout -k 10 1200 mmdebstrap --quiet --variant=apt --include="$DEB_PACKAGES" --dpkgopt=force-unsafe-io \
            --format=tar "$DEB_SUITE" "$tmp" "$DEB_MIRROR" >"$T/debootstrap.log" 2>&1 ||
            { rm -f "$tmp"; fail "mmdebstrap failed: $(tail -5 "$T/debootstrap.log")"; }
    else
        local dir="$T/rootfs"
        timeout -k 10 1200 debootstrap --variant=minbase --include="$DEB_PACKAGES" "$DEB_SUITE" "$dir" "$DEB_MIRROR" \
            >"$T/debootstrap.log" 2>&1 || fail "debootstrap failed: $(tail -5 "$T/debootstrap.log")"
        rm -rf "$dir/var/cache/apt/archives/"*.deb "$dir/var/lib/apt/lists/"*_Packages
        tar -C "$dir" -cf "$tmp" . || { rm -f "$tmp"; fail "cannot write $tmp"; }
        rm -rf "$dir"
    fi
    mv -f "$tmp" "$DEB_TAR" || fail "cannot rename $tmp"
    echo "# Debian root tree built in $(($(date +%s) - start)) s" >&2
}

deb_rootfs() {
    (
        flock -w 900 9 || fail "cannot lock $DEB_CACHE/lock"
        deb_rootfs_build
    ) 9>"$DEB_CACHE/lock" || { FAILED=1; exit 1; } # keeps $T and its debootstrap.log
}

# deb_build_locked TAG BASE CONTEXT: the image of Dockerfile.debian over BASE.
deb_build_locked() {
    if ctr image exists "$1"; then return 0; fi
    # shellcheck disable=SC2086
    ctr_private podman --root "$CTR_DIR/$CTR_DRIVER" --runroot "$CTR_RUN/$CTR_DRIVER" \
        --tmpdir "$CTR_RUN/tmp" build $CTR_ULIMITS --network none -q -t "$1" \
        --build-arg BASE="$2" --build-arg PACKAGES= \
        -f "$SRC/contrib/docker/Dockerfile.debian" "$3" >/dev/null
}

# debian_image: prints the tag of the Debian image with this build's pxinit,
# making the root tree, the base image and the image when missing.
debian_image() {
    local base="localhost/pxinit-debian-base:$DEB_KEY" tag
    tag="localhost/pxinit-debian:$(content_tag "$PXINIT" "$SRC/contrib/docker/Dockerfile.debian")-$DEB_KEY"
    if ! ctr image exists "$tag"; then
        if ! ctr image exists "$base"; then
            deb_rootfs
            ctr_import "$base" "$DEB_TAR" || fail "podman import of $DEB_TAR failed"
        fi
        local ctx="$T/debian-context"
        mkdir -p "$ctx" && cp "$PXINIT" "$ctx/pxinit" || fail "cannot fill $ctx"
        ctr_locked deb_build_locked "$tag" "$base" "$ctx" || fail "podman build of Dockerfile.debian failed"
    fi
    echo "$tag"
}

# deb_run NAME [PODMAN-RUN-ARGS...]: starts the image detached as NAME and
# waits until pxinit answers systemctl inside.
deb_run() {
    local n=$1
    shift
    expect 0 ctr run -d --name "$n" "$@" "$DEB_IMG"
    # Up: pxinit answers and has started what boot starts (a unit that
    # failed makes it "degraded": the cases then say which).
    deb_up() { ctr exec "$1" systemctl is-system-running 2>/dev/null | grep -qxE 'running|degraded'; }
    poll 30 deb_up "$n" || fail "pxinit in $n did not answer: $(ctr exec "$n" systemctl is-system-running 2>&1); logs: $(ctr logs "$n" 2>&1 | tail -20)"
}

# deb_active NAME UNIT: systemctl is-active UNIT inside NAME.
deb_active() { ctr exec "$1" systemctl is-active --quiet "$2"; }

# deb_stop_clean NAME: podman stop ends every service and pxinit exits 0,
# well inside podman's 10 s: no SIGKILL from the runtime.
deb_stop_clean() {
    local n=$1 t0 ms
    t0=$(now_ms)
    expect 0 ctr stop -t 10 "$n"
    ms=$(($(now_ms) - t0))
    ctr_exited "$n" || fail "$n is $(ctr_state "$n") after podman stop"
    local code
    code=$(ctr_exit_code "$n")
    [ "$code" = 0 ] || fail "$n exited $code after podman stop, want 0; logs: $(ctr logs "$n" 2>&1 | tail -20)"
    [ "$ms" -lt 9000 ] || fail "podman stop of $n took $ms ms (podman's SIGKILL at 10 s?)"
    pass "podman stop: $n exited 0 in $ms ms"
}

DEB_IMG=$(debian_image) || exit 1
