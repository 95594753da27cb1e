-- Percent-encoding: a credential name goes into the path of by_name, PATCH
-- and DELETE with every byte outside RFC 3986's unreserved set
-- (A-Z a-z 0-9 - . _ ~) written as %XX (uppercase hex, UTF-8 bytes), so
-- that names holding "/", "?", "#", "%", spaces, quotes and non-ASCII text
-- round-trip: each is inserted, read back by point lookup, updated,
-- renamed and deleted.  `mockctl requests` shows the raw paths received,
-- `mockctl state` the names as stored.
\i test/setup.sql

CREATE TEMP TABLE names (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO names VALUES
    (1, 'team-a/openai'),       -- slash
    (2, 'what?now'),            -- query
    (3, 'hash#tag'),            -- fragment
    (4, '100%'),                -- percent
    (5, '%2F'),                 -- an encoded slash, literally
    (6, 'with space'),          -- space
    (7, 'it''s'),               -- single quote
    (8, 'say "hi"'),            -- double quotes
    (9, 'a+b&c=d;e,f'),         -- sub-delims
    (10, 'back\slash:@!$*()[]'),-- more reserved and unsafe characters
    (11, 'clé-日本'),            -- non-ASCII: 2- and 3-byte UTF-8
    (12, '🔑 key'),             -- 4-byte UTF-8
    (13, 'Az09-._~');           -- unreserved only: sent as is

-- ===================================================================
-- the encoded path, as EXPLAIN shows it
-- ===================================================================
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential WHERE credential_name = 'a/b?c#d%e f';
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential WHERE credential_name = 'clé-日本';
EXPLAIN (COSTS OFF) SELECT * FROM litellm_credential WHERE credential_name = 'Az09-._~';

-- ===================================================================
-- INSERT: the name travels in the JSON body, not in the path
-- ===================================================================
INSERT INTO litellm_credential (credential_name, credential_values)
SELECT name, jsonb_build_object('api_key', 'sk-enc-secret-' || id)
  FROM names ORDER BY id;
\! mockctl requests
\! mockctl state

-- ===================================================================
-- point lookup of each name: GET /credentials/by_name/{encoded}
-- ===================================================================
SELECT id, name,
       (SELECT c.credential_name FROM litellm_credential c
         WHERE c.credential_name = names.name) = name AS found
  FROM names ORDER BY id;
\! mockctl requests
-- the list returns the names exactly
SELECT n.id, c.credential_name = n.name AS same
  FROM litellm_credential c JOIN names n ON n.name = c.credential_name
 ORDER BY n.id;
\! mockctl requests
-- "%2F" and "/" are different names: neither lookup finds the other
SELECT credential_name FROM litellm_credential WHERE credential_name = '/';
SELECT credential_name FROM litellm_credential WHERE credential_name = '%2F';
SELECT credential_name FROM litellm_credential WHERE credential_name = '%252F';
-- a name that "?" or "#" would cut short if left unencoded
SELECT credential_name FROM litellm_credential WHERE credential_name = 'what';
SELECT credential_name FROM litellm_credential WHERE credential_name = 'hash';
\! mockctl requests

-- ===================================================================
-- UPDATE: PATCH /credentials/{encoded}, with the name unchanged in the
-- body
-- ===================================================================
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM names ORDER BY id LOOP
        UPDATE litellm_credential SET credential_info = jsonb_build_object('id', r.id)
         WHERE credential_name = r.name;
    END LOOP;
END
$$;
\! mockctl requests
\! mockctl state

-- ===================================================================
-- rename: POST the new name, DELETE /credentials/{encoded old name}
-- ===================================================================
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM names ORDER BY id LOOP
        UPDATE litellm_credential
           SET credential_name = r.name || ' (renamed/?#%)',
               credential_values = jsonb_build_object('api_key', 'sk-enc-renamed-' || r.id)
         WHERE credential_name = r.name;
    END LOOP;
END
$$;
\! mockctl requests
\! mockctl state
SELECT credential_name, credential_info FROM litellm_credential
 WHERE credential_name LIKE '% (renamed/?#\%)' ORDER BY (credential_info->>'id')::int;
\! mockctl requests

-- ===================================================================
-- DELETE /credentials/{encoded}, from a list scan
-- ===================================================================
DELETE FROM litellm_credential WHERE credential_name LIKE '% (renamed/?#\%)';
\! mockctl requests
\! mockctl state

-- ===================================================================
-- a LATIN1 database: a name is converted to UTF-8 before it is encoded,
-- and names read are converted back; a name LATIN1 cannot hold is an
-- error
-- ===================================================================
\set orig_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS litellm_fdw_latin1;
RESET client_min_messages;
CREATE DATABASE litellm_fdw_latin1 ENCODING 'LATIN1' TEMPLATE template0 LOCALE 'C';
\set QUIET on
\c litellm_fdw_latin1
\set QUIET off
SET client_encoding = 'UTF8';
CREATE EXTENSION litellm_fdw;
\i test/setup.sql
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('clé-ñ', '{"api_key": "sk-latin1-secret"}');
SELECT credential_name FROM litellm_credential WHERE credential_name = 'clé-ñ';
UPDATE litellm_credential SET credential_info = '{"owner": "José"}'
 WHERE credential_name = 'clé-ñ';
UPDATE litellm_credential
   SET credential_name = 'ñandú', credential_values = '{"api_key": "sk-latin1-renamed"}'
 WHERE credential_name = 'clé-ñ';
SELECT credential_name, credential_info FROM litellm_credential
 WHERE credential_name LIKE '%ñ%' ORDER BY 1;
DELETE FROM litellm_credential WHERE credential_name = 'ñandú';
\! mockctl requests
\! mockctl state
\! mockctl reset g6 '{"credentials":[{"credential_name":"日本","credential_values":{"api_key":"sk-x-12345"}}]}'
SELECT credential_name FROM litellm_credential;  -- ERROR
SELECT count(*) FROM litellm_credential WHERE credential_name = 'ñandú';
\set QUIET on
\c :orig_db
\set QUIET off
DROP DATABASE litellm_fdw_latin1;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
