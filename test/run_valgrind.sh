#!/bin/bash
# run_valgrind.sh: the whole regression suite with the server under valgrind.
#
# Runs test/run_tests.sh (SKIP_BUILD=1: the extension as installed) with the
# postmaster started through a wrapper (test/lib.sh's PG_POSTGRES) that runs
# it under valgrind memcheck; every backend it forks stays under valgrind
# and writes its own log (empty when clean: valgrind -q).  The stock
# postgres binary is not built with USE_VALGRIND, so memcheck sees
# malloc-level errors (libcurl, cJSON, our own malloc'ed memory) and reads
# of uninitialised memory, not overruns inside palloc'ed chunks.  The
# suppressions are the known false positives of a stock postgres (WAL and
# file write padding, as in PostgreSQL's own valgrind.supp; the regex cache
# of a stock build moving an entry onto itself, RE_compile_and_cache), and one of
# glibc's dynamic loader (its word-wise strncmp reading past an rpath
# string while dlopen() loads llvmjit.so, seen when a query is JIT-compiled).
#
# Usage: test/run_valgrind.sh [TEST...]    (default: the whole suite)
# Environment: VG_OPTS (more valgrind options, e.g. --track-origins=yes),
# VG_KEEP=1 keeps the valgrind logs and results, VG_FUZZ=N also runs
# test/fuzz_protocol.sh N with the server under valgrind (malformed answers
# are where a parser's memory errors would be; about 1,000 requests a minute).
# Exit status: 0 when the suite passed and every valgrind log is empty.
set -u
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || {
    echo "installing valgrind"
    apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null
} || { echo "valgrind is missing"; exit 1; }

PGBIN=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)
VGDIR=$(mktemp -d /tmp/litellm_fdw_vg.XXXXXX)
cleanup() { [ "${VG_KEEP:-0}" = 1 ] || rm -rf "$VGDIR"; }
trap cleanup EXIT
mkdir -p "$VGDIR/logs"
chmod 755 "$VGDIR"
chmod 777 "$VGDIR/logs"

cat >"$VGDIR/pg.supp" <<'SUPP'
{
   pg_wal_write_padding
   Memcheck:Param
   pwrite64(buf)
   ...
   obj:/usr/lib/postgresql/*/bin/postgres
}
{
   pg_write_padding
   Memcheck:Param
   write(buf)
   ...
   obj:/usr/lib/postgresql/*/bin/postgres
}
{
   pg_sendto_padding
   Memcheck:Param
   sendto(msg)
   ...
   obj:/usr/lib/postgresql/*/bin/postgres
}
{
   pg_regex_cache_self_copy
   Memcheck:Overlap
   fun:__memcpy_chk
   fun:RE_compile_and_cache
}
{
   glibc_ld_so_is_dst_strncmp_overread
   Memcheck:Addr8
   fun:strncmp
   fun:is_dst
   ...
}
SUPP
cat >"$VGDIR/postgres-vg" <<WRAP
#!/bin/sh
exec valgrind -q --trace-children=yes --leak-check=no --num-callers=40 \\
    --suppressions=$VGDIR/pg.supp ${VG_OPTS:-} \\
    --log-file=$VGDIR/logs/pg.%p.log $PGBIN/postgres "\$@"
WRAP
chmod 755 "$VGDIR/postgres-vg"

start=$(date +%s)
PG_POSTGRES="$VGDIR/postgres-vg" SKIP_BUILD=1 OUTDIR="$VGDIR/out" test/run_tests.sh "$@" \
    >"$VGDIR/suite.out" 2>&1
rc=$?
fuzz_rc=0
if [ "${VG_FUZZ:-0}" -gt 0 ]; then
    # the protocol fuzzer too, its backends under valgrind as well
    PG_POSTGRES="$VGDIR/postgres-vg" FUZZ_BATCH=50 test/fuzz_protocol.sh "$VG_FUZZ" \
        >"$VGDIR/fuzz.out" 2>&1
    fuzz_rc=$?
fi
elapsed=$(( $(date +%s) - start ))
tail -n 30 "$VGDIR/suite.out"
if [ "${VG_FUZZ:-0}" -gt 0 ]; then
    echo "==== fuzz_protocol.sh $VG_FUZZ under valgrind (exit $fuzz_rc) ===="
    sed -n '/==== fuzz_protocol summary/,$p' "$VGDIR/fuzz.out"
fi

logs=$(find "$VGDIR/logs" -type f | wc -l)
nonempty=$(find "$VGDIR/logs" -type f -size +0 | sort)
errors=0
if [ -n "$nonempty" ]; then
    errors=$(cat $nonempty | grep -cE '^==[0-9]+== [A-Z][a-z]+ ')
    for f in $nonempty; do
        echo "==== $f ===="
        head -n 80 "$f"
    done
    ours=$(cat $nonempty | grep -c 'litellm_fdw')
    echo "stack lines naming litellm_fdw: $ours"
fi
echo "==== run_valgrind summary (${elapsed} s) ===="
echo "suite: $(tail -n 1 "$VGDIR/suite.out") (exit $rc)"
echo "valgrind logs: $logs processes, $(echo -n "$nonempty" | grep -c .) non-empty, $errors error reports"
[ "$rc" -eq 0 ] && [ "$fuzz_rc" -eq 0 ] && [ -z "$nonempty" ]
