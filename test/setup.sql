-- test/setup.sql: what every regression test starts from (run with \i).
-- A server pointing at the test server, the master key in a user mapping,
-- the credentials table, and the test server reset to generation g6 with
-- the seed credentials of test/mock/seed.json.
\set ECHO none
\set QUIET on
SET client_min_messages = warning;
\getenv mock_url MOCK_URL
DROP SERVER IF EXISTS litellm CASCADE;
-- one request at a time: the request record is then in a fixed order
-- (transactions.sql tests the default, concurrent, commit)
CREATE SERVER litellm FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url', max_concurrency '1');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE litellm_credential (
    credential_name   text NOT NULL,
    credential_info   jsonb,
    credential_values jsonb,
    model_id          text
) SERVER litellm;
RESET client_min_messages;
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\set QUIET off
\set ECHO all
