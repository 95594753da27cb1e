-- test/generation_writes.sql: the writes of sql/generations.sql, run once
-- per release line ($GEN, set with \setenv).  After every write the test
-- server's stored state is printed (the database, then "(served)" lines
-- where the list that reads are served from differs), and it must match
-- what SQL reported.
-- a new backend: the release is found once per server and backend
\c -
\! mockctl reset $GEN "$(cat test/mock/seed.json)"
\! mockctl requests > /dev/null
-- create; then the same name again
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "a"}',
        '{"api_key": "sk-gen-secret-1", "api_base": "https://gen.example.com"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-cred', '{"api_key": "sk-gen-secret-2"}');  -- ERROR
\echo :SQLSTATE
\! mockctl state | grep 'gen-cred '
-- credential_info with the same keys: a PATCH every line applies (2025-03
-- and 2025-05..11 keep serving the old info until LiteLLM reloads)
UPDATE litellm_credential SET credential_info = '{"team": "b"}'
 WHERE credential_name = 'gen-cred';
\! mockctl state | grep 'gen-cred '
-- credential_values without api_base: only the newest line removes a key
-- (credential_values_to_delete); before it, refused before sending
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-3"}'
 WHERE credential_name = 'gen-cred';
\echo :SQLSTATE
\! mockctl state | grep 'gen-cred '
-- api_base set to null: stored as null before the newest line; on the
-- newest a key to delete; refused where nothing tells which
UPDATE litellm_credential SET credential_values = '{"api_key": "sk-gen-secret-4", "api_base": null}'
 WHERE credential_name = 'gen-cred';
\echo :SQLSTATE
\! mockctl state | grep 'gen-cred '
-- removing keys of credential_info (here all of them): refused on every line
UPDATE litellm_credential SET credential_info = '{}' WHERE credential_name = 'gen-cred';
\echo :SQLSTATE
\! mockctl requests
-- the way to remove keys: DELETE and INSERT in one transaction, sent at
-- commit as DELETE then POST (a PATCH where the newest line can do it)
BEGIN;
DELETE FROM cred_tx WHERE credential_name = 'gen-cred';
INSERT INTO cred_tx (credential_name, credential_info, credential_values)
VALUES ('gen-cred', '{"team": "c"}', '{"api_key": "sk-gen-secret-5"}');
SELECT operation, request, credential_name, changed_columns FROM litellm_fdw_pending_changes();
COMMIT;
\! mockctl requests
\! mockctl state | grep 'gen-cred '
-- created and deleted in one transaction: nothing is sent (and nothing is
-- asked of LiteLLM about it before the DELETE)
BEGIN;
INSERT INTO cred_tx (credential_name, credential_values) VALUES ('gen-tmp', '{"api_key": "sk-tmp"}');
DELETE FROM cred_tx WHERE credential_name = 'gen-tmp';
COMMIT;
\! mockctl requests
-- created, then keys removed, in one transaction: one POST of what is left
BEGIN;
INSERT INTO cred_tx (credential_name, credential_info, credential_values)
VALUES ('gen-tmp', '{"a": 1, "b": 2}', '{"api_key": "sk-tmp", "api_base": "https://tmp.example.com"}');
UPDATE cred_tx SET credential_info = '{"a": 1}', credential_values = '{"api_key": "sk-tmp-2"}'
 WHERE credential_name = 'gen-tmp';
COMMIT;
\! mockctl requests
\! mockctl state | grep 'gen-tmp'
DELETE FROM litellm_credential WHERE credential_name = 'gen-tmp';
\! mockctl requests > /dev/null
-- an info update, then a rename, in one transaction: the new credential
-- gets the info the transaction wrote, not what a (stale) read returns
BEGIN;
UPDATE litellm_credential SET credential_info = '{"team": "d"}'
 WHERE credential_name = 'gen-cred';
UPDATE litellm_credential
   SET credential_name = 'gen-renamed', credential_values = '{"api_key": "sk-gen-secret-6"}'
 WHERE credential_name = 'gen-cred';
COMMIT;
\! mockctl requests
\! mockctl state | grep 'gen-'
DELETE FROM litellm_credential WHERE credential_name = 'gen-renamed';
\! mockctl requests
\! mockctl state | grep 'gen-'
-- a credential read by the statement but not on the server (the test
-- server answers the point read of "ghost", which it does not store): an
-- error, never "UPDATE 1" or "DELETE 1" (lines whose DELETE succeeds for
-- any name are asked first, with a PATCH that changes nothing)
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/ghost","times":-1,"status":200,"body":"{\"credential_name\":\"ghost\",\"credential_info\":{},\"credential_values\":{\"api_key\":\"gh****st\"}}"}'
UPDATE litellm_credential SET credential_info = '{"x": 1}'
 WHERE credential_name = 'ghost';
\echo :SQLSTATE
DELETE FROM litellm_credential WHERE credential_name = 'ghost';
\echo :SQLSTATE
\! mockctl requests
\! mockctl state | grep -c 'ghost'
-- a null value in an INSERT: stored as null before the newest line, which
-- drops it (so it is not sent); refused where the line is not told
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gen-null', '{"api_key": "sk-null-secret", "api_base": null}') RETURNING credential_values;
\echo :SQLSTATE
\! mockctl state | grep 'gen-null'
-- a name ending in "/user_connection": the newest line routes its DELETE
-- to another handler, so it is refused there before sending
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('gh/user_connection', '{"api_key": "sk-gh-secret"}');
DELETE FROM litellm_credential WHERE credential_name = 'gh/user_connection';
\echo :SQLSTATE
\! mockctl requests
\! mockctl state | grep 'user_connection'
