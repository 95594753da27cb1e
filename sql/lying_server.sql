-- A lying server: every loop whose end the server controls ends, with
-- its own SQLSTATE, after a bounded number of requests (the server's
-- record, counted), and a statement_timeout stops each loop that may run
-- long within 1 s (as in cancel.sql: the timeout included).  The pages of
-- /v2/model/info (current_page that is not the page asked for, total_pages
-- that grows or is huge, a model id on two pages), the ceiling on pages,
-- the bytes one statement may receive (litellm_fdw.max_bytes_per_statement),
-- a join's page reads, Retry-After huge, negative or garbage, and a body
-- that never ends.
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
) SERVER litellm OPTIONS (resource 'models', write_mode 'immediate', page_size '3');

-- ===================================================================
-- every page says "current_page": 1, "total_pages": 2: the answer to
-- page 2 is for another page (once this looped, growing without bound)
-- ===================================================================
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "stuck", "times": -1}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests
SELECT clock_timestamp() AS t0 \gset
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
\! mockctl requests
UPDATE litellm_model SET model_name = 'y' WHERE model_name = 'x';  -- ERROR
\! mockctl requests | wc -l

-- ===================================================================
-- total_pages grows on every page: the first answer's count holds
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "grow", "times": -1}'
SELECT model_id FROM litellm_model;
\! mockctl requests
DELETE FROM litellm_model WHERE model_name = 'x';
\! mockctl requests | wc -l

-- ===================================================================
-- total_pages huge: the request ceiling stops it; with no ceiling, the
-- ceiling on pages (1,000,000 models: 100 pages of page_size 10000)
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "huge", "times": -1}'
SET litellm_fdw.max_requests_per_statement = 5;
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests | wc -l
SET litellm_fdw.max_requests_per_statement = 0;
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '10000');
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests | wc -l
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
\! mockctl requests | wc -l
-- a LIMIT reads only the pages it needs
SELECT model_id FROM litellm_model LIMIT 2;
\! mockctl requests | wc -l
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');
-- statement_timeout stops the walk through the pages (100 ms a page)
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "huge", "delay_ms": 100, "times": -1}'
-- (terse: which page is in flight when the timeout comes varies)
\set VERBOSITY terse
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '500ms';
SELECT count(*) FROM litellm_model;  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '500ms';
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
\set VERBOSITY default
RESET litellm_fdw.max_requests_per_statement;
-- the session goes on
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
SELECT count(*) FROM litellm_model;

-- ===================================================================
-- a model id listed on two pages is refused, as on one page: page 2
-- repeats page 1
-- ===================================================================
\! mockctl requests >/dev/null
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "repeat", "times": -1}'
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
\! mockctl requests | wc -l
-- (each page alone is fine)
SELECT model_id FROM litellm_model LIMIT 3;
\! mockctl requests | wc -l

-- ===================================================================
-- the bytes one statement may receive: litellm_fdw.max_bytes_per_statement
-- ===================================================================
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
SET litellm_fdw.max_bytes_per_statement = '1kB';
-- pages of 200 to 400 bytes: the fifth goes over
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '1');
SELECT count(*) FROM litellm_model;  -- ERROR
\! mockctl requests | wc -l
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
\! mockctl requests | wc -l
-- each statement starts again from nothing
SELECT model_id FROM litellm_model LIMIT 1;
SELECT model_id FROM litellm_model LIMIT 1;
\! mockctl requests | wc -l
-- the credential list (one answer of 2000 bytes)
\! mockctl fault '{"method": "GET", "path_prefix": "/credentials", "huge_bytes": 2000}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl requests | wc -l
SET litellm_fdw.max_bytes_per_statement = 0;  -- ERROR
RESET litellm_fdw.max_bytes_per_statement;
ALTER FOREIGN TABLE litellm_model OPTIONS (SET page_size '3');
SELECT count(*) FROM litellm_model;
\! mockctl requests | wc -l

-- ===================================================================
-- a join reads the model pages through the same scan: the same ceilings
-- ===================================================================
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "huge", "times": -1}'
SET litellm_fdw.max_requests_per_statement = 20;
SELECT count(*) FROM litellm_credential c
  JOIN litellm_model m ON m.credential_name = c.credential_name;  -- ERROR
\! mockctl requests | wc -l
RESET litellm_fdw.max_requests_per_statement;
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "page_lie": "grow", "times": -1}'
SELECT c.credential_name, m.model_id FROM litellm_credential c
  RIGHT JOIN litellm_model m ON m.credential_name = c.credential_name
 ORDER BY 2;
\! mockctl requests
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- Retry-After: huge (the wait is capped at 10 s, and a statement_timeout
-- stops it), negative or garbage (the usual backoff: 200 ms, 400 ms)
-- ===================================================================
\! mockctl fault '{"method": "GET", "status": 503, "headers": {"Retry-After": "99999999999999999999999"}, "body": "{\"error\": {\"message\": \"overloaded\", \"code\": \"503\"}}", "times": -1}'
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '500ms';
SELECT count(*) FROM litellm_credential;  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
\! mockctl requests | wc -l
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "status": 503, "headers": {"Retry-After": "-5"}, "body": "{\"error\": {\"message\": \"overloaded\", \"code\": \"503\"}}", "times": -1}'
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM litellm_credential;  -- ERROR
SELECT clock_timestamp() - :'t0' BETWEEN interval '0.5 second' AND interval '3 seconds' AS backed_off;
\! mockctl requests | wc -l
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
\! mockctl fault '{"method": "GET", "status": 503, "headers": {"Retry-After": "soon, 1e9"}, "body": "{\"error\": {\"message\": \"overloaded\", \"code\": \"503\"}}", "times": -1}'
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) FROM litellm_model;  -- ERROR
SELECT clock_timestamp() - :'t0' BETWEEN interval '0.5 second' AND interval '3 seconds' AS backed_off;
\! mockctl requests | wc -l
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"

-- ===================================================================
-- a body that never ends: max_response_bytes stops it (not retried), and
-- a statement_timeout stops a slow one
-- ===================================================================
ALTER SERVER litellm OPTIONS (ADD max_response_bytes '100000');
\! mockctl fault '{"method": "GET", "path_prefix": "/credentials", "endless": 1}'
SELECT count(*) FROM litellm_credential;  -- ERROR
\! mockctl requests | wc -l
\! mockctl fault '{"method": "GET", "path_prefix": "/v2/model/info", "endless": 1}'
DELETE FROM litellm_model WHERE model_name = 'x';  -- ERROR
\! mockctl requests | wc -l
ALTER SERVER litellm OPTIONS (DROP max_response_bytes);
\! mockctl fault '{"method": "GET", "path_prefix": "/credentials", "endless": 5}'
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '300ms';
SELECT count(*) FROM litellm_credential;  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
\! mockctl requests | wc -l
-- the session goes on
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
SELECT count(*) FROM litellm_credential;
SELECT count(*) FROM litellm_model;

DROP FOREIGN TABLE litellm_model;
