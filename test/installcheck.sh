#!/bin/bash
# installcheck.sh: what "make installcheck" runs the regression tests with.
#
# Usage: test/installcheck.sh PG_REGRESS_COMMAND...   (called by the Makefile)
#
# With MOCK_URL set (test/run_tests.sh has started the test servers and
# exported their addresses), it runs the command as it is.  Otherwise it
# starts the bundled LiteLLM test servers (test/mock/litellm_mock.py over HTTP and
# HTTPS, an HTTPS one with a certificate for another name, test/mock/blackhole.py),
# exports MOCK_URL, MOCK_LOG, MOCK_TLS_URL, MOCK_TLS_CA, MOCK_TLS_WRONG_URL,
# MOCK_BLACKHOLE_URL and test/mock/ in PATH (for mockctl), runs the
# command against the cluster of PGHOST, PGPORT and PGUSER, and stops them.
#
# The cluster must run on this host (its server connects to the test
# servers on 127.0.0.1), and PGUSER must be a superuser.  Run as root
# against a cluster that authenticates local connections by the system
# user's name (Debian's stock "peer"), where root cannot connect as
# PGUSER, psql and pg_regress run as the system user PGUSER names (the
# cluster's owner, postgres), from a copy of the tests that user owns in
# the temporary directory; results/, regression.diffs and regression.out
# are then copied to pg_regress's output directory as usual.  The tests
# "security" and "hostile" also read the server's log: PG_LOG names it; when
# unset, it is looked up (pg_current_logfile(), or Debian's
# /var/log/postgresql/), and they are left out when it cannot be read.
set -u
[ -n "${MOCK_URL:-}" ] && exec "$@"

cd "$(dirname "$0")/.." || exit 1
. test/lib.sh

# psql of the release pg_regress runs with (its --bindir)
psql=psql
for arg in "$@"; do
    case $arg in
        --bindir=*) psql="${arg#--bindir=}/psql" ;;
    esac
done

# as_user: the system user psql and pg_regress run as, when not ourselves
# (see above)
as_user=""
as_owner() {
    if [ -n "$as_user" ]; then
        (cd / && runuser -u "$as_user" -- "$@")
    else
        "$@"
    fi
}
q() {
    as_owner "$psql" -X -A -t -q -d postgres -c "$1" 2>&1
}
if [ "$(id -u)" -eq 0 ] && [ -n "${PGUSER:-}" ] && [ "$PGUSER" != root ] &&
    id -u "$PGUSER" >/dev/null 2>&1 && ! q "SELECT 1" >/dev/null; then
    as_user=$PGUSER
    q "SELECT 1" >/dev/null || as_user=""
fi

is_super=$(q "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") || {
    echo "make installcheck: could not connect to the cluster of PGHOST, PGPORT and PGUSER:" >&2
    echo "$is_super" >&2
    echo "Set them for a running cluster on this host, or run test/run_tests.sh, which starts a throwaway cluster of its own." >&2
    exit 1
}
if [ "$is_super" != t ]; then
    echo "make installcheck: the tests need a superuser (they create roles and set superuser-only options); \"$(q "SELECT current_user")\" is not one." >&2
    echo "Set PGUSER to a superuser, or run test/run_tests.sh, which starts a throwaway cluster of its own." >&2
    exit 1
fi

# the server's log, for the test "security"
if [ -z "${PG_LOG:-}" ]; then
    PG_LOG=$(q "SELECT CASE WHEN f LIKE '/%' THEN f ELSE current_setting('data_directory') || '/' || f END FROM pg_current_logfile() AS f")
    if [ -z "$PG_LOG" ]; then
        # Debian's clusters: pg_ctlcluster logs to /var/log/postgresql/
        cluster=$(q "SELECT current_setting('cluster_name')")
        case $cluster in
            */*) PG_LOG="/var/log/postgresql/postgresql-${cluster%%/*}-${cluster#*/}.log" ;;
        esac
    fi
fi
args=("$@")
if [ -z "${PG_LOG:-}" ] || ! as_owner test -r "$PG_LOG"; then
    echo "make installcheck: leaving out the tests \"security\" and \"hostile\": they read the server's log, and PG_LOG does not name a readable log file (test/run_tests.sh runs them)"
    args=()
    for arg in "$@"; do
        [ "$arg" = security ] || [ "$arg" = hostile ] || args+=("$arg")
    done
fi
export PG_LOG

LFDW_TMP=$(mktemp -d /tmp/litellm_fdw.XXXXXX)
# the server reads the TLS test certificate from here
chmod 755 "$LFDW_TMP"
trap lfdw_cleanup EXIT
lfdw_start_mock || exit 1
lfdw_start_tls_mock || exit 1
lfdw_start_tls_wrong_name_mock || exit 1
lfdw_start_blackhole || exit 1
if [ -z "$as_user" ]; then
    "${args[@]}"
    exit
fi

# as $as_user: the tests (sql/ and expected/ of pg_regress's --inputdir,
# test/ for the files they read and run) copied where it may read them, and
# an output directory of its own
stage="$LFDW_TMP/tree"
inputdir=.
outputdir=.
for arg in "${args[@]}"; do
    case $arg in
        --inputdir=*) inputdir=${arg#--inputdir=} ;;
        --outputdir=*) outputdir=${arg#--outputdir=} ;;
    esac
done
mkdir -p "$stage/out" &&
    cp -r "$inputdir/sql" "$inputdir/expected" test "$stage/" &&
    chown -R "$as_user": "$stage" || exit 1
run_args=("${args[0]}" "--outputdir=$stage/out")
for arg in "${args[@]:1}"; do
    case $arg in
        --inputdir=*) run_args+=("--inputdir=$stage") ;;
        --outputdir=*) ;;
        *) run_args+=("$arg") ;;
    esac
done
echo "make installcheck: running pg_regress as the system user \"$as_user\" (root cannot connect as \"$PGUSER\"), from a copy of the tests in $stage"
(cd "$stage" && runuser -u "$as_user" -- env PATH="$stage/test/mock:$PATH" "${run_args[@]}")
rc=$?

# what pg_regress wrote, where it would have written it
copy_back() {
    local f
    mkdir -p "$outputdir" || return 1
    rm -rf "$outputdir/results" "$outputdir/regression.diffs" "$outputdir/regression.out"
    for f in results regression.diffs regression.out; do
        [ ! -e "$stage/out/$f" ] || cp -r "$stage/out/$f" "$outputdir/" || return 1
    done
}
if copy_back; then
    echo "make installcheck: results/ and regression.* copied to $(cd "$outputdir" && pwd)"
else
    echo "make installcheck: could not copy the results to $outputdir" >&2
    rc=1
fi
exit $rc
