-- Secrets: a canary secret and the API key appear in no output,
-- RETURNING, EXPLAIN, message, detail, hint or context, nor in the server
-- log at log_min_messages = debug5.  Non-superusers and user mappings.
-- Only what this test writes to the server log is read below: the log may
-- hold anything written before it (a user's refused statement with its key).
\set log_start `wc -c < "$PG_LOG"`
\setenv PG_LOG_START :log_start
\i test/setup.sql

-- The canary is computed, so that no statement text holds it: statement
-- text reaches the server log whenever a statement fails.
CREATE TEMP TABLE canary AS
SELECT upper('canary') || '-' || md5('litellm_fdw') AS secret;
SET log_min_messages = debug5;

-- ===================================================================
-- writes that carry it, and reads after them
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary', jsonb_build_object('api_key', secret, 'nested', jsonb_build_object('token', secret))
  FROM canary
RETURNING *;
SELECT * FROM litellm_credential WHERE credential_name = 'canary';
SELECT credential_name, credential_values FROM litellm_credential ORDER BY 1;
EXPLAIN (VERBOSE, COSTS OFF)
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary-2', jsonb_build_object('api_key', secret) FROM canary;
UPDATE litellm_credential SET credential_values = (SELECT jsonb_build_object('api_key', secret || '-2') FROM canary)
 WHERE credential_name = 'canary' RETURNING *;
UPDATE litellm_credential SET credential_name = 'canary-renamed',
       credential_values = (SELECT jsonb_build_object('api_key', secret || '-3') FROM canary)
 WHERE credential_name = 'canary' RETURNING *;

-- ===================================================================
-- servers that echo the request in their errors
-- ===================================================================
-- a 422 that echoes the body ("input") and names the value in "msg"
\! mockctl fault "{\"method\": \"POST\", \"status\": 422, \"body\": \"{\\\"detail\\\": [{\\\"type\\\": \\\"value_error\\\", \\\"loc\\\": [\\\"body\\\", \\\"credential_values\\\"], \\\"msg\\\": \\\"bad api_key $(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)\\\", \\\"input\\\": {\\\"api_key\\\": \\\"$(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)\\\"}}]}\"}"
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary-422', jsonb_build_object('api_key', secret) FROM canary;  -- ERROR
-- a 500 whose message repeats the secret
\! mockctl fault "{\"method\": \"PATCH\", \"status\": 500, \"body\": \"{\\\"error\\\": {\\\"message\\\": \\\"could not encrypt $(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)\\\", \\\"code\\\": \\\"500\\\"}}\"}"
UPDATE litellm_credential SET credential_values = (SELECT jsonb_build_object('api_key', secret) FROM canary)
 WHERE credential_name = 'canary-renamed';  -- ERROR
-- a secret that starts with a shorter one, and one that the echo escapes
\! mockctl fault '{"method": "POST", "status": 400, "body": "{\"detail\": {\"error\": \"bad value abcdTOPSECRETTAIL\", \"input\": {\"b\": \"abcdTOPSECRETTAIL\"}}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('prefixes', '{"a": "abcd", "b": "abcdTOPSECRETTAIL"}');  -- ERROR
\! mockctl fault '{"method": "POST", "status": 400, "body": "{\"detail\": {\"problem\": \"bad key\", \"value\": \"-----BEGIN KEY-----\\nSECRETLINE2\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('pem', jsonb_build_object('private_key', E'-----BEGIN KEY-----\nSECRETLINE2'));  -- ERROR
-- a member named "INPUT" is not "input": shown (this once hung the backend)
\! mockctl fault '{"method": "POST", "status": 400, "body": "{\"detail\": {\"problem\": \"x\", \"INPUT\": {\"a\": 1}, \"input\": {\"b\": 2}}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('input-case', '{"api_key": "ic-secret-1"}');  -- ERROR
-- an authentication error that repeats the key
\! mockctl fault '{"method": "GET", "status": 401, "body": "{\"error\": {\"message\": \"Authentication Error, Invalid proxy server token passed. Received API Key = sk-master-test, Key Hash (Token)=abc\", \"type\": \"auth_error\", \"param\": \"None\", \"code\": \"401\"}}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
-- a transport failure while sending it (a create is never sent twice)
\! mockctl fault '{"method": "POST", "drop": true}'
\set VERBOSITY terse
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary-drop', jsonb_build_object('api_key', secret) FROM canary;  -- ERROR
\set VERBOSITY default
DELETE FROM litellm_credential WHERE credential_name = 'canary-renamed' RETURNING *;

-- ===================================================================
-- held until commit: reads of the pending change, the plan, a savepoint,
-- and a commit that fails with an echo of the secret
-- ===================================================================
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary-tx', jsonb_build_object('api_key', secret) FROM canary;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'canary-tx-2', jsonb_build_object('token', secret || '-tx') FROM canary;
SELECT * FROM litellm_credential WHERE credential_name LIKE 'canary-tx%' ORDER BY 1;
SELECT * FROM litellm_fdw_pending_changes();
SAVEPOINT s;
UPDATE litellm_credential SET credential_values = (SELECT jsonb_build_object('api_key', secret || '-sp') FROM canary)
 WHERE credential_name = 'canary-tx' RETURNING *;
ROLLBACK TO SAVEPOINT s;
\! mockctl fault "{\"method\": \"POST\", \"skip\": 1, \"status\": 422, \"body\": \"{\\\"detail\\\": [{\\\"type\\\": \\\"value_error\\\", \\\"loc\\\": [\\\"body\\\"], \\\"msg\\\": \\\"bad token $(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)-tx\\\", \\\"input\\\": {\\\"token\\\": \\\"$(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)-tx\\\"}}]}\"}"
COMMIT;  -- ERROR

-- ===================================================================
-- models: a key in litellm_params, read back, planned, echoed by an error
-- ===================================================================
CREATE FOREIGN TABLE litellm_model (model_id text, model_name text,
    litellm_model text, litellm_params jsonb)
    SERVER litellm OPTIONS (resource 'models');
INSERT INTO litellm_model (model_id, model_name, litellm_model, litellm_params)
SELECT 'm-canary', 'canary-model', 'openai/x',
       jsonb_build_object('api_key', secret, 'extra_headers', jsonb_build_object('x-api-key', secret))
  FROM canary
RETURNING *;
SELECT * FROM litellm_model WHERE model_id = 'm-canary';
BEGIN;
UPDATE litellm_model SET litellm_params = litellm_params ||
       (SELECT jsonb_build_object('vertex_credentials', secret || '-m') FROM canary)
 WHERE model_id = 'm-canary' RETURNING *;
SELECT * FROM litellm_model WHERE model_id = 'm-canary';
SELECT operation, request, model_id, changed_columns FROM litellm_fdw_pending_changes();
\! mockctl fault "{\"method\": \"PATCH\", \"status\": 422, \"body\": \"{\\\"detail\\\": [{\\\"type\\\": \\\"value_error\\\", \\\"loc\\\": [\\\"body\\\"], \\\"msg\\\": \\\"bad value $(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)-m\\\", \\\"input\\\": {\\\"vertex_credentials\\\": \\\"$(echo -n CANARY)-$(echo -n litellm_fdw | md5sum | cut -c1-32)-m\\\"}}]}\"}"
COMMIT;  -- ERROR
RESET log_min_messages;

-- the test server did receive the secret...
\! mockctl requests | grep -c "CANARY[-]"
-- ...but the server log never saw it, nor the API key
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "CANARY[-]"
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "sk-master-test"

-- ===================================================================
-- a wrong key: rejected, and the key is not shown
-- ===================================================================
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (SET api_key 'sk-wrong-key-123');
SELECT count(*) FROM litellm_credential;  -- ERROR
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (SET api_key 'sk-master-test');

-- ===================================================================
-- a redirect is not followed: the key goes nowhere else
-- ===================================================================
\! mockctl fault "{\"method\": \"GET\", \"status\": 302, \"headers\": {\"Location\": \"$MOCK_URL/elsewhere\"}}"
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl requests

-- ===================================================================
-- roles: mappings are per user, keys are hidden from other roles, and
-- only a superuser may turn off certificate checks
-- ===================================================================
CREATE ROLE regress_lfdw_alice LOGIN;
CREATE ROLE regress_lfdw_bob LOGIN;
GRANT USAGE ON FOREIGN SERVER litellm TO regress_lfdw_alice, regress_lfdw_bob;
GRANT USAGE ON FOREIGN DATA WRAPPER litellm_fdw TO regress_lfdw_alice;
GRANT SELECT, INSERT, UPDATE, DELETE ON litellm_credential TO regress_lfdw_alice, regress_lfdw_bob;
CREATE USER MAPPING FOR regress_lfdw_alice SERVER litellm OPTIONS (api_key 'sk-alice-key-1');
SET ROLE regress_lfdw_bob;
-- bob sees no key, and has no mapping of his own
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'litellm' ORDER BY 1;
-- (PostgreSQL's message names the server since 17: only the SQLSTATE, undefined_object)
\set VERBOSITY sqlstate
SELECT count(*) FROM litellm_credential;  -- ERROR
\set VERBOSITY default
RESET ROLE;
SET ROLE regress_lfdw_alice;
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'litellm' ORDER BY 1;
SELECT count(*) FROM litellm_credential;  -- ERROR (the test server knows only the master key)
CREATE SERVER alice_server FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'https://127.0.0.1:1', ssl_verify 'false');  -- ERROR
-- nor name a file the backend would read (files_and_urls.sql has more)
CREATE SERVER alice_server FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'https://127.0.0.1:1', ca_file '/nonexistent/ca.pem');  -- ERROR
RESET ROLE;
-- a superuser may
CREATE SERVER insecure FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'https://127.0.0.1:1', ssl_verify 'false');
DROP SERVER insecure;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
DROP OWNED BY regress_lfdw_alice, regress_lfdw_bob;
DROP ROLE regress_lfdw_alice, regress_lfdw_bob;
