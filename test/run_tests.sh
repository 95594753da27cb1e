#!/bin/bash
# run_tests.sh: the whole test suite of litellm_fdw, from a fresh Debian 12.
#
# Installs the Debian packages that are missing (as root), builds and
# installs the extension, starts a throwaway PostgreSQL cluster (as the
# "postgres" user when run as root, since initdb refuses root) and the
# bundled LiteLLM-compatible test server, runs the pg_regress suite, stops
# what it started, and ends with the line "N passed, N failed".
#
# Environment: PG_CONFIG (default: PostgreSQL 15's pg_config),
# KEEP_TMP=1 keeps the cluster directory for a post-mortem.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. test/lib.sh

lfdw_install_packages || exit 1
lfdw_build_install || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_cluster || { echo "0 passed, 1 failed"; exit 1; }
lfdw_start_mock || { echo "0 passed, 1 failed"; exit 1; }

rm -rf results regression.diffs regression.out
out="$LFDW_TMP/installcheck.out"
rc=0
make -s PG_CONFIG="$PG_CONFIG" installcheck \
    PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" >"$out" 2>&1 || rc=$?
cat "$out"
if [ -s regression.diffs ]; then
    echo "==== regression.diffs ===="
    cat regression.diffs
fi

# pg_regress prints "test NAME ... ok" (15) or "ok N - NAME" (16+)
passed=$(grep -Ec '^(test |ok |     )?.*\.\.\. ok|^ok [0-9]+' "$out")
failed=$(grep -Ec '\.\.\. FAILED|^not ok [0-9]+' "$out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
fi
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
