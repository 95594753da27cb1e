#!/bin/bash
# run_tests.sh: the whole test suite of litellm_fdw, from a fresh Debian 12.
#
# Installs the Debian packages that are missing (as root), builds and
# installs the extension, starts a throwaway PostgreSQL cluster (as the
# "postgres" user when run as root, since initdb refuses root) and the
# bundled LiteLLM-compatible test server, runs the pg_regress suite, stops
# what it started, and ends with the line "N passed, N failed".
#
# Usage: test/run_tests.sh [TEST...]   (default: every test of the Makefile)
# Environment: PG_CONFIG (default: PostgreSQL 15's pg_config; see also
# test/run_tests_pg17.sh), LFDW_MAKE_ARGS (extra make arguments),
# KEEP_TMP=1 keeps the cluster directory for a post-mortem, SKIP_BUILD=1
# uses the extension as installed, OUTDIR=dir puts results/ and
# regression.diffs there instead of the source directory, FUZZ_SECONDS
# (default 20 when every test runs, 0 otherwise) runs the libFuzzer
# harness of src/wire.c that long after the regression tests.
# LFDW_OVERWRITE_PACKAGE=1 lets it replace the files of an installed Debian
# package postgresql-NN-litellm-fdw (it refuses otherwise).
set -u
case "${1:-}" in
    -h|--help)
        sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
        exit 0 ;;
esac
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. test/lib.sh

# LFDW_ASAN=1: build with AddressSanitizer and UBSan and preload their
# runtimes into the server (works in the Debian trixie root of
# run_tests_pg17.sh; on Debian 12 the preloaded runtime deadlocks)
if [ "${LFDW_ASAN:-0}" = 1 ]; then
    export COPT="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    asan_rt=$(readlink -f "$(gcc -print-file-name=libasan.so)")
    ubsan_rt=$(readlink -f "$(gcc -print-file-name=libubsan.so)")
    export PG_SERVER_ENV="LD_PRELOAD=$asan_rt:$ubsan_rt ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:disable_coredump=1 UBSAN_OPTIONS=print_stacktrace=1"
fi

# the libFuzzer harness needs clang-14 and its runtimes (Debian 12)
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
[ $# -gt 0 ] && FUZZ_SECONDS=0
# openssl makes the certificate of the TLS test server
LFDW_PACKAGES="$LFDW_PACKAGES openssl"
if [ "$FUZZ_SECONDS" != 0 ]; then
    LFDW_PACKAGES="$LFDW_PACKAGES clang-14 libclang-rt-14-dev"
fi

lfdw_install_packages || exit 1
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    lfdw_build_install || { echo "0 passed, 1 failed"; exit 1; }
fi
lfdw_start_cluster || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_mock || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_tls_mock || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_tls_wrong_name_mock || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_blackhole || { echo "0 passed, 1 failed"; exit 1; }

OUTDIR=${OUTDIR:-$ROOT}
mkdir -p "$OUTDIR"
rm -rf "$OUTDIR/results" "$OUTDIR/regression.diffs" "$OUTDIR/regression.out"
out="$LFDW_TMP/installcheck.out"
rc=0
tests=()
[ $# -gt 0 ] && tests=("REGRESS=$*")
make -s PG_CONFIG="$PG_CONFIG" $LFDW_MAKE_ARGS installcheck "${tests[@]}" \
    EXTRA_REGRESS_OPTS="--outputdir=$OUTDIR" >"$out" 2>&1 || rc=$?
cat "$out"
if [ -s "$OUTDIR/regression.diffs" ]; then
    echo "==== regression.diffs ===="
    cat "$OUTDIR/regression.diffs"
fi

# the canary secret of sql/security.sql must be in no output at all
if grep -l "CANARY-" "$OUTDIR"/results/*.out 2>/dev/null; then
    echo "the canary secret appears in the outputs above"
    canary_failed=1
else
    canary_failed=0
fi

# no server process may have died, and no sanitizer may have spoken
crash_failed=0
# ("exited with exit code": a process that died without a signal, e.g. exit(2)
# or an abort turned into an exit code; PANIC: the postmaster restarts all)
if grep -E "terminated by signal|exited with exit code|was terminated by exception|PANIC:|AddressSanitizer|runtime error:" "$PG_LOG"; then
    echo "a server process crashed or a sanitizer reported (server log above)"
    crash_failed=1
fi

# the API key and the canary secrets in no line of the server log but the
# STATEMENT entries, where PostgreSQL itself logs the text of a statement
# that failed (tests refuse options holding the key on purpose): the cluster
# is this run's own, so all of its log is the suite's doing (the tests
# security and hostile read only the part each caused, as they must against
# a user's cluster under make installcheck)
log_leak_failed=0
leaks=$(awk '/^[^\t]/ { stmt = ($0 ~ / STATEMENT:  /) }
    !stmt && /CANARY-|sk-master-test/ { n++ } END { print n + 0 }' "$PG_LOG")
if [ "$leaks" -ne 0 ]; then
    echo "the API key or a canary secret is in $leaks lines of the server log (STATEMENT entries aside)"
    log_leak_failed=1
fi

# a full run runs every sql/*.sql: a test left out of REGRESS (or not run
# for any other reason) fails the suite instead of passing unnoticed
skipped_failed=0
if [ $# -eq 0 ]; then
    for f in sql/*.sql; do
        t=$(basename "$f" .sql)
        # "test NAME ... ok" (15), "ok N - NAME" / "not ok N - NAME" (16+)
        if ! grep -qE "^test $t +\.\.\. |^(not )?ok +[0-9]+ +[-+] +$t( |$)" "$out"; then
            echo "test $t was not run (sql/$t.sql is not in the Makefile's REGRESS?)"
            skipped_failed=$((skipped_failed + 1))
        fi
    done
fi

# a short run of the libFuzzer harness (test/fuzz_libfuzzer.sh runs longer)
fuzz_failed=0
fuzz_passed=0
if [ "$FUZZ_SECONDS" != 0 ]; then
    if test/fuzz_libfuzzer.sh "$FUZZ_SECONDS"; then
        echo "test fuzz_wire ($FUZZ_SECONDS s) ... ok"
        fuzz_passed=1
    else
        echo "test fuzz_wire ($FUZZ_SECONDS s) ... FAILED"
        fuzz_failed=1
    fi
fi

# pg_regress prints "test NAME ... ok" (15) or "ok N - NAME" (16+)
passed=$(grep -Ec '^(test |ok |     )?.*\.\.\. ok|^ok [0-9]+' "$out")
failed=$(grep -Ec '\.\.\. FAILED|^not ok [0-9]+' "$out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
failed=$((failed + canary_failed + crash_failed + fuzz_failed + skipped_failed + log_leak_failed))
passed=$((passed + fuzz_passed))
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
