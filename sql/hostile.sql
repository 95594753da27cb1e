-- hostile.sql: a hostile or compromised server's words reach messages only
-- cleaned (lfdw_remote_text): the API key and every secret of the call masked
-- in whatever encoding the server echoes them (raw, percent-encoded, JSON-
-- escaped, cut short; short secrets and numbers as whole words), control
-- characters escaped (no forged log line, no terminal escape), bytes that are
-- not UTF-8 shown as \xNN, text beyond the client encoding as \uXXXX, and the
-- length capped.  The answers are armed by test/tools/hostile.py, which
-- computes the canary secrets; no output may hold one (run_tests.sh).
-- Only what this test writes to the server log is read below: the log may
-- hold anything written before it (a user's refused statement with its key).
\set log_start `wc -c < "$PG_LOG"`
\setenv PG_LOG_START :log_start
\i test/setup.sql
\set VERBOSITY default
SET log_min_messages = debug5;
-- the secrets are computed, so that no statement text holds one: PostgreSQL
-- itself logs the text of a statement that fails
CREATE TEMP TABLE canary AS
SELECT upper('canary') || '-key-' || md5('hostile') AS api_key,
       upper('canary') || '-val-' || md5('value') AS value,
       upper('canary') || '-odd "q" /s\ ' || left(md5('odd'), 8) AS odd;
\! mockctl config "{\"extra_keys\":[\"$(echo -n CANARY)-key-$(echo -n hostile | md5sum | cut -c1-32)\"]}"
CREATE SERVER hostile FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url', max_retries '0');
DO $$BEGIN
EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER hostile OPTIONS (api_key %L)',
               (SELECT api_key FROM canary));
END$$;
CREATE FOREIGN TABLE hostile_cred (
    credential_name   text,
    credential_info   jsonb,
    credential_values jsonb
) SERVER hostile OPTIONS (write_mode 'immediate');
SELECT count(*) FROM hostile_cred;

-- the key, echoed raw, percent-encoded (upper and lower case), JSON-escaped
-- twice and as \u escapes
\! test/tools/hostile.py key-forms
SELECT count(*) FROM hostile_cred;  -- ERROR
-- a secret value echoed, escaped twice, percent-encoded, and cut short
\! test/tools/hostile.py value-forms
INSERT INTO hostile_cred (credential_name, credential_values)
SELECT 'v', jsonb_build_object('api_key', value) FROM canary;  -- ERROR
\! test/tools/hostile.py odd-forms
INSERT INTO hostile_cred (credential_name, credential_values)
SELECT 'o', jsonb_build_object('api_key', odd) FROM canary;  -- ERROR
-- short secrets (under four bytes) masked where they stand as a word, longer
-- ones and numbers wherever they stand
\! test/tools/hostile.py short
INSERT INTO hostile_cred (credential_name, credential_values)
VALUES ('s', '{"pin": 424, "code": "xyz", "long": 4243}');  -- ERROR

-- headers: Content-Type in DETAIL, Retry-After in HINT
\! test/tools/hostile.py content-type
SELECT count(*) FROM hostile_cred;  -- ERROR
\! test/tools/hostile.py retry-after
SELECT count(*) FROM hostile_cred;  -- ERROR

-- a forged log line, terminal escapes, C1 and bidirectional controls
\! test/tools/hostile.py forge
SELECT count(*) FROM hostile_cred;  -- ERROR
-- bytes that are not UTF-8
\! test/tools/hostile.py not-utf8
SELECT count(*) FROM hostile_cred;  -- ERROR
-- a client in LATIN1 gets the real error, the rest escaped
SET client_encoding = 'LATIN1';
\! test/tools/hostile.py not-latin1
SELECT count(*) FROM hostile_cred;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
RESET client_encoding;
-- a message of 5000 bytes is cut, the key at its end never shown
\! test/tools/hostile.py long
SELECT count(*) FROM hostile_cred;  -- ERROR
-- a name from the server in a message
\! test/tools/hostile.py dup-name
SELECT count(*) FROM hostile_cred;  -- ERROR

-- the server log holds none of it either (no key, no forged line)
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "CANARY[-]"
\! tail -c +$((PG_LOG_START + 1)) "$PG_LOG" | grep -c "^LOG:  forged entry"
RESET log_min_messages;
DROP SERVER hostile CASCADE;
