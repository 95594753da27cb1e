-- litellm_model, writes: INSERT (POST /model/new), UPDATE (PATCH
-- /model/{id}/update with only what changes) and DELETE (POST
-- /model/delete), RETURNING, what is sent (the test server's record) and
-- what LiteLLM stores.  Input refused before any request and HTTP errors
-- are in models_errors.sql; write_mode 'commit' in models_transactions.sql.
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
-- (write_mode 'immediate': each write is sent as its row is processed, so
-- that its answer shows here; page_size '3': a full read takes three pages)

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
-- writes are not counted by litellm_fdw.max_requests_per_statement: one
-- per row, as many as the statement asks for
-- ===================================================================
\! mockctl requests >/dev/null
SET litellm_fdw.max_requests_per_statement = 1;
INSERT INTO litellm_model (model_name, litellm_model)
VALUES ('bulk-1', 'openai/a'), ('bulk-2', 'openai/b'), ('bulk-3', 'openai/c');
RESET litellm_fdw.max_requests_per_statement;
\! mockctl requests

-- ===================================================================
-- several rows, INSERT ... SELECT, COPY: one POST each
-- ===================================================================
CREATE TEMP TABLE provisioning (name text, provider_model text, cred text);
INSERT INTO provisioning VALUES ('team-a', 'openai/gpt-4o', 'openai-prod'),
                                ('team-b', 'azure/gpt-4-eu', NULL);
INSERT INTO litellm_model (model_name, litellm_model, credential_name, litellm_params)
SELECT name, provider_model, cred, jsonb_build_object('rpm', 7)
  FROM provisioning
RETURNING model_name, litellm_model, credential_name, litellm_params;
COPY litellm_model (model_id, model_name, litellm_model) FROM stdin;
m-copied-1	copied-1	openai/c1
m-copied-2	copied-2	openai/c2
\.
\! mockctl requests
\! mockctl models | grep -E 'team-|copied-' | cut -d' ' -f1,2,3

-- ===================================================================
-- the columns litellm_model, credential_name and api_base are keys of
-- litellm_params, and win over the same keys in it; numbers are sent
-- exactly, however long their text (the stored state shows it)
-- ===================================================================
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name, api_base, litellm_params)
VALUES ('m-cols', 'cols', 'openai/from-column', 'azure-eu', 'https://column.example.com',
        '{"model": "openai/from-params", "litellm_credential_name": "openai-prod", "api_base": "https://params.example.com", "rpm": 12345678901234567890123, "temperature": 0.1}')
RETURNING litellm_model, credential_name, api_base, litellm_params - 'rpm' AS litellm_params;
\! mockctl requests
\! mockctl models | grep '^m-cols '

-- ===================================================================
-- UPDATE of several rows: one PATCH each, with only what changes
-- ===================================================================
UPDATE litellm_model SET model_info = model_info || '{"owner": "platform"}'
 WHERE model_name LIKE 'team-%';
\! mockctl requests
SELECT model_name, model_info->>'owner' AS owner FROM litellm_model
 WHERE model_name LIKE 'team-%' ORDER BY 1;
\! mockctl requests >/dev/null
-- api_base alone changes one key of litellm_params
UPDATE litellm_model SET api_base = 'https://new.example.com' WHERE model_id = 'm-cols'
RETURNING api_base, litellm_params->'api_base' AS in_params;
\! mockctl requests
EXPLAIN (COSTS OFF) UPDATE litellm_model SET model_name = 'x' WHERE model_name = 'y';

-- ===================================================================
-- a table without model_id cannot be updated or deleted from
-- ===================================================================
CREATE FOREIGN TABLE no_id (model_name text, litellm_model text)
    SERVER litellm OPTIONS (resource 'models');
UPDATE no_id SET model_name = 'x' WHERE model_name = 'cols';  -- ERROR
DELETE FROM no_id WHERE model_name = 'cols';  -- ERROR
DROP FOREIGN TABLE no_id;
\! mockctl requests

-- ===================================================================
-- a BEFORE ROW trigger's changes are sent too, with the same checks
-- ===================================================================
CREATE FUNCTION stamp_model() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.model_info := NEW.model_info || '{"stamped_by": "trigger"}';
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE UPDATE ON litellm_model
    FOR EACH ROW EXECUTE FUNCTION stamp_model();
UPDATE litellm_model SET model_name = 'cols-2' WHERE model_id = 'm-cols'
RETURNING model_name, model_info;
\! mockctl requests
DROP TRIGGER stamp ON litellm_model;
DROP FUNCTION stamp_model();

-- ===================================================================
-- DELETE of several rows, RETURNING; a model the read does not find
-- costs no request
-- ===================================================================
DELETE FROM litellm_model WHERE model_name LIKE 'copied-%'
RETURNING model_id, model_name, litellm_model;
DELETE FROM litellm_model WHERE model_id IN ('m-cols', 'nope');
DELETE FROM litellm_model WHERE model_id = 'nope';
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- a model deleted by someone else before the POST /model/delete (the
-- test server removes it just before the request arrives): LiteLLM
-- answers as it does for a model of its config file, and the error says
-- both
\! mockctl fault '{"method": "POST", "path_prefix": "/model/delete", "vanish": true}'
DELETE FROM litellm_model WHERE model_name = 'team-a';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests

-- ===================================================================
-- ON CONFLICT: unlike credentials, models accept none at all (0A000,
-- before any request; doc/errors.md); a conflict target cannot work on
-- a foreign table anyway
-- ===================================================================
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-gpt4o', 'dup', 'openai/x'), ('m-conflict-new', 'fresh', 'openai/y')
ON CONFLICT DO NOTHING;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-x', 'x', 'openai/x') ON CONFLICT (model_id) DO NOTHING;  -- ERROR
\! mockctl requests

-- ===================================================================
-- RETURNING shows litellm_params as written: numbers exact, secrets
-- masked.  (The UPDATE's row was read, and a read takes numbers exactly
-- as sent: its rpm keeps every digit; the test server stores temperature
-- as a double, and sends and records it so.)
-- ===================================================================
INSERT INTO litellm_model (model_id, model_name, litellm_params)
VALUES ('m-big', 'big', '{"model": "openai/big", "rpm": 12345678901234567890123, "temperature": 0.12345678901234567890, "api_key": "sk-big-secret-7"}')
RETURNING model_id, litellm_params;
UPDATE litellm_model SET litellm_params = litellm_params || '{"tpm": 98765432109876543210}'
 WHERE model_id = 'm-big'
RETURNING model_id, litellm_params;
\! mockctl requests
\! mockctl models | grep '^m-big '
DELETE FROM litellm_model WHERE model_id = 'm-big';
\! mockctl requests

-- ===================================================================
-- an UPDATE or DELETE reads the whole list before its first write:
-- each write would shift the pages still to come (offset pagination),
-- and rows would be skipped.  A SELECT still reads a page only when it
-- needs its rows, so that a LIMIT saves requests.
-- ===================================================================
\! mockctl reset g6 '{"models": [{"id": "m-keep", "model_name": "keep", "litellm_params": {"model": "openai/keep"}}, {"id": "m-del-1", "model_name": "del", "litellm_params": {"model": "openai/del"}}, {"id": "m-del-2", "model_name": "del", "litellm_params": {"model": "openai/del"}}, {"id": "m-del-3", "model_name": "del", "litellm_params": {"model": "openai/del"}}, {"id": "m-del-4", "model_name": "del", "litellm_params": {"model": "openai/del"}}, {"id": "m-del-5", "model_name": "del", "litellm_params": {"model": "openai/del"}}, {"id": "m-del-6", "model_name": "del", "litellm_params": {"model": "openai/del"}}]}'
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '2');
UPDATE litellm_model SET litellm_model = 'openai/del-2' WHERE model_name = 'del';
\! mockctl requests
DELETE FROM litellm_model WHERE model_name = 'del';
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2
SELECT model_id FROM litellm_model LIMIT 1;
\! mockctl requests
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
