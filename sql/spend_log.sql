-- litellm_spend_log (resource 'spend_logs'), read-only: the window of
-- "startTime" a scan needs (refused without one, with a HINT), the window
-- sent (widened to whole seconds in UTC) and rechecked locally, equality
-- filters pushed, EXPLAIN VERBOSE showing the request, pages read until an
-- empty one, a server that repeats pages stopped, the request ceiling,
-- the fallback to /spend/logs/ui, masking, hostile fields, read-only
-- refusals, IMPORT FOREIGN SCHEMA, and the weekly report of spend per
-- credential and model with the requests it makes.  The test server holds
-- 250 logs spread over 2026-12-01 .. 2026-12-08 UTC (log i at 00:00 +
-- i * 2419.2 s; model_id cycles m-gpt4o, m-gpt4o-mini, m-azure-gpt4,
-- m-claude; user alice, bob, carol), and three logs in November.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_spend.json)"
SET TimeZone = 'UTC';
CREATE FOREIGN TABLE litellm_model (
    model_id        text,
    model_name      text,
    credential_name text
) SERVER litellm OPTIONS (resource 'models');
CREATE FOREIGN TABLE litellm_spend_log (
    request_id          text,
    call_type           text,
    api_key             text,
    spend               double precision,
    total_tokens        bigint,
    prompt_tokens       bigint,
    completion_tokens   bigint,
    "startTime"         timestamptz,
    "endTime"           timestamptz,
    model               text,
    model_id            text,
    model_group         text,
    custom_llm_provider text,
    api_base            text,
    "user"              text,
    team_id             text,
    end_user            text,
    status              text,
    request_tags        jsonb,
    metadata            jsonb
) SERVER litellm OPTIONS (resource 'spend_logs');

-- ===================================================================
-- a scan needs a lower bound on "startTime": refused at plan time, before
-- any request
-- ===================================================================
SELECT count(*) FROM litellm_spend_log;  -- ERROR
SELECT count(*) FROM litellm_spend_log WHERE "startTime" < '2026-12-02';  -- ERROR
SELECT count(*) FROM litellm_spend_log WHERE request_id = 'req-000001';  -- ERROR
-- a condition on "endTime" is no window
SELECT count(*) FROM litellm_spend_log WHERE "endTime" >= '2026-12-01';  -- ERROR
CREATE FOREIGN TABLE spend_no_time (request_id text)
    SERVER litellm OPTIONS (resource 'spend_logs');
SELECT * FROM spend_no_time;  -- ERROR
DROP FOREIGN TABLE spend_no_time;
\! mockctl requests

-- ===================================================================
-- the window: widened to whole seconds in UTC, and rechecked locally
-- ===================================================================
-- log 3 starts at 02:00:57.600, log 6 at 04:01:55.200: both inside the
-- window sent (02:00:57 .. 04:01:56), both outside the conditions
SELECT request_id, "startTime" FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01 02:00:00+00' AND "startTime" <= '2026-12-01 04:30:00+00'
 ORDER BY 2;
\! mockctl requests
EXPLAIN (VERBOSE, COSTS OFF)
SELECT request_id, "startTime" FROM litellm_spend_log
 WHERE "startTime" > '2026-12-01 02:00:57.7+00' AND "startTime" <= '2026-12-01 04:01:55.1+00';
SELECT request_id, "startTime" FROM litellm_spend_log
 WHERE "startTime" > '2026-12-01 02:00:57.7+00' AND "startTime" <= '2026-12-01 04:01:55.1+00'
 ORDER BY 2;
\! mockctl requests
-- the window is sent in UTC whatever the session's time zone
SET TimeZone = 'America/New_York';
SELECT request_id, "startTime" FROM litellm_spend_log
 WHERE "startTime" BETWEEN '2026-11-30 21:00:57' AND '2026-11-30 23:01:55.1'
 ORDER BY 2;
RESET TimeZone;
SET TimeZone = 'UTC';
\! mockctl requests
-- the latest lower and the earliest upper bound; = is both
EXPLAIN (VERBOSE, COSTS OFF)
SELECT request_id FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" >= '2026-12-01 03:00'
   AND "startTime" < '2026-12-02' AND '2026-12-01 05:00' > "startTime";
SELECT request_id FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" >= '2026-12-01 03:00'
   AND "startTime" < '2026-12-02' AND '2026-12-01 05:00' > "startTime"
 ORDER BY 1;
SELECT request_id FROM litellm_spend_log WHERE "startTime" = '2026-12-01 03:21:36+00';
\! mockctl requests
-- values known when the scan starts are computed then; no upper bound is
-- the end of time
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= now() - interval '7 days';
-- a date or a timestamp is compared as the timestamptz it stands for in the
-- session's time zone
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= current_date - 7;
SELECT count(*) FROM litellm_spend_log
 WHERE "startTime" >= date '2026-12-07' AND "startTime" < timestamp '2026-12-08 00:00';
-- an empty window, or a NULL bound, makes no request
SELECT count(*) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-02' AND "startTime" < '2026-12-01';
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= NULL::timestamptz;
\! mockctl requests

-- ===================================================================
-- equality conditions become the route's filters (still checked locally)
-- ===================================================================
EXPLAIN (VERBOSE, COSTS OFF)
SELECT request_id, model_id, "user" FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-02'
   AND model_id = 'm-claude' AND "user" = 'bob';
SELECT request_id, model_id, "user" FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-02'
   AND model_id = 'm-claude' AND "user" = 'bob'
 ORDER BY 1;
SELECT count(*), min(request_id) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-02'
   AND api_key = 'd2e8fb161607997b194a56e8ff03090b46d3039fdeae9c92da5b0ff4777741ff'
   AND team_id = 'team-0' AND request_id <> 'req-000002';
\! mockctl requests
-- a prepared statement's parameter
PREPARE by_user(text, timestamptz) AS
SELECT count(*) FROM litellm_spend_log WHERE "user" = $1 AND "startTime" >= $2;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_user('carol', '2026-12-07');
EXECUTE by_user('carol', '2026-12-07');
RESET plan_cache_mode;
DEALLOCATE by_user;
\! mockctl requests

-- ===================================================================
-- pages are read until an empty one; a LIMIT stops them
-- ===================================================================
SELECT count(*), count(DISTINCT request_id), round(sum(spend)::numeric, 4) AS spend,
       sum(total_tokens) AS tokens, min("startTime"), max("startTime")
  FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08';
\! mockctl requests
SELECT request_id FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08' LIMIT 3;
\! mockctl requests
-- with max_concurrency above 1, the pages after the first are read that
-- many at once, up to the empty page after those page 1 counts (here 3
-- pages: 2 to 4); a server that counts no pages gets 4 at once (2 to 5,
-- one past the empty page)
ALTER SERVER litellm OPTIONS (SET max_concurrency '4');
\! mockctl config '{"latency_ms": 100}'
\! mockctl inflight >/dev/null
SELECT count(*), count(DISTINCT request_id) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08';
\! mockctl inflight
\! mockctl requests | sort
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "status": 200, "body": "{\"data\": [{\"request_id\": \"r1\", \"startTime\": \"2026-12-01T01:00:00Z\"}]}"}'
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08';
\! mockctl requests | sort
\! mockctl config '{"latency_ms": 0}'
ALTER SERVER litellm OPTIONS (SET max_concurrency '1');
-- the request ceiling counts every page
SET litellm_fdw.max_requests_per_statement = 3;
SELECT count(*) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08';  -- ERROR
RESET litellm_fdw.max_requests_per_statement;
\! mockctl requests
-- a server that ignores page sends page 1 again and again: stopped at page 2
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "times": -1, "status": 200, "body": "{\"data\": [{\"request_id\": \"r1\", \"startTime\": \"2026-12-01T01:00:00Z\"}, {\"request_id\": \"r2\", \"startTime\": \"2026-12-01T02:00:00Z\"}], \"total\": 2, \"page\": 1, \"page_size\": 100, \"total_pages\": 1}"}'
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
\! mockctl requests
-- logs pushed down a page by new ones are read once: page 2 repeats the
-- newest log (req-000249, on page 1) and brings one new log
\! mockctl reset g6 "$(cat test/mock/seed_spend.json)"
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "skip": 1, "times": 1, "status": 200, "body": "{\"data\": [{\"request_id\": \"req-000249\", \"startTime\": \"2026-12-07T23:19:40.800Z\"}, {\"request_id\": \"req-new\", \"startTime\": \"2026-12-01T00:00:00Z\"}], \"total\": 2, \"page\": 2, \"page_size\": 100, \"total_pages\": 1}"}'
SELECT count(*), count(DISTINCT request_id) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-01' AND "startTime" < '2026-12-08';
\! mockctl requests

-- ===================================================================
-- what is shown: api_key only as a hash, metadata masked, no bodies
-- ===================================================================
SELECT s FROM litellm_spend_log s
 WHERE "startTime" >= '2026-12-01' AND request_id = 'req-000001';
SELECT request_id, api_key, api_base, team_id, metadata, "endTime"
  FROM litellm_spend_log
 WHERE "startTime" >= '2026-11-20' AND "startTime" < '2026-11-21';
\! mockctl requests
-- hostile fields: an error naming the log, its id cleaned
SELECT request_id, "endTime" FROM litellm_spend_log
 WHERE "startTime" >= '2026-11-21' AND "startTime" < '2026-11-22';  -- ERROR
SELECT request_id FROM litellm_spend_log
 WHERE "startTime" >= '2026-11-21' AND "startTime" < '2026-11-22';
SELECT total_tokens FROM litellm_spend_log
 WHERE "startTime" >= '2026-11-22' AND "startTime" < '2026-11-23';  -- ERROR
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "status": 200, "body": "{\"data\": {\"request_id\": \"x\"}}"}'
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "status": 200, "body": "{\"data\": [{\"request_id\": 7}]}"}'
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
\! mockctl fault '{"path_prefix": "/spend/logs/v2", "status": 400, "body": "{\"error\": {\"message\": \"Start date and end date are required\", \"type\": \"bad_request\", \"param\": \"None\", \"code\": \"400\"}}"}'
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
\! mockctl requests

-- ===================================================================
-- read-only: INSERT, UPDATE, DELETE and COPY are refused before any
-- request
-- ===================================================================
INSERT INTO litellm_spend_log (request_id, "startTime") VALUES ('x', now());  -- ERROR
UPDATE litellm_spend_log SET spend = 0 WHERE "startTime" >= '2026-12-01';  -- ERROR
DELETE FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
COPY litellm_spend_log (request_id) FROM STDIN;  -- ERROR
x
\.
SELECT is_insertable_into FROM information_schema.tables WHERE table_name = 'litellm_spend_log';
\! mockctl requests

-- ===================================================================
-- columns: any subset, numbers and times also as text; other types refused
-- ===================================================================
CREATE FOREIGN TABLE spend_text (request_id varchar, "startTime" text, spend text)
    SERVER litellm OPTIONS (resource 'spend_logs');
SELECT * FROM spend_text WHERE "startTime" >= '2026-12-01' LIMIT 1;  -- ERROR (text: no window)
DROP FOREIGN TABLE spend_text;
CREATE FOREIGN TABLE spend_bad (spend numeric) SERVER litellm OPTIONS (resource 'spend_logs');
SELECT * FROM spend_bad;  -- ERROR
DROP FOREIGN TABLE spend_bad;
CREATE FOREIGN TABLE spend_bad (request_id text) SERVER litellm OPTIONS (resource 'spend');  -- ERROR
\! mockctl requests

-- ===================================================================
-- IMPORT FOREIGN SCHEMA creates the table too
-- ===================================================================
CREATE SCHEMA imported;
IMPORT FOREIGN SCHEMA litellm LIMIT TO (litellm_spend_log) FROM SERVER litellm INTO imported;
\d imported.litellm_spend_log
SELECT count(*) FROM imported.litellm_spend_log
 WHERE "startTime" >= '2026-12-07' AND "startTime" < '2026-12-08';
DROP SCHEMA imported CASCADE;
\! mockctl requests

-- ===================================================================
-- the report: spend per credential and per model for a week, in the
-- requests EXPLAIN shows (spend pages, model pages, one credential list).
-- estimated_rows tells the planner how many logs a week has.
-- ===================================================================
ALTER FOREIGN TABLE litellm_spend_log OPTIONS (ADD estimated_rows '5000');
EXPLAIN (VERBOSE, COSTS OFF)
SELECT c.credential_name, m.model_name, count(*) AS requests,
       round(sum(s.spend)::numeric, 4) AS spend, sum(s.total_tokens) AS tokens
  FROM litellm_spend_log s
  JOIN litellm_model m ON m.model_id = s.model_id
  JOIN litellm_credential c ON c.credential_name = m.credential_name
 WHERE s."startTime" >= '2026-12-01' AND s."startTime" < '2026-12-08'
 GROUP BY ROLLUP (c.credential_name, m.model_name)
 ORDER BY 1, 2;
SELECT c.credential_name, m.model_name, count(*) AS requests,
       round(sum(s.spend)::numeric, 4) AS spend, sum(s.total_tokens) AS tokens
  FROM litellm_spend_log s
  JOIN litellm_model m ON m.model_id = s.model_id
  JOIN litellm_credential c ON c.credential_name = m.credential_name
 WHERE s."startTime" >= '2026-12-01' AND s."startTime" < '2026-12-08'
 GROUP BY ROLLUP (c.credential_name, m.model_name)
 ORDER BY 1, 2;
\! mockctl requests
ALTER FOREIGN TABLE litellm_spend_log OPTIONS (DROP estimated_rows);

-- ===================================================================
-- statement_timeout stops a page in flight (57014)
-- ===================================================================
\! mockctl fault '{"method": "GET", "path_prefix": "/spend/logs/v2", "delay_ms": 10000}'
SELECT clock_timestamp() AS t0 \gset
SET statement_timeout = '300ms';
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-01';  -- ERROR
RESET statement_timeout;
\echo :LAST_ERROR_SQLSTATE
SELECT clock_timestamp() - :'t0' < interval '1 second' AS stopped_promptly;
\! mockctl reset g6 "$(cat test/mock/seed_spend.json)"

-- ===================================================================
-- a server without /spend/logs/v2 (LiteLLM before November 2025) is read
-- at /spend/logs/ui, and remembered for the rest of the session
-- ===================================================================
\! mockctl reset g6 "$(sed 's/^{/{"spend_logs_v2": false,/' test/mock/seed_spend.json)" </dev/null
SELECT count(*) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-07' AND "startTime" < '2026-12-08';
\! mockctl requests
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM litellm_spend_log WHERE "startTime" >= '2026-12-07';
SELECT count(*) FROM litellm_spend_log
 WHERE "startTime" >= '2026-12-07' AND "startTime" < '2026-12-08';
\! mockctl requests
