#!/bin/bash
# run_tests_pg17.sh: the whole test suite on PostgreSQL 17, in a Debian trixie
# root made with debootstrap (Debian 12 has no PostgreSQL 17).
#
# The first run builds the root under $LFDW_PG17_ROOT (about 90 s and 1 GB;
# only Debian's mirror is needed) and installs postgresql-17 and the build
# dependencies in it; later runs reuse it and take seconds.  The source tree
# is copied in with tar (never bind-mounted: removing a root that still holds
# a bind mount would remove the tree), then test/run_tests.sh runs inside,
# with 17's pg_config: build, install, throwaway cluster, test servers and
# pg_regress all run in the root.  /proc is mounted while it runs and
# unmounted at the end.  Ends with the line "N passed, N failed".
#
# Usage (as root): test/run_tests_pg17.sh [TEST...]
# LFDW_ASAN=1 runs the suite with the extension built with AddressSanitizer
# and UBSan, loaded into the stock server (which works in trixie).
# Environment: LFDW_PG17_ROOT (default /var/tmp/litellm_fdw-pg17-trixie),
# LFDW_MIRROR (default: the Debian mirror of this machine's apt
# configuration, test/tools/apt_mirror.sh), LFDW_PG17_REBUILD=1
# throws the cached root away first.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CH=${LFDW_PG17_ROOT:-/var/tmp/litellm_fdw-pg17-trixie}
. test/tools/apt_mirror.sh
MIRROR=${LFDW_MIRROR:-$(lfdw_apt_mirror)}
STAMP="$CH/.litellm_fdw-ready"
# what the root needs, beyond postgresql-server-dev-17 (taken with dpkg -x:
# installing it with apt pulls clang and LLVM, 1.8 GB more; hence
# "make with_llvm=no" below; libicu-dev is its dependency that the build needs)
PKGS="postgresql-17 libcurl4-openssl-dev libcjson-dev libicu-dev pkg-config make gcc libc6-dev python3 curl openssl ca-certificates"

fail() {
    echo "$*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

[ -n "$MIRROR" ] || fail "no Debian mirror in /etc/apt (set LFDW_MIRROR)"
[ "$(id -u)" -eq 0 ] || fail "run_tests_pg17.sh needs root (debootstrap, chroot, mount)"

umount_all() {
    # unmount everything below the root, deepest first
    local m
    for m in $(awk -v r="$CH/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
}
trap umount_all EXIT

remove_root() {
    umount_all
    if awk -v r="$CH/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
        fail "something is still mounted under $CH; not removing it"
    fi
    rm -rf --one-file-system "$CH"
}

# 1. the root itself, once
if [ "${LFDW_PG17_REBUILD:-0}" = 1 ] || [ ! -f "$CH/.litellm_fdw-debootstrap" ]; then
    [ -e "$CH" ] && remove_root
    if ! command -v debootstrap >/dev/null; then
        echo "installing: debootstrap"
        apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                --no-install-recommends debootstrap >/dev/null ||
            fail "could not install debootstrap"
    fi
    echo "making a Debian trixie root in $CH (once; later runs reuse it)"
    mkdir -p "$(dirname "$CH")"
    debootstrap --variant=minbase trixie "$CH" "$MIRROR" >"/tmp/litellm_fdw-debootstrap.log" 2>&1 || {
        tail -20 /tmp/litellm_fdw-debootstrap.log >&2
        fail "debootstrap failed (log: /tmp/litellm_fdw-debootstrap.log)"
    }
    # never start services in the root; no "main" cluster either
    printf '#!/bin/sh\nexit 101\n' >"$CH/usr/sbin/policy-rc.d"
    chmod +x "$CH/usr/sbin/policy-rc.d"
    mkdir -p "$CH/etc/postgresql-common/createcluster.d"
    echo 'create_main_cluster = false' >"$CH/etc/postgresql-common/createcluster.d/no-main.conf"
    cp /etc/resolv.conf "$CH/etc/resolv.conf" 2>/dev/null
    touch "$CH/.litellm_fdw-debootstrap"
fi

# 2. the packages, again whenever this script's list changes
if [ "$(cat "$STAMP" 2>/dev/null)" != "$PKGS" ]; then
    echo "installing PostgreSQL 17 and the build dependencies in $CH"
    mount -t proc proc "$CH/proc" || fail "could not mount /proc in $CH"
    chroot "$CH" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        DEBIAN_FRONTEND=noninteractive bash -c "
        set -e
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
        cd /tmp
        rm -f postgresql-server-dev-17_*.deb
        apt-get download -qq postgresql-server-dev-17 2>/dev/null
        dpkg -x postgresql-server-dev-17_*.deb /
        rm -f postgresql-server-dev-17_*.deb
        apt-get clean
    " >"/tmp/litellm_fdw-pg17-setup.log" 2>&1 || {
        tail -20 /tmp/litellm_fdw-pg17-setup.log >&2
        fail "could not install PostgreSQL 17 in $CH (log: /tmp/litellm_fdw-pg17-setup.log)"
    }
    umount_all
    echo "$PKGS" >"$STAMP"
fi

# a fresh copy of the source tree, without build products of another release
rm -rf --one-file-system "$CH/src/litellm_fdw"
mkdir -p "$CH/src/litellm_fdw"
tar -C "$ROOT" --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=./results --exclude=./regression.diffs --exclude=./regression.out \
    --exclude=./tmp_check --exclude=./debian/.debhelper -cf - . |
    tar -C "$CH/src/litellm_fdw" -xf - || fail "could not copy the source tree into $CH"

mount -t proc proc "$CH/proc" || fail "could not mount /proc in $CH"
chroot "$CH" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config \
    LFDW_PACKAGES="$PKGS" LFDW_MAKE_ARGS="with_llvm=no" \
    KEEP_TMP="${KEEP_TMP:-0}" FUZZ_SECONDS=0 LFDW_ASAN="${LFDW_ASAN:-0}" \
    bash /src/litellm_fdw/test/run_tests.sh "$@"
rc=$?
umount_all
exit $rc
