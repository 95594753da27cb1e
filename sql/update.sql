-- UPDATE without a rename: PATCH /credentials/{name}, only the columns
-- assigned in SET change, masks are never sent back.
\i test/setup.sql

-- ===================================================================
-- credential_info only: the new info, and credential_values {}
-- ===================================================================
UPDATE litellm_credential SET credential_info = '{"custom_llm_provider": "azure", "region": "westeurope"}'
 WHERE credential_name = 'azure-eu' RETURNING *;
\! mockctl requests
\! mockctl state | grep '^azure-eu '

-- ===================================================================
-- credential_values: the new object; keys gone from it are deleted
-- (credential_values_to_delete); the current info is sent along
-- ===================================================================
UPDATE litellm_credential
   SET credential_values = '{"api_key": "az-key-rotated-1", "api_base": "https://eu2.example.azure.com"}'
 WHERE credential_name = 'azure-eu' RETURNING credential_name, credential_values;
\! mockctl requests
\! mockctl state | grep '^azure-eu '
-- both at once, with an expression over the current info
UPDATE litellm_credential
   SET credential_info = credential_info || '{"rotated": true}',
       credential_values = jsonb_build_object('api_key', 'sk-ant-rotated-2')
 WHERE credential_name = 'anthropic';
\! mockctl requests
\! mockctl state | grep '^anthropic '

-- ===================================================================
-- several rows: one PATCH each
-- ===================================================================
UPDATE litellm_credential SET credential_info = credential_info || '{"owner": "platform"}'
 WHERE credential_info->>'custom_llm_provider' IN ('openai', 'anthropic');
\! mockctl requests
SELECT credential_name, credential_info->>'owner' AS owner FROM litellm_credential ORDER BY 1;
EXPLAIN (COSTS OFF) UPDATE litellm_credential SET credential_info = '{}'
 WHERE credential_name = 'x';

-- ===================================================================
-- a masked value is never sent as a secret
-- ===================================================================
-- (a mask written back exactly as read is no secret: it keeps the key, see
-- sql/rotation.sql; a mask moved to another key is refused)
\! mockctl requests >/dev/null
UPDATE litellm_credential
   SET credential_values = jsonb_build_object('api_version', credential_values->'api_key')
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-abc****xyz"}'
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential SET credential_values = '[]'
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential SET credential_info = '"text"'
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential SET credential_name = NULL
 WHERE credential_name = 'openai-prod';  -- ERROR
-- only the reads went out
\! mockctl requests

-- ===================================================================
-- model_id cannot change without a rename (checked when planning)
-- ===================================================================
UPDATE litellm_credential SET model_id = 'm-gpt4o' WHERE credential_name = 'openai-prod';  -- ERROR
\! mockctl requests

-- ===================================================================
-- a credential deleted by someone else before the commit (the test server
-- removes it just before the PATCH arrives, and answers with its own 404):
-- the commit fails (SQLSTATE 40001), and nothing was changed
-- ===================================================================
\! mockctl fault '{"method": "PATCH", "path_prefix": "/credentials/openai-prod", "vanish": true}'
UPDATE litellm_credential SET credential_info = credential_info || '{"checked": true}' WHERE credential_name = 'openai-prod';
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl state
\! mockctl reset g6 "$(cat test/mock/seed.json)"

-- ===================================================================
-- a table without credential_info: the current info is read first
-- (newer LiteLLM requires it on PATCH)
-- ===================================================================
CREATE FOREIGN TABLE cred_values_only (credential_name text, credential_values jsonb)
    SERVER litellm;
UPDATE cred_values_only SET credential_values = '{"api_key": "sk-openai-rotated-3"}'
 WHERE credential_name = 'openai-prod';
\! mockctl requests
\! mockctl state | grep '^openai-prod '
DROP FOREIGN TABLE cred_values_only;

-- a table without credential_name cannot be updated or deleted from
CREATE FOREIGN TABLE no_name (credential_info jsonb) SERVER litellm;
UPDATE no_name SET credential_info = '{}';  -- ERROR
DELETE FROM no_name;  -- ERROR
DROP FOREIGN TABLE no_name;

-- ===================================================================
-- SET credential_name to the same name is no rename
-- ===================================================================
UPDATE litellm_credential SET credential_name = 'anthropic', credential_info = '{"custom_llm_provider": "anthropic", "v": 3}'
 WHERE credential_name = 'anthropic';
\! mockctl requests

-- ===================================================================
-- a BEFORE ROW trigger's changes are sent too, with the same checks
-- ===================================================================
CREATE FUNCTION stamp_info() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.credential_info := NEW.credential_info || '{"stamped_by": "trigger"}';
    RETURN NEW;
END $$;
CREATE TRIGGER stamp BEFORE UPDATE ON litellm_credential
    FOR EACH ROW EXECUTE FUNCTION stamp_info();
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-ant-rotated-4"}'
 WHERE credential_name = 'anthropic' RETURNING credential_name, credential_info;
\! mockctl requests
DROP TRIGGER stamp ON litellm_credential;
DROP FUNCTION stamp_info();

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
