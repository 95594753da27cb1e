-- names.sql: credential names and model ids that are dot segments or hold
-- them ("." "..", "./x", "a/../b", "...").  LiteLLM takes each as a legal
-- name; in a path a URL parser would remove the dot segments and reach
-- another route.  Each write and lookup below is checked against what the
-- test server was asked (the raw request line) and what it holds after.
\i test/setup.sql
\set VERBOSITY default
\! mockctl reset g6 '{"credentials":[{"credential_name":"keep","credential_values":{"api_key":"k"}}]}'
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    litellm_model   text
) SERVER litellm OPTIONS (resource 'models');

-- ===================================================================
-- credentials: insert, point lookup, update, rename, delete
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('.', '{"n": 1}', '{"api_key": "k1"}'),
       ('..', '{"n": 2}', '{"api_key": "k2"}'),
       ('./x', '{"n": 3}', '{"api_key": "k3"}'),
       ('a/../b', '{"n": 4}', '{"api_key": "k4"}'),
       ('...', '{"n": 5}', '{"api_key": "k5"}');
\! mockctl requests
\! mockctl state

-- each name is found by its own lookup, and no other route is asked
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = '.';
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = '..';
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = './x';
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = 'a/../b';
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = '...';
\! mockctl requests

-- update each in place
UPDATE litellm_credential SET credential_info = credential_info || '{"updated": true}'
 WHERE credential_name IN ('.', '..', './x', 'a/../b', '...');
\! mockctl requests
\! mockctl state

-- rename: a create under the new name, then a delete of the old one
UPDATE litellm_credential SET credential_name = '...', credential_values = '{"api_key": "k1b"}'
 WHERE credential_name = '.';  -- ERROR: "..." exists
\echo :LAST_ERROR_SQLSTATE
UPDATE litellm_credential SET credential_name = 'dot-renamed', credential_values = '{"api_key": "k1c"}'
 WHERE credential_name = '.';
UPDATE litellm_credential SET credential_name = '.', credential_values = '{"api_key": "k4b"}'
 WHERE credential_name = 'a/../b';
\! mockctl requests
\! mockctl state

-- delete each; "keep" stays
DELETE FROM litellm_credential WHERE credential_name IN ('.', '..', './x', '...', 'dot-renamed');
\! mockctl requests
\! mockctl state

-- ===================================================================
-- models: ids that are dot segments
-- ===================================================================
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('.', 'dot', 'openai/gpt-4o'),
       ('..', 'dotdot', 'openai/gpt-4o'),
       ('...', 'dots', 'openai/gpt-4o');
\! mockctl requests
SELECT model_id, model_name FROM litellm_model WHERE model_id = '.';
SELECT model_id, model_name FROM litellm_model WHERE model_id = '..';
SELECT model_id, model_name FROM litellm_model WHERE model_id = '...';
\! mockctl requests
UPDATE litellm_model SET model_name = model_name || '-2'
 WHERE model_id IN ('.', '..', '...');
\! mockctl requests
\! mockctl models
DELETE FROM litellm_model WHERE model_id IN ('.', '..');
\! mockctl requests
\! mockctl models
