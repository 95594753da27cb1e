-- DELETE: DELETE /credentials/{name}; a credential already gone is not
-- counted and is no error.
\i test/setup.sql

DELETE FROM litellm_credential WHERE credential_name = 'anthropic' RETURNING *;
\! mockctl requests
\! mockctl state

-- a name the point read does not find costs no DELETE
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests

-- vanished between the read and the commit (404): counted when the DELETE
-- ran; at commit "not found" is what was wanted, and no error
\! mockctl fault '{"method": "DELETE", "status": 404, "body": "{\"error\": {\"message\": \"Credential not found. Got credential name: azure-eu\", \"code\": \"404\"}}"}'
DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';
\! mockctl requests

EXPLAIN (COSTS OFF) DELETE FROM litellm_credential WHERE credential_name = 'azure-eu';

-- several rows
INSERT INTO litellm_credential (credential_name, credential_values) VALUES
    ('tmp-1', '{"api_key": "t1-secret"}'), ('tmp-2', '{"api_key": "t2-secret"}');
\! mockctl requests >/dev/null
DELETE FROM litellm_credential WHERE credential_name LIKE 'tmp-%'
RETURNING credential_name, credential_values;
\! mockctl requests
DELETE FROM litellm_credential WHERE credential_name IN ('azure-eu', 'nope');
\! mockctl requests
SELECT credential_name FROM litellm_credential;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
