-- Errors: every way a request can fail (HTTP status, body, transport) and
-- the PostgreSQL error it becomes, for each operation: list scan, point read
-- (by_name), INSERT (POST), UPDATE (PATCH), rename (POST then DELETE) and
-- DELETE.  After each failure the next statement works, a failed write
-- leaves the server's state as it was, and no secret shows in any message.
-- Faults are injected into the test server with `mockctl fault`; each block
-- starts from a fresh server (`mockctl reset`).
\i test/setup.sql

-- ===================================================================
-- 401: a wrong api_key.  SQLSTATE 28000, and the key never shows
-- ===================================================================
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key 'sk-wrong-key-4711');
SELECT credential_name FROM litellm_credential ORDER BY 1;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
-- UPDATE and DELETE fail at their scan already
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';  -- ERROR
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- a server that echoes the key it got: the key is scrubbed from DETAIL
\! mockctl fault '{"status":401,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed. Got: sk-wrong-key-4711\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
-- 401 is not retried: one request per statement
\! mockctl requests
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key 'sk-master-test');
SELECT credential_name FROM litellm_credential ORDER BY 1;
\! mockctl requests

-- 401 on the write itself (the scan before it succeeded)
\! mockctl fault '{"method":"PATCH","status":401,"times":-1,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
\! mockctl fault '{"method":"DELETE","status":401,"times":-1,"body":"{\"error\":{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl state

-- ===================================================================
-- 403: access denied (FastAPI's {"detail": {"error": ...}} shape)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"POST","status":403,"times":-1,"body":"{\"detail\":{\"error\":\"Only the proxy admin can manage logging credentials\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a rename fails at its first step, the POST: nothing was deleted
UPDATE litellm_credential
   SET credential_name = 'anthropic-2',
       credential_values = '{"api_key": "sk-rename-secret-5678"}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state
SELECT count(*) FROM litellm_credential;

-- ===================================================================
-- 400 and 422: invalid parameter (22023), the server's message(s) in
-- DETAIL, never the secrets sent
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- a 400 whose message quotes a secret of the request
\! mockctl fault '{"method":"POST","status":400,"body":"{\"error\":{\"message\":\"Invalid api_key sk-insert-secret-1234 for provider openai\",\"type\":\"bad_request_error\",\"param\":null,\"code\":\"400\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a 422 validation list: "loc: msg" for each entry; "input" (which echoes
-- the request body) is never shown, and a secret in a msg is scrubbed
\! mockctl fault '{"method":"POST","status":422,"body":"{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"credential_info\"],\"msg\":\"Field required\",\"input\":{\"credential_name\":\"new-cred\",\"credential_values\":{\"api_key\":\"sk-insert-secret-1234\"}}},{\"type\":\"string_type\",\"loc\":[\"body\",\"credential_values\",\"api_key\",0],\"msg\":\"Input should be a valid string, not sk-insert-secret-1234\",\"input\":\"sk-insert-secret-1234\"}]}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl fault '{"method":"PATCH","status":422,"body":"{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"credential_info\"],\"msg\":\"Field required\",\"input\":{\"credential_values\":{\"api_key\":\"sk-update-secret-9012\"}}}]}"}'
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-update-secret-9012"}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- 404 on INSERT: model_id names no model
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential (credential_name, model_id)
VALUES ('from-model', 'm-unknown');  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- a name that exists: 409 (g5, g6) and 500 "Unique constraint failed"
-- (g4 and older) are both SQLSTATE 23505
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "sk-dup-secret-3456"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl reset g4 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "sk-dup-secret-3456"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- older builds prefix the message with "Internal Server Error, "
\! mockctl fault '{"method":"POST","status":500,"body":"{\"error\":{\"message\":\"Internal Server Error, Unique constraint failed on the fields: (`credential_name`)\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "sk-dup-secret-3456"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a rename onto an existing name
UPDATE litellm_credential
   SET credential_name = 'azure-eu',
       credential_values = '{"api_key": "sk-rename-secret-5678"}'
 WHERE credential_name = 'anthropic';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl state

-- ===================================================================
-- 500: an error with the status and the server's message
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
-- 500 is not retried, whatever the method
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"PATCH","status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
\! mockctl fault '{"method":"DELETE","status":500,"times":-1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';  -- ERROR
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- a rename whose DELETE of the old name fails, and so does deleting the
-- new one again: both exist, and the error says so
UPDATE litellm_credential
   SET credential_name = 'anthropic-2',
       credential_values = '{"api_key": "sk-rename-secret-5678"}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state
-- a rename whose DELETE of the old name fails once: the new credential is
-- deleted again, nothing changed
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"DELETE","status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
UPDATE litellm_credential
   SET credential_name = 'anthropic-2',
       credential_values = '{"api_key": "sk-rename-secret-5678"}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state

-- a failure at commit after a write that succeeded: the create is deleted
-- again, and the DETAIL says so; a failed delete leaves those before it
-- applied (a delete cannot be undone), and the DETAIL names them
\! mockctl reset g6 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}'),
       ('anthropic', '{"api_key": "sk-dup-secret-3456"}');  -- ERROR
\! mockctl fault '{"method":"DELETE","status":500,"skip":1,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
DELETE FROM litellm_credential WHERE credential_name IN ('openai-prod', 'azure-eu');  -- ERROR
SELECT credential_name FROM litellm_credential ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- 429 with Retry-After: a GET (or PATCH) is retried max_retries (2)
-- times, honouring Retry-After; a POST is sent once.  The error shows
-- the status, the message and the Retry-After
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"status":429,"times":-1,"headers":{"Retry-After":"1"},"body":"{\"error\":{\"message\":\"No deployments available\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl requests
-- the 429 goes away after one retry: the statement succeeds
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"PATCH","status":429,"headers":{"Retry-After":"0"},"body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';
\! mockctl requests
-- max_retries 0: no retry at all
ALTER SERVER litellm OPTIONS (ADD max_retries '0');
\! mockctl fault '{"method":"GET","status":429,"body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
ALTER SERVER litellm OPTIONS (DROP max_retries);

-- ===================================================================
-- One HTTP engine: a request sent in a batch (here the lookups of an IN
-- list, which go out together) waits the server's Retry-After before its
-- retry, as a single request does (it used to wait the 200 ms backoff)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/","status":429,"headers":{"Retry-After":"1"},"body":"{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"429\"}}"}'
SELECT clock_timestamp() AS t0 \gset
SELECT credential_name FROM litellm_credential
 WHERE credential_name IN ('anthropic', 'openai-prod') ORDER BY 1;
SELECT clock_timestamp() - :'t0' >= interval '1 second' AS waited_retry_after;
\! mockctl requests

-- ===================================================================
-- One HTTP engine: writes sent in a batch (a multi-row INSERT in
-- write_mode 'immediate') make the statement forget the responses it
-- kept, as a single write does: a read after them in the same statement
-- asks again and sees the new rows (it used to read the kept list)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate', ADD batch_size '2');
CREATE FUNCTION lfdw_count_insert_count() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    before bigint;
    after bigint;
BEGIN
    SELECT count(*) INTO before FROM litellm_credential;
    INSERT INTO litellm_credential (credential_name, credential_values)
    VALUES ('forget-1', '{"api_key": "sk-forget-1"}'),
           ('forget-2', '{"api_key": "sk-forget-2"}');
    SELECT count(*) INTO after FROM litellm_credential;
    RETURN before || ' then ' || after;
END $$;
\! mockctl requests >/dev/null
SELECT lfdw_count_insert_count();
\! mockctl requests
DROP FUNCTION lfdw_count_insert_count();
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP write_mode, DROP batch_size);

-- ===================================================================
-- 502 and 503: a GET is retried, then fails; a POST is sent once
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"status":503,"times":-1,"body":"{\"error\":{\"message\":\"Service Unavailable\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"503\"}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl requests
-- a 503 on DELETE: not retried (a repeated DELETE would answer 404 and
-- the row would count as not deleted)
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"DELETE","status":503,"times":-1,"body":"{\"error\":{\"message\":\"Service Unavailable\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"503\"}}"}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
-- the HTML page of a proxy in front of LiteLLM: not JSON
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"status":502,"times":-1,"content_type":"text/html","body":"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- a 502, and a 504 with an empty body, that go away after one retry
\! mockctl fault '{"method":"GET","status":502,"content_type":"text/html","body":"<html>Bad Gateway</html>"}'
SELECT credential_name FROM litellm_credential ORDER BY 1;
\! mockctl fault '{"method":"GET","status":504,"body":""}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests
-- a 504 that stays: the error says the body is empty
\! mockctl fault '{"method":"GET","status":504,"body":"","times":-1}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests

-- ===================================================================
-- an error sent with HTTP status 200 (older LiteLLM): the flat
-- {"message","type","param","code"} body is the error its code says,
-- never a success
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method":"GET","status":200,"body":"{\"message\":\"Authentication Error, Invalid proxy server token passed.\",\"type\":\"auth_error\",\"param\":\"None\",\"code\":\"401\"}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- a 404 sent as 200 on a point read is "no row"
\! mockctl fault '{"method":"GET","status":200,"body":"{\"message\":\"Credential not found. Got credential name: anthropic\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"404\"}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl fault '{"method":"POST","status":200,"body":"{\"message\":\"Unique constraint failed on the fields: (`credential_name`)\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl fault '{"method":"PATCH","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl fault '{"method":"DELETE","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- a code that is no number: still an error
\! mockctl fault '{"method":"DELETE","status":200,"body":"{\"message\":\"something went wrong\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"None\"}"}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- bodies that are not what the API promises: an error saying what was
-- expected
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- truncated JSON
\! mockctl fault '{"method":"GET","truncate_json":40}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method":"GET","truncate_json":20}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- a write answered with truncated JSON: it may have been applied, so it
-- is read back (sql/outcomes.sql): it was, and this failed commit (of one
-- statement) deletes it again
\! mockctl fault '{"method":"POST","truncate_json":10}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl state
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- an empty body with status 200
\! mockctl fault '{"method":"GET","status":200,"body":""}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method":"DELETE","status":200,"body":""}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- "credentials" is not a list
\! mockctl fault '{"method":"GET","status":200,"body":"{\"success\":true,\"credentials\":{\"anthropic\":{}}}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
-- a JSON array at the top
\! mockctl fault '{"method":"GET","status":200,"body":"[{\"credential_name\":\"anthropic\"}]"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
-- a credential_name that is not a string
\! mockctl fault '{"method":"GET","status":200,"body":"{\"success\":true,\"credentials\":[{\"credential_name\":42,\"credential_info\":{},\"credential_values\":{}}]}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
-- a credential without a name, in a point read
\! mockctl fault '{"method":"GET","status":200,"body":"{\"credential_info\":{},\"credential_values\":{}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
-- credential_values that is not an object
\! mockctl fault '{"method":"GET","status":200,"body":"{\"success\":true,\"credentials\":[{\"credential_name\":\"anthropic\",\"credential_info\":{},\"credential_values\":\"sk-ant-abcdefgh\"}]}"}'
SELECT credential_name, credential_values FROM litellm_credential;  -- ERROR
-- a point read answering with another credential: the local recheck
-- drops it
\! mockctl fault '{"method":"GET","status":200,"body":"{\"credential_name\":\"azure-eu\",\"credential_info\":{},\"credential_values\":{}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';
-- a string holding \u0000, which text cannot hold: an error, never a name
-- cut short at the NUL (which would address another credential)
\! mockctl fault '{"method":"GET","status":200,"body":"{\"success\":true,\"credentials\":[{\"credential_name\":\"anthropic\\u0000-2\",\"credential_info\":{},\"credential_values\":{}}]}"}'
\set VERBOSITY sqlstate
SELECT credential_name FROM litellm_credential;  -- ERROR
\set VERBOSITY default
-- a write answered with JSON that is not {"success": true}
\! mockctl fault '{"method":"PATCH","status":200,"body":"{\"success\":false}"}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
SELECT credential_name FROM litellm_credential ORDER BY 1;

-- ===================================================================
-- invalid UTF-8 in a response.  The test server only sends UTF-8, so the
-- body is cut in the middle of a multibyte character of a name
-- ===================================================================
\! mockctl reset g6 '{"credentials":[{"credential_name":"日本","credential_values":{"api_key":"sk-x-12345"}}]}'
\! mockctl fault '{"method":"GET","truncate_json":52}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT credential_name FROM litellm_credential;
\! mockctl requests

-- ===================================================================
-- transport failures: an FDW connection error (HV00N) naming the server,
-- libcurl's text in DETAIL (not shown here: it holds the port)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- ALTER SERVER drops the kept-alive connection: the next request opens a
-- new one
ALTER SERVER litellm OPTIONS (ADD max_retries '2');
-- the connection is closed without a response: a GET is retried
-- max_retries times
\! mockctl fault '{"drop":true,"times":-1}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- ... a POST is not (it may have been applied: it is read back, and that
-- read fails too, so the DETAIL says unknown and the hint stays)
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl requests
-- a dropped connection that a retry gets past
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","drop":true}'
SELECT credential_name FROM litellm_credential ORDER BY 1;
\! mockctl requests
-- a POST or DELETE on a kept-alive connection that the server closes
-- after reading the request: sent once, not re-sent on a new connection
-- (the server may have applied it).  libcurl tries to resend it silently
-- (no byte of an answer came back on a reused connection): litellm_fdw
-- stops that second send and the DETAIL says so, and what reading it back
-- found (not applied: this server closed before making it)
\! mockctl fault '{"method":"POST","drop":true}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl requests
\! mockctl fault '{"method":"DELETE","drop":true}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
\! mockctl state
-- the same at COMMIT: the second create's connection closes after the
-- server read it; nothing is sent twice, and the DETAIL names that call
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('drop-1', '{"api_key": "sk-drop-1"}'), ('drop-2', '{"api_key": "sk-drop-2"}'),
       ('drop-3', '{"api_key": "sk-drop-3"}');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","drop":true,"skip":1}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2, $3 }' | cut -c1-80
\! mockctl state | grep -c drop-
-- writes reuse the kept-alive connection: one TCP connection for a read,
-- three creates and a delete, statement after statement ...
\! mockctl reset g5 "$(cat test/mock/seed.json)"
SELECT count(*) FROM litellm_credential;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('reuse-1', '{"api_key": "sk-reuse-1"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('reuse-2', '{"api_key": "sk-reuse-2"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('reuse-3', '{"api_key": "sk-reuse-3"}');
DELETE FROM litellm_credential WHERE credential_name = 'reuse-1';
\! mockctl stats
-- ... but not one idle for more than 2 s (servers close idle connections:
-- uvicorn after 5 s): a write after 3 s opens a new one
\! sleep 3
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('reuse-4', '{"api_key": "sk-reuse-4"}');
\! mockctl stats
\! mockctl requests | awk '{ print $1, $2 }'
\set VERBOSITY terse
-- the connection is reset in the middle of the body: a GET is retried
\! mockctl fault '{"reset_mid_body":true,"times":-1}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- ... a DELETE is not
\! mockctl fault '{"method":"DELETE","reset_mid_body":true,"times":-1}'
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl requests
-- ... a PATCH is (it is idempotent), and succeeds the second time
\! mockctl fault '{"method":"PATCH","reset_mid_body":true}'
UPDATE litellm_credential SET credential_info = credential_info || '{"x": 1}'
 WHERE credential_name = 'anthropic';
\! mockctl requests
\set VERBOSITY default
ALTER SERVER litellm OPTIONS (DROP max_retries);
\! mockctl reset g6 "$(cat test/mock/seed.json)"
SELECT credential_name FROM litellm_credential ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- max_response_bytes: a larger body is an error (54000), raised before
-- the body is read into memory
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD max_response_bytes '1000');
\! mockctl fault '{"method":"GET","huge_bytes":5000000}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- many credentials: a list over 1000 bytes
\! mockctl reset g6 "$(python3 -c 'import json; print(json.dumps({"credentials": [{"credential_name": "c%03d" % i, "credential_values": {"api_key": "sk-%030d" % i}} for i in range(40)]}))')"
SELECT count(*) FROM litellm_credential;  -- ERROR
-- a point read is small enough
SELECT credential_name FROM litellm_credential WHERE credential_name = 'c007';
ALTER SERVER litellm OPTIONS (DROP max_response_bytes);
SELECT count(*) FROM litellm_credential;
\! mockctl requests

-- ===================================================================
-- timeout_ms: a slow answer times out (HV00N), and is not retried
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (ADD timeout_ms '300');
\! mockctl fault '{"method":"GET","delay_ms":1500}'
\set VERBOSITY terse
SELECT credential_name FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! mockctl requests
SELECT credential_name FROM litellm_credential ORDER BY 1;
ALTER SERVER litellm OPTIONS (DROP timeout_ms);
\! mockctl requests

-- ===================================================================
-- connection refused: an FDW connection error
-- ===================================================================
CREATE SERVER litellm_down FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:1');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm_down
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE cred_down (credential_name text, credential_values jsonb)
    SERVER litellm_down;
\set VERBOSITY terse
SELECT * FROM cred_down;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
INSERT INTO cred_down VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\set VERBOSITY default
DROP SERVER litellm_down CASCADE;

-- ===================================================================
-- a redirect is not followed (the key must not go elsewhere)
-- ===================================================================
\! mockctl fault '{"method":"GET","status":302,"headers":{"Location":"http://127.0.0.1:1/credentials"},"body":""}'
SELECT credential_name FROM litellm_credential;  -- ERROR
\! mockctl fault '{"method":"POST","status":307,"headers":{"Location":"http://127.0.0.1:1/credentials"},"body":""}'
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-cred', '{"api_key": "sk-insert-secret-1234"}');  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- a body that drips past timeout_ms: a timeout, not retried; a write
-- that timed out may have been applied: it is read back, and says so
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (ADD timeout_ms '400');
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","drip_ms":20}'
\set VERBOSITY terse
SELECT count(*) FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! mockctl fault '{"method":"POST","drip_ms":50}'
-- (libcurl's DETAIL counts the bytes that arrived in time: not shown)
-- write_mode 'immediate': the INSERT itself sends, and can be caught
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');
DO $$
DECLARE
    hint text;
BEGIN
    INSERT INTO litellm_credential (credential_name, credential_values)
    VALUES ('dripped', '{"api_key": "sk-drip-secret-1"}');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
    RAISE NOTICE '% %: %', SQLSTATE, SQLERRM, hint;
END $$;
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP write_mode);
-- at commit (write_mode 'commit'): the COMMIT fails, with the same error
\! mockctl fault '{"method":"POST","drip_ms":50}'
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('dripped-2', '{"api_key": "sk-drip-secret-2"}');
\set VERBOSITY terse
COMMIT;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
\! mockctl requests
ALTER SERVER litellm OPTIONS (DROP timeout_ms);

-- ===================================================================
-- a name listed twice: credential_name is the row identity, so the list
-- is refused rather than read
-- ===================================================================
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":200,"times":2,"body":"{\"success\":true,\"credentials\":[{\"credential_name\":\"twin\",\"credential_info\":{},\"credential_values\":{}},{\"credential_name\":\"other\"},{\"credential_name\":\"twin\",\"credential_info\":{\"from\":\"config\"}}]}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR
-- and so is a DELETE over it, before any DELETE is sent
DELETE FROM litellm_credential WHERE credential_name LIKE 'tw%';  -- ERROR
\! mockctl requests

-- ===================================================================
-- more shapes the API does not promise: credential_info not an object,
-- a field given twice, an empty name
-- ===================================================================
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/","status":200,"body":"{\"credential_name\":\"anthropic\",\"credential_info\":[1,2],\"credential_values\":{}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/","status":200,"body":"{\"credential_name\":\"anthropic\",\"credential_name\":\"evil\",\"credential_values\":{}}"}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';  -- ERROR
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":200,"body":"{\"success\":true,\"credentials\":[{\"credential_name\":\"\"}]}"}'
SELECT credential_name FROM litellm_credential;  -- ERROR

-- ===================================================================
-- a huge Retry-After waits the capped time, never zero (it used to
-- wrap around): the statement_timeout ends the wait
-- ===================================================================
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":503,"times":-1,"headers":{"Retry-After":"99999999999999999999"},"body":"{}"}'
SET statement_timeout = '1s';
SELECT count(*) FROM litellm_credential;  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests

-- ===================================================================
-- a connection that is never established: connect_timeout_ms, then the
-- FDW connection error; nothing was sent, so it is retried, even a POST
-- ===================================================================
\getenv blackhole_url MOCK_BLACKHOLE_URL
CREATE SERVER litellm_blackhole FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'blackhole_url', connect_timeout_ms '200', max_retries '1');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm_blackhole
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE cred_blackhole (credential_name text, credential_values jsonb)
    SERVER litellm_blackhole;
SELECT clock_timestamp() AS t0 \gset
\set VERBOSITY terse
SELECT * FROM cred_blackhole;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
INSERT INTO cred_blackhole VALUES ('never', '{"api_key": "sk-never-sent-1"}');  -- ERROR
\set VERBOSITY default
-- two statements, each two attempts of 200 ms (and a 200 ms pause)
SELECT clock_timestamp() - :'t0' BETWEEN interval '1 s' AND interval '5 s' AS waited_for_connect_timeouts;
DROP SERVER litellm_blackhole CASCADE;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
