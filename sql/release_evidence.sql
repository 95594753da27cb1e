-- release_evidence: every release-dependent decision of a write comes from
-- evidence, and EXPLAIN VERBOSE says which (issue 22, items 1 and 2):
--   * what the server declares in GET /openapi.json (the PATCH body of
--     /credentials/{credential_name}, the routes it has);
--   * a version, only on the side of a boundary LiteLLM's history
--     establishes (doc/litellm-api.md section 4.1);
--   * the server option litellm_version;
--   * nothing: the conservative choice.
-- The test server plays each line; its /openapi.json and which version
-- route it answers follow the same evidence (test/mock/litellm_mock.py,
-- release evidence block).
\i test/setup.sql
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');
CREATE FOREIGN TABLE cred_tx (credential_name text, credential_info jsonb,
                              credential_values jsonb) SERVER litellm;

-- ===================================================================
-- item 1: /health/readiness/details is no proof of the newest line.
-- team-admin (mid-2026) and 2026-09 answer it (v1.84.0 on), and their
-- PATCH ignores credential_values_to_delete: a key removal is refused and
-- the stored credential keeps both keys; on the newest line the
-- declared credential_values_to_delete removes the key
-- ===================================================================
\c -
\! mockctl reset ta "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential VALUES ('c', '{}', '{"api_key": "k1", "api_base": "https://b"}');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}'
 WHERE credential_name = 'c';
UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}' WHERE credential_name = 'c';  -- ERROR
SELECT credential_values ? 'api_base' FROM litellm_credential WHERE credential_name = 'c';
\! mockctl requests
\! mockctl state | grep '^c '

\c -
\! mockctl reset g5 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential VALUES ('c', '{}', '{"api_key": "k1", "api_base": "https://b"}');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}'
 WHERE credential_name = 'c';
UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}' WHERE credential_name = 'c';  -- ERROR
SELECT credential_values ? 'api_base' FROM litellm_credential WHERE credential_name = 'c';
\! mockctl requests
\! mockctl state | grep '^c '

\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
INSERT INTO litellm_credential VALUES ('c', '{}', '{"api_key": "k1", "api_base": "https://b"}');
EXPLAIN (VERBOSE, COSTS OFF) UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}'
 WHERE credential_name = 'c';
UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}' WHERE credential_name = 'c';
SELECT credential_values ? 'api_base' FROM litellm_credential WHERE credential_name = 'c';
\! mockctl requests
\! mockctl state | grep '^c '

-- the newest line with its docs off (GET /openapi.json 404): its version
-- (behind the key) tells nothing about writes, so the conservative choice:
-- refused, and nothing sent but the discovery
\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/openapi.json","times":-1,"status":404,"body":"{\"detail\":\"Not Found\"}"}'
INSERT INTO litellm_credential VALUES ('c', '{}', '{"api_key": "k1", "api_base": "https://b"}');
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'c';
UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}' WHERE credential_name = 'c';  -- ERROR
UPDATE litellm_credential SET credential_values = '{"api_key": "k1", "api_base": null}'
 WHERE credential_name = 'c';  -- ERROR
SELECT credential_name, credential_values FROM litellm_credential WHERE credential_name = 'c';
\! mockctl requests
\! mockctl state | grep '^c '

-- an /openapi.json that is no OpenAPI document (a proxy in front answers
-- HTML), and one too big to read: no evidence, the conservative choice
\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/openapi.json","times":-1,"status":200,"body":"<html>docs</html>"}'
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'openai-prod';
\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (ADD max_response_bytes '1000');
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'openai-prod';
ALTER SERVER litellm OPTIONS (DROP max_response_bytes);

-- ===================================================================
-- item 2: a version says nothing about writes beyond the boundaries
-- LiteLLM's history establishes.  1.81.7 answers a DELETE of any name
-- with success: a credential read by the statement but gone meanwhile is
-- 40001 (asked first with a PATCH that changes nothing), as with 2025-05
-- ===================================================================
\c -
\! mockctl reset g3 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
ALTER SERVER litellm OPTIONS (ADD litellm_version '1.81.7');
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'ghost';
DELETE FROM litellm_credential WHERE credential_name = 'ghost';  -- ERROR
\echo :SQLSTATE
ALTER SERVER litellm OPTIONS (SET litellm_version '2025-05');
DELETE FROM litellm_credential WHERE credential_name = 'ghost';  -- ERROR
\echo :SQLSTATE
\! mockctl requests
-- a version after the last established boundary: nothing known
ALTER SERVER litellm OPTIONS (SET litellm_version '1.90.0');
EXPLAIN (VERBOSE, COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'ghost';
ALTER SERVER litellm OPTIONS (DROP litellm_version);

-- ===================================================================
-- every value of the server option litellm_version: the same writes
-- against the line it names (test/generation_writes.sql prints the rows
-- and the test server's stored state after each write); 2026-08 is not
-- the newest line
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD litellm_version '2025-03');
\setenv GEN g1
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (SET litellm_version '2025-05');
\setenv GEN g3
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (SET litellm_version 'team-admin');
\setenv GEN ta
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (SET litellm_version '2026-08');
\setenv GEN g4
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (SET litellm_version '2026-09');
\setenv GEN g5
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (SET litellm_version 'newest');
\setenv GEN g6
\i test/generation_writes.sql
-- a version number: 1.74.9 is a 2025-05..11 release
ALTER SERVER litellm OPTIONS (SET litellm_version '1.74.9');
\setenv GEN g3
\i test/generation_writes.sql
ALTER SERVER litellm OPTIONS (DROP litellm_version);

-- ===================================================================
-- a hostile server's words in the evidence: a version or a schema name
-- that holds the mapping's key is not believed, so neither EXPLAIN nor a
-- message can show it (release.c server_word_clean)
-- ===================================================================
\c -
\! mockctl reset g3 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method":"GET","path_prefix":"/health/readiness","times":-1,"status":200,"body":"{\"status\":\"healthy\",\"litellm_version\":\"1.74.0-sk-master-test\"}"}'
\! mockctl fault '{"method":"GET","path_prefix":"/openapi.json","times":-1,"status":200,"body":"{\"openapi\":\"3.1.0\",\"paths\":{\"/credentials/{credential_name}\":{\"patch\":{\"requestBody\":{\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/sk-master-test\"}}}}}}},\"components\":{\"schemas\":{\"sk-master-test\":{\"properties\":{\"credential_name\":{}}}}}}"}'
EXPLAIN (VERBOSE, COSTS OFF) UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}'
 WHERE credential_name = 'azure-eu';
UPDATE litellm_credential SET credential_values = '{"api_key": "k1"}' WHERE credential_name = 'azure-eu';  -- ERROR

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
