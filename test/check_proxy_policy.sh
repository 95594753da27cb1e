#!/bin/bash
# check_proxy_policy.sh: litellm_fdw.allowed_urls holds against the address
# actually connected to.  A cluster whose server has a proxy in its
# environment (http_proxy, which libcurl follows) is made to send a request
# for an allowed URL: without the setting the request goes to the proxy
# (which does not answer: HV00N); with it, the connection is refused before
# it is made (42501, the proxy's address in DETAIL), and the test server
# receives nothing either way.  (The regression tests cannot show this: the
# proxy must be in the server's environment from its start.)
#
# Usage: test/check_proxy_policy.sh   (as root on Debian 12, like run_tests.sh)
# Prints "check_proxy_policy: ok" or what went wrong; exits non-zero then.
set -u
case "${1:-}" in
    -h|--help)
        sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
        exit 0 ;;
esac
cd "$(dirname "$0")/.."
. test/lib.sh

fail() {
    echo "check_proxy_policy: $*"
    exit 1
}

lfdw_install_packages >/dev/null || fail "could not install the packages"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    lfdw_build_install >/dev/null || fail "could not build and install"
fi
# port 9 (discard): nothing listens there
PG_SERVER_ENV="http_proxy=http://127.0.0.1:9/"
lfdw_start_cluster >/dev/null || fail "could not start a cluster"
lfdw_start_mock >/dev/null || fail "could not start the test server"

out=$(psql -X -q -v ON_ERROR_STOP=0 -v url="$MOCK_URL" 2>&1 <<'SQL'
CREATE EXTENSION litellm_fdw;
CREATE SERVER s FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'url', max_retries '0', connect_timeout_ms '2000');
CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE c (credential_name text) SERVER s;
SELECT count(*) FROM c;
\echo first :LAST_ERROR_SQLSTATE
SELECT :'url' || '/' AS allowed \gset
SET litellm_fdw.allowed_urls = :'allowed';
SELECT count(*) FROM c;
\echo second :LAST_ERROR_SQLSTATE
SQL
)
echo "$out" | grep -q '^first HV00N$' ||
    fail "without allowed_urls the request did not go to the proxy:
$out"
echo "$out" | grep -q '^second 42501$' ||
    fail "with allowed_urls the connection to the proxy was not refused:
$out"
echo "$out" | grep -q 'would have gone to 127.0.0.1 port 9,' ||
    fail "the refusal does not name the proxy's address:
$out"
requests=$(mockctl stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
[ "$requests" = 0 ] || fail "the test server received $requests requests"
[ -n "${VERBOSE:-}" ] && echo "$out"
echo "check_proxy_policy: ok"
