# stress_lib.sh: shared by fuzz_protocol.sh, leak_check.sh and load_test.sh
# (sourced after test/lib.sh, once the cluster and the test server run).

# the database objects the generated statements use (see gen_statements.py):
# stress_setup TIMEOUT_MS
stress_setup() {
    local timeout_ms=${1:-2000}
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION IF NOT EXISTS litellm_fdw;
DROP SERVER IF EXISTS litellm CASCADE;
DROP SERVER IF EXISTS litellm_alt CASCADE;
CREATE SERVER litellm FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url '$MOCK_URL', timeout_ms '$timeout_ms', connect_timeout_ms '1000');
CREATE SERVER litellm_alt FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url '$MOCK_URL', timeout_ms '$timeout_ms', max_retries '1',
             auth_header 'x-litellm-api-key', unmasked_keys 'api_base,n',
             max_response_bytes '200000', point_lookup_limit '2');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (api_key 'sk-master-test');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm_alt OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE litellm_credential (
    credential_name text NOT NULL, credential_info jsonb,
    credential_values jsonb, model_id text) SERVER litellm;
CREATE FOREIGN TABLE lc_noinfo (credential_values jsonb, credential_name varchar)
    SERVER litellm;
CREATE FOREIGN TABLE lc_alt (
    credential_name text, credential_info json,
    credential_values jsonb, model_id text) SERVER litellm_alt;
SQL
}

# lines of the server log that say a server process died (or UBSan spoke)
stress_crash_lines() {
    grep -E "terminated by signal|server process .* (exited with exit code|was terminated)|PANIC:|terminating any other active server processes|all server processes terminated|runtime error" "$PG_LOG"
}

# client backends now connected (the asking one included)
stress_backends() {
    psql -X -At -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
}
