#!/bin/bash
# check_commands.sh: the README's other commands, checked in CI the way a
# new user runs them (.ci/run runs it before the suite).
#
# - test/demo.sh runs to its end without a key pressed (no pager), and its
#   one error is the one it announces;
# - PGUSER=postgres make installcheck, run as root as the README gives it,
#   against a running cluster set up like Debian's stock one (owned by
#   postgres, "peer" authentication for local connections, so root cannot
#   connect as postgres) with no test server of its own: it runs the tests
#   as postgres, starts and stops the bundled test servers itself, runs
#   every test (security and hostile find the log) and passes, although the
#   server log already holds a refused statement of the user with the API
#   key and a canary in it (security and hostile read only what they cause).
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

# PGUSER=postgres make installcheck, as root, against a throwaway cluster
# made like Debian's stock one (pg_createcluster: initdb with peer for local
# connections), its log found by the script (logging_collector), without
# MOCK_URL: the Makefile's test/installcheck.sh must start the test servers
(
    unset MOCK_URL MOCK_LOG MOCK_TLS_URL MOCK_TLS_CA MOCK_TLS_WRONG_URL MOCK_BLACKHOLE_URL PG_LOG
    . test/lib.sh
    PGBIN=$("$PG_CONFIG" --bindir)
    LFDW_TMP=$(mktemp -d /tmp/litellm_fdw.XXXXXX)
    trap lfdw_cleanup EXIT
    chmod 755 "$LFDW_TMP"
    chown postgres: "$LFDW_TMP"
    lfdw_as_owner "$PGBIN/initdb" -D "$LFDW_TMP/data" -U postgres \
        --auth-local=peer --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C \
        >"$LFDW_TMP/initdb.log" 2>&1 || { cat "$LFDW_TMP/initdb.log"; exit 1; }
    cat >>"$LFDW_TMP/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$LFDW_TMP'
logging_collector = on
CONF
    lfdw_as_owner "$PGBIN/pg_ctl" -D "$LFDW_TMP/data" -l "$LFDW_TMP/server.log" \
        -t 120 -w start >/dev/null || { cat "$LFDW_TMP/server.log"; exit 1; }
    export PGHOST="$LFDW_TMP" PGPORT=5432
    # root cannot connect as postgres: the README's command must cope
    if PGUSER=postgres "$PGBIN/psql" -X -d postgres -c "SELECT 1" >/dev/null 2>&1; then
        echo "root connected as postgres: the cluster is not like Debian's stock one"
        exit 1
    fi
    # a statement of the user's, refused, that PostgreSQL logs with its key
    lfdw_as_owner "$PGBIN/psql" -X -q -d postgres \
        -c "CREATE EXTENSION litellm_fdw" \
        -c "CREATE SERVER lfdw_check FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://127.0.0.1:9')"
    lfdw_as_owner "$PGBIN/psql" -X -q -d postgres \
        -c "ALTER SERVER lfdw_check OPTIONS (ADD api_key 'sk-master-test CANARY-0')" 2>/dev/null
    lfdw_as_owner "$PGBIN/psql" -X -q -d postgres -c "DROP EXTENSION litellm_fdw CASCADE" 2>/dev/null
    sleep 1
    if ! grep -qs "sk-master-test CANARY-0" "$LFDW_TMP"/data/log/*; then
        echo "the refused statement is not in the server log"
        exit 1
    fi
    PGUSER=postgres make -s PG_CONFIG="$PG_CONFIG" installcheck \
        EXTRA_REGRESS_OPTS="--outputdir=$outdir"
) >"$out" 2>&1
rc=$?
[ -s "$outdir/regression.diffs" ] && cat "$outdir/regression.diffs" >>"$out"
if [ $rc -ne 0 ] || ! grep -Eq 'All [0-9]+ tests passed|^# All [0-9]+ tests passed' "$out" ||
    ! grep -q 'running pg_regress as the system user "postgres"' "$out" ||
    ! grep -Eq '^test security +\.\.\. ok|^ok [0-9]+ +- security ' "$out" ||
    ! grep -Eq '^test hostile +\.\.\. ok|^ok [0-9]+ +- hostile ' "$out"; then
    echo "check_commands: PGUSER=postgres make installcheck failed (exit $rc):"
    grep -Ev '\.\.\. ok|^ok ' "$out" | head -60
    failed=$((failed + 1))
fi
rm -rf "$out" "$outdir"

if [ "$failed" -eq 0 ]; then
    echo "check_commands: ok"
else
    echo "check_commands: $failed failed"
fi
[ "$failed" -eq 0 ]
