-- Masking: credential_values shows the keys LiteLLM returned, each value
-- replaced by the fixed mask, whatever its type; unmasked_keys shows chosen
-- keys as LiteLLM returned them.
\i test/setup.sql

\! mockctl reset g6 '{"credentials": [{"credential_name": "vertex", "credential_info": {"custom_llm_provider": "vertex_ai"}, "credential_values": {"vertex_credentials": {"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----abc"}, "vertex_project": "my-project", "vertex_location": "europe-west4", "max_tokens": 4096, "use_proxy": true, "region": null, "tags": ["a", "b"], "short_key": "abc", "empty": ""}}]}'

-- LiteLLM itself would show "vertex_project" in clear and keep 4
-- characters of long keys; litellm_fdw shows nothing of any value
SELECT credential_name, credential_values FROM litellm_credential;
SELECT jsonb_object_keys(credential_values) AS key,
       credential_values->jsonb_object_keys(credential_values) AS shown
  FROM litellm_credential ORDER BY 1;
-- the same on a point read
SELECT credential_values = jsonb_build_object(
           'vertex_credentials', '********', 'vertex_project', '********',
           'vertex_location', '********', 'max_tokens', '********',
           'use_proxy', '********', 'region', '********', 'tags', '********',
           'short_key', '********', 'empty', '********') AS all_masked
  FROM litellm_credential WHERE credential_name = 'vertex';

-- ===================================================================
-- unmasked_keys: shown as LiteLLM returned them (for reports)
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD unmasked_keys 'vertex_project, vertex_location,tags');
SELECT credential_values FROM litellm_credential;
-- unmasked_keys shows exactly what LiteLLM returned: its own mask for a
-- short secret, but an object under a secret key unmasked (LiteLLM masks
-- strings only), so list only keys that hold no secret
ALTER SERVER litellm OPTIONS (SET unmasked_keys 'short_key,vertex_credentials');
SELECT credential_values->'short_key' AS short_key,
       credential_values->'vertex_credentials' AS vertex_credentials
  FROM litellm_credential;

-- ===================================================================
-- RETURNING of a write is masked the same way, from what was sent
-- ===================================================================
ALTER SERVER litellm OPTIONS (SET unmasked_keys 'api_base');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('groq', '{"api_key": "gsk-returned-secret", "api_base": "https://api.groq.com", "n": 1}')
RETURNING credential_values;
UPDATE litellm_credential SET credential_values = '{"api_key": "gsk-rotated", "api_base": "https://eu.groq.com"}'
 WHERE credential_name = 'groq' RETURNING credential_values;
DELETE FROM litellm_credential WHERE credential_name = 'groq' RETURNING credential_values;
ALTER SERVER litellm OPTIONS (DROP unmasked_keys);

-- ===================================================================
-- a mask read back can never be written as a secret
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
SELECT credential_name || '-copy', credential_info, credential_values
  FROM litellm_credential;  -- ERROR
-- a mask under another key than it was read with
UPDATE litellm_credential
   SET credential_values = (SELECT jsonb_object_agg(key || '_moved', value)
                              FROM jsonb_each(credential_values));  -- ERROR
-- each mask written back under its own key, as read: the keys stay as
-- LiteLLM has them, and none is sent (a PATCH of nothing)
UPDATE litellm_credential SET credential_values = credential_values
 WHERE credential_name = 'vertex';
\! mockctl requests

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
