-- INSERT: POST /credentials, checks made before any request, RETURNING,
-- multi-row INSERT, INSERT ... SELECT, COPY.
\i test/setup.sql

-- ===================================================================
-- one row, RETURNING (values masked, built from what was sent)
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('groq', '{"custom_llm_provider": "groq", "limit": 12.5}',
        '{"api_key": "gsk-0001-secret", "rpm": 600}')
RETURNING *;
\! mockctl requests
\! mockctl state | grep '^groq '
-- credential_info defaults to {}
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('mistral', '{"api_key": "mst-secret-22"}');
\! mockctl requests
SELECT * FROM litellm_credential WHERE credential_name = 'mistral';

-- ===================================================================
-- several rows, INSERT ... SELECT, COPY
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values) VALUES
    ('bulk-1', '{"api_key": "b1-secret"}'),
    ('bulk-2', '{"api_key": "b2-secret"}'),
    ('bulk-3', '{"api_key": "b3-secret"}');
CREATE TEMP TABLE provisioning (name text, provider text, key text);
INSERT INTO provisioning VALUES ('team-a', 'openai', 'sk-team-a'), ('team-b', 'openai', 'sk-team-b');
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
SELECT name, jsonb_build_object('custom_llm_provider', provider),
       jsonb_build_object('api_key', key)
  FROM provisioning
RETURNING credential_name, credential_values;
COPY litellm_credential (credential_name, credential_values) FROM stdin;
copied-1	{"api_key": "c1-secret"}
copied-2	{"api_key": "c2-secret"}
\.
\! mockctl requests
SELECT credential_name FROM litellm_credential ORDER BY 1;
EXPLAIN (COSTS OFF) INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('x', '{"api_key": "y"}');

-- numbers are sent exactly, however long their text
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('numbers', '{"big": 1e300, "exact": 12345678901234567890123}',
        '{"api_key": "num-secret-1", "pin": 12345678901234567890123456789012345678901234567890}');
\! mockctl requests

-- ===================================================================
-- model_id: LiteLLM copies the values of that model
-- ===================================================================
INSERT INTO litellm_credential (credential_name, model_id)
VALUES ('from-model', 'm-gpt4o') RETURNING *;
\! mockctl requests
SELECT * FROM litellm_credential WHERE credential_name = 'from-model';
INSERT INTO litellm_credential (credential_name, model_id)
VALUES ('from-nothing', 'm-unknown');  -- ERROR

-- ===================================================================
-- checks made before any request
-- ===================================================================
\! mockctl requests
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES (NULL, '{"api_key": "k-secret-1"}');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('', '{"api_key": "k-secret-1"}');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('arr', '[1, 2]', '{"api_key": "k-secret-1"}');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('scalar', '"just a string"');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('empty', '{}');  -- ERROR
INSERT INTO litellm_credential (credential_name) VALUES ('nothing');  -- ERROR
INSERT INTO litellm_credential (credential_name, model_id) VALUES ('empty-model', '');  -- ERROR
-- a masked value is never stored as a secret
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('masked', '{"api_key": "********"}');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('litellm-masked', '{"api_key": "sk****ef"}');  -- ERROR
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('nested', '{"vertex": {"private_key": "ab****cd"}}');  -- ERROR
INSERT INTO litellm_credential
SELECT 'copy-of-' || credential_name, credential_info, credential_values
  FROM litellm_credential WHERE credential_name = 'azure-eu';  -- ERROR
-- none of them sent a write
\! mockctl requests

-- ===================================================================
-- a name that exists is SQLSTATE 23505
-- ===================================================================
\set VERBOSITY sqlstate
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "dup-secret"}');  -- ERROR
\set VERBOSITY default
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "dup-secret"}');  -- ERROR
\! mockctl state | grep '^anthropic '
-- a multi-row INSERT is all or nothing: at commit the row before the
-- duplicate is deleted again, and the one after it is never sent
INSERT INTO litellm_credential (credential_name, credential_values) VALUES
    ('before-dup', '{"api_key": "bd-secret"}'),
    ('anthropic', '{"api_key": "dup-secret"}'),
    ('after-dup', '{"api_key": "ad-secret"}');  -- ERROR
\! mockctl requests

-- ===================================================================
-- ON CONFLICT: DO NOTHING skips the names that exist (transactions.sql);
-- a conflict target or DO UPDATE cannot work on a foreign table
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "y-secret"}') ON CONFLICT DO NOTHING;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('x', '{"api_key": "y-secret"}')
ON CONFLICT (credential_name) DO NOTHING;  -- ERROR
\! mockctl requests

-- ===================================================================
-- write_mode 'immediate': writes are sent at once, ROLLBACK does not undo
-- them; either way a transaction that wrote cannot be prepared
-- ===================================================================
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('in-xact', '{"api_key": "ix-secret"}');
ROLLBACK;
SELECT credential_name FROM litellm_credential WHERE credential_name = 'in-xact';
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('in-2pc', '{"api_key": "2pc-secret"}');
PREPARE TRANSACTION 'lfdw';  -- ERROR
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP write_mode);
-- a transaction that only read can be prepared as far as litellm_fdw cares
BEGIN;
SELECT count(*) > 0 FROM litellm_credential;
-- (terse: the hint's wording differs between releases)
\set VERBOSITY terse
PREPARE TRANSACTION 'lfdw';  -- ERROR (prepared transactions are disabled)
\set VERBOSITY default

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
