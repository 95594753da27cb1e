#!/bin/bash
# run_ubsan.sh: the whole regression suite with the extension built with
# UndefinedBehaviorSanitizer, loaded into the stock server.
#
# Builds two copies of the extension in a temporary directory (the source
# tree is not written to): the normal build, and one with
# COPT='-fsanitize=undefined -fno-sanitize-recover=undefined' (any undefined
# behaviour prints "runtime error: ..." to the server log and ends the
# backend).  Installs the UBSan build, runs test/run_tests.sh (SKIP_BUILD=1),
# and at once installs the normal build again, also when interrupted: the
# extension is installed system-wide, and other test runs on this machine
# use it, so the UBSan build stays installed only while the suite runs.
# (AddressSanitizer cannot be loaded into bookworm's stock server: the
# preloaded runtime deadlocks with gnutls; see CONTRIBUTING.md.)
#
# Usage: test/run_ubsan.sh [TEST...]    (default: the whole suite; run as root)
# Environment: UBSAN_FUZZ=N also runs test/fuzz_protocol.sh N against the
# UBSan build (about 25 s per 1,000 requests more with the build installed).
# Exit status: 0 when the suite passed and the server log has no
# "runtime error" and no dead server process.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
W=$(mktemp -d /tmp/litellm_fdw_ubsan.XXXXXX)
chmod 755 "$W"
installed_ubsan=0
cluster_dir=""
# what was installed before (this very build, or another tree's) is put back
# byte for byte; without one, the normal build of this tree is installed
LIBDIR=$("$PG_CONFIG" --pkglibdir)
EXTDIR=$("$PG_CONFIG" --sharedir)/extension
reinstall_normal() {
    if [ "$installed_ubsan" = 1 ]; then
        if [ -f "$W/saved/litellm_fdw.so" ]; then
            cp -p "$W/saved/litellm_fdw.so" "$LIBDIR/litellm_fdw.so" &&
                cp -p "$W/saved/ext/"* "$EXTDIR/" &&
                echo "run_ubsan: the previously installed extension is back" &&
                installed_ubsan=0
        elif make -s -C "$W/normal" PG_CONFIG="$PG_CONFIG" install >/dev/null; then
            echo "run_ubsan: normal build installed"
            installed_ubsan=0
        fi
        if [ "$installed_ubsan" = 1 ]; then
            echo "run_ubsan: FAILED to put the normal build back: make -C $W/normal install" >&2
            return 1
        fi
    fi
}
restore() {
    reinstall_normal || return
    [ -n "$cluster_dir" ] && [ "${KEEP_TMP:-0}" != 1 ] && rm -rf "$cluster_dir"
    [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$W"
}
trap restore EXIT
trap 'exit 130' INT TERM

for v in normal ubsan; do
    mkdir -p "$W/$v"
    # every install and upgrade script (the Makefile installs litellm_fdw--*.sql)
    cp -r Makefile litellm_fdw.control litellm_fdw--*.sql src "$W/$v/"
    rm -f "$W/$v"/src/*.o "$W/$v"/*.so
done
echo "run_ubsan: building (normal and UBSan) in $W"
make -s -C "$W/normal" PG_CONFIG="$PG_CONFIG" >"$W/normal.log" 2>&1 || {
    cat "$W/normal.log"; echo "normal build failed"; exit 1; }
make -s -C "$W/ubsan" PG_CONFIG="$PG_CONFIG" with_llvm=no \
    COPT='-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer' \
    >"$W/ubsan.log" 2>&1 || { cat "$W/ubsan.log"; echo "UBSan build failed"; exit 1; }
nm -D "$W/ubsan/litellm_fdw.so" | grep -q __ubsan_handle || { echo "no UBSan in the build"; exit 1; }

# the wrapper notes the data directory (to find the server log, kept with
# KEEP_TMP=1 and removed here) and asks UBSan for stack traces
cat >"$W/postgres-ubsan" <<WRAP
#!/bin/sh
echo "\$@" >$W/args
UBSAN_OPTIONS=print_stacktrace=1 exec $("$PG_CONFIG" --bindir)/postgres "\$@"
WRAP
chmod 755 "$W/postgres-ubsan"
sed "/args/d" "$W/postgres-ubsan" >"$W/postgres-ubsan-fuzz"
chmod 755 "$W/postgres-ubsan-fuzz"
touch "$W/args" && chmod 666 "$W/args"

mkdir -p "$W/saved/ext"
if [ -f "$LIBDIR/litellm_fdw.so" ]; then
    cp -p "$LIBDIR/litellm_fdw.so" "$W/saved/" && cp -p "$EXTDIR"/litellm_fdw* "$W/saved/ext/" || {
        echo "could not save the installed extension"; exit 1; }
fi
installed_ubsan=1
make -s -C "$W/ubsan" PG_CONFIG="$PG_CONFIG" with_llvm=no install >/dev/null || {
    echo "install of the UBSan build failed"; exit 1; }
start=$(date +%s)
PG_POSTGRES="$W/postgres-ubsan" SKIP_BUILD=1 KEEP_TMP=1 OUTDIR="$W/out" \
    test/run_tests.sh "$@" >"$W/suite.out" 2>&1
rc=$?
fuzz_rc=0
if [ "${UBSAN_FUZZ:-0}" -gt 0 ]; then
    # the protocol fuzzer too, on a cluster of its own (its crash check
    # also looks for "runtime error")
    PG_POSTGRES="$W/postgres-ubsan-fuzz" FUZZ_OUT="$W/fuzz-crash" \
        test/fuzz_protocol.sh "$UBSAN_FUZZ" >"$W/fuzz.out" 2>&1
    fuzz_rc=$?
fi
elapsed=$(( $(date +%s) - start ))
reinstall_normal

data_dir=$(sed -nE 's/.*-D "?([^" ]+)"?.*/\1/p' "$W/args" | head -n 1)
cluster_dir=$(dirname "$data_dir")
log="$cluster_dir/server.log"
tail -n 25 "$W/suite.out"
[ -f "$log" ] || { echo "server log not found ($log)"; exit 1; }
reports=$(grep -c "runtime error" "$log")
dead=$(grep -cE "terminated by signal|server process .* exited with exit code" "$log")
if [ "$reports" -gt 0 ]; then
    echo "==== UBSan reports ===="
    grep -A 12 "runtime error" "$log" | head -n 200
fi
echo "==== run_ubsan summary (${elapsed} s) ===="
echo "suite: $(tail -n 1 "$W/suite.out") (exit $rc)"
echo "UBSan reports (runtime error): $reports; dead server processes: $dead"
if [ "${UBSAN_FUZZ:-0}" -gt 0 ]; then
    echo "==== fuzz_protocol.sh $UBSAN_FUZZ under UBSan (exit $fuzz_rc) ===="
    sed -n '/==== fuzz_protocol summary/,$p' "$W/fuzz.out"
    grep -E "CRASH|runtime error" "$W/fuzz.out" | head -20
    [ -d "$W/fuzz-crash" ] && { cp -r "$W/fuzz-crash" /tmp/ 2>/dev/null; echo "crash batches kept in /tmp/fuzz-crash"; }
fi
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$dead" -eq 0 ] && [ "$fuzz_rc" -eq 0 ]
