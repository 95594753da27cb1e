-- test/no_early_writes_round.sql: one round of sql/no_early_writes.sql, run
-- with \i for the release line in the environment variable LFDW_GEN.  Every
-- statement kind on both tables in one transaction; the test server's
-- record must hold no write (POST, PATCH, PUT, DELETE) before COMMIT, none
-- at all after ROLLBACK, and at COMMIT the look-ups first.  A new session
-- each time: the release a server runs is found once per backend.
\c -
\! mockctl reset "$LFDW_GEN" "$(cat test/mock/seed_models.json)"
\! mockctl requests >/dev/null
BEGIN;
DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-1', '{"api_key": "sk-new-1-secret"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('openai-prod', '{"api_key": "sk-dup"}'), ('new-2', '{"api_key": "sk-new-2-secret"}')
ON CONFLICT DO NOTHING;
COPY litellm_credential (credential_name, credential_values) FROM stdin;
copy-1	{"api_key": "sk-copy-1-secret"}
\.
UPDATE litellm_credential SET credential_info = '{"custom_llm_provider": "openai", "team": "edge"}'
 WHERE credential_name = 'openai-prod';
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-secret"}'
 WHERE credential_name = 'openai-prod';
UPDATE litellm_credential
   SET credential_name = 'anthropic-2', credential_values = '{"api_key": "sk-ant-2-secret"}'
 WHERE credential_name = 'anthropic';
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-new-1', 'new-model', 'openai/gpt-4o-mini', 'new-1');
COPY litellm_model (model_id, model_name, litellm_model) FROM stdin;
m-copy-1	copy-model	openai/gpt-4o
\.
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 7}'
 WHERE model_id = 'm-gpt4o';
UPDATE litellm_model SET model_name = 'claude-renamed' WHERE model_id = 'm-claude';
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
SELECT operation, key FROM litellm_fdw_pending_changes();
-- no write before COMMIT (or ROLLBACK)
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'
ROLLBACK;
-- none at all after ROLLBACK
\! sleep 0.2; mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'
-- and LiteLLM's credentials are those of the seed
\! mockctl state | grep -v '^(served)' | cut -d' ' -f1 | sort | paste -sd' '

-- the same, committed: the writes start at COMMIT, the look-ups first
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('new-1', '{"api_key": "sk-new-1-secret"}');
UPDATE litellm_credential
   SET credential_values = credential_values || '{"api_key": "sk-rotated-secret"}'
 WHERE credential_name = 'openai-prod';
DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';
UPDATE litellm_model SET model_name = 'claude-renamed' WHERE model_id = 'm-claude';
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'
COMMIT;
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' | cut -d' ' -f1,2
