-- Exact outcomes of writes whose answer was lost (issue 22, item 4): a
-- create or delete whose connection closed without an answer, that timed
-- out, or that got a status of 500 or more, is read back (GET by name, or
-- by model id) before the error is raised, and the DETAIL says what the
-- read found: applied, not applied, or unknown (only when the read fails
-- too, or cannot decide: after a timeout the server may still be working
-- on it).  At COMMIT (write_mode 'commit') per call, before the undo
-- (which deletes again a create found applied); in write_mode 'immediate'
-- per statement.  Each case is checked against the test server's record
-- of the requests and its state.  The fault "apply_then_drop" makes the
-- server apply the write, then close the connection without an answer.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE out_model (model_id text, model_name text,
    litellm_model text) SERVER litellm OPTIONS (resource 'models');
CREATE FOREIGN TABLE out_cred_now (credential_name text NOT NULL,
    credential_info jsonb, credential_values jsonb)
    SERVER litellm OPTIONS (write_mode 'immediate');
CREATE FOREIGN TABLE out_model_now (model_id text, model_name text,
    litellm_model text)
    SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');

-- ===================================================================
-- At COMMIT
-- ===================================================================
-- the second create is applied, its answer lost: read back as applied,
-- so the undo deletes it again with the first; nothing remains
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('out-1', '{"api_key": "sk-out-1"}'), ('out-2', '{"api_key": "sk-out-2"}'),
       ('out-3', '{"api_key": "sk-out-3"}');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","apply_then_drop":true,"skip":1}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | grep -c out-

-- the same, not applied (the connection closed before the server made
-- it): read back as not applied; no hint that it may have been
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('out-1', '{"api_key": "sk-out-1"}'), ('out-2', '{"api_key": "sk-out-2"}');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","drop":true,"skip":1}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | grep -c out-

-- a status of 500 or more (a gateway's 502, say) after the request was
-- sent: read back too
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('out-1', '{"api_key": "sk-out-1"}');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","status":504,"body":"Gateway Timeout","content_type":"text/plain"}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | grep -c out-

-- the read back fails too: unknown, and the hint stays
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('out-1', '{"api_key": "sk-out-1"}'), ('out-2', '{"api_key": "sk-out-2"}');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","apply_then_drop":true,"skip":1}'
\! mockctl fault '{"method":"GET","drop":true,"times":-1}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- a delete applied, its answer lost: read back as applied
BEGIN;
DELETE FROM litellm_credential WHERE credential_name IN ('anthropic', 'unused-vertex');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"DELETE","apply_then_drop":true}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | awk '{ print $1 }'
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- a create that timed out: the server applies it after the client gave
-- up, so a read that finds nothing cannot say "not applied": unknown
-- (run in a psql of its own, so that libcurl's "after N milliseconds"
-- can be made constant)
ALTER SERVER litellm OPTIONS (ADD timeout_ms '300');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","delay_ms":1200}'
\! psql -X -q -d contrib_regression -c "BEGIN" -c "INSERT INTO litellm_credential (credential_name, credential_values) VALUES ('out-slow', '{\"api_key\": \"sk-out-slow\"}')" -c "COMMIT" 2>&1 | sed -E 's/[0-9]+ milliseconds/N milliseconds/; s/^psql:[^ ]* //'
\! mockctl requests | awk '{ print $1, $2 }'
SELECT pg_sleep(1.5);
-- ... and it was, after all
\! mockctl state | awk '{ print $1 }' | grep out-
ALTER SERVER litellm OPTIONS (DROP timeout_ms);
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- a model created at commit, its answer lost: read back by id as
-- applied, and deleted again
BEGIN;
INSERT INTO out_model (model_id, model_name, litellm_model)
VALUES ('m-out', 'out', 'openai/gpt-4o');
\! mockctl requests >/dev/null
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","apply_then_drop":true}'
COMMIT;  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl models | grep -c m-out

-- ===================================================================
-- write_mode 'immediate': the statement's error says it too
-- ===================================================================
\! mockctl fault '{"method":"POST","apply_then_drop":true}'
INSERT INTO out_cred_now (credential_name, credential_values)
VALUES ('out-now', '{"api_key": "sk-out-now"}');  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | awk '{ print $1 }' | grep out-
\! mockctl fault '{"method":"DELETE","drop":true}'
DELETE FROM out_cred_now WHERE credential_name = 'out-now';  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | awk '{ print $1 }' | grep out-
-- the read back fails too: unknown, and the hint stays
\! mockctl fault '{"method":"DELETE","apply_then_drop":true}'
\! mockctl fault '{"method":"GET","drop":true,"skip":1,"times":-1}'
DELETE FROM out_cred_now WHERE credential_name = 'out-now';  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl state | awk '{ print $1 }' | grep -c out-
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- a model with its id, created, its answer lost
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","apply_then_drop":true}'
INSERT INTO out_model_now (model_id, model_name, litellm_model)
VALUES ('m-out-now', 'out', 'openai/gpt-4o');  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl models | grep -c m-out-now
-- a model delete that is answered 500 (and not applied)
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"code\":\"500\"}}"}'
DELETE FROM out_model_now WHERE model_id = 'm-out-now';  -- ERROR
\! mockctl requests | awk '{ print $1, $2 }'
\! mockctl models | grep -c m-out-now

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
