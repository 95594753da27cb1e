-- Transactional writes (write_mode 'commit', the default): INSERT, UPDATE
-- and DELETE are checked at once but sent only when the transaction
-- commits; the transaction reads its own writes; savepoints; several
-- changes of one credential collapse into one call; at commit creates go
-- first, then patches, deletes last; a failure undoes the creates and says
-- exactly what was applied.  The test server's request record shows what
-- was sent, and when.
\i test/setup.sql


-- ===================================================================
-- ROLLBACK sends no write
-- ===================================================================
-- (point_lookup_limit 1: a one-row statement looks its name up by name;
-- one the planner expects to insert more rows than that reads the list
-- once instead; by default up to 10 names are looked up, all at once)
ALTER SERVER litellm OPTIONS (ADD point_lookup_limit '1');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('tx-1', '{"api_key": "sk-tx-1-secret"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('tx-2', '{"api_key": "sk-tx-2-secret"}'), ('tx-3', '{"api_key": "sk-tx-3-secret"}');
SELECT * FROM litellm_fdw_pending_changes();
ROLLBACK;
ALTER SERVER litellm OPTIONS (DROP point_lookup_limit);
-- only the reads that catch a duplicate name: by name, then one list for
-- the two-row statement
\! mockctl requests
SELECT * FROM litellm_fdw_pending_changes();  -- nothing left
SELECT count(*) FROM litellm_credential WHERE credential_name LIKE 'tx-%';

-- a client that goes away mid-transaction sends nothing either
\! printf "BEGIN;\nINSERT INTO litellm_credential (credential_name, credential_values) VALUES ('gone-1', '{\"api_key\": \"sk-gone\"}');\n" | psql -X -q -d contrib_regression >/dev/null
\! sleep 0.3; mockctl requests

-- ===================================================================
-- read your own writes, then COMMIT
-- ===================================================================
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('tx-new', '{"custom_llm_provider": "groq"}', '{"api_key": "sk-tx-new-secret", "rpm": 60}');
UPDATE litellm_credential SET credential_info = '{"custom_llm_provider": "openai", "team": "platform"}'
 WHERE credential_name = 'openai-prod';
UPDATE litellm_credential SET credential_values = '{"api_key": "az-new-secret-1"}'
 WHERE credential_name = 'azure-eu';
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests
-- the list, a point lookup, an IN list and a join all see the changes
SELECT * FROM litellm_credential ORDER BY credential_name;
SELECT * FROM litellm_credential WHERE credential_name = 'tx-new';
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';
SELECT credential_name, credential_values FROM litellm_credential
 WHERE credential_name IN ('tx-new', 'azure-eu', 'anthropic') ORDER BY 1;
CREATE TEMP TABLE wanted (name text);
INSERT INTO wanted VALUES ('tx-new'), ('anthropic'), ('openai-prod');
SELECT w.name, c.credential_info ->> 'team' AS team
  FROM wanted w LEFT JOIN litellm_credential c ON c.credential_name = w.name
 ORDER BY 1;
-- no request for a name the transaction created or deleted
\! mockctl requests
-- the plan, without a secret
SELECT * FROM litellm_fdw_pending_changes();
COMMIT;
-- creates first, then patches, deletes last; values only in the bodies
\! mockctl requests
\! mockctl state

-- ===================================================================
-- savepoints
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('sp-kept', '{"api_key": "sk-sp-kept"}');
SAVEPOINT a;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('sp-dropped', '{"api_key": "sk-sp-dropped"}');
UPDATE litellm_credential SET credential_info = credential_info || '{"changed": true}'
 WHERE credential_name = 'sp-kept';
DELETE FROM litellm_credential WHERE credential_name = 'openai-prod';
ROLLBACK TO SAVEPOINT a;
-- as it was at the savepoint
SELECT credential_name, credential_info FROM litellm_credential ORDER BY 1;
SAVEPOINT b;
UPDATE litellm_credential SET credential_info = credential_info || '{"released": true}'
 WHERE credential_name = 'azure-eu';
RELEASE SAVEPOINT b;
-- an error caught in PL/pgSQL undoes the block's changes (a subtransaction)
DO $$
BEGIN
    INSERT INTO litellm_credential (credential_name, credential_values)
    VALUES ('in-block', '{"api_key": "sk-in-block"}');
    DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
    RAISE EXCEPTION 'oops';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'caught: %', SQLERRM;
END $$;
SELECT * FROM litellm_fdw_pending_changes();
\! mockctl requests >/dev/null
COMMIT;
\! mockctl requests

-- ===================================================================
-- several changes of one credential collapse into the fewest calls
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
BEGIN;
-- insert then update: one POST with the final values
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-ins-upd', '{"api_key": "sk-c1"}');
UPDATE litellm_credential SET credential_info = credential_info || '{"v": 2}',
       credential_values = '{"api_key": "sk-c1-final"}'
 WHERE credential_name = 'c-ins-upd';
-- insert then delete: nothing
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('c-ins-del', '{"api_key": "sk-c2"}');
DELETE FROM litellm_credential WHERE credential_name = 'c-ins-del';
-- two updates: one PATCH (the keys the first read had, and not the last
-- values, are deleted)
UPDATE litellm_credential SET credential_values = '{"api_key": "az-1", "extra": "x"}'
 WHERE credential_name = 'azure-eu';
UPDATE litellm_credential SET credential_info = credential_info || '{"v": 3}', credential_values = '{"api_key": "az-2"}'
 WHERE credential_name = 'azure-eu';
-- a chain of renames a -> b -> c: POST c, DELETE a (b needs no values: the
-- transaction knows them)
UPDATE litellm_credential SET credential_name = 'openai-b', credential_values = '{"api_key": "sk-ab"}'
 WHERE credential_name = 'openai-prod';
UPDATE litellm_credential SET credential_name = 'openai-c'
 WHERE credential_name = 'openai-b';
-- delete then insert again: one PATCH that replaces it
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('anthropic', '{"custom_llm_provider": "anthropic", "v": 2}', '{"token": "sk-ant-new"}');
SELECT credential_name, credential_info, credential_values FROM litellm_credential ORDER BY 1;
SELECT * FROM litellm_fdw_pending_changes();
\! mockctl requests >/dev/null
COMMIT;
\! mockctl requests
\! mockctl state

-- an UPDATE does not meet the rows it creates (a rename of every row
-- renames each once)
\! mockctl reset g6 "$(cat test/mock/seed.json)"
BEGIN;
UPDATE litellm_credential SET credential_name = credential_name || '-x',
       credential_values = '{"api_key": "sk-x"}';
SELECT credential_name FROM litellm_credential ORDER BY 1;
ROLLBACK;

-- ===================================================================
-- a migration: a failing statement rolls it all back; fixed, it runs;
-- rerun with ON CONFLICT DO NOTHING, it changes nothing
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-openai', '{"custom_llm_provider": "openai"}', '{"api_key": "sk-mig-1"}');
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-azure', '{"custom_llm_provider": "azure"}', '{"api_key": "sk-mig-2"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('anthropic', '{"api_key": "sk-mig-3"}');  -- ERROR (a duplicate, caught now)
ROLLBACK;
\! mockctl requests
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-openai', '{"custom_llm_provider": "openai"}', '{"api_key": "sk-mig-1"}');
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-azure', '{"custom_llm_provider": "azure"}', '{"api_key": "sk-mig-2"}');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('mig-anthropic', '{"api_key": "sk-mig-3"}');
COMMIT;
\! mockctl requests
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-openai', '{"custom_llm_provider": "openai"}', '{"api_key": "sk-mig-1"}')
ON CONFLICT DO NOTHING;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
VALUES ('mig-azure', '{"custom_llm_provider": "azure"}', '{"api_key": "sk-mig-2"}'),
       ('mig-mistral', '{"custom_llm_provider": "mistral"}', '{"api_key": "sk-mig-4"}')
ON CONFLICT DO NOTHING;
COMMIT;
\! mockctl requests
-- one created meanwhile by someone else is skipped at commit, too
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('mig-late', '{"api_key": "sk-mig-5"}') ON CONFLICT DO NOTHING;
\! curl -s -o /dev/null -H 'Authorization: Bearer sk-master-test' -H 'Content-Type: application/json' -d '{"credential_name":"mig-late","credential_info":{},"credential_values":{"api_key":"theirs"}}' "$MOCK_URL/credentials"
COMMIT;
\! mockctl state | grep '^mig-late'

-- ===================================================================
-- a failure at commit: the k-th call fails
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
-- the third create fails: the two before it are deleted again, the rest
-- is never sent
\! mockctl fault '{"method":"POST","skip":2,"status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"500\"}}"}'
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'k-' || i, jsonb_build_object('api_key', 'sk-k-' || i) FROM generate_series(1, 4) i;
UPDATE litellm_credential SET credential_info = credential_info || '{"k": true}' WHERE credential_name = 'azure-eu';
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
\! mockctl state
-- a patch fails: the creates are deleted again; the delete is never sent
\! mockctl fault '{"method":"PATCH","status":503,"times":3,"body":"{\"error\":{\"message\":\"maintenance\",\"code\":\"503\"}}"}'
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('p-1', '{"api_key": "sk-p-1"}');
UPDATE litellm_credential SET credential_info = credential_info || '{"p": true}' WHERE credential_name = 'azure-eu';
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
-- the second delete fails: the first stays deleted (a delete cannot be
-- undone), the patch stays, the create is deleted again
\! mockctl fault '{"method":"DELETE","skip":1,"status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"code\":\"500\"}}"}'
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('d-1', '{"api_key": "sk-d-1"}');
UPDATE litellm_credential SET credential_info = credential_info || '{"d": true}' WHERE credential_name = 'azure-eu';
DELETE FROM litellm_credential WHERE credential_name IN ('anthropic', 'openai-prod');
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
\! mockctl state

-- ===================================================================
-- concurrency: max_concurrency calls in flight at once, phase by phase
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (DROP max_concurrency);  -- the default, 16
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'conc-' || i, jsonb_build_object('api_key', 'sk-conc-' || i) FROM generate_series(1, 16) i;
UPDATE litellm_credential SET credential_info = credential_info || '{"c": 1}' WHERE credential_name = 'azure-eu';
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
\! mockctl requests >/dev/null
-- (each answer takes 100 ms: calls sent together overlap at the server,
-- which counts the most requests in flight at once)
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
COMMIT;
\! mockctl config '{"latency_ms": 0}'
-- every create before the patch, the patch before the delete (the time it
-- takes is measured by bench/, not here)
\! mockctl requests | awk '{ print $1 }' | uniq -c
-- the 16 creates were in flight at once
\! mockctl inflight
-- max_concurrency '4': never more than 4 at once
ALTER SERVER litellm OPTIONS (ADD max_concurrency '4');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'conc4-' || i, jsonb_build_object('api_key', 'sk-conc4-' || i) FROM generate_series(1, 10) i;
\! mockctl requests >/dev/null
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
COMMIT;
\! mockctl config '{"latency_ms": 0}'
\! mockctl inflight
\! mockctl requests | awk '{ print $1 }' | uniq -c
-- max_concurrency '1': one at a time
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'conc1-' || i, jsonb_build_object('api_key', 'sk-conc1-' || i) FROM generate_series(1, 3) i;
\! mockctl requests >/dev/null
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
COMMIT;
\! mockctl config '{"latency_ms": 0}'
\! mockctl inflight
\! mockctl requests | awk '{ print $1 }' | uniq -c

-- the checks before COMMIT go out together: the names of a batch of rows
-- are looked up at once (max_concurrency in flight), or, when the planner
-- expects more rows than point_lookup_limit, the list is read once
\! mockctl reset g5 "$(cat test/mock/seed.json)"
ALTER SERVER litellm OPTIONS (SET max_concurrency '16');
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'chk-' || i, jsonb_build_object('api_key', 'sk-chk-' || i) FROM generate_series(1, 8) i;
\! mockctl inflight
\! mockctl requests | awk '{ print $1, ($2 ~ /by_name/) ? "/credentials/by_name/..." : $2 }' | uniq -c
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'chk40-' || i, jsonb_build_object('api_key', 'sk-chk-' || i) FROM generate_series(1, 40) i;
\! mockctl requests
-- a name LiteLLM has is still caught at the INSERT, among others
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('chk-a', '{"api_key": "sk-a"}'), ('anthropic', '{"api_key": "sk-b"}'),
       ('chk-c', '{"api_key": "sk-c"}');  -- ERROR
ROLLBACK;
-- and skipped with ON CONFLICT DO NOTHING (the others kept)
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('chk-a', '{"api_key": "sk-a"}'), ('anthropic', '{"api_key": "sk-b"}'),
       ('chk-c', '{"api_key": "sk-c"}') ON CONFLICT DO NOTHING;
SELECT operation, credential_name FROM litellm_fdw_pending_changes();
ROLLBACK;
-- the lookups of an IN list (what an UPDATE or DELETE reads before COMMIT)
-- go out together too, and are read in order
\! mockctl inflight >/dev/null
BEGIN;
DELETE FROM litellm_credential
 WHERE credential_name IN ('openai-prod', 'azure-eu', 'anthropic', 'nope-1', 'nope-2');
\! mockctl inflight
SELECT operation, credential_name FROM litellm_fdw_pending_changes();
ROLLBACK;
\! mockctl config '{"latency_ms": 0}'
\! mockctl requests | awk '{ print $1, $2 }' | sort | uniq -c
\! mockctl state | grep -c chk
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');
-- an UPDATE that renames many rows: the new names are checked against the
-- list its scan read, with no request of their own
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'ren-' || i, jsonb_build_object('api_key', 'sk-ren-' || i) FROM generate_series(1, 12) i;
\! mockctl requests >/dev/null
BEGIN;
UPDATE litellm_credential
   SET credential_name = credential_name || '-v2',
       credential_values = '{"api_key": "sk-ren-v2"}'
 WHERE credential_name LIKE 'ren-%';
\! mockctl requests
-- a new name LiteLLM has is still caught (one lookup: this statement read
-- no list)
UPDATE litellm_credential SET credential_name = 'anthropic',
       credential_values = '{"api_key": "sk-ren-v2"}'
 WHERE credential_name = 'ren-1-v2';  -- ERROR
ROLLBACK;
\! mockctl requests

-- with several calls in flight, which ones go out before the failure
-- varies; seeded random trials (a fault on the k-th POST, PATCH or DELETE)
-- check each error's DETAIL against the test server's state and record
ALTER SERVER litellm OPTIONS (SET max_concurrency '4');
\! mockctl config '{"latency_ms": 5}'
\! python3 test/tools/commit_check.py 25 1
\! mockctl config '{"latency_ms": 0}'
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');

-- ===================================================================
-- write_mode 'immediate': a multi-row INSERT goes in batches (batch_size),
-- each batch concurrently
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate', ADD batch_size '3');
-- (max_concurrency above batch_size: the batch is what limits)
ALTER SERVER litellm OPTIONS (SET max_concurrency '16');
EXPLAIN (COSTS OFF) INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'b-' || i, jsonb_build_object('api_key', 'sk-b-' || i) FROM generate_series(1, 7) i;
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT 'b-' || i, jsonb_build_object('api_key', 'sk-b-' || i) FROM generate_series(1, 7) i;
\! mockctl config '{"latency_ms": 0}'
\! mockctl requests | awk '{ print $1 }' | uniq -c
-- batches of 3, 3 and 1, each sent at once: at most 3 in flight
\! mockctl inflight
SELECT count(*) FROM litellm_credential WHERE credential_name LIKE 'b-%';
-- a failure in a batch: the error names what the batch created (it stays)
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('b-8', '{"api_key": "sk-b-8"}'), ('anthropic', '{"api_key": "sk-b-9"}'),
       ('b-10', '{"api_key": "sk-b-10"}');  -- ERROR
SELECT credential_name FROM litellm_credential WHERE credential_name LIKE 'b-%' ORDER BY 1;
-- ON CONFLICT DO NOTHING: looked up by name, then sent
\! mockctl requests >/dev/null
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('b-1', '{"api_key": "sk-b-1-again"}'), ('b-11', '{"api_key": "sk-b-11"}'),
       ('b-2', '{"api_key": "sk-b-2-again"}')
ON CONFLICT DO NOTHING;
\! mockctl requests
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP write_mode, DROP batch_size);

-- ===================================================================
-- a scan keeps reading its response while other statements run (a
-- cursor), and while the rows it returned are written (write_mode
-- 'immediate': each write makes the statement's responses stale)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
BEGIN;
DECLARE c CURSOR FOR SELECT credential_name, credential_info FROM litellm_credential;
FETCH 1 FROM c;
SELECT credential_name FROM litellm_credential WHERE credential_name = 'anthropic';
SELECT count(*) FROM litellm_credential;
FETCH 2 FROM c;
COMMIT;
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode 'immediate');
UPDATE litellm_credential SET credential_info = credential_info || '{"seen": 1}'
RETURNING credential_name, credential_info;
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP write_mode);

-- ===================================================================
-- PREPARE TRANSACTION is refused while changes are pending
-- ===================================================================
\! mockctl requests >/dev/null
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('prep-1', '{"api_key": "sk-prep-1"}');
PREPARE TRANSACTION 'lfdw_pending';  -- ERROR
-- (only the read that looked for a duplicate)
\! mockctl requests
SELECT count(*) FROM litellm_credential WHERE credential_name = 'prep-1';

-- ===================================================================
-- pending changes belong to the user mapping they were made through: a
-- role switch inside the transaction, and at COMMIT each call carries the
-- key of the mapping its change was made through
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed.json)"
\! mockctl config '{"extra_keys": ["sk-regress-other-2"]}'
CREATE ROLE regress_lfdw_other;
GRANT SELECT, INSERT, UPDATE, DELETE ON litellm_credential TO regress_lfdw_other;
CREATE USER MAPPING FOR regress_lfdw_other SERVER litellm
    OPTIONS (api_key 'sk-regress-other-2');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('by-owner', '{"api_key": "sk-by-owner"}');
UPDATE litellm_credential SET credential_info = credential_info || '{"by": "owner"}' WHERE credential_name = 'azure-eu';
SET ROLE regress_lfdw_other;
-- the other mapping sees none of the owner's pending changes
SELECT credential_name, credential_info FROM litellm_credential ORDER BY 1;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('by-other', '{"api_key": "sk-by-other"}');
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
SELECT * FROM litellm_fdw_pending_changes();
RESET ROLE;
-- nor the owner the other's
SELECT credential_name, credential_info FROM litellm_credential ORDER BY 1;
\! mockctl requests >/dev/null
COMMIT;
-- the calls at COMMIT, each with the key it carried
\! curl -s "$MOCK_URL/_mock/requests?format=json&clear=1" | python3 -c 'import json,sys; keys = {"Bearer sk-master-test": "owner", "Bearer sk-regress-other-2": "other"}; [print(r["method"], r["path"], keys.get(r["headers"].get("authorization"), r["headers"].get("authorization"))) for r in json.load(sys.stdin)]'
\! mockctl state | cut -d' ' -f1,2
DROP USER MAPPING FOR regress_lfdw_other SERVER litellm;
DROP OWNED BY regress_lfdw_other;
DROP ROLE regress_lfdw_other;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
