-- Generations: one CRUD script run against each API generation the test
-- server knows (g1, g3, g4, g5; see doc/compatibility.md and doc/litellm-api.md), asserting
-- the requests sent and the results, which differ only where the
-- generations do:
--   duplicate name            500 "Unique constraint failed" (g1-g4), 409 (g5):
--                             SQLSTATE 23505 either way
--   credential_values_to_delete  honoured by g5 only (older ignore it, so a
--                             key dropped by an UPDATE stays on the server)
--   PATCH of a missing name   HTTP 200 + code 404 (g1, g3), 404 (g4, g5):
--                             UPDATE 0 either way
--   DELETE of a missing name  200 success (g1, g3): DELETE 1, the FDW cannot
--                             tell; 404 (g4, g5): DELETE 0
--   errors of GET list        HTTP 200 + flat body (g1, g3), real status (g4, g5)
--   "/" in a name             unroutable on g1 (404 {"detail":"Not Found"}):
--                             an error naming the missing route, on g3+ fine
--
-- A credential that vanishes between the scan and the write: the test
-- server is made to answer the point read of "ghost", which it does not
-- store.  The writes are sent as the rows are (write_mode 'immediate'), so
-- that each answer shows in the row count; commit-time writes judge the
-- answers with the same code (errors.sql, transactions.sql).
\i test/setup.sql
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');

-- ===================================================================
-- g1 (March 2025): errors of GET list, PATCH and DELETE come as HTTP 200
-- with a flat body; DELETE of a missing name succeeds; a duplicate is 500;
-- no route takes a name holding "/" (404 {"detail":"Not Found"})
-- ===================================================================
\! mockctl reset g1 "$(cat test/seed.json)"
-- create; then the same name again, and a rename onto an existing name
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "a"}',
        '{"api_key": "sk-gen-secret-1", "api_base": "https://gen.example.com"}')
RETURNING *;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-cred', '{"api_key": "sk-gen-secret-2"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_credential
   SET credential_name = 'anthropic', credential_values = '{"api_key": "sk-gen-secret-2"}'
 WHERE credential_name = 'gen-cred';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- update credential_info; then credential_values without api_base, which
-- goes in credential_values_to_delete
UPDATE litellm_credential SET credential_info = '{"team": "b"}'
 WHERE credential_name = 'gen-cred';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-3"}'
 WHERE credential_name = 'gen-cred';
\! mockctl requests
\! mockctl state | grep '^gen-cred '
-- rename, then delete
UPDATE litellm_credential
   SET credential_name = 'gen-renamed', credential_values = '{"api_key": "sk-gen-secret-4"}'
 WHERE credential_name = 'gen-cred';
DELETE FROM litellm_credential WHERE credential_name = 'gen-renamed';
\! mockctl requests
-- a credential that vanished after the scan: UPDATE 0; DELETE 0 but on
-- g1 and g3, which answer "success"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
UPDATE litellm_credential SET credential_info = '{"x": 1}'
 WHERE credential_name = 'ghost';
DELETE FROM litellm_credential WHERE credential_name = 'ghost';
\! mockctl requests
-- an error of GET list, as this generation sends it: HTTP 200, flat body
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential;
\! mockctl requests
-- a name holding "/": g1 has no route for it, so every request that names
-- it is an error (never a silent "no row"); the list still shows it
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('team-a/openai', '{"api_key": "sk-slash-secret"}');
SELECT credential_name FROM litellm_credential WHERE credential_name = 'team-a/openai';  -- ERROR
UPDATE litellm_credential SET credential_info = '{"y": 2}'
 WHERE credential_name LIKE 'team-a/%';  -- ERROR
\! mockctl state | grep '^team-a/'
DELETE FROM litellm_credential WHERE credential_name LIKE 'team-a/%';  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- g3 (CredentialsRepository era): like g1, but "/" is allowed in names
-- ===================================================================
\! mockctl reset g3 "$(cat test/seed.json)"
-- create; then the same name again, and a rename onto an existing name
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "a"}',
        '{"api_key": "sk-gen-secret-1", "api_base": "https://gen.example.com"}')
RETURNING *;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-cred', '{"api_key": "sk-gen-secret-2"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_credential
   SET credential_name = 'anthropic', credential_values = '{"api_key": "sk-gen-secret-2"}'
 WHERE credential_name = 'gen-cred';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- update credential_info; then credential_values without api_base, which
-- goes in credential_values_to_delete
UPDATE litellm_credential SET credential_info = '{"team": "b"}'
 WHERE credential_name = 'gen-cred';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-3"}'
 WHERE credential_name = 'gen-cred';
\! mockctl requests
\! mockctl state | grep '^gen-cred '
-- rename, then delete
UPDATE litellm_credential
   SET credential_name = 'gen-renamed', credential_values = '{"api_key": "sk-gen-secret-4"}'
 WHERE credential_name = 'gen-cred';
DELETE FROM litellm_credential WHERE credential_name = 'gen-renamed';
\! mockctl requests
-- a credential that vanished after the scan: UPDATE 0; DELETE 0 but on
-- g1 and g3, which answer "success"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
UPDATE litellm_credential SET credential_info = '{"x": 1}'
 WHERE credential_name = 'ghost';
DELETE FROM litellm_credential WHERE credential_name = 'ghost';
\! mockctl requests
-- an error of GET list, as this generation sends it: HTTP 200, flat body
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential;
\! mockctl requests
-- a name holding "/"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('team-a/openai', '{"api_key": "sk-slash-secret"}');
SELECT credential_name FROM litellm_credential WHERE credential_name = 'team-a/openai';
UPDATE litellm_credential SET credential_info = '{"y": 2}'
 WHERE credential_name LIKE 'team-a/%';
\! mockctl state | grep '^team-a/'
DELETE FROM litellm_credential WHERE credential_name LIKE 'team-a/%';
\! mockctl requests
\! mockctl state

-- ===================================================================
-- g4 (August 2026): real status codes everywhere; DELETE of a missing
-- name is 404; a duplicate is still 500
-- ===================================================================
\! mockctl reset g4 "$(cat test/seed.json)"
-- create; then the same name again, and a rename onto an existing name
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "a"}',
        '{"api_key": "sk-gen-secret-1", "api_base": "https://gen.example.com"}')
RETURNING *;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-cred', '{"api_key": "sk-gen-secret-2"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_credential
   SET credential_name = 'anthropic', credential_values = '{"api_key": "sk-gen-secret-2"}'
 WHERE credential_name = 'gen-cred';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- update credential_info; then credential_values without api_base, which
-- goes in credential_values_to_delete
UPDATE litellm_credential SET credential_info = '{"team": "b"}'
 WHERE credential_name = 'gen-cred';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-3"}'
 WHERE credential_name = 'gen-cred';
\! mockctl requests
\! mockctl state | grep '^gen-cred '
-- rename, then delete
UPDATE litellm_credential
   SET credential_name = 'gen-renamed', credential_values = '{"api_key": "sk-gen-secret-4"}'
 WHERE credential_name = 'gen-cred';
DELETE FROM litellm_credential WHERE credential_name = 'gen-renamed';
\! mockctl requests
-- a credential that vanished after the scan: UPDATE 0; DELETE 0 but on
-- g1 and g3, which answer "success"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
UPDATE litellm_credential SET credential_info = '{"x": 1}'
 WHERE credential_name = 'ghost';
DELETE FROM litellm_credential WHERE credential_name = 'ghost';
\! mockctl requests
-- an error of GET list, as this generation sends it: HTTP 500
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential;
\! mockctl requests
-- a name holding "/"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('team-a/openai', '{"api_key": "sk-slash-secret"}');
SELECT credential_name FROM litellm_credential WHERE credential_name = 'team-a/openai';
UPDATE litellm_credential SET credential_info = '{"y": 2}'
 WHERE credential_name LIKE 'team-a/%';
\! mockctl state | grep '^team-a/'
DELETE FROM litellm_credential WHERE credential_name LIKE 'team-a/%';
\! mockctl requests
\! mockctl state

-- ===================================================================
-- g5 (September 2026): a duplicate is 409; PATCH honours
-- credential_values_to_delete
-- ===================================================================
\! mockctl reset g5 "$(cat test/seed.json)"
-- create; then the same name again, and a rename onto an existing name
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "a"}',
        '{"api_key": "sk-gen-secret-1", "api_base": "https://gen.example.com"}')
RETURNING *;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-cred', '{"api_key": "sk-gen-secret-2"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_credential
   SET credential_name = 'anthropic', credential_values = '{"api_key": "sk-gen-secret-2"}'
 WHERE credential_name = 'gen-cred';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- update credential_info; then credential_values without api_base, which
-- goes in credential_values_to_delete
UPDATE litellm_credential SET credential_info = '{"team": "b"}'
 WHERE credential_name = 'gen-cred';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-3"}'
 WHERE credential_name = 'gen-cred';
\! mockctl requests
\! mockctl state | grep '^gen-cred '
-- rename, then delete
UPDATE litellm_credential
   SET credential_name = 'gen-renamed', credential_values = '{"api_key": "sk-gen-secret-4"}'
 WHERE credential_name = 'gen-cred';
DELETE FROM litellm_credential WHERE credential_name = 'gen-renamed';
\! mockctl requests
-- a credential that vanished after the scan: UPDATE 0; DELETE 0 but on
-- g1 and g3, which answer "success"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
UPDATE litellm_credential SET credential_info = '{"x": 1}'
 WHERE credential_name = 'ghost';
DELETE FROM litellm_credential WHERE credential_name = 'ghost';
\! mockctl requests
-- an error of GET list, as this generation sends it: HTTP 500
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential;
\! mockctl requests
-- a name holding "/"
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('team-a/openai', '{"api_key": "sk-slash-secret"}');
SELECT credential_name FROM litellm_credential WHERE credential_name = 'team-a/openai';
UPDATE litellm_credential SET credential_info = '{"y": 2}'
 WHERE credential_name LIKE 'team-a/%';
\! mockctl state | grep '^team-a/'
DELETE FROM litellm_credential WHERE credential_name LIKE 'team-a/%';
\! mockctl requests
\! mockctl state

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
