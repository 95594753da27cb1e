#!/bin/bash
# check_fresh.sh: the README's two commands on a bare Debian 12, as a new
# user runs them (.ci/run runs it, so a green CI means a newcomer's machine
# passes, not only this one).
#
# Makes a minbase Debian 12 (bookworm) root with debootstrap, from this
# machine's Debian mirror (test/tools/apt_mirror.sh), plus git; clones the
# checkout into it (git clone: committed files only) as /root/litellm_fdw;
# mounts /proc, /sys, /dev/pts and /dev/shm in it; and runs there, as root,
# with CI=true and no terminal, exactly the commands of the README's Quick
# start (read from README.md), each from the clone; then the README's
# "PGUSER=postgres make installcheck", as root, against the cluster the
# postgresql package made there with pg_createcluster (Debian's stock one:
# peer authentication, its log under /var/log/postgresql), started with
# pg_ctlcluster, kept off TCP (listen_addresses = '').  Nothing is cached: a
# fresh debootstrap every run, no package cache but the root's own, so the
# commands install everything a newcomer's machine lacks.  Services are not
# started in the root (policy-rc.d), so the PostgreSQL cluster the packages
# create stays stopped; the commands' own clusters listen on a socket in
# the root's /tmp only, and their test servers take free ports.
#
# Everything is unmounted (also on failure or Ctrl-C) and the root removed.
# About 2 GB of disk while it runs; the time of each step is printed.
#
# Usage (as root): test/check_fresh.sh
# Environment: LFDW_MIRROR (default: the Debian mirror of this machine's apt
# configuration), LFDW_FRESH_DIR (where the root is made; default
# /var/tmp), KEEP_ROOT=1 keeps the root (unmounted) for a post-mortem.
# Ends with "check_fresh: ok" or "check_fresh: N failed"; exits non-zero
# when a command failed.
set -u
case "${1:-}" in
    -h|--help)
        sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
        exit 0 ;;
esac
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
. test/tools/apt_mirror.sh
MIRROR=${LFDW_MIRROR:-$(lfdw_apt_mirror)}

die() {
    echo "check_fresh: $*" >&2
    echo "check_fresh: 1 failed"
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt (set LFDW_MIRROR)"

# the commands of the README's Quick start: the lines of its first sh block,
# without their comments
mapfile -t COMMANDS < <(awk '
    /^## Quick start/ { q = 1; next }
    q && /^## / { exit }
    q && /^```sh/ { b = 1; next }
    b && /^```/ { exit }
    b { sub(/[ \t]*#.*/, ""); if ($0 != "") print }' README.md)
[ "${#COMMANDS[@]}" -ge 2 ] || die "no commands found in the README's Quick start"
# the README's make installcheck command
INSTALLCHECK=$(awk '
    /^## Installing into your own PostgreSQL/ { q = 1; next }
    q && /^## / { exit }
    q && /make installcheck/ && !/^`/ { sub(/[ \t]*#.*/, ""); print; exit }' README.md)
[ -n "$INSTALLCHECK" ] || die "no make installcheck command found in the README"

if ! command -v debootstrap >/dev/null; then
    echo "installing: debootstrap"
    apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends debootstrap >/dev/null ||
        die "could not install debootstrap"
fi

mkdir -p "${LFDW_FRESH_DIR:-/var/tmp}"
CH=$(mktemp -d "${LFDW_FRESH_DIR:-/var/tmp}/litellm_fdw-fresh.XXXXXX") || die "mktemp failed"
chmod 755 "$CH"
LOG="$CH.log"

# the processes still running in the root (the cluster of a command that
# was interrupted, for one), by pid
root_pids() {
    local p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$CH" ] && echo "${p#/proc/}"
    done
}

umount_all() {
    local m pids
    pids=$(root_pids)
    if [ -n "$pids" ]; then
        kill $pids 2>/dev/null
        sleep 2
        pids=$(root_pids)
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    fi
    # everything mounted below the root, deepest first
    for m in $(awk -v r="$CH/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
}

cleanup() {
    umount_all
    if awk -v r="$CH/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
        echo "check_fresh: something is still mounted under $CH; not removing it" >&2
    elif [ "${KEEP_ROOT:-0}" = 1 ]; then
        echo "check_fresh: the root is kept in $CH"
    else
        rm -rf --one-file-system "$CH"
    fi
    rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$SECONDS
step() {
    echo "check_fresh: $* ($((SECONDS - start)) s)"
}

# 1. a bare Debian 12 with git, from nothing
step "debootstrap --variant=minbase bookworm from $MIRROR, plus git"
debootstrap --variant=minbase --include=git bookworm "$CH" "$MIRROR" >"$LOG" 2>&1 || {
    tail -20 "$LOG" >&2
    die "debootstrap failed"
}
# no service starts in the root: the postgresql package's cluster would
# listen on this machine's network
printf '#!/bin/sh\nexit 101\n' >"$CH/usr/sbin/policy-rc.d"
chmod +x "$CH/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$CH/etc/resolv.conf" 2>/dev/null
# dpkg without an fsync per file: the same packages installed the same
# way, only sooner (the root is thrown away at the end)
echo force-unsafe-io >"$CH/etc/dpkg/dpkg.cfg.d/litellm_fdw-unsafe-io"

# 2. the checkout's committed files, as a clone
git clone -q --no-hardlinks "$ROOT" "$CH/root/litellm_fdw" >"$LOG" 2>&1 || {
    cat "$LOG" >&2
    die "git clone of $ROOT failed"
}
echo "check_fresh: cloned $(git -C "$CH/root/litellm_fdw" log -1 --format='%h %s' | cut -c1-70)"

mount -t proc proc "$CH/proc" &&
    mount -t sysfs sysfs "$CH/sys" &&
    mount -t devpts -o newinstance,ptmxmode=0666 devpts "$CH/dev/pts" &&
    mount -t tmpfs -o mode=1777 shm "$CH/dev/shm" || die "could not mount /proc, /sys, /dev/pts or /dev/shm in $CH"

# in_root COMMAND: run a shell command in the clone, as root, as a new
# user's login shell would have it (no terminal)
in_root() {
    chroot "$CH" /usr/bin/env -i HOME=/root CI=true \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /root/litellm_fdw && $1" </dev/null 2>&1
}

# 3. the README's commands, each in turn, all of them even if one fails
failed=0
for cmd in "${COMMANDS[@]}"; do
    step "running the README's command: $cmd"
    t0=$SECONDS
    in_root "$cmd"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "check_fresh: FAILED (exit $rc, $((SECONDS - t0)) s): $cmd"
        failed=$((failed + 1))
    else
        echo "check_fresh: passed ($((SECONDS - t0)) s): $cmd"
    fi
done

# 4. the README's make installcheck, against Debian's own cluster (made by
# the postgresql package, not started: policy-rc.d), as root
step "running the README's command against the cluster of pg_createcluster: $INSTALLCHECK"
t0=$SECONDS
in_root "
    pg_lsclusters -h | grep -q '^15 *main ' || pg_createcluster 15 main >/dev/null || exit 1
    pg_conftool 15 main set listen_addresses '' || exit 1
    pg_ctlcluster 15 main start || exit 1
    $INSTALLCHECK
    rc=\$?
    pg_ctlcluster 15 main stop
    exit \$rc"
rc=$?
if [ $rc -ne 0 ]; then
    echo "check_fresh: FAILED (exit $rc, $((SECONDS - t0)) s): $INSTALLCHECK"
    failed=$((failed + 1))
else
    echo "check_fresh: passed ($((SECONDS - t0)) s): $INSTALLCHECK"
fi

step "done"
if [ "$failed" -eq 0 ]; then
    echo "check_fresh: ok"
else
    echo "check_fresh: $failed failed"
fi
[ "$failed" -eq 0 ]
