-- Key rotation: credential_values || '{"api_key": "..."}' keeps every other
-- stored value (a key whose value is still exactly the mask it was read
-- with is "unchanged": neither sent nor removed), on every release line and
-- in both write modes; the replacing form removes the keys it lacks where
-- LiteLLM can (the newest line), and is refused elsewhere.  Any other mask
-- is still refused.  litellm_fdw_pending_changes() (1.2) shows, per call,
-- the user mapping, resource, key, and the value keys set and removed.
\i test/setup.sql

-- ===================================================================
-- the safe form, newest line, in a transaction
-- ===================================================================
SELECT credential_values FROM litellm_credential WHERE credential_name = 'openai-prod';
BEGIN;
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-1"}'
 WHERE credential_name = 'openai-prod'
RETURNING credential_name, credential_values;
-- read your own writes: the kept key shows as LiteLLM sent it
SELECT credential_values FROM litellm_credential WHERE credential_name = 'openai-prod';
SELECT user_name = current_user AS own_mapping, resource, key, operation,
       method, path, changed_columns, keys_set, keys_removed
  FROM litellm_fdw_pending_changes();
COMMIT;
-- one PATCH with api_key only, no credential_values_to_delete
\! mockctl requests | grep -v '^GET'
\! mockctl state | grep 'openai-prod '

-- ===================================================================
-- rotating twice in one transaction: the first new value stays
-- ===================================================================
BEGIN;
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-2"}'
 WHERE credential_name = 'azure-eu';
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_version": "2025-01-01"}'
 WHERE credential_name = 'azure-eu';
SELECT key, operation, keys_set, keys_removed FROM litellm_fdw_pending_changes();
COMMIT;
\! mockctl requests | grep -v '^GET'
\! mockctl state | grep 'azure-eu '

-- ===================================================================
-- the replacing form: removes the keys it lacks (newest line) ...
-- ===================================================================
BEGIN;
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-replaced-3"}'
 WHERE credential_name = 'openai-prod';
SELECT key, operation, keys_set, keys_removed FROM litellm_fdw_pending_changes();
ROLLBACK;
\! mockctl requests | grep -v '^GET'

-- ... and is refused where LiteLLM would keep them; the safe form works there
\c -
\! mockctl reset g4 "$(cat test/mock/seed.json)"
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-replaced-4"}'
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-4"}'
 WHERE credential_name = 'openai-prod';
\! mockctl requests | grep -v '^GET'
\! mockctl state | grep 'openai-prod '

-- the oldest line, write_mode 'immediate': the same single PATCH
\c -
\! mockctl reset g1 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (ADD write_mode 'immediate');
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-5"}'
 WHERE credential_name = 'azure-eu'
RETURNING credential_values;
ALTER SERVER litellm OPTIONS (DROP write_mode);
\! mockctl requests | grep -v '^GET'
\! mockctl state | grep 'azure-eu '

-- ===================================================================
-- only a mask equal to what was read means "unchanged"
-- ===================================================================
\c -
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- a mask other than the one read (every mask reads "********")
UPDATE litellm_credential
   SET credential_values = credential_values ||
       jsonb_build_object('api_key', '{"api_key": "az****89"}'::jsonb->'api_key')
 WHERE credential_name = 'openai-prod';  -- ERROR
-- a mask under another key
UPDATE litellm_credential
   SET credential_values = jsonb_build_object('api_key', 'sk-new-6',
                                              'other', credential_values->'api_key')
 WHERE credential_name = 'openai-prod';  -- ERROR
-- a rename sends every value anew: a mask cannot stand for one there
UPDATE litellm_credential
   SET credential_name = 'openai-renamed',
       credential_values = credential_values || '{"api_key": "sk-new-7"}'
 WHERE credential_name = 'openai-prod';  -- ERROR
\! mockctl requests | grep -v '^GET'

-- ===================================================================
-- the plan's columns for every kind of call
-- ===================================================================
CREATE FOREIGN TABLE litellm_model (
    model_id text, model_name text, litellm_model text, credential_name text,
    api_base text, litellm_params jsonb, model_info jsonb
) SERVER litellm OPTIONS (resource 'models');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('plan-new', '{"api_key": "sk-plan-secret", "api_base": "https://plan.example"}');
UPDATE litellm_credential SET credential_info = '{"custom_llm_provider": "anthropic", "tier": "2"}'
 WHERE credential_name = 'anthropic';
DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';
INSERT INTO litellm_model (model_id, model_name, litellm_model, litellm_params)
VALUES ('m-plan', 'plan-model', 'openai/gpt-4o-mini', '{"rpm": 10}');
UPDATE litellm_model SET litellm_params = litellm_params || '{"tpm": 1000}'
 WHERE model_id = 'm-gpt4o';
SELECT server_name, user_name = current_user AS own_mapping, resource, key,
       operation, request, method, path, changed_columns, keys_set,
       keys_removed, credential_name, model_id
  FROM litellm_fdw_pending_changes();
ROLLBACK;
\! mockctl requests | grep -v '^GET'

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
RESET client_min_messages;
