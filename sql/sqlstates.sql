-- Every SQLSTATE of the README's errors table, asserted as a code (psql's
-- VERBOSITY sqlstate prints "ERROR:  <code>" and nothing else), for both
-- tables wherever both can raise it.  The messages and DETAILs are checked
-- by errors.sql, models_errors.sql, cancel.sql and the others; here only the code.
-- Each fault is one-shot unless it says "times".
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id text, model_name text, litellm_model text, credential_name text,
    litellm_params jsonb, model_info jsonb
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');
CREATE FOREIGN TABLE litellm_model_tx (
    model_id text, model_name text, litellm_model text, credential_name text,
    litellm_params jsonb
) SERVER litellm OPTIONS (resource 'models');
\set VERBOSITY sqlstate

-- ===================================================================
-- HV00N: connection refused, timeout
-- ===================================================================
CREATE SERVER litellm_down FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:1');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm_down
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE cred_down (credential_name text, credential_values jsonb)
    SERVER litellm_down;
CREATE FOREIGN TABLE model_down (model_id text, model_name text)
    SERVER litellm_down OPTIONS (resource 'models');
SELECT * FROM cred_down;  -- ERROR
SELECT * FROM model_down;  -- ERROR
SET client_min_messages = warning;
DROP SERVER litellm_down CASCADE;
RESET client_min_messages;
ALTER SERVER litellm OPTIONS (ADD timeout_ms '200');
\! mockctl fault '{"method": "GET", "delay_ms": 1000, "times": -1}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
ALTER SERVER litellm OPTIONS (DROP timeout_ms);
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- 28000: 401 (a wrong key) and 403
-- ===================================================================
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (SET api_key 'sk-wrong');
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm OPTIONS (SET api_key 'sk-master-test');
\! mockctl fault '{"method": "POST", "status": 403, "body": "{\"detail\": {\"error\": \"not an admin\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-403', '{"api_key": "k"}');  -- ERROR
\! mockctl fault '{"method": "POST", "status": 403, "body": "{\"detail\": {\"error\": \"not an admin\"}}"}'
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-403', 'x', 'openai/x');  -- ERROR

-- ===================================================================
-- 22023: 400 and 422 from the server; bad input before any request
-- ===================================================================
\! mockctl fault '{"method": "POST", "status": 400, "body": "{\"error\": {\"message\": \"bad\", \"code\": \"400\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-400', '{"api_key": "k"}');  -- ERROR
\! mockctl fault '{"method": "POST", "status": 422, "body": "{\"detail\": [{\"loc\": [\"body\", \"x\"], \"msg\": \"Field required\"}]}"}'
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-422', 'x', 'openai/x');  -- ERROR
\! mockctl fault '{"method": "PATCH", "status": 422, "body": "{\"detail\": [{\"loc\": [\"body\", \"x\"], \"msg\": \"Field required\"}]}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"a": 1}' WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl fault '{"method": "PATCH", "status": 400, "body": "{\"error\": {\"message\": \"bad\", \"code\": \"400\"}}"}'
UPDATE litellm_model SET model_name = 'y' WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests >/dev/null
INSERT INTO litellm_credential (credential_name, credential_values) VALUES ('c-bad', '[1]');  -- ERROR
INSERT INTO litellm_model (model_id, model_name, litellm_params) VALUES ('m-bad', 'x', '[1]');  -- ERROR
-- a masked value written back
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'copy', credential_values FROM litellm_credential WHERE credential_name = 'openai-prod';  -- ERROR
INSERT INTO litellm_model (model_id, model_name, litellm_params)
SELECT 'copy', model_name, litellm_params FROM litellm_model WHERE model_id = 'm-inline-key';  -- ERROR
-- (only the reads were sent)
\! mockctl requests

-- ===================================================================
-- 23502: NULL where LiteLLM needs a value, before any request
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES (NULL, '{"api_key": "k"}');  -- ERROR
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-null', NULL, 'openai/x');  -- ERROR
\! mockctl requests

-- ===================================================================
-- 23505: a name or id that exists (409 in g5 and g6; 500 "Unique constraint
-- failed" in g4 and for models)
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "k"}');  -- ERROR
\! mockctl config '{"generation": "g4"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "k"}');  -- ERROR
\! mockctl config '{"generation": "g6"}'
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-claude', 'x', 'openai/x');  -- ERROR
-- the duplicate found by the server itself (the lookup before the POST
-- did not see it: someone created it meanwhile)
\! mockctl fault '{"method": "POST", "status": 409, "body": "{\"error\": {\"message\": \"Credential c-409 already exists\", \"code\": \"409\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-409', '{"api_key": "k"}');  -- ERROR
\! mockctl fault '{"method": "POST", "status": 500, "body": "{\"error\": {\"message\": \"Unique constraint failed on the fields: (`model_id`)\", \"code\": \"500\"}}"}'
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-500', 'x', 'openai/x');  -- ERROR
\! mockctl state | cut -d' ' -f1
\! mockctl models | cut -d' ' -f1

-- ===================================================================
-- 23503: a reference to nothing (a credential's model_id, a model's
-- credential_name)
-- ===================================================================
INSERT INTO litellm_credential (credential_name, model_id)
VALUES ('c-from-nothing', 'm-unknown');  -- ERROR
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-no-cred', 'x', 'openai/x', 'no-such-credential');  -- ERROR

-- ===================================================================
-- HV000: 429, a 404 that is not LiteLLM's, another status, an error sent
-- with status 200, a redirect
-- ===================================================================
\! mockctl fault '{"method": "GET", "status": 429, "headers": {"Retry-After": "0"}, "body": "{}", "times": -1}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- (a 404 of GET /v2/model/info falls back to /model/info, which fails
-- too; a 502 of a read is retried: "times": -1)
\! mockctl fault '{"method": "GET", "status": 404, "body": "{\"detail\": \"Not Found\"}", "times": -1}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "status": 502, "body": "<html>bad gateway</html>", "content_type": "text/html", "times": -1}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"message\": \"DB not connected\", \"type\": \"internal_server_error\", \"param\": \"None\", \"code\": \"500\"}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"message\": \"DB not connected\", \"type\": \"internal_server_error\", \"param\": \"None\", \"code\": \"500\"}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 302, "headers": {"Location": "http://127.0.0.1:1/"}, "body": ""}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 302, "headers": {"Location": "http://127.0.0.1:1/"}, "body": ""}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- HV004: a body that does not parse, or of an unexpected shape; a list
-- naming a credential twice
-- ===================================================================
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"success\": true, \"credentials\": [}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"data\": [}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"success\": true, \"credentials\": []} trailing"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "[]"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"success\": true, \"credentials\": [{\"credential_name\": \"twin\"}, {\"credential_name\": \"twin\"}]}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR

-- ===================================================================
-- 22P05: \u0000 in a response string; 22021: invalid UTF-8 (a byte 0xFF
-- in a name: body_encoding latin-1 sends \u00ff as that one byte)
-- ===================================================================
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"success\": true, \"credentials\": [{\"credential_name\": \"a\\u0000b\"}]}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body": "{\"data\": [{\"model_name\": \"a\\u0000b\", \"litellm_params\": {\"model\": \"openai/a\"}, \"model_info\": {\"id\": \"x\"}}], \"total_count\": 1, \"current_page\": 1, \"total_pages\": 1, \"size\": 50}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body_encoding": "latin-1", "body": "{\"success\": true, \"credentials\": [{\"credential_name\": \"a\u00ffb\"}]}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "status": 200, "body_encoding": "latin-1", "body": "{\"data\": [{\"model_name\": \"a\u00ffb\", \"litellm_params\": {\"model\": \"openai/a\"}, \"model_info\": {\"id\": \"x\"}}], \"total_count\": 1, \"current_page\": 1, \"total_pages\": 1, \"size\": 50}"}'
SELECT count(*) FROM litellm_model;  -- ERROR

-- ===================================================================
-- 54000: a response larger than max_response_bytes
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD max_response_bytes '1000');
\! mockctl fault '{"method": "GET", "huge_bytes": 5000}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method": "GET", "huge_bytes": 5000}'
SELECT count(*) FROM litellm_model;  -- ERROR
ALTER SERVER litellm OPTIONS (DROP max_response_bytes);

-- ===================================================================
-- 57014: statement_timeout while a request waits
-- ===================================================================
\! mockctl fault '{"method": "GET", "delay_ms": 5000, "times": 2}'
SET statement_timeout = '200ms';
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_model;  -- ERROR
RESET statement_timeout;
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- 40001: changed by this transaction, deleted by someone else before the
-- commit (the test server removes it just before the write arrives)
-- ===================================================================
BEGIN;
UPDATE litellm_credential SET credential_info = credential_info || '{"t": 1}' WHERE credential_name = 'anthropic';
\! mockctl fault '{"method": "PATCH", "vanish": true}'
COMMIT;  -- ERROR
BEGIN;
UPDATE litellm_model_tx SET model_name = 'renamed' WHERE model_id = 'm-claude';
\! mockctl fault '{"method": "PATCH", "vanish": true}'
COMMIT;  -- ERROR
\! mockctl state | cut -d' ' -f1
\! mockctl models | cut -d' ' -f1
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- 55000: a model that LiteLLM does not keep in its database (from its
-- config file) cannot be changed
-- ===================================================================
UPDATE litellm_model SET model_name = 'x' WHERE model_name = 'config-llama';  -- ERROR
DELETE FROM litellm_model WHERE model_name = 'config-llama';  -- ERROR

-- ===================================================================
-- a failure at commit: the failed call's SQLSTATE (23505, 22023, HV000)
-- ===================================================================
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-commit', '{"api_key": "k"}');
INSERT INTO litellm_model_tx (model_id, model_name, litellm_model)
VALUES ('m-commit', 'x', 'openai/x');
\! mockctl fault '{"method": "POST", "path_prefix": "/credentials", "status": 409, "body": "{\"error\": {\"message\": \"Credential c-commit already exists\", \"code\": \"409\"}}"}'
COMMIT;  -- ERROR
BEGIN;
INSERT INTO litellm_model_tx (model_id, model_name, litellm_model)
VALUES ('m-commit', 'x', 'openai/x');
\! mockctl fault '{"method": "POST", "path_prefix": "/model/new", "status": 422, "body": "{\"detail\": [{\"loc\": [\"body\", \"x\"], \"msg\": \"Field required\"}]}"}'
COMMIT;  -- ERROR
BEGIN;
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
DELETE FROM litellm_model_tx WHERE model_id = 'm-claude';
\! mockctl fault '{"method": "POST", "path_prefix": "/model/delete", "status": 503, "body": "{}", "times": -1}'
COMMIT;  -- ERROR
\! mockctl state | cut -d' ' -f1
\! mockctl models | cut -d' ' -f1
\set VERBOSITY default

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
