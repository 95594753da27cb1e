-- write_mode 'commit' sends nothing that changes LiteLLM before COMMIT:
-- for every statement kind (INSERT, INSERT ... ON CONFLICT DO NOTHING,
-- COPY, UPDATE, an UPDATE that rotates a key, an UPDATE that renames,
-- DELETE) on both tables, and every release line the test server plays,
-- its record holds no POST, PATCH, PUT or DELETE before COMMIT, and none at
-- all after ROLLBACK.  Where a DELETE answers success for any name (2025
-- lines, and an unknown release), the look-up that tells a name gone is a
-- PATCH that changes nothing: it goes at COMMIT, before anything else, and
-- a name found gone fails the commit with nothing applied.
\i test/setup.sql
CREATE FOREIGN TABLE litellm_model (
    model_id text, model_name text, litellm_model text, credential_name text,
    api_base text, litellm_params jsonb, model_info jsonb
) SERVER litellm OPTIONS (resource 'models');

-- ===================================================================
-- every release line
-- ===================================================================
\setenv LFDW_GEN g1
\i test/no_early_writes_round.sql
\setenv LFDW_GEN g3
\i test/no_early_writes_round.sql
\setenv LFDW_GEN ta
\i test/no_early_writes_round.sql
\setenv LFDW_GEN g4
\i test/no_early_writes_round.sql
\setenv LFDW_GEN g5
\i test/no_early_writes_round.sql
\setenv LFDW_GEN g6
\i test/no_early_writes_round.sql

-- ===================================================================
-- an unknown release: DELETE is taken to answer success for any name
-- ===================================================================
\c -
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER SERVER litellm OPTIONS (ADD litellm_version '0.1');
BEGIN;
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
SELECT operation, request FROM litellm_fdw_pending_changes();
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'
ROLLBACK;
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'

-- ===================================================================
-- the look-up at COMMIT finds the name gone: nothing is applied
-- ===================================================================
ALTER SERVER litellm OPTIONS (DROP litellm_version);
\c -
\! mockctl reset g3 "$(cat test/mock/seed_models.json)"
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gone-new', '{"api_key": "sk-gone-new-secret"}');
UPDATE litellm_model SET model_name = 'claude-gone' WHERE model_id = 'm-claude';
DELETE FROM litellm_credential WHERE credential_name = 'unused-vertex';
-- someone else deletes it meanwhile (in LiteLLM's database)
\! mockctl fault '{"method": "PATCH", "path_prefix": "/credentials/unused-vertex", "vanish": true}'
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) ' || echo 'no write'
COMMIT;  -- ERROR
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) '
SELECT count(*) FROM litellm_credential WHERE credential_name = 'gone-new';
SELECT model_name FROM litellm_model WHERE model_id = 'm-claude';

-- write_mode 'immediate' looks the name up at once (nothing is held)
ALTER SERVER litellm OPTIONS (ADD write_mode 'immediate');
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
ALTER SERVER litellm OPTIONS (DROP write_mode);
\! mockctl requests | grep -E '^(POST|PATCH|PUT|DELETE) '

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
RESET client_min_messages;
