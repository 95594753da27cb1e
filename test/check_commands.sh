#!/bin/bash
# check_commands.sh: the README's other commands, checked in CI the way a
# new user runs them (.ci/run runs it before the suite).
#
# - test/demo.sh runs to its end without a key pressed (no pager), and its
#   one error is the one it announces;
# - make installcheck, against a running cluster with no test server of its
#   own, starts and stops the bundled test servers itself and passes.
#
# Usage: test/check_commands.sh   (as root on Debian 12, like run_tests.sh)
# Prints one line per failed check, then "check_commands: ok" or
# "check_commands: N failed"; exits non-zero when a check failed.
set -u
case "${1:-}" in
    -h|--help)
        sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
        exit 0 ;;
esac
cd "$(dirname "$0")/.."
ROOT=$(pwd)
failed=0

# make installcheck starts the TLS test servers: openssl makes their
# certificates (the demo alone does not need it)
(
    . test/lib.sh
    LFDW_PACKAGES="$LFDW_PACKAGES openssl"
    lfdw_install_packages
) || { echo "check_commands: could not install the packages"; exit 1; }
out=$(mktemp /tmp/litellm_fdw_commands.XXXXXX)
outdir=$(mktemp -d /tmp/litellm_fdw_commands.XXXXXX)

# the demo, with no terminal: it must end by itself, with exit status 0
if timeout 600 test/demo.sh </dev/null >"$out" 2>&1; then
    errors=$(grep -c '^psql:.*ERROR:' "$out")
    announced=$(grep -ci 'fails on purpose' "$out")
    if [ "$errors" -gt 1 ] || { [ "$errors" -eq 1 ] && [ "$announced" -eq 0 ]; }; then
        echo "check_commands: the demo printed $errors errors ($announced announced):"
        grep '^psql:.*ERROR:' "$out"
        failed=$((failed + 1))
    fi
else
    echo "check_commands: test/demo.sh failed or did not end:"
    tail -20 "$out"
    failed=$((failed + 1))
fi

# make installcheck against a throwaway cluster, without MOCK_URL: the
# Makefile's test/installcheck.sh must start the test servers itself
(
    unset MOCK_URL MOCK_LOG MOCK_TLS_URL MOCK_TLS_CA MOCK_TLS_WRONG_URL MOCK_BLACKHOLE_URL
    . test/lib.sh
    SKIP_BUILD=1
    lfdw_start_cluster || exit 1
    export PG_LOG
    make -s PG_CONFIG="$PG_CONFIG" installcheck \
        EXTRA_REGRESS_OPTS="--outputdir=$outdir"
) >"$out" 2>&1
rc=$?
[ -s "$outdir/regression.diffs" ] && cat "$outdir/regression.diffs" >>"$out"
if [ $rc -ne 0 ] || ! grep -Eq 'All [0-9]+ tests passed|^# All [0-9]+ tests passed' "$out"; then
    echo "check_commands: make installcheck failed (exit $rc):"
    grep -E '^(test |not ok|[-+])' "$out" | grep -v '\.\.\. ok' | head -60
    failed=$((failed + 1))
fi
rm -rf "$out" "$outdir"

if [ "$failed" -eq 0 ]; then
    echo "check_commands: ok"
else
    echo "check_commands: $failed failed"
fi
[ "$failed" -eq 0 ]
