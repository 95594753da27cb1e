-- Reporting joins of credentials and models: what they cost in requests,
-- and the plans that make them cost that.
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
) SERVER litellm OPTIONS (resource 'models', page_size '2');

-- EXPLAIN (COSTS OFF), with the operands of "Filter: (a = b)" in
-- alphabetical order (their order differs between PostgreSQL releases)
CREATE FUNCTION explain_plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
    m text[];
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        m := regexp_match(line, '^(.*Filter: \()(\S+) = (\S+)(\))$');
        IF m IS NOT NULL AND m[2] > m[3] THEN
            line := m[1] || m[3] || ' = ' || m[2] || m[4];
        END IF;
        RETURN NEXT line;
    END LOOP;
END $f$;
-- The scans of a plan and their requests, without the join method (which
-- differs between releases for anti joins: a hash join, or a nested loop
-- over a materialized side; either way each list is read once).
CREATE FUNCTION plan_scans(query text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        line := regexp_replace(line, '^[ ]*(->)?[ ]*', '');
        IF line ~ '(Scan on|Request)' THEN
            RETURN NEXT line;
        END IF;
    END LOOP;
END $f$;

-- the first scans tell the planner how many rows each list has
SELECT count(*) FROM litellm_credential;
SELECT count(*) FROM litellm_model;
\! mockctl requests

-- ===================================================================
-- reports: one credentials list plus the model pages, however many rows
-- ===================================================================
-- credentials with the number of models using each
SELECT explain_plan($$
SELECT c.credential_name, count(m.model_id) AS models
  FROM litellm_credential c
  LEFT JOIN litellm_model m ON m.credential_name = c.credential_name
 GROUP BY c.credential_name ORDER BY 1$$);
SELECT c.credential_name, count(m.model_id) AS models
  FROM litellm_credential c
  LEFT JOIN litellm_model m ON m.credential_name = c.credential_name
 GROUP BY c.credential_name ORDER BY 1;
\! mockctl requests

-- credentials no model uses
SELECT * FROM plan_scans($$
SELECT c.credential_name FROM litellm_credential c
 WHERE NOT EXISTS (SELECT 1 FROM litellm_model m
                    WHERE m.credential_name = c.credential_name)$$) ORDER BY 1;
SELECT c.credential_name FROM litellm_credential c
 WHERE NOT EXISTS (SELECT 1 FROM litellm_model m
                    WHERE m.credential_name = c.credential_name);
\! mockctl requests

-- models that reference a credential that does not exist
SELECT * FROM plan_scans($$
SELECT m.model_id, m.credential_name
  FROM litellm_model m
  LEFT JOIN litellm_credential c ON c.credential_name = m.credential_name
 WHERE m.credential_name IS NOT NULL AND c.credential_name IS NULL$$) ORDER BY 1;
SELECT m.model_id, m.credential_name
  FROM litellm_model m
  LEFT JOIN litellm_credential c ON c.credential_name = m.credential_name
 WHERE m.credential_name IS NOT NULL AND c.credential_name IS NULL;
\! mockctl requests

-- models per provider: the credential's, else the prefix of litellm_model
SELECT explain_plan($$
SELECT coalesce(c.credential_info->>'custom_llm_provider',
                split_part(m.litellm_model, '/', 1)) AS provider,
       count(*) AS models, count(c.credential_name) AS with_credential
  FROM litellm_model m
  LEFT JOIN litellm_credential c ON c.credential_name = m.credential_name
 GROUP BY 1 ORDER BY 1$$);
SELECT coalesce(c.credential_info->>'custom_llm_provider',
                split_part(m.litellm_model, '/', 1)) AS provider,
       count(*) AS models, count(c.credential_name) AS with_credential
  FROM litellm_model m
  LEFT JOIN litellm_credential c ON c.credential_name = m.credential_name
 GROUP BY 1 ORDER BY 1;
\! mockctl requests

-- an inner join, with the masked credential values beside each model
SELECT m.model_id, c.credential_name, c.credential_values
  FROM litellm_credential c
  JOIN litellm_model m ON m.credential_name = c.credential_name
 ORDER BY 1;
\! mockctl requests

-- ===================================================================
-- a small local table: one by_name lookup per outer row, when cheaper
-- ===================================================================
CREATE TEMP TABLE wanted (name text);
INSERT INTO wanted VALUES ('anthropic');
ANALYZE wanted;
-- the list is long (a table option says so): looking one name up is cheaper
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD estimated_rows '5000');
SELECT explain_plan($$
SELECT t.name, c.credential_info FROM wanted t
  JOIN litellm_credential c ON c.credential_name = t.name$$);
SELECT t.name, c.credential_info FROM wanted t
  JOIN litellm_credential c ON c.credential_name = t.name;
\! mockctl requests
-- names repeated on the outer side are looked up once per statement
INSERT INTO wanted VALUES ('anthropic'), ('openai-prod'), ('no-such'), ('anthropic'), ('no-such');
ANALYZE wanted;
SELECT explain_plan($$
SELECT t.name, c.credential_name IS NOT NULL AS found FROM wanted t
  LEFT JOIN litellm_credential c ON c.credential_name = t.name$$);
SELECT t.name, c.credential_name IS NOT NULL AS found FROM wanted t
  LEFT JOIN litellm_credential c ON c.credential_name = t.name ORDER BY 1, 2;
\! mockctl requests
-- many outer rows: the list once, hashed
INSERT INTO wanted SELECT 'name-' || i FROM generate_series(1, 200) i;
ANALYZE wanted;
SELECT explain_plan($$
SELECT count(c.credential_name) FROM wanted t
  JOIN litellm_credential c ON c.credential_name = t.name$$);
SELECT count(c.credential_name) FROM wanted t
  JOIN litellm_credential c ON c.credential_name = t.name;
\! mockctl requests
-- with the real length of the list, the list wins even for one name
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP estimated_rows);
DELETE FROM wanted WHERE name <> 'anthropic';
ANALYZE wanted;
SELECT explain_plan($$
SELECT t.name, c.credential_info FROM wanted t
  JOIN litellm_credential c ON c.credential_name = t.name$$);

-- ===================================================================
-- rescans within a statement reuse the responses already received
-- ===================================================================
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SET enable_material = off;
-- a credential is looked up once per distinct name of the models
SELECT explain_plan($$
SELECT c.credential_name, m.model_id FROM litellm_credential c
  JOIN litellm_model m ON m.credential_name = c.credential_name$$);
SELECT c.credential_name, m.model_id FROM litellm_credential c
  JOIN litellm_model m ON m.credential_name = c.credential_name ORDER BY 1, 2;
\! mockctl requests
-- the model pages are read again for each credential: from the
-- statement's responses, not from the server
SELECT explain_plan($$
SELECT c.credential_name, m.model_id FROM litellm_credential c
  CROSS JOIN LATERAL (SELECT model_id FROM litellm_model
                       WHERE credential_name = c.credential_name OFFSET 0) m$$);
SELECT c.credential_name, m.model_id FROM litellm_credential c
  CROSS JOIN LATERAL (SELECT model_id FROM litellm_model
                       WHERE credential_name = c.credential_name OFFSET 0) m
 ORDER BY 1, 2;
\! mockctl requests
-- and the next statement asks again
SELECT count(*) FROM litellm_credential;
\! mockctl requests
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_material;

-- ===================================================================
-- the ceiling stops a runaway fan-out
-- ===================================================================
INSERT INTO wanted SELECT 'n-' || i FROM generate_series(1, 20) i;
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD estimated_rows '100000');
SET litellm_fdw.max_requests_per_statement = 10;
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT explain_plan($$
SELECT count(*) FROM wanted t JOIN litellm_credential c ON c.credential_name = t.name$$);
SELECT count(*) FROM wanted t JOIN litellm_credential c ON c.credential_name = t.name;  -- ERROR
\! mockctl requests | wc -l
RESET litellm_fdw.max_requests_per_statement;
SELECT count(*) FROM wanted t JOIN litellm_credential c ON c.credential_name = t.name;
\! mockctl requests | wc -l
RESET enable_hashjoin;
RESET enable_mergejoin;
ALTER FOREIGN TABLE litellm_credential OPTIONS (DROP estimated_rows);
DROP TABLE wanted;
DROP FOREIGN TABLE litellm_model;
DROP FUNCTION explain_plan(text), plan_scans(text);
