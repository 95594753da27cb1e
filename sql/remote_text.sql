-- remote_text.sql: server text reaches a message only through the cleaner
-- (lfdw_remote_text), bound to the key and secrets of the call that read it
-- (issue 20 items 4 and 5).  Names read from a response (a credential name,
-- a model id) holding the API key and a forged log line; a secret value with
-- characters beyond ASCII echoed as JSON \uXXXX escapes (either case, a
-- surrogate pair) and cut short in the middle of a message.  The answers are
-- armed by test/tools/remote_text.py, which computes the canary secrets; no
-- output may hold one (run_tests.sh), nor the server log.
-- Only what this test writes to the server log is read below: the log may
-- hold anything written before it (a user's refused statement with its key).
\set log_start `wc -c < "$PG_LOG"`
\setenv PG_LOG_START :log_start
\i test/setup.sql
\set VERBOSITY default
SET log_min_messages = debug5;
-- the secrets are computed, so that no statement text holds one
CREATE TEMP TABLE canary AS
SELECT upper('canary') || '-key-' || md5('remote_text') AS api_key,
       upper('canary') || '-gr' || U&'\00fc' || 'n-' || U&'\00e9' || 't' ||
       U&'\00e9' || '-' || U&'\+01F511' || '-' || md5('umlaut') AS value;
\! mockctl config "{\"extra_keys\":[\"$(echo -n CANARY)-key-$(echo -n remote_text | md5sum | cut -c1-32)\"]}"
CREATE SERVER remote_text FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url', max_retries '0');
DO $$BEGIN
EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER remote_text OPTIONS (api_key %L)',
               (SELECT api_key FROM canary));
END$$;
CREATE FOREIGN TABLE rt_cred (
    credential_name   text,
    credential_info   jsonb,
    credential_values jsonb
) SERVER remote_text OPTIONS (write_mode 'immediate');
CREATE FOREIGN TABLE rt_model (
    model_id        text,
    model_name      text,
    litellm_params  jsonb
) SERVER remote_text OPTIONS (resource 'models', write_mode 'immediate');
SELECT count(*) FROM rt_cred;

-- ===================================================================
-- item 4: names from a response in a DETAIL, with the key masked and the
-- control characters escaped
-- ===================================================================
-- a listed credential (the list read straight from its bytes)
\! test/tools/remote_text.py list-name
SELECT count(*) FROM rt_cred;  -- ERROR
-- one credential (a parsed tree)
\! test/tools/remote_text.py item-name
SELECT count(*) FROM rt_cred WHERE credential_name = 'x';  -- ERROR
-- a model id (the cleaner had no call here: the key was not masked)
\! test/tools/remote_text.py model-id
SELECT count(*) FROM rt_model;  -- ERROR
\! test/tools/remote_text.py model-dup
SELECT count(*) FROM rt_model;  -- ERROR

-- ===================================================================
-- item 5: a secret's characters beyond ASCII echoed as \uXXXX, and the
-- secret cut short in the middle of the message
-- ===================================================================
\! test/tools/remote_text.py value-unicode
INSERT INTO rt_cred (credential_name, credential_values)
SELECT 'u', jsonb_build_object('api_key', value) FROM canary;  -- ERROR
-- the request was sent, with the secret (the server's record)
\! mockctl requests | grep -c "POST /credentials"

-- the server log holds none of it either (no key, no secret, no forged line)
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "CANARY[-]"
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "^LOG:  forged entry"
RESET log_min_messages;
DROP SERVER remote_text CASCADE;
