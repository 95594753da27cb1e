-- The example session of test/demo.sh: manage LiteLLM credentials with SQL.

CREATE EXTENSION litellm_fdw;
CREATE SERVER litellm FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url', unmasked_keys 'api_base,api_version');
CREATE USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (api_key 'sk-master-test');
IMPORT FOREIGN SCHEMA litellm FROM SERVER litellm INTO public;

-- Read: one GET /credentials.  Secret values are always masked.
SELECT * FROM litellm_credential ORDER BY credential_name;

-- A point lookup is one GET /credentials/by_name/{name}.
EXPLAIN (COSTS OFF)
SELECT credential_info FROM litellm_credential WHERE credential_name = 'azure-eu';

-- Provision credentials, as a migration would: nothing is sent before
-- COMMIT, the transaction sees its own changes, ROLLBACK sends nothing.
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('anthropic', '{"custom_llm_provider": "anthropic"}', '{"api_key": "sk-ant-demo-1"}'),
       ('groq', '{"custom_llm_provider": "groq"}', '{"api_key": "gsk-demo-2"}')
RETURNING credential_name, credential_values;
SELECT credential_name, credential_values FROM litellm_credential ORDER BY 1;
-- the plan: what COMMIT will send (no values)
SELECT operation, request, credential_name FROM litellm_fdw_pending_changes();
COMMIT;

-- Rerunnable: names that exist are skipped.
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('anthropic', '{"custom_llm_provider": "anthropic"}', '{"api_key": "sk-ant-demo-1"}')
ON CONFLICT DO NOTHING;

-- A credential built from a model's settings.
INSERT INTO litellm_credential (credential_name, model_id) VALUES ('gpt-4o-copy', 'm-gpt4o');

-- Rotate a key: PATCH /credentials/{name}; only the columns you SET change.
UPDATE litellm_credential
   SET credential_values = '{"api_key": "sk-ant-demo-rotated"}'
 WHERE credential_name = 'anthropic';

-- Rename: POST the new name, then DELETE the old (values must come along).
UPDATE litellm_credential
   SET credential_name = 'groq-main', credential_values = '{"api_key": "gsk-demo-2"}'
 WHERE credential_name = 'groq';

-- A value read back is a mask, and is never written back as a secret.
-- The next statement fails on purpose (the only error of this demo):
\set ON_ERROR_STOP 0
UPDATE litellm_credential SET credential_values = credential_values
 WHERE credential_name = 'openai-prod';
\set ON_ERROR_STOP 1

DELETE FROM litellm_credential WHERE credential_name = 'gpt-4o-copy';

-- Report: providers and their credentials.
SELECT credential_info->>'custom_llm_provider' AS provider,
       string_agg(credential_name, ', ' ORDER BY credential_name) AS credentials
  FROM litellm_credential GROUP BY 1 ORDER BY 1;

-- Models are a table too (IMPORT created litellm_model); secrets in
-- litellm_params are masked.
SELECT model_id, model_name, litellm_model, credential_name, litellm_params
  FROM litellm_model ORDER BY model_id;

-- Reporting joins: one credentials list plus the model pages, however many rows.
SELECT c.credential_name, count(m.model_id) AS models
  FROM litellm_credential c
  LEFT JOIN litellm_model m ON m.credential_name = c.credential_name
 GROUP BY 1 ORDER BY 1;

-- Move a model onto a stored credential, in the same transaction as the
-- credential it needs: at COMMIT the credential is created first.
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('openai-legacy', '{"custom_llm_provider": "openai"}', '{"api_key": "sk-legacy-demo"}');
UPDATE litellm_model SET credential_name = 'openai-legacy' WHERE model_id = 'm-inline';
SELECT operation, request, credential_name, model_id FROM litellm_fdw_pending_changes();
COMMIT;

