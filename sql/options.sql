-- Options: validation at DDL time, where each option may appear, column
-- mapping, IMPORT FOREIGN SCHEMA, and the per-user-mapping handle cache.
\i test/setup.sql

-- ===================================================================
-- server options
-- ===================================================================
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'ftp://h');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'file:///etc/passwd');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://');  -- ERROR
-- the URL may not carry credentials, and they are not echoed
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://admin:hunter2@127.0.0.1:4000');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/x?key=1');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (urll 'http://h');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (resource 'credentials');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (timeout_ms '0');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (timeout_ms 'soon');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (max_retries '11');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (max_response_bytes '2000000000');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (auth_header 'cookie');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (ssl_verify 'maybe');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (request_cost '-1');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (ca_file '');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (write_mode 'later');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (max_concurrency '0');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (max_concurrency '65');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (batch_size '0');  -- ERROR
-- litellm_version: a version or a release line name (doc/litellm-api.md)
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (litellm_version 'latest');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (litellm_version 'v1.79.0-stable; rm');  -- ERROR
CREATE SERVER s1 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (
    url 'https://litellm.example.com:4000/', timeout_ms '1000',
    connect_timeout_ms '500', max_retries '0', max_response_bytes '1048576',
    ssl_verify 'true', ca_file '/etc/ssl/certs/ca-certificates.crt',
    auth_header 'x-litellm-api-key', unmasked_keys 'api_base, api_version',
    request_cost '50', estimated_rows '20', point_lookup_limit '5',
    write_mode 'immediate', max_concurrency '4', batch_size '50',
    litellm_version 'team-admin');
-- the wrapper itself takes no options
ALTER FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h');  -- ERROR

-- ===================================================================
-- api_key lives in a user mapping, nowhere else
-- ===================================================================
ALTER SERVER s1 OPTIONS (ADD api_key 'sk-in-the-wrong-place');  -- ERROR
CREATE FOREIGN TABLE t1 (credential_name text) SERVER s1
    OPTIONS (api_key 'sk-in-the-wrong-place');  -- ERROR
CREATE USER MAPPING FOR CURRENT_USER SERVER s1 OPTIONS (api_key '');  -- ERROR
CREATE USER MAPPING FOR CURRENT_USER SERVER s1 OPTIONS (url 'http://h');  -- ERROR
CREATE USER MAPPING FOR CURRENT_USER SERVER s1 OPTIONS (api_key 'sk-fine');

-- ===================================================================
-- table options
-- ===================================================================
CREATE FOREIGN TABLE t1 (credential_name text) SERVER s1 OPTIONS (resource 'keys');  -- ERROR
CREATE FOREIGN TABLE t1 (credential_name text) SERVER s1 OPTIONS (timeout_ms '5');  -- ERROR
CREATE FOREIGN TABLE t1 (credential_name text) SERVER s1
    OPTIONS (resource 'credentials', estimated_rows '10', write_mode 'commit',
             batch_size '10');
CREATE FOREIGN TABLE t3 (credential_name text) SERVER s1
    OPTIONS (max_concurrency '2');  -- ERROR (a server option)
DROP FOREIGN TABLE t1;

-- a server without url is refused at once (files_and_urls.sql has more);
-- one that lost it another way (a hand-edited catalog) at first use
CREATE SERVER s2 FOREIGN DATA WRAPPER litellm_fdw;  -- ERROR
CREATE SERVER s2 FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h');
UPDATE pg_foreign_server SET srvoptions = NULL WHERE srvname = 's2';
CREATE FOREIGN TABLE t2 (credential_name text) SERVER s2;
SELECT * FROM t2;  -- ERROR

-- ===================================================================
-- columns are matched by name; any subset, any order
-- ===================================================================
CREATE FOREIGN TABLE bad_name (credential_name text, secret text) SERVER litellm;
SELECT * FROM bad_name;  -- ERROR
CREATE FOREIGN TABLE bad_type (credential_name text, credential_info integer) SERVER litellm;
SELECT credential_name FROM bad_type;  -- ERROR
INSERT INTO bad_type VALUES ('x', 1);  -- ERROR
CREATE FOREIGN TABLE as_json (credential_info json, credential_name text) SERVER litellm;
SELECT * FROM as_json WHERE credential_name = 'anthropic';
\! mockctl requests
-- credential_values must be jsonb: converting invalid json to jsonb would
-- print the value (a secret) in the error context
CREATE FOREIGN TABLE values_json (credential_name text, credential_values json) SERVER litellm;
SELECT * FROM values_json;  -- ERROR
-- a column type with a length limit: a conversion error names the column
CREATE FOREIGN TABLE short_names (credential_name varchar(5)) SERVER litellm;
SELECT * FROM short_names;  -- ERROR
-- and so does one of a models table
CREATE FOREIGN TABLE short_model_names (model_name varchar(3)) SERVER litellm
  OPTIONS (resource 'models');
SELECT * FROM short_model_names;  -- ERROR
DROP FOREIGN TABLE bad_name, bad_type, as_json, values_json, short_names,
  short_model_names;

-- ===================================================================
-- IMPORT FOREIGN SCHEMA
-- ===================================================================
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm FROM SERVER litellm INTO imported;
\d imported.litellm_credential
SELECT credential_name FROM imported.litellm_credential ORDER BY 1;
DROP FOREIGN TABLE imported.litellm_credential, imported.litellm_model, imported.litellm_spend_log;
IMPORT FOREIGN SCHEMA litellm EXCEPT (litellm_credential, litellm_model) FROM SERVER litellm INTO imported;
IMPORT FOREIGN SCHEMA litellm LIMIT TO (litellm_prompt) FROM SERVER litellm INTO imported;
SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
 WHERE c.relnamespace = 'imported'::regnamespace;
IMPORT FOREIGN SCHEMA litellm LIMIT TO (litellm_credential) FROM SERVER litellm INTO imported;
SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
 WHERE c.relnamespace = 'imported'::regnamespace;
IMPORT FOREIGN SCHEMA public FROM SERVER litellm INTO imported;  -- ERROR
DROP SCHEMA imported CASCADE;
\! mockctl requests

-- ===================================================================
-- one handle per user mapping, kept across statements (keep-alive);
-- ALTER SERVER and ALTER USER MAPPING drop it
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
SELECT count(*) FROM litellm_credential;
SELECT count(*) FROM litellm_credential WHERE credential_name = 'anthropic';
SELECT count(*) FROM litellm_credential;
\! mockctl stats
ALTER SERVER litellm OPTIONS (ADD timeout_ms '20000');
SELECT count(*) FROM litellm_credential;
\! mockctl stats
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (SET api_key 'sk-master-test');
SELECT count(*) FROM litellm_credential;
\! mockctl stats

-- ===================================================================
-- auth_header: Authorization: Bearer (default) or x-litellm-api-key
-- ===================================================================
\! mockctl requests >/dev/null
SELECT count(*) FROM litellm_credential;
ALTER SERVER litellm OPTIONS (ADD auth_header 'x-litellm-api-key');
SELECT count(*) FROM litellm_credential;
-- the exact header each request carried (the key shown as <api_key>)
\! curl -s "$MOCK_URL/_mock/requests?format=json&clear=1" | python3 -c 'import json,sys; [print(r["method"], r["path"], {h: v.replace("sk-master-test", "<api_key>") for h, v in sorted(r["headers"].items()) if h in ("authorization", "x-litellm-api-key")}) for r in json.load(sys.stdin)]'
-- the test server takes exactly "Bearer <key>": another case or extra
-- white space is refused (401), as a wrong key is
\! for h in 'Authorization: Bearer sk-master-test' 'Authorization: bearer sk-master-test' 'Authorization: Bearer  sk-master-test' 'Authorization: sk-master-test' 'x-litellm-api-key: Bearer sk-master-test' 'x-litellm-api-key: sk-master-test' 'x-litellm-api-key: bearer sk-master-test'; do printf '%s -> ' "$h" | sed 's/sk-master-test/<api_key>/'; curl -s -o /dev/null -w '%{http_code}\n' -H "$h" "$MOCK_URL/credentials"; done
\! mockctl requests >/dev/null

SET client_min_messages = warning;
DROP SERVER s1, s2 CASCADE;
DROP SERVER litellm CASCADE;
