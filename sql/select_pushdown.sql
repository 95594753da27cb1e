-- SELECT: which request each condition becomes, and that every condition
-- still holds on the rows returned.
\i test/setup.sql

-- ===================================================================
-- no usable condition: one GET /credentials
-- ===================================================================
SELECT credential_name, credential_info FROM litellm_credential ORDER BY 1;
SELECT count(*) FROM litellm_credential;
\! mockctl requests
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential;

-- conditions the API cannot serve are checked locally on the list
SELECT credential_name FROM litellm_credential
 WHERE credential_info->>'custom_llm_provider' = 'azure';
SELECT credential_name FROM litellm_credential WHERE credential_name LIKE 'a%' ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- credential_name = constant or parameter: GET /credentials/by_name/{name}
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential WHERE credential_name = 'azure-eu';
SELECT credential_name, credential_info FROM litellm_credential WHERE credential_name = 'azure-eu';
SELECT credential_name FROM litellm_credential WHERE 'anthropic' = credential_name;
-- 404 means no row
SELECT credential_name FROM litellm_credential WHERE credential_name = 'missing';
\! mockctl requests
-- the other conditions still hold
SELECT credential_name FROM litellm_credential
 WHERE credential_name = 'azure-eu' AND credential_info->>'region' = 'us';
\! mockctl requests
-- NULL and the empty string match nothing, and cost no request
SELECT credential_name FROM litellm_credential WHERE credential_name = NULL;
SELECT credential_name FROM litellm_credential WHERE credential_name = '';
\! mockctl requests

PREPARE by_name(text) AS
    SELECT credential_name, credential_info->>'custom_llm_provider' AS provider
      FROM litellm_credential WHERE credential_name = $1;
EXECUTE by_name('openai-prod');
EXECUTE by_name('anthropic');
EXECUTE by_name('nope');
-- a generic plan keeps the point lookup, with the parameter in EXPLAIN
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE by_name('x');
EXECUTE by_name('azure-eu');
RESET plan_cache_mode;
DEALLOCATE by_name;
\! mockctl requests

-- an expression over constants and parameters is evaluated once, when
-- the scan starts (as in PL/pgSQL, where variables are parameters)
EXPLAIN (COSTS OFF) SELECT credential_name FROM litellm_credential
 WHERE credential_name = 'svc-' || current_user;
DO $$
DECLARE
    found text;
BEGIN
    FOREACH found IN ARRAY ARRAY['openai', 'anthropic'] LOOP
        SELECT credential_name INTO found FROM litellm_credential
         WHERE credential_name = CASE WHEN found = 'openai' THEN found || '-prod' ELSE found END;
        RAISE NOTICE 'found %', found;
    END LOOP;
END $$;
\! mockctl requests
-- but not a volatile one, which could differ from row to row
EXPLAIN (COSTS OFF) SELECT credential_name FROM litellm_credential
 WHERE credential_name = 'azure-' || (random() * 0)::int::text;

-- a value from a subquery is a parameter too
SELECT credential_name FROM litellm_credential
 WHERE credential_name = (SELECT 'anthropic'::text);
\! mockctl requests

-- ===================================================================
-- IN (...) and = ANY(array): one by_name call per distinct name
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT credential_name FROM litellm_credential
 WHERE credential_name IN ('azure-eu', 'anthropic', 'nope');
SELECT credential_name FROM litellm_credential
 WHERE credential_name IN ('azure-eu', 'anthropic', 'nope', 'azure-eu') ORDER BY 1;
\! mockctl requests
PREPARE by_names(text[]) AS
    SELECT credential_name FROM litellm_credential WHERE credential_name = ANY($1)
     ORDER BY 1;
EXECUTE by_names(ARRAY['openai-prod', NULL, 'anthropic']);
EXECUTE by_names('{}');
\! mockctl requests
-- beyond point_lookup_limit names, one list call instead
EXECUTE by_names(ARRAY['a1','a2','a3','a4','a5','a6','a7','a8','a9','a10','anthropic']);
\! mockctl requests
EXPLAIN (COSTS OFF) SELECT credential_name FROM litellm_credential
 WHERE credential_name IN ('a1','a2','a3','a4','a5','a6','a7','a8','a9','a10','a11');
ALTER SERVER litellm OPTIONS (ADD point_lookup_limit '2');
SELECT credential_name FROM litellm_credential
 WHERE credential_name IN ('azure-eu', 'anthropic', 'openai-prod') ORDER BY 1;
\! mockctl requests
ALTER SERVER litellm OPTIONS (DROP point_lookup_limit);
DEALLOCATE by_names;

-- ===================================================================
-- model_id = constant or parameter: GET /credentials/by_model/{id}
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential WHERE model_id = 'm-gpt4o';
SELECT * FROM litellm_credential WHERE model_id = 'm-gpt4o';
SELECT * FROM litellm_credential WHERE model_id = 'm-unknown';
-- model_id wins over credential_name: only by_model rows have a model_id
SELECT credential_name FROM litellm_credential
 WHERE model_id = 'm-gpt4o' AND credential_name = 'gpt-4o-credential-m-gpt4o';
SELECT credential_name FROM litellm_credential
 WHERE model_id = 'm-gpt4o' AND credential_name = 'openai-prod';
\! mockctl requests
-- rows from the list and by_name have no model_id
SELECT count(*) FROM litellm_credential WHERE model_id IS NOT NULL;
\! mockctl requests

-- ===================================================================
-- a case-insensitive collation is not pushed down
-- ===================================================================
CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXPLAIN (COSTS OFF) SELECT credential_name FROM litellm_credential
 WHERE credential_name = 'AZURE-EU' COLLATE case_insensitive;
SELECT credential_name FROM litellm_credential
 WHERE credential_name = 'AZURE-EU' COLLATE case_insensitive;
\! mockctl requests
DROP COLLATION case_insensitive;

-- ===================================================================
-- joins with local tables, and a subset of columns in any order
-- ===================================================================
CREATE TEMP TABLE wanted (name text);
INSERT INTO wanted VALUES ('anthropic'), ('azure-eu'), ('gone');
SELECT w.name, c.credential_info->>'custom_llm_provider' AS provider
  FROM wanted w LEFT JOIN litellm_credential c ON c.credential_name = w.name
 ORDER BY 1;
\! mockctl requests
CREATE FOREIGN TABLE cred_names (model_id text, credential_name varchar(40))
    SERVER litellm;
SELECT * FROM cred_names ORDER BY credential_name;
SELECT * FROM cred_names WHERE credential_name = 'anthropic';
\! mockctl requests
DROP FOREIGN TABLE cred_names;

-- estimated rows for a list: the number the last list of this server had
-- (in this backend), unless the table's estimated_rows says otherwise
EXPLAIN SELECT * FROM litellm_credential;
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD estimated_rows '5000');
EXPLAIN SELECT * FROM litellm_credential;
ALTER SERVER litellm OPTIONS (ADD request_cost '10');
EXPLAIN SELECT * FROM litellm_credential WHERE credential_name = 'x';

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
