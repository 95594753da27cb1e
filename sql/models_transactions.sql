-- litellm_model in write_mode 'commit' (the default): INSERT, UPDATE and
-- DELETE of models are checked at once and sent when the transaction
-- commits, with the credentials' changes in order; the transaction reads
-- its own writes; ROLLBACK and savepoints drop them; several changes of one
-- model collapse; a failure at commit undoes the creates and says what was
-- applied.  The test server's request record shows what was sent, and when.
\i test/setup.sql

-- ===================================================================
-- models follow the same rules: held until commit, seen by the
-- transaction, dropped by ROLLBACK and savepoints; at commit they go after
-- the creates and patches of credentials (which they may use), before the
-- deletes (of credentials they may stop using)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id text, model_name text, litellm_model text, credential_name text,
    litellm_params jsonb
) SERVER litellm OPTIONS (resource 'models');
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('m-cred', '{"api_key": "sk-m-cred"}');
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-new', 'new-model', 'openai/gpt-4o-mini', 'm-cred');
-- without a model_id, the id is chosen now (a UUID), so RETURNING has it
INSERT INTO litellm_model (model_name, litellm_model, litellm_params)
VALUES ('anon', 'openai/o1', '{"api_key": "sk-model-key-1", "rpm": 5}')
RETURNING model_id ~ '^[0-9a-f]{8}-' AS uuid, model_name, litellm_params;
UPDATE litellm_model SET credential_name = 'm-cred' WHERE model_id = 'm-gpt4o';
DELETE FROM litellm_model WHERE model_id = 'm-claude';
DELETE FROM litellm_credential WHERE credential_name = 'anthropic';
-- the transaction sees its models, and reports join them
SELECT model_id, model_name, litellm_model, credential_name, litellm_params
  FROM litellm_model WHERE model_name <> 'anon' ORDER BY 1;
SELECT c.credential_name, count(m.model_id) AS models
  FROM litellm_credential c LEFT JOIN litellm_model m ON m.credential_name = c.credential_name
 GROUP BY 1 ORDER BY 1;
SAVEPOINT s;
DELETE FROM litellm_model WHERE model_id = 'm-new';
SELECT count(*) FROM litellm_model WHERE model_id = 'm-new';
ROLLBACK TO SAVEPOINT s;
SELECT count(*) FROM litellm_model WHERE model_id = 'm-new';
SELECT operation, request, credential_name,
       regexp_replace(model_id, '^[0-9a-f]{8}-.*', '<uuid>') AS model_id, changed_columns
  FROM litellm_fdw_pending_changes();
\! mockctl requests >/dev/null
COMMIT;
-- (generated ids are random: shown as <uuid>)
\! mockctl requests | sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g'
-- ROLLBACK sends none of it
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model) VALUES ('m-rb', 'rb', 'openai/rb');
UPDATE litellm_model SET model_name = 'renamed' WHERE model_id = 'm-gpt4o';
ROLLBACK;
\! mockctl requests
-- a model change fails at commit: the credential and the model created
-- before it are deleted again; the credential delete is never sent
\! mockctl fault '{"method":"PATCH","path_prefix":"/model/","status":500,"body":"{\"error\":{\"message\":\"router busy\",\"code\":\"500\"}}"}'
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('f-cred', '{"api_key": "sk-f-cred"}');
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-f1', 'f1', 'openai/f1', 'f-cred');
UPDATE litellm_model SET model_name = 'gpt-4o-x' WHERE model_id = 'm-gpt4o-mini';
DELETE FROM litellm_credential WHERE credential_name = 'unused-vertex';
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
SELECT model_id FROM litellm_model WHERE model_id IN ('m-f1', 'm-gpt4o-mini') ORDER BY 1;
SELECT credential_name FROM litellm_credential WHERE credential_name IN ('f-cred', 'unused-vertex');

-- ===================================================================
-- ROLLBACK sends no write, and leaves nothing pending; a client that
-- goes away mid-transaction sends nothing either
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-rb-1', 'rb-1', 'openai/rb'), ('m-rb-2', 'rb-2', 'openai/rb');
UPDATE litellm_model SET credential_name = 'azure-eu' WHERE model_id = 'm-claude';
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
SELECT operation, request, model_id, changed_columns FROM litellm_fdw_pending_changes();
ROLLBACK;
-- only the reads: the ids looked up for duplicates, the rows to change,
-- the credential the UPDATE names
\! mockctl requests
SELECT * FROM litellm_fdw_pending_changes();  -- nothing left
SELECT count(*) FROM litellm_model WHERE model_id LIKE 'm-rb-%';
\! mockctl requests >/dev/null
-- (only the read that looks for a duplicate id)
\! printf "BEGIN;\nINSERT INTO litellm_model (model_id, model_name, litellm_model) VALUES ('m-gone', 'gone', 'openai/gone');\n" | psql -X -q -d contrib_regression >/dev/null
\! sleep 0.3; mockctl requests
\! mockctl models | grep -c '^m-gone ' || true

-- ===================================================================
-- read your own writes: the list, a point read and a join see the
-- transaction's models (a point read still asks LiteLLM, even for an id
-- the transaction created or deleted: the pending changes decide the row)
-- ===================================================================
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model, credential_name)
VALUES ('m-tx', 'tx-model', 'openai/tx', 'openai-prod');
UPDATE litellm_model SET model_name = 'claude-tx' WHERE model_id = 'm-claude';
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
\! mockctl requests
SELECT model_id, model_name, credential_name FROM litellm_model ORDER BY 1;
SELECT model_id, model_name FROM litellm_model WHERE model_id = 'm-tx';
SELECT model_id, model_name FROM litellm_model WHERE model_id = 'm-orphan';
SELECT model_id, model_name FROM litellm_model WHERE model_id = 'm-claude';
CREATE TEMP TABLE wanted (id text);
INSERT INTO wanted VALUES ('m-tx'), ('m-orphan'), ('m-claude');
SELECT w.id, m.model_name
  FROM wanted w LEFT JOIN litellm_model m ON m.model_id = w.id
 ORDER BY 1;
\! mockctl requests
COMMIT;
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2

-- ===================================================================
-- several changes of one model are not folded (a model PATCH is a
-- partial change; doc/transactions.md): each is sent, in the order made;
-- but a model the transaction creates and deletes costs nothing
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
BEGIN;
-- insert then update: a POST, then a PATCH
INSERT INTO litellm_model (model_id, model_name, litellm_model, litellm_params)
VALUES ('m-ins-upd', 'first', 'openai/a', '{"rpm": 1}');
UPDATE litellm_model SET model_name = 'final', litellm_params = litellm_params || '{"rpm": 2}'
 WHERE model_id = 'm-ins-upd';
-- insert then delete: nothing
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-ins-del', 'short-lived', 'openai/b');
DELETE FROM litellm_model WHERE model_id = 'm-ins-del';
-- two updates: two PATCHes
UPDATE litellm_model SET model_name = 'gpt-4-renamed' WHERE model_id = 'm-azure-gpt4';
UPDATE litellm_model SET litellm_params = litellm_params || '{"rpm": 30}'
 WHERE model_id = 'm-azure-gpt4';
-- update then delete: a PATCH, then the delete
UPDATE litellm_model SET model_name = 'doomed' WHERE model_id = 'm-orphan';
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
SELECT model_id, model_name, litellm_params FROM litellm_model
 WHERE model_id IN ('m-ins-upd', 'm-ins-del', 'm-azure-gpt4', 'm-orphan') ORDER BY 1;
SELECT operation, request, model_id, changed_columns FROM litellm_fdw_pending_changes();
\! mockctl requests >/dev/null
COMMIT;
\! mockctl requests
\! mockctl models | grep -E '^(m-ins-|m-azure-gpt4|m-orphan)'

-- ===================================================================
-- savepoints, and an error caught in PL/pgSQL (a subtransaction)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-sp-kept', 'kept', 'openai/kept');
SAVEPOINT a;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-sp-dropped', 'dropped', 'openai/dropped');
UPDATE litellm_model SET model_name = 'kept-changed' WHERE model_id = 'm-sp-kept';
DELETE FROM litellm_model WHERE model_id = 'm-gpt4o';
ROLLBACK TO SAVEPOINT a;
-- as it was at the savepoint
SELECT model_id, model_name FROM litellm_model
 WHERE model_id IN ('m-sp-kept', 'm-sp-dropped', 'm-gpt4o') ORDER BY 1;
SAVEPOINT b;
UPDATE litellm_model SET model_name = 'released' WHERE model_id = 'm-azure-gpt4';
RELEASE SAVEPOINT b;
DO $$
BEGIN
    INSERT INTO litellm_model (model_id, model_name, litellm_model)
    VALUES ('m-in-block', 'in-block', 'openai/block');
    DELETE FROM litellm_model WHERE model_id = 'm-claude';
    RAISE EXCEPTION 'oops';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'caught: %', SQLERRM;
END $$;
SELECT operation, request, model_id, changed_columns FROM litellm_fdw_pending_changes();
\! mockctl requests >/dev/null
COMMIT;
\! mockctl requests

-- ===================================================================
-- a failure at commit: the k-th call fails
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
-- the third model create fails: the two before it are deleted again, the
-- rest is never sent
\! mockctl fault '{"method":"POST","path_prefix":"/model/new","skip":2,"status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"type\":\"internal_server_error\",\"param\":null,\"code\":\"500\"}}"}'
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
SELECT 'm-k-' || i, 'k-' || i, 'openai/k' FROM generate_series(1, 4) i;
UPDATE litellm_model SET model_name = 'k-patched' WHERE model_id = 'm-claude';
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2
-- the second model delete fails: the first stays deleted (a delete cannot
-- be undone), the patch stays, the create is deleted again
\! mockctl fault '{"method":"POST","path_prefix":"/model/delete","skip":1,"status":500,"body":"{\"error\":{\"message\":\"DB not connected\",\"code\":\"500\"}}"}'
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-d-1', 'd-1', 'openai/d');
UPDATE litellm_model SET model_name = 'd-patched' WHERE model_id = 'm-claude';
DELETE FROM litellm_model WHERE model_id IN ('m-orphan', 'm-gpt4o-mini');
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\! mockctl requests
\! mockctl models | cut -d' ' -f1,2
-- a model changed by this transaction and deleted by someone else before
-- the commit (the test server removes it just before the PATCH arrives):
-- SQLSTATE 40001, and the create before it is deleted again
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-v-1', 'v-1', 'openai/v');
UPDATE litellm_model SET model_name = 'v-patched' WHERE model_id = 'm-claude';
\! mockctl fault '{"method":"PATCH","path_prefix":"/model/m-claude/","vanish":true}'
\! mockctl requests >/dev/null
COMMIT;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
\! mockctl models | cut -d' ' -f1

-- ===================================================================
-- a DELETE over several pages: the rows are deleted at commit, after
-- the scan read every page, so each one is found and deleted
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER FOREIGN TABLE litellm_model OPTIONS (ADD page_size '2');
INSERT INTO litellm_model (model_id, model_name, litellm_model)
SELECT 'm-del-' || i, 'del', 'openai/d' FROM generate_series(1, 6) i;
\! mockctl requests >/dev/null
BEGIN;
DELETE FROM litellm_model WHERE model_name = 'del';
\! mockctl requests
COMMIT;
\! mockctl requests
SELECT model_id FROM litellm_model WHERE model_name = 'del';
\! mockctl models | grep -c ' del ' || true
ALTER FOREIGN TABLE litellm_model OPTIONS (DROP page_size);
\! mockctl requests >/dev/null

-- ===================================================================
-- model changes are sent one at a time at commit, in the order made,
-- whatever max_concurrency (doc/transactions.md): one in flight at once
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
ALTER SERVER litellm OPTIONS (SET max_concurrency '4');
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
SELECT 'm-conc-' || i, 'conc-' || i, 'openai/conc' FROM generate_series(1, 10) i;
DELETE FROM litellm_model WHERE model_id = 'm-orphan';
\! mockctl requests >/dev/null
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
COMMIT;
\! mockctl config '{"latency_ms": 0}'
\! mockctl inflight
\! mockctl requests | awk '{ print $1, $2 }' | uniq -c
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');

-- ===================================================================
-- PREPARE TRANSACTION is refused while model changes are pending; with
-- write_mode 'immediate' they are sent at once, ROLLBACK does not undo
-- them, and a transaction that wrote cannot be prepared either
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-prep', 'prep', 'openai/prep');
PREPARE TRANSACTION 'lfdw_model_pending';  -- ERROR
\! mockctl requests
ALTER FOREIGN TABLE litellm_model OPTIONS (ADD write_mode 'immediate');
BEGIN;
INSERT INTO litellm_model (model_id, model_name, litellm_model)
VALUES ('m-imm', 'imm', 'openai/imm');
ROLLBACK;
SELECT model_id FROM litellm_model WHERE model_id = 'm-imm';
BEGIN;
DELETE FROM litellm_model WHERE model_id = 'm-imm';
PREPARE TRANSACTION 'lfdw_model_immediate';  -- ERROR
\! mockctl requests
\! mockctl models | grep -c '^m-imm ' || true
ALTER FOREIGN TABLE litellm_model OPTIONS (DROP write_mode);

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
