-- A change of name is a create plus a delete: POST the new name, then
-- DELETE the old one; a failure half-way is undone and reported.
-- This file runs in write_mode 'immediate', where the rename is sent as the
-- row is updated (remote_write.c); transactions.sql has renames at commit.
\i test/setup.sql
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');

-- ===================================================================
-- the values must come along: LiteLLM never returns them
-- ===================================================================
UPDATE litellm_credential SET credential_name = 'openai-main'
 WHERE credential_name = 'openai-prod';  -- ERROR
UPDATE litellm_credential SET credential_name = 'openai-main', credential_values = '{}'
 WHERE credential_name = 'openai-prod';  -- ERROR
-- nothing was written
\! mockctl requests

-- ===================================================================
-- POST new, then DELETE old; credential_info comes from the old row
-- ===================================================================
UPDATE litellm_credential
   SET credential_name = 'openai-main',
       credential_values = '{"api_key": "sk-openai-main-1", "api_base": "https://api.openai.com/v1"}'
 WHERE credential_name = 'openai-prod'
RETURNING *;
\! mockctl requests
\! mockctl state
EXPLAIN (COSTS OFF) UPDATE litellm_credential SET credential_name = 'x', credential_values = '{"k": "v"}'
 WHERE credential_name = 'y';

-- a rename may take its values from a model instead
UPDATE litellm_credential SET credential_name = 'anthropic-from-model', model_id = 'm-gpt4o'
 WHERE credential_name = 'anthropic' RETURNING *;
\! mockctl requests
\! mockctl state

-- ===================================================================
-- renaming onto a name that exists is 23505, and changes nothing
-- ===================================================================
UPDATE litellm_credential SET credential_name = 'azure-eu', credential_values = '{"api_key": "k-secret-x"}'
 WHERE credential_name = 'openai-main';  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- the DELETE of the old name fails: the new one is deleted again
-- ===================================================================
\! mockctl fault '{"method": "DELETE", "path_prefix": "/credentials/openai-main", "status": 500, "body": "{\"error\": {\"message\": \"DB not connected\", \"type\": \"internal_server_error\", \"param\": null, \"code\": \"500\"}}"}'
UPDATE litellm_credential SET credential_name = 'openai-next', credential_values = '{"api_key": "sk-next-1"}'
 WHERE credential_name = 'openai-main';  -- ERROR
\! mockctl requests
\! mockctl state

-- ... and if deleting the new one fails too, the error says both exist
\! mockctl fault '{"method": "DELETE", "status": 503, "body": "{\"error\": {\"message\": \"maintenance\", \"code\": \"503\"}}", "times": 2}'
UPDATE litellm_credential SET credential_name = 'openai-next', credential_values = '{"api_key": "sk-next-1"}'
 WHERE credential_name = 'openai-main';  -- ERROR
\! mockctl requests
\! mockctl state
DELETE FROM litellm_credential WHERE credential_name = 'openai-next';

-- ===================================================================
-- the old name vanished meanwhile (someone else deleted it: the test
-- server removes it just before the DELETE arrives, and answers that with
-- its own 404): the new one is taken back, and the statement fails (40001:
-- it read a credential that it did not rename); neither exists
-- ===================================================================
\! mockctl fault '{"method": "DELETE", "path_prefix": "/credentials/azure-eu", "vanish": true}'
\! mockctl requests >/dev/null
UPDATE litellm_credential SET credential_name = 'azure-west', credential_values = '{"api_key": "k-west"}'
 WHERE credential_name = 'azure-eu';
\! mockctl requests
\! mockctl state

-- ... and if taking it back fails, the error says the new one exists
-- (azure-eu back first)
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl fault '{"method": "DELETE", "path_prefix": "/credentials/azure-eu", "vanish": true}'
\! mockctl fault '{"method": "DELETE", "path_prefix": "/credentials/azure-west", "status": 500, "body": "{\"error\": {\"message\": \"DB not connected\", \"code\": \"500\"}}"}'
UPDATE litellm_credential SET credential_name = 'azure-west', credential_values = '{"api_key": "k-west"}'
 WHERE credential_name = 'azure-eu';  -- ERROR
\! mockctl requests
\! mockctl state

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
