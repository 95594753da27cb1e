-- litellm_model, errors: input refused before any request, what LiteLLM
-- refuses, malformed pages, and every way a request can fail (HTTP
-- status, body, transport) with the PostgreSQL error it becomes, for the
-- scan, the point read, INSERT, UPDATE and DELETE; the server's record
-- shows what was sent (and retried), and no secret shows in any message.
-- sqlstates.sql asserts the bare SQLSTATEs of both tables.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    litellm_model   text,
    credential_name text,
    api_base        text,
    litellm_params  jsonb,
    model_info      jsonb
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate', page_size '3');
-- (write_mode 'immediate': each write is sent as its row is processed)

-- ===================================================================
-- INSERT: what can never work is refused before any request
-- ===================================================================
INSERT INTO litellm_model (model_name) VALUES ('no-provider-model');  -- ERROR
INSERT INTO litellm_model (litellm_model) VALUES ('openai/gpt-4o');  -- ERROR
INSERT INTO litellm_model (model_name, litellm_model, credential_name)
VALUES ('x', 'openai/x', '');  -- ERROR
INSERT INTO litellm_model (model_name, litellm_params)
VALUES ('x', '{"model": "openai/x", "api_key": "sk-********"}');  -- ERROR
INSERT INTO litellm_model (model_name, litellm_params) VALUES ('x', '[1]');  -- ERROR
-- copying a model copies its masks, and is refused
INSERT INTO litellm_model (model_name, litellm_params)
SELECT model_name || '-copy', litellm_params FROM litellm_model WHERE model_id = 'm-inline-key';  -- ERROR
\! mockctl requests
-- what LiteLLM refuses
INSERT INTO litellm_model (model_name, litellm_model, credential_name)
VALUES ('x', 'openai/x', 'no-such-credential');  -- ERROR
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-claude', 'dup', 'openai/x');  -- ERROR
\! mockctl requests

-- ===================================================================
-- UPDATE: what can never work is refused before any request
-- ===================================================================
-- a new secret with a masked one is refused before any request
UPDATE litellm_model SET litellm_params = litellm_params || '{"aws_session_token": "tok-****"}'
 WHERE model_id = 'm-inline-key';  -- ERROR
UPDATE litellm_model SET model_id = 'x' WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET litellm_model = NULL WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET credential_name = '' WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET credential_name = 'no-such-credential' WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests

-- ===================================================================
-- malformed pages: an error naming what was expected, never a crash
-- ===================================================================
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"models\": []}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [{\"model_name\": \"x\", \"model_info\": {}}]}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [{\"model_name\": \"x\", \"model_name\": \"y\", \"model_info\": {\"id\": \"dup\"}}]}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [{\"litellm_params\": [1], \"model_info\": {\"id\": \"m\"}}]}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
-- a model_name that is not a string is a wrong answer, not a NULL
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [{\"model_name\": 42, \"litellm_params\": {\"model\": \"openai/x\"}, \"model_info\": {\"id\": \"m-42\"}}]}"}'
SELECT model_id, model_name FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- model_id is the row identity: a page listing one twice is refused
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [{\"model_name\": \"a\", \"model_info\": {\"id\": \"m-twice\"}}, {\"model_name\": \"b\", \"model_info\": {\"id\": \"m-twice\"}}]}"}'
SELECT model_id, model_name FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a server that claims more pages than it has: an empty page ends the scan
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [], \"total_count\": 1000, \"current_page\": 1, \"total_pages\": 1000}"}'
SELECT count(*) FROM litellm_model;
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 500, "body": "{\"error\": {\"message\": \"database is down\", \"type\": \"internal_server_error\", \"param\": \"None\", \"code\": \"500\"}}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests

-- ===================================================================
-- 401: a wrong api_key.  SQLSTATE 28000, and the key never shows
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key 'sk-wrong-key-4711');
SELECT model_id FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
-- UPDATE and DELETE fail at their scan already
UPDATE litellm_model SET model_name = 'x' WHERE model_id = 'm-claude';  -- ERROR
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
-- a server that echoes the key it got: the key is scrubbed from DETAIL
\! mockctl fault '{"status":401,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed. Got: sk-wrong-key-4711\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
SELECT model_id FROM litellm_model;  -- ERROR
-- 401 is not retried: one request per statement
\! mockctl requests
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key 'sk-master-test');
-- 401 on the write itself (the scan before it succeeded)
\! mockctl fault '{"method":"PATCH","status":401,"times":-1,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":401,"times":-1,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
UPDATE litellm_model SET model_name = 'x' WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- ===================================================================
-- 403: access denied (FastAPI's {"detail": {"error": ...}} shape)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","status":403,"times":-1,"body":"{\"detail\":{\"error\":\"User does not have permission to make this model call\"}}"}'
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | cut -d' ' -f1

-- ===================================================================
-- 400 and 422: invalid parameter (22023), the server's message(s) in
-- DETAIL, never the secrets sent
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- a 400 whose message quotes a secret of the request
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","status":400,"body":"{\"error\":{\"message\":\"Invalid api_key sk-model-secret-1234 for provider openai\",\"type\":\"bad_request_error\",\"param\":null,\"code\":\"400\"}}"}'
INSERT INTO litellm_model (model_name, litellm_params)
VALUES ('new-model', '{"model": "openai/x", "api_key": "sk-model-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a 422 validation list: "loc: msg" for each entry; "input" (which echoes
-- the request body) is never shown, and a secret in a msg is scrubbed
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","status":422,"body":"{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"model_info\"],\"msg\":\"Field required\",\"input\":{\"model_name\":\"new-model\",\"litellm_params\":{\"api_key\":\"sk-model-secret-1234\"}}},{\"type\":\"string_type\",\"loc\":[\"body\",\"litellm_params\",\"api_key\"],\"msg\":\"Input should be a valid string, not sk-model-secret-1234\",\"input\":\"sk-model-secret-1234\"}]}"}'
INSERT INTO litellm_model (model_name, litellm_params)
VALUES ('new-model', '{"model": "openai/x", "api_key": "sk-model-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl fault '{"method":"PATCH","status":422,"body":"{\"detail\":[{\"type\":\"dict_type\",\"loc\":[\"body\",\"litellm_params\"],\"msg\":\"Input should be a valid dictionary\",\"input\":{\"api_key\":\"sk-update-secret-9012\"}}]}"}'
UPDATE litellm_model SET litellm_params = litellm_params || '{"api_key": "sk-update-secret-9012"}'
 WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | cut -d' ' -f1

-- ===================================================================
-- 500: an error with the status and the server's message, not retried
-- whatever the method
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
SELECT model_id FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"PATCH","status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
UPDATE litellm_model SET model_name = 'x' WHERE model_id = 'm-claude';  -- ERROR
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- ===================================================================
-- 429 with Retry-After: a GET (or PATCH) is retried max_retries (2)
-- times, honouring Retry-After; a POST is sent once
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"status":429,"times":-1,"headers":{"Retry-After":"0"},"body":"{\"error\":{\"message\":\"No deployments available\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
SELECT model_id FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
-- the 429 goes away after one retry: the statement succeeds
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"PATCH","status":429,"headers":{"Retry-After":"0"},"body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
UPDATE litellm_model SET model_name = 'claude-2' WHERE model_id = 'm-claude';
\! mockctl requests

-- ===================================================================
-- 502 and 503: a GET is retried, then fails; a POST is sent once (a
-- repeated /model/delete would answer "not found" and the row would
-- count as not deleted)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"status":503,"times":-1,"body":"{\"error\":{\"message\":\"Service Unavailable\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"503\"}}"}'
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":503,"times":-1,"body":"{\"error\":{\"message\":\"Service Unavailable\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"503\"}}"}'
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
-- the HTML page of a proxy in front of LiteLLM: not JSON
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"status":502,"times":-1,"content_type":"text/html","body":"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"}'
SELECT model_id FROM litellm_model;  -- ERROR
\! mockctl requests
-- a 502 that goes away after one retry
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"GET","status":502,"content_type":"text/html","body":"<html>Bad Gateway</html>"}'
SELECT count(*) FROM litellm_model;
\! mockctl requests

-- ===================================================================
-- an error sent with HTTP status 200 (older LiteLLM): the flat
-- {"message","type","param","code"} body is the error its code says,
-- never a success
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"GET","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
SELECT model_id FROM litellm_model;  -- ERROR
\! mockctl fault '{"method":"GET","status":200,"body":"{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}"}'
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\! mockctl fault '{"method":"PATCH","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
UPDATE litellm_model SET model_name = 'x' WHERE model_id = 'm-claude';  -- ERROR
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- ===================================================================
-- bodies that are not what the API promises: an error saying what was
-- expected
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- truncated JSON
\! mockctl fault '{"method":"GET","truncate_json":40}'
SELECT model_id FROM litellm_model;  -- ERROR
\! mockctl fault '{"method":"GET","truncate_json":20}'
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
-- an empty body with status 200
\! mockctl fault '{"method":"GET","status":200,"body":""}'
SELECT model_id FROM litellm_model;  -- ERROR
-- a JSON array at the top
\! mockctl fault '{"method":"GET","status":200,"body":"[{\"model_name\":\"x\"}]"}'
SELECT model_id FROM litellm_model;  -- ERROR
-- a point read answering with another model: the local recheck drops it
\! mockctl fault '{"method":"GET","status":200,"body":"{\"data\":[{\"model_name\":\"other\",\"litellm_params\":{\"model\":\"openai/x\"},\"model_info\":{\"id\":\"m-other\"}}]}"}'
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';
\! mockctl requests

-- ===================================================================
-- answers to a write that do not confirm it: an error (HV004), and the
-- change may have been applied, as for a credential: read back by id
-- when the write has one (sql/outcomes.sql)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- a truncated answer to POST /model/new: the model was stored
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","truncate_json":30}'
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('cut-short', 'openai/cut');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | grep ' cut-short ' | cut -d' ' -f1,2
-- an empty answer to POST /model/delete: nothing was deleted
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":200,"body":""}'
DELETE FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | grep -c '^m-claude '
-- an array answering PATCH /model/{id}/update: nothing was changed
\! mockctl fault '{"method":"PATCH","status":200,"body":"[]"}'
UPDATE litellm_model SET model_name = 'renamed' WHERE model_id = 'm-claude';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | grep '^m-claude ' | cut -d' ' -f1,2

-- ===================================================================
-- transport failures: an FDW connection error (HV00N) naming the server
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER SERVER litellm OPTIONS (ADD max_retries '2');
\set VERBOSITY terse
-- the connection is closed without a response: a GET is retried
-- max_retries times ...
\! mockctl fault '{"drop":true,"times":-1}'
SELECT model_id FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- ... a POST is not (it may have been applied: read back, when it has
-- an id)
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\! mockctl requests
-- a dropped connection that a retry gets past
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"GET","drop":true}'
SELECT count(*) FROM litellm_model;
\! mockctl requests
-- a POST /model/delete whose connection the server closes after reading
-- it: sent once, not re-sent on a new connection
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","drop":true}'
DELETE FROM litellm_model WHERE model_id = 'm-orphan';  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1
-- the connection is reset in the middle of the body: a GET is retried;
-- a PATCH is (it is idempotent), and succeeds the second time
\! mockctl fault '{"method":"GET","reset_mid_body":true,"times":-1}'
SELECT model_id FROM litellm_model WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method":"PATCH","reset_mid_body":true}'
UPDATE litellm_model SET model_name = 'claude-3' WHERE model_id = 'm-claude';
\! mockctl requests
\! mockctl models | grep '^m-claude ' | cut -d' ' -f1,2
\set VERBOSITY default
ALTER SERVER litellm OPTIONS (DROP max_retries);

-- ===================================================================
-- max_response_bytes: a larger page is an error (54000); a smaller
-- page_size or a point read fits
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER SERVER litellm OPTIONS (ADD max_response_bytes '1500');
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '50');
SELECT count(*) FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT model_name FROM litellm_model WHERE model_id = 'm-claude';
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');
SELECT count(*) FROM litellm_model;
ALTER SERVER litellm OPTIONS (DROP max_response_bytes);
\! mockctl requests

-- ===================================================================
-- timeout_ms: a slow answer times out (HV00N), and is not retried
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD timeout_ms '300');
\! mockctl fault '{"method":"GET","delay_ms":1500}'
\set VERBOSITY terse
SELECT model_id FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! mockctl requests
SELECT count(*) FROM litellm_model;
ALTER SERVER litellm OPTIONS (DROP timeout_ms);
\! mockctl requests

-- ===================================================================
-- a body that drips past timeout_ms: a timeout, not retried; a write
-- that timed out may have been applied: it is read back (the dripped
-- write was applied: no hint)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER SERVER litellm OPTIONS (ADD timeout_ms '400');
\! mockctl fault '{"method":"GET","path_prefix":"/v2/model/info","drip_ms":20}'
\set VERBOSITY terse
SELECT count(*) FROM litellm_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","drip_ms":50}'
-- (libcurl's DETAIL counts the bytes that arrived in time: not shown)
DO $$
DECLARE
    hint text;
    detail text;
BEGIN
    INSERT INTO litellm_model (model_id, model_name, litellm_model)
    VALUES ('m-dripped', 'dripped', 'openai/drip');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT, detail = PG_EXCEPTION_DETAIL;
    -- the DETAIL's last line: what reading it back found
    RAISE NOTICE '% %: % %', SQLSTATE, SQLERRM, coalesce(nullif(hint, ''), '(no hint)'),
        substring(detail from E'\n([^\n]*)$');
END $$;
ALTER SERVER litellm OPTIONS (DROP timeout_ms);
\! mockctl requests
\! mockctl models | grep -c '^m-dripped ' || true

-- ===================================================================
-- connection refused: an FDW connection error, for reads and writes
-- ===================================================================
CREATE SERVER litellm_down FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:1');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm_down
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE model_down (model_id text, model_name text, litellm_model text)
    SERVER litellm_down OPTIONS (resource 'models', write_mode 'immediate');
\set VERBOSITY terse
SELECT * FROM model_down;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
INSERT INTO model_down (model_name, litellm_model) VALUES ('x', 'openai/x');  -- ERROR
\set VERBOSITY default
DROP SERVER litellm_down CASCADE;

-- ===================================================================
-- a redirect is not followed (the key must not go elsewhere)
-- ===================================================================
\! mockctl fault '{"method":"GET","status":302,"headers":{"Location":"http://127.0.0.1:1/v2/model/info"},"body":""}'
SELECT model_id FROM litellm_model;  -- ERROR
\! mockctl fault '{"method":"POST","status":307,"headers":{"Location":"http://127.0.0.1:1/model/new"},"body":""}'
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('new-model', 'openai/x');  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
