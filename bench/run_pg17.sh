#!/bin/bash
# run_pg17.sh: bench/run.sh on PostgreSQL 17, inside the Debian trixie root
# that test/run_tests_pg17.sh builds (run that once first).  The tree is
# copied in with tar, /proc is mounted while it runs.
#
# Usage (as root): bench/run_pg17.sh   (same environment as bench/run.sh;
# LFDW_PG17_ROOT names the root, as for test/run_tests_pg17.sh)
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CH=${LFDW_PG17_ROOT:-/var/tmp/litellm_fdw-pg17-trixie}
[ "$(id -u)" -eq 0 ] || { echo "run_pg17.sh needs root" >&2; exit 1; }
[ -f "$CH/.litellm_fdw-ready" ] || { echo "no PostgreSQL 17 root in $CH: run test/run_tests_pg17.sh first" >&2; exit 1; }

umount_all() {
    local m
    for m in $(awk -v r="$CH/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
}
trap umount_all EXIT

rm -rf --one-file-system "$CH/src/litellm_fdw"
mkdir -p "$CH/src/litellm_fdw"
tar -C "$ROOT" --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
    --exclude=./results -cf - . | tar -C "$CH/src/litellm_fdw" -xf - || exit 1
mount -t proc proc "$CH/proc" || exit 1
chroot "$CH" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config LFDW_MAKE_ARGS="with_llvm=no" \
    LFDW_PACKAGES="postgresql-17 libcurl4-openssl-dev libcjson-dev pkg-config make gcc python3 curl libssl-dev openssl" \
    BENCH_REPS="${BENCH_REPS:-5}" BENCH_SIZES="${BENCH_SIZES:-1000 10000 100000}" \
    BENCH_CASES="${BENCH_CASES:-scan lookup provision checks provision_tls memory}" \
    BENCH_CHECK_SIZES="${BENCH_CHECK_SIZES:-10 40 1000}" BENCH_CHECK_LATENCIES="${BENCH_CHECK_LATENCIES:-10 100}" \
    BENCH_OUT="${BENCH_OUT:+/tmp/bench.out}" KEEP_TMP="${KEEP_TMP:-0}" \
    bash /src/litellm_fdw/bench/run.sh
rc=$?
[ -n "${BENCH_OUT:-}" ] && cp "$CH/tmp/bench.out" "$BENCH_OUT"
exit $rc
