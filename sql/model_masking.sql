-- model_masking.sql: the one masking rule, on a model's litellm_params and
-- api_base.  A value is shown only under a key on the allow-list of
-- non-secret settings (a scalar or an array of scalars) or in unmasked_keys;
-- a URL (api_base, base_url) loses its user information, query and fragment;
-- every other value is "********" as a whole, whatever its type.  Every
-- secret of test/mock/seed_masking.json is a canary: run_tests.sh fails the suite
-- if one reaches any output.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_masking.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    litellm_model   text,
    api_base        text,
    litellm_params  jsonb
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');

SELECT model_id, api_base, jsonb_pretty(litellm_params)
  FROM litellm_model ORDER BY model_id;
-- credential_values: every value masked, whatever its type
SELECT credential_name, credential_values FROM litellm_credential
 WHERE credential_name = 'c-pin';
-- unmasked_keys shows a key as stored, in both tables
ALTER SERVER litellm OPTIONS (ADD unmasked_keys 'pin, seed_pin');
SELECT credential_values FROM litellm_credential WHERE credential_name = 'c-pin';
SELECT litellm_params -> 'seed_pin' AS seed_pin FROM litellm_model
 WHERE model_id = 'm-odd-keys';
ALTER SERVER litellm OPTIONS (DROP unmasked_keys);

-- writes: RETURNING shows what a read shows, api_base included
INSERT INTO litellm_model (model_id, model_name, api_base, litellm_params)
SELECT 'm-new', 'new', 'https://me:' || upper('canary') || '-w-1@new.example/v1?k=x',
       jsonb_build_object('model', 'openai/gpt-4o', 'rpm', 5,
                          'extra_headers', jsonb_build_object('X-Key', upper('canary') || '-w-2'))
RETURNING model_id, api_base, litellm_params;
INSERT INTO litellm_model (model_id, model_name, litellm_model, api_base)
SELECT 'm-new-2', 'new-2', 'openai/gpt-4o', 'https://me:' || upper('canary') || '-w-3@new.example/v1'
RETURNING model_id, api_base;
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 6}'
 WHERE model_id = 'm-new' RETURNING model_id, api_base, litellm_params;
-- the stored values are what was written: only rpm changed
\! mockctl models | grep m-new | sed 's/CANARY[-]\([a-z0-9-]*\)/<secret \1>/g'
-- a masked value written back is refused, with the key named
INSERT INTO litellm_model (model_name, litellm_params)
SELECT 'copy', litellm_params FROM litellm_model WHERE model_id = 'm-headers';  -- ERROR
-- a shown URL written back would lose what it masks: refused, not sent
UPDATE litellm_model SET api_base = api_base WHERE model_id = 'm-new';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_model SET litellm_params = litellm_params || '{"api_base": "https://new.example/v1?********"}'
 WHERE model_id = 'm-new';  -- ERROR
-- a new URL is written as given
UPDATE litellm_model SET api_base = 'https://other.example/v2' WHERE model_id = 'm-new';
\! mockctl requests | grep -v '^GET' | sed 's/CANARY[-]\([a-z0-9-]*\)/<secret \1>/g'
\! mockctl models | grep m-new | sed 's/CANARY[-]\([a-z0-9-]*\)/<secret \1>/g'
