-- Generations: the release lines of doc/litellm-api.md, each played by the
-- test server (mockctl reset GEN; test/mock/litellm_mock.py cites LiteLLM's code
-- for each behaviour):
--   g1  2025-03      {name} routes; errors of GET list/PATCH/DELETE as HTTP
--                    200; DELETE of a missing name succeeds; PATCH does not
--                    refresh what reads are served from
--   g3  2025-05..11  as g1, with "/" in names
--   ta  team-admin   PATCH merges credential_info
--   g4  1.95         real status codes; DELETE of a missing name still
--                    succeeds
--   g5  2026-09      409 on a duplicate; served info merged; DELETE of a
--                    missing name 404
--   g6  newest       credential_values_to_delete honoured, nulls dropped,
--                    DELETE .../user_connection is another route
-- From team-admin (a mid-2026 release) on, the version is only on
-- /health/readiness/details; every line serves /openapi.json, which the
-- FDW reads for what each line declares (sql/release_evidence.sql).
-- The same writes (test/generation_writes.sql) run against each; after
-- every write the test server's stored state is printed, and it matches
-- what SQL reported: a write the line would not apply as asked is refused
-- before anything is sent.  Then the lines' differences in errors of
-- reads and in "/" names, and the models.
\i test/setup.sql
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');
-- the same credentials, written at commit
CREATE FOREIGN TABLE cred_tx (credential_name text, credential_info jsonb,
                              credential_values jsonb) SERVER litellm;

\setenv GEN g1
\i test/generation_writes.sql
\setenv GEN g3
\i test/generation_writes.sql
\setenv GEN ta
\i test/generation_writes.sql
\setenv GEN g4
\i test/generation_writes.sql
\setenv GEN g5
\i test/generation_writes.sql
\setenv GEN g6
\i test/generation_writes.sql

-- ===================================================================
-- g1 (March 2025): errors of GET list, PATCH and DELETE come as HTTP 200
-- with a flat body; DELETE of a missing name succeeds; a duplicate is 500;
-- no route takes a name holding "/" (404 {"detail":"Not Found"})
-- ===================================================================
\c -
\! mockctl reset g1 "$(cat test/mock/seed.json)"
-- an error of GET list, as this generation sends it: HTTP 200, flat body
\! mockctl fault '{"method":"GET","path_prefix":"/credentials","status":200,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential;
\! mockctl requests
-- a name holding "/": g1 has no route for it, so creating one is refused
-- before sending (it could never be deleted); one made otherwise (here by
-- the test server's seed): every request that names it is an error (never a
-- silent "no row"); the list still shows it
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('team-a/openai', '{"api_key": "sk-slash-secret"}');  -- ERROR
\! mockctl reset g1 '{"credentials": [{"credential_name": "team-a/openai", "credential_values": {"api_key": "sk-slash-secret"}}]}'
SELECT credential_name FROM litellm_credential WHERE credential_name = 'team-a/openai';  -- ERROR
UPDATE litellm_credential SET credential_info = '{"y": 2}'
 WHERE credential_name LIKE 'team-a/%';  -- ERROR
\! mockctl state | grep '^team-a/'
DELETE FROM litellm_credential WHERE credential_name LIKE 'team-a/%';  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- g3 (2025-05..11): like g1, but "/" is allowed in names
-- ===================================================================
\c -
\! mockctl reset g3 "$(cat test/mock/seed.json)"
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
-- g4 (August 2026): real status codes; DELETE of a missing name still
-- succeeds (so a DELETE is checked first); a duplicate is still 500
-- ===================================================================
\c -
\! mockctl reset g4 "$(cat test/mock/seed.json)"
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
-- g5 (September 2026): errors of reads as g4
-- ===================================================================
\c -
\! mockctl reset g5 "$(cat test/mock/seed.json)"
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
-- the release: EXPLAIN VERBOSE shows it; the server option litellm_version
-- overrides discovery; when discovery fails, the conservative choice
-- ===================================================================
\c -
\! mockctl reset g5 "$(cat test/mock/seed.json)"
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
-- 2026-09 declares a PATCH body without credential_values_to_delete
-- (/openapi.json): a null is stored as null; said to be 2026-09 by the
-- option, the same
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-ant-2", "api_base": null}'
 WHERE credential_name = 'anthropic';
ALTER SERVER litellm OPTIONS (ADD litellm_version '2026-09');
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-ant-2", "api_base": null}'
 WHERE credential_name = 'anthropic';
\! mockctl requests
\! mockctl state | grep '^anthropic '
ALTER SERVER litellm OPTIONS (DROP litellm_version);
-- the newest line, but /health/readiness and /openapi.json fail: unknown,
-- and what some line would not do is refused (here a key removal the
-- newest could do); a 503 is not kept beyond its statement, so the UPDATE
-- asks again
\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/health/readiness","times":-1,"status":503,"body":"{\"detail\":\"shutting down\"}"}'
\! mockctl fault '{"method":"GET","path_prefix":"/openapi.json","times":-1,"status":503,"body":"{\"detail\":\"shutting down\"}"}'
EXPLAIN (VERBOSE, COSTS OFF) UPDATE litellm_credential SET credential_values = '{"api_key": "k"}'
 WHERE credential_name = 'azure-eu';
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-az-2"}'
 WHERE credential_name = 'azure-eu';  -- ERROR
\! mockctl requests
\! mockctl state | grep '^azure-eu '

-- ===================================================================
-- a replacement no PATCH can make (2025-05..11: keys go) is a DELETE then
-- a POST at commit; when the POST fails, the DETAIL says that the DELETE
-- was applied
-- ===================================================================
\c -
\! mockctl reset g3 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"POST","skip":1,"status":500,"body":"{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":\"None\",\"code\":\"500\"}"}'
BEGIN;
DELETE FROM cred_tx WHERE credential_name = 'azure-eu';
INSERT INTO cred_tx (credential_name, credential_info, credential_values)
VALUES ('azure-eu', '{"region": "eu"}', '{"api_key": "sk-az-3"}');
INSERT INTO cred_tx (credential_name, credential_values)
VALUES ('other-new', '{"api_key": "sk-other"}');
COMMIT;  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- models: the same writes against a mid-2025 line (g3) and the newest
-- (g6), which differ in detaching a credential and in the booleans a
-- PATCH resets; the stored state after each
-- ===================================================================
CREATE FOREIGN TABLE litellm_model (
    model_id text, model_name text, litellm_model text, credential_name text,
    litellm_params jsonb, model_info jsonb
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');
CREATE FOREIGN TABLE model_tx (model_id text, model_name text, litellm_model text)
    SERVER litellm OPTIONS (resource 'models');
\setenv GEN g3
\i test/generation_models.sql
\setenv GEN g6
\i test/generation_models.sql

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
