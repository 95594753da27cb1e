-- lookups_once: a statement asks LiteLLM at most once about the same name
-- (issue 21): a multi-row model INSERT whose rows name one credential
-- checks that credential with one GET /credentials/by_name/..., in
-- write_mode 'commit' (no write in the statement: the answer is kept for
-- the whole statement) and in a plain SELECT that repeats a name
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    litellm_model   text,
    credential_name text
) SERVER litellm OPTIONS (resource 'models');

BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-once-1', 'once-a', 'anthropic/claude-haiku-4', 'anthropic'),
       ('m-once-2', 'once-b', 'anthropic/claude-haiku-4', 'anthropic'),
       ('m-once-3', 'once-c', 'anthropic/claude-haiku-4', 'anthropic');
\! mockctl requests-keep | grep -c '^GET /credentials/by_name/anthropic '
-- a name that is not there is asked about once too, and refused (23503)
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-once-4', 'once-d', 'x/y', 'no-such-credential');
ROLLBACK;
\! mockctl requests-keep | grep -c '^GET /credentials/by_name/no-such-credential '
-- nothing was written
\! mockctl requests | grep -cE '^(POST|PATCH|PUT|DELETE) ' || true

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
