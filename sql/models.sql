-- litellm_model: the models table (resource 'models'), read page by page
-- from GET /v2/model/info, with litellm_params masked; INSERT, UPDATE and
-- DELETE; the fallback to GET /model/info; IMPORT FOREIGN SCHEMA.
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
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');
-- (write_mode 'immediate': each write is sent as its row is processed, so
-- that its answer shows here; transactions.sql has models at commit)

-- ===================================================================
-- IMPORT FOREIGN SCHEMA: both tables, LIMIT TO and EXCEPT
-- ===================================================================
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm FROM SERVER litellm INTO imported;
\d imported.litellm_model
\d imported.litellm_credential
DROP SCHEMA imported CASCADE;
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm LIMIT TO (litellm_model) FROM SERVER litellm INTO imported;
SELECT foreign_table_name FROM information_schema.foreign_tables
 WHERE foreign_table_schema = 'imported' ORDER BY 1;
IMPORT FOREIGN SCHEMA litellm EXCEPT (litellm_model) FROM SERVER litellm INTO imported;
SELECT foreign_table_name FROM information_schema.foreign_tables
 WHERE foreign_table_schema = 'imported' ORDER BY 1;
SELECT count(*) FROM imported.litellm_model;
DROP SCHEMA imported CASCADE;
IMPORT FOREIGN SCHEMA public FROM SERVER litellm INTO public;  -- ERROR
\! mockctl requests

-- ===================================================================
-- columns and options
-- ===================================================================
CREATE FOREIGN TABLE bad_model (model_id text, nope text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM bad_model;  -- ERROR
DROP FOREIGN TABLE bad_model;
CREATE FOREIGN TABLE bad_model (litellm_params json)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM bad_model;  -- ERROR
DROP FOREIGN TABLE bad_model;
CREATE FOREIGN TABLE bad_model (model_id text)
    SERVER litellm OPTIONS (resource 'prompts');  -- ERROR
CREATE FOREIGN TABLE bad_model (model_id text)
    SERVER litellm OPTIONS (resource 'models', page_size '0');  -- ERROR
-- any subset of the columns, in any order
CREATE FOREIGN TABLE model_names (model_name varchar, model_id text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM model_names ORDER BY model_id;
DROP FOREIGN TABLE model_names;
\! mockctl requests

-- ===================================================================
-- reads: one page of 50
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_model;
SELECT model_id, model_name, litellm_model, credential_name, api_base
  FROM litellm_model ORDER BY model_id;
\! mockctl requests

-- masking: LiteLLM drops api_key and masks some keys partly; every key
-- that looks secret is masked in full, whatever its type; the rest (and
-- litellm_credential_name) as LiteLLM sent it
SELECT model_id, jsonb_pretty(litellm_params) FROM litellm_model
 WHERE model_id IN ('m-inline-key', 'm-claude') ORDER BY 1;
SELECT model_info FROM litellm_model WHERE model_id = 'm-inline-key';
SELECT model_info FROM litellm_model WHERE model_name = 'config-llama';
-- unmasked_keys applies here too
ALTER SERVER litellm OPTIONS (ADD unmasked_keys 'max_tokens');
SELECT litellm_params->'max_tokens' FROM litellm_model WHERE model_id = 'm-claude';
ALTER SERVER litellm OPTIONS (DROP unmasked_keys);
-- no secret of the test server's store shows anywhere
SELECT count(*) FROM litellm_model
 WHERE litellm_params::text ~ '(inline-secret|abcdefghijklmnop|987654321)';
\! mockctl requests

-- ===================================================================
-- pagination: pages are fetched as rows are consumed
-- ===================================================================
ALTER FOREIGN TABLE litellm_model OPTIONS (ADD page_size '3');
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model;
SELECT model_id FROM litellm_model;
\! mockctl requests
-- LIMIT stops the requests too
SELECT model_id FROM litellm_model LIMIT 2;
\! mockctl requests
SELECT model_id FROM litellm_model LIMIT 4;
\! mockctl requests
-- a page size that divides the count: the last page says there is no more
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '7');
SELECT count(*) FROM litellm_model;
\! mockctl requests
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');

-- ===================================================================
-- model_id = value: ?modelId=
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_model WHERE model_id = 'm-claude';
SELECT model_id, model_name, credential_name FROM litellm_model WHERE model_id = 'm-claude';
SELECT model_id FROM litellm_model WHERE model_id = 'no-such-model';
SELECT model_id FROM litellm_model WHERE model_id = NULL;
SELECT model_id FROM litellm_model WHERE model_id = '';
\! mockctl requests
PREPARE by_id(text) AS SELECT model_name FROM litellm_model WHERE model_id = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE by_id('x');
EXECUTE by_id('m-gpt4o');
RESET plan_cache_mode;
DEALLOCATE by_id;
-- other conditions are checked locally on the pages
SELECT model_id FROM litellm_model WHERE credential_name = 'openai-prod' ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- INSERT: POST /model/new
-- ===================================================================
INSERT INTO litellm_model (model_name, litellm_model, credential_name, litellm_params)
VALUES ('claude-haiku', 'anthropic/claude-haiku-4', 'anthropic', '{"rpm": 50}')
RETURNING model_id, model_name, litellm_model, credential_name, litellm_params;
-- a given model_id becomes model_info.id; secrets in litellm_params are
-- sent, and masked in RETURNING
INSERT INTO litellm_model (model_id, model_name, litellm_params, model_info)
VALUES ('m-new', 'gpt-4.1', '{"model": "openai/gpt-4.1", "api_key": "sk-new-secret-42", "api_base": "https://gw.example.com"}',
        '{"description": "added from SQL"}')
RETURNING model_id, litellm_model, api_base, litellm_params;
\! mockctl requests
\! mockctl models | grep -E '^(m-new|00000000)'
SELECT model_id, model_name, credential_name, litellm_params, model_info
  FROM litellm_model WHERE model_id = 'm-new';
EXPLAIN (COSTS OFF) INSERT INTO litellm_model (model_name, litellm_model) VALUES ('x', 'y');
-- what can never work is refused before any request
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
-- UPDATE: PATCH /model/{id}/update with only what changes
-- ===================================================================
EXPLAIN (COSTS OFF) UPDATE litellm_model SET credential_name = NULL WHERE model_id = 'm-gpt4o';
-- detach the stored credential, then attach another
UPDATE litellm_model SET credential_name = NULL WHERE model_id = 'm-gpt4o'
RETURNING model_id, credential_name, litellm_params;
UPDATE litellm_model SET credential_name = 'azure-eu' WHERE model_id = 'm-gpt4o'
RETURNING model_id, credential_name;
\! mockctl requests
-- keys read back masked are not sent again: only the new key goes
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 10}'
 WHERE model_id = 'm-inline-key';
-- a key removed from the object is sent as null (removed)
UPDATE litellm_model SET litellm_params = litellm_params - 'organization'
 WHERE model_id = 'm-inline-key';
-- nothing changes: no request
UPDATE litellm_model SET litellm_params = litellm_params WHERE model_id = 'm-inline-key';
\! mockctl requests
\! mockctl models | grep '^m-inline-key'
UPDATE litellm_model SET model_name = 'gpt-4o-renamed', api_base = 'https://other.example.com',
       model_info = model_info || '{"team": "core"}'
 WHERE model_id = 'm-gpt4o-mini'
RETURNING model_name, api_base, model_info;
\! mockctl requests
-- a new secret with a masked one is refused before any request
UPDATE litellm_model SET litellm_params = litellm_params || '{"aws_session_token": "tok-****"}'
 WHERE model_id = 'm-inline-key';  -- ERROR
UPDATE litellm_model SET model_id = 'x' WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET litellm_model = NULL WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET credential_name = '' WHERE model_id = 'm-claude';  -- ERROR
UPDATE litellm_model SET credential_name = 'no-such-credential' WHERE model_id = 'm-claude';  -- ERROR
\! mockctl requests
-- a model of LiteLLM's config file cannot be changed through the API
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 1}'
 WHERE model_name = 'config-llama';  -- ERROR
-- a model that vanished meanwhile (someone else deleted it: the test
-- server removes it just before the PATCH arrives, and answers with its
-- own 404): an error (40001), not "UPDATE 0": the statement read it
\! mockctl fault '{"method": "PATCH", "path_prefix": "/model/m-claude/", "vanish": true}'
UPDATE litellm_model SET model_name = 'gone' WHERE model_id = 'm-claude';
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- ===================================================================
-- DELETE: POST /model/delete
-- ===================================================================
EXPLAIN (COSTS OFF) DELETE FROM litellm_model WHERE model_id = 'm-orphan';
DELETE FROM litellm_model WHERE model_id = 'm-orphan' RETURNING model_id, model_name, credential_name;
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
DELETE FROM litellm_model WHERE model_name = 'config-llama';  -- ERROR
\! mockctl requests
SELECT count(*) FROM litellm_model;

-- ===================================================================
-- the request ceiling: litellm_fdw.max_requests_per_statement
-- ===================================================================
SHOW litellm_fdw.max_requests_per_statement;
SET litellm_fdw.max_requests_per_statement = 1;
SELECT count(*) FROM litellm_model;  -- ERROR
SET litellm_fdw.max_requests_per_statement = 3;
SELECT count(*) FROM litellm_model;
SET litellm_fdw.max_requests_per_statement = 0;
SELECT count(*) FROM litellm_model;
RESET litellm_fdw.max_requests_per_statement;
SET litellm_fdw.max_requests_per_statement = -1;  -- ERROR
-- writes are not counted: one per row, as many as the statement asks for
SET litellm_fdw.max_requests_per_statement = 1;
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('bulk-1', 'openai/a'), ('bulk-2', 'openai/b'), ('bulk-3', 'openai/c');
RESET litellm_fdw.max_requests_per_statement;
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
-- a server that claims more pages than it has: an empty page ends the scan
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 200, "body": "{\"data\": [], \"total_count\": 1000, \"current_page\": 1, \"total_pages\": 1000}"}'
SELECT count(*) FROM litellm_model;
\! mockctl fault '{"path_prefix": "/v2/model/info", "status": 500, "body": "{\"error\": {\"message\": \"database is down\", \"type\": \"internal_server_error\", \"param\": \"None\", \"code\": \"500\"}}"}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests

-- ===================================================================
-- LiteLLM without GET /v2/model/info: GET /model/info, unpaginated
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json | sed 's/^{/{"model_info_v2": false, /')"
SELECT model_id FROM litellm_model ORDER BY 1;
\! mockctl requests
-- the backend remembers: the next scan goes there at once
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model;
SELECT model_id, litellm_params FROM litellm_model WHERE model_id = 'm-inline-key';
\! mockctl requests
DROP FOREIGN TABLE litellm_model;
