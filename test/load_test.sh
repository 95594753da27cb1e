#!/bin/bash
# load_test.sh: pgbench against litellm_fdw and the test server.
#
# Starts a throwaway cluster and the test server (test/lib.sh) and runs
# pgbench with 8 clients (LOAD_CLIENTS) for DURATION seconds.  Each
# transaction, on names of its own client (load-<client_id>), creates a
# credential, reads it back by name, reads the whole list, reads an IN
# list, updates its info, renames it (create + delete) with new values and
# deletes it: 7 statements, 10 HTTP requests.  Every write must touch
# exactly one row (RETURNING ... \gset fails otherwise), so a lost or
# doubled write aborts that client.  Reports tps, per-statement latency,
# errors (any error is unexpected), leftovers on the server, and the server
# log's word on dead server processes.
#
# Usage: test/load_test.sh [DURATION]   (seconds, default 60)
# Environment: LOAD_CLIENTS (default 8), LOAD_JOBS (pgbench threads,
# default 2), KEEP_TMP=1.  Exit status 0 when there was no error and no crash.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
. test/tools/stress_lib.sh

DURATION=${1:-60}
CLIENTS=${LOAD_CLIENTS:-8}
JOBS=${LOAD_JOBS:-2}

lfdw_install_packages || exit 1
lfdw_start_cluster || exit 1
lfdw_start_mock || exit 1
stress_setup 10000 || { echo "set-up failed"; exit 1; }
mockctl reset g6 "$(cat test/mock/seed.json)" || exit 1

script="$LFDW_TMP/load.sql"
cat >"$script" <<'SQL'
\set k random(1, 1000000)
INSERT INTO litellm_credential (credential_name, credential_info, credential_values) VALUES ('load-' || :client_id, '{"custom_llm_provider": "openai"}', jsonb_build_object('api_key', 'sk-load-' || :k, 'api_base', 'http://127.0.0.1:1')) RETURNING 1 AS ins \gset
SELECT credential_info->>'custom_llm_provider' AS provider FROM litellm_credential WHERE credential_name = 'load-' || :client_id \gset
SELECT count(*) AS n FROM litellm_credential \gset
SELECT count(*) AS n FROM litellm_credential WHERE credential_name IN ('load-' || :client_id, 'openai-prod', 'anthropic') \gset
UPDATE litellm_credential SET credential_info = jsonb_build_object('n', :k) WHERE credential_name = 'load-' || :client_id RETURNING 1 AS upd \gset
UPDATE litellm_credential SET credential_name = 'load-' || :client_id || '-r', credential_values = jsonb_build_object('api_key', 'sk-' || :k) WHERE credential_name = 'load-' || :client_id RETURNING 1 AS ren \gset
DELETE FROM litellm_credential WHERE credential_name = 'load-' || :client_id || '-r' RETURNING 1 AS del \gset
SQL

echo "load_test: $CLIENTS clients, $JOBS threads, $DURATION s, server log $PG_LOG"
out="$LFDW_TMP/pgbench.out"
timeout $((DURATION + 300)) "$PGBIN/pgbench" -n -r -c "$CLIENTS" -j "$JOBS" -T "$DURATION" \
    -P $(( DURATION >= 20 ? 10 : 1 )) -f "$script" >"$out" 2>&1
rc=$?
mockctl requests >/dev/null
stats=$(mockctl stats)
leftover=$(mockctl state | grep -c '^load-')
crash_lines=$(stress_crash_lines | wc -l)
backends=$(stress_backends)
errors=$(grep -cE 'ERROR|aborted|error' "$out")

echo "==== pgbench (exit $rc) ===="
cat "$out"
echo "==== load_test summary ===="
grep -E '^tps|number of transactions actually processed|number of failed|latency average' "$out"
echo "test server: $stats"
echo "unexpected errors: $errors"
grep -E 'ERROR|aborted|error' "$out" | sort | uniq -c | head -20
echo "credentials left behind by the clients: $leftover"
echo "server log lines about a dead server process: $crash_lines"
echo "client backends after the run: $backends"
[ "$rc" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$crash_lines" -eq 0 ] && [ "$leftover" -eq 0 ] &&
    [ "$backends" = 1 ]
