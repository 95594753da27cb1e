-- DELETE: DELETE /credentials/{name}; a credential already gone is not
-- counted and is no error.
\i test/setup.sql

DELETE FROM litellm_credential WHERE credential_name = 'anthropic' RETURNING *;
\! mockctl requests
\! mockctl state

-- a name the point read does not find costs no DELETE
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests
\! mockctl state

-- vanished between the read and the commit (someone else deleted it: the
-- test server removes it just before the DELETE arrives, and answers that
-- with its own 404): the statement counted it, so the commit fails
-- (40001): this transaction did not delete it
\! mockctl fault '{"method": "DELETE", "path_prefix": "/credentials/azure-eu", "vanish": true}'
DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';
\! mockctl requests
\! mockctl state
\! mockctl reset g6 "$(cat test/mock/seed.json)"

EXPLAIN (COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';

-- several rows
INSERT INTO litellm_credential (credential_name, credential_values) VALUES
    ('tmp-1', '{"api_key": "t1-secret"}'), ('tmp-2', '{"api_key": "t2-secret"}');
\! mockctl requests >/dev/null
\! mockctl state
DELETE FROM litellm_credential WHERE credential_name LIKE 'tmp-%'
RETURNING credential_name, credential_values;
\! mockctl requests
\! mockctl state
DELETE FROM litellm_credential WHERE credential_name IN ('azure-eu', 'nope');
\! mockctl requests
\! mockctl state
SELECT credential_name FROM litellm_credential;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
