-- litellm_model, reads: GET /v2/model/info page by page, which condition
-- becomes a request (model_id = value: ?modelId=) and that every condition
-- still holds on the rows returned; litellm_params masked as read; the
-- request ceiling; the fallback to GET /model/info; IMPORT FOREIGN SCHEMA.
-- Writes are in models_write.sql, errors in models_errors.sql, write_mode
-- 'commit' in models_transactions.sql, masking in model_masking.sql.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    litellm_model   text,
    credential_name text,
    api_base        text,
    litellm_params  jsonb,
    model_info      jsonb
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');

-- ===================================================================
-- IMPORT FOREIGN SCHEMA: both tables, LIMIT TO and EXCEPT
-- ===================================================================
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm FROM SERVER litellm INTO imported;
\d imported.litellm_model
\d imported.litellm_credential
DROP SCHEMA imported CASCADE;
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm LIMIT TO (litellm_model) FROM SERVER litellm INTO imported;
SELECT foreign_table_name FROM information_schema.foreign_tables
 WHERE foreign_table_schema = 'imported' ORDER BY 1;
IMPORT FOREIGN SCHEMA litellm EXCEPT (litellm_model) FROM SERVER litellm INTO imported;
SELECT foreign_table_name FROM information_schema.foreign_tables
 WHERE foreign_table_schema = 'imported' ORDER BY 1;
SELECT count(*) FROM imported.litellm_model;
DROP SCHEMA imported CASCADE;
IMPORT FOREIGN SCHEMA public FROM SERVER litellm INTO public;  -- ERROR
\! mockctl requests

-- ===================================================================
-- columns and options
-- ===================================================================
CREATE FOREIGN TABLE bad_model (model_id text, nope text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM bad_model;  -- ERROR
DROP FOREIGN TABLE bad_model;
CREATE FOREIGN TABLE bad_model (litellm_params json)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM bad_model;  -- ERROR
DROP FOREIGN TABLE bad_model;
CREATE FOREIGN TABLE bad_model (model_id text)
    SERVER litellm OPTIONS (resource 'prompts');  -- ERROR
CREATE FOREIGN TABLE bad_model (model_id text)
    SERVER litellm OPTIONS (resource 'models', page_size '0');  -- ERROR
-- any subset of the columns, in any order
CREATE FOREIGN TABLE model_names (model_name varchar, model_id text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM model_names ORDER BY model_id;
DROP FOREIGN TABLE model_names;
\! mockctl requests

-- ===================================================================
-- reads: one page of 50
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_model;
SELECT model_id, model_name, litellm_model, credential_name, api_base
  FROM litellm_model ORDER BY model_id;
\! mockctl requests

-- masking: LiteLLM drops api_key and masks some keys partly; every key
-- that looks secret is masked in full, whatever its type; the rest (and
-- litellm_credential_name) as LiteLLM sent it
SELECT model_id, jsonb_pretty(litellm_params) FROM litellm_model
 WHERE model_id IN ('m-inline-key', 'm-claude') ORDER BY 1;
SELECT model_info FROM litellm_model WHERE model_id = 'm-inline-key';
SELECT model_info FROM litellm_model WHERE model_name = 'config-llama';
-- unmasked_keys applies here too
ALTER SERVER litellm OPTIONS (ADD unmasked_keys 'max_tokens');
SELECT litellm_params->'max_tokens' FROM litellm_model WHERE model_id = 'm-claude';
ALTER SERVER litellm OPTIONS (DROP unmasked_keys);
-- no secret of the test server's store shows anywhere
SELECT count(*) FROM litellm_model
 WHERE litellm_params::text ~ '(inline-secret|abcdefghijklmnop|987654321)';
\! mockctl requests

-- ===================================================================
-- pagination: pages are fetched as rows are consumed
-- ===================================================================
ALTER FOREIGN TABLE litellm_model OPTIONS (ADD page_size '3');
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model;
SELECT model_id FROM litellm_model;
\! mockctl requests
-- LIMIT stops the requests too
SELECT model_id FROM litellm_model LIMIT 2;
\! mockctl requests
SELECT model_id FROM litellm_model LIMIT 4;
\! mockctl requests
-- a page size that divides the count: the last page says there is no more
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '7');
SELECT count(*) FROM litellm_model;
\! mockctl requests
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');

-- ===================================================================
-- model_id = value: ?modelId=
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_model WHERE model_id = 'm-claude';
SELECT model_id, model_name, credential_name FROM litellm_model WHERE model_id = 'm-claude';
SELECT model_id FROM litellm_model WHERE model_id = 'no-such-model';
SELECT model_id FROM litellm_model WHERE model_id = NULL;
SELECT model_id FROM litellm_model WHERE model_id = '';
\! mockctl requests
PREPARE by_id(text) AS SELECT model_name FROM litellm_model WHERE model_id = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE by_id('x');
EXECUTE by_id('m-gpt4o');
RESET plan_cache_mode;
DEALLOCATE by_id;
-- other conditions are checked locally on the pages
SELECT model_id FROM litellm_model WHERE credential_name = 'openai-prod' ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- the request ceiling: litellm_fdw.max_requests_per_statement
-- ===================================================================
SHOW litellm_fdw.max_requests_per_statement;
SET litellm_fdw.max_requests_per_statement = 1;
SELECT count(*) FROM litellm_model;  -- ERROR
SET litellm_fdw.max_requests_per_statement = 3;
SELECT count(*) FROM litellm_model;
SET litellm_fdw.max_requests_per_statement = 0;
SELECT count(*) FROM litellm_model;
RESET litellm_fdw.max_requests_per_statement;
SET litellm_fdw.max_requests_per_statement = -1;  -- ERROR
\! mockctl requests

-- ===================================================================
-- no usable condition: the pages; conditions the API cannot serve are
-- checked locally on them
-- ===================================================================
SELECT model_id FROM litellm_model WHERE model_name = 'gpt-4o' ORDER BY 1;
SELECT model_id FROM litellm_model WHERE litellm_params->>'rpm' = '100';
SELECT model_id FROM litellm_model WHERE model_name LIKE 'gpt-4%' ORDER BY 1;
SELECT model_id FROM litellm_model WHERE credential_name IS NULL ORDER BY 1;
\! mockctl requests
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model WHERE model_name = 'gpt-4o';

-- ===================================================================
-- model_id = constant or parameter: ?modelId=, with the other conditions
-- still checked
-- ===================================================================
SELECT model_id, model_name FROM litellm_model WHERE 'm-claude' = model_id;
SELECT model_id FROM litellm_model
 WHERE model_id = 'm-claude' AND credential_name = 'openai-prod';
SELECT model_id FROM litellm_model
 WHERE model_id = 'm-claude' AND litellm_params->>'max_tokens' = '4096';
\! mockctl requests
-- a custom plan for each EXECUTE
PREPARE by_id(text) AS
    SELECT model_id, model_name, credential_name FROM litellm_model WHERE model_id = $1;
EXECUTE by_id('m-gpt4o-mini');
EXECUTE by_id('m-azure-gpt4');
EXECUTE by_id('nope');
DEALLOCATE by_id;
\! mockctl requests
-- the id is percent-encoded in the query string
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model WHERE model_id = 'a b&c=d/e?f';
SELECT model_id FROM litellm_model WHERE model_id = 'a b&c=d/e?f';
\! mockctl requests

-- an expression over constants and parameters is evaluated once, when
-- the scan starts (as in PL/pgSQL, where variables are parameters)
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model
 WHERE model_id = 'm-' || 'claude';
SELECT model_id FROM litellm_model WHERE model_id = 'm-' || 'claude';
DO $$
DECLARE
    wanted text;
    found text;
BEGIN
    FOREACH wanted IN ARRAY ARRAY['claude', 'orphan', 'none'] LOOP
        SELECT model_name INTO found FROM litellm_model WHERE model_id = 'm-' || wanted;
        RAISE NOTICE 'm-%: %', wanted, found;
    END LOOP;
END $$;
\! mockctl requests
-- but not a volatile one, which could differ from row to row
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model
 WHERE model_id = 'm-claude' || repeat('x', (random() * 0)::int);
-- a value from a subquery is a parameter too
SELECT model_id FROM litellm_model
 WHERE model_id = (SELECT 'm-orphan'::text);
\! mockctl requests

-- ===================================================================
-- IN (...) and = ANY(array) are not sent: the pages are read, and the
-- list checked locally
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model
 WHERE model_id IN ('m-claude', 'm-gpt4o', 'nope');
SELECT model_id FROM litellm_model
 WHERE model_id IN ('m-claude', 'm-gpt4o', 'nope') ORDER BY 1;
SELECT model_id FROM litellm_model
 WHERE model_id = ANY (ARRAY['m-orphan', NULL]);
\! mockctl requests

-- ===================================================================
-- a case-insensitive collation is not pushed down
-- ===================================================================
CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model
 WHERE model_id = 'M-CLAUDE' COLLATE case_insensitive;
SELECT model_id FROM litellm_model
 WHERE model_id = 'M-CLAUDE' COLLATE case_insensitive;
\! mockctl requests
DROP COLLATION case_insensitive;

-- ===================================================================
-- joins with local tables, and a subset of columns with a point read
-- ===================================================================
CREATE TEMP TABLE wanted (id text);
INSERT INTO wanted VALUES ('m-claude'), ('m-orphan'), ('gone');
SELECT w.id, m.model_name
  FROM wanted w LEFT JOIN litellm_model m ON m.model_id = w.id
 ORDER BY 1;
\! mockctl requests
CREATE FOREIGN TABLE model_names (credential_name text, model_id text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM model_names WHERE model_id = 'm-gpt4o';
\! mockctl requests
DROP FOREIGN TABLE model_names;

-- ===================================================================
-- a cursor reads page by page while other statements run
-- ===================================================================
BEGIN;
DECLARE c CURSOR FOR SELECT model_id FROM litellm_model;
FETCH 2 FROM c;
SELECT model_name FROM litellm_model WHERE model_id = 'm-claude';
FETCH 3 FROM c;
FETCH ALL FROM c;
COMMIT;
\! mockctl requests

-- ===================================================================
-- estimated rows: the number of models the last full read of this
-- server saw (in this backend), unless estimated_rows says otherwise;
-- a page is a request, and request_cost weighs it
-- ===================================================================
EXPLAIN SELECT * FROM litellm_model;
ALTER FOREIGN TABLE litellm_model OPTIONS (ADD estimated_rows '5000');
EXPLAIN SELECT * FROM litellm_model;
ALTER SERVER litellm OPTIONS (ADD request_cost '10');
EXPLAIN SELECT * FROM litellm_model;
EXPLAIN SELECT * FROM litellm_model WHERE model_id = 'x';
ALTER SERVER litellm OPTIONS (DROP request_cost);
ALTER FOREIGN TABLE litellm_model OPTIONS (DROP estimated_rows);
-- (EXPLAIN sends nothing)
\! mockctl requests


-- ===================================================================
-- LiteLLM without GET /v2/model/info: GET /model/info, unpaginated
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json | sed 's/^{/{"model_info_v2": false, /')"
SELECT model_id FROM litellm_model ORDER BY 1;
\! mockctl requests
-- the backend remembers: the next scan goes there at once
EXPLAIN (COSTS OFF) SELECT model_id FROM litellm_model;
SELECT model_id, litellm_params FROM litellm_model WHERE model_id = 'm-inline-key';
\! mockctl requests
DROP FOREIGN TABLE litellm_model;
