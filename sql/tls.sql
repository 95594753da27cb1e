-- TLS: a server with a certificate made at test time is refused by
-- default, works with ca_file, and with ssl_verify 'false' (superuser only).
\i test/setup.sql
\getenv tls_url MOCK_TLS_URL
\getenv tls_ca MOCK_TLS_CA

CREATE SERVER tls FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url :'tls_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE tls_credential (credential_name text, credential_values jsonb)
    SERVER tls;

-- an unknown certificate authority: refused (libcurl's text varies)
\set VERBOSITY terse
SELECT count(*) FROM tls_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

-- trusted through ca_file
ALTER SERVER tls OPTIONS (ADD ca_file :'tls_ca');
SELECT count(*) FROM tls_credential;
INSERT INTO tls_credential VALUES ('over-tls', '{"api_key": "tls-secret-1"}');
SELECT * FROM tls_credential;

-- reads, creates and deletes share the kept-alive connections: the checks
-- (6 lookups), 6 creates at COMMIT, the list and 6 deletes, 2 at a time,
-- take 2 connections, 2 TLS handshakes (ALTER SERVER closed the one the
-- statements above left open; the release may be asked as well)
ALTER SERVER tls OPTIONS (ADD max_concurrency '2');
\set before `curl -s --cacert "$MOCK_TLS_CA" "$MOCK_TLS_URL/_mock/stats"`
BEGIN;
INSERT INTO tls_credential
SELECT 'tls-many-' || i, jsonb_build_object('api_key', 'sk-tls-many-' || i)
  FROM generate_series(1, 6) i;
COMMIT;
DELETE FROM tls_credential WHERE credential_name LIKE 'tls-many-%';
\set after `curl -s --cacert "$MOCK_TLS_CA" "$MOCK_TLS_URL/_mock/stats"`
SELECT (:'after'::jsonb->>'connections')::int -
       (:'before'::jsonb->>'connections')::int AS new_connections,
       (:'after'::jsonb->>'requests')::int -
       (:'before'::jsonb->>'requests')::int >= 19 AS all_19_calls_made;
ALTER SERVER tls OPTIONS (DROP max_concurrency);

-- a certificate made for another name ("wrong.example"), although its CA
-- is trusted (ca_file): refused by the host name check
\getenv tls_wrong_url MOCK_TLS_WRONG_URL
\getenv tls_wrong_ca MOCK_TLS_WRONG_CA
CREATE SERVER tls_wrong FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'tls_wrong_url', ca_file :'tls_wrong_ca', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls_wrong OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE tls_wrong_credential (credential_name text) SERVER tls_wrong;
SELECT count(*) FROM tls_wrong_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- ... and ssl_verify 'false' is what it takes (the name is not checked then)
ALTER SERVER tls_wrong OPTIONS (DROP ca_file, ADD ssl_verify 'false');
SELECT count(*) FROM tls_wrong_credential;

-- a ca_file that cannot be read
ALTER SERVER tls OPTIONS (SET ca_file '/nonexistent/ca.pem');
\set VERBOSITY terse
SELECT count(*) FROM tls_credential;  -- ERROR
\set VERBOSITY default

-- no verification at all, as a superuser decided
ALTER SERVER tls OPTIONS (DROP ca_file, ADD ssl_verify 'false');
SELECT count(*) FROM tls_credential;

-- plain HTTP to the TLS port fails cleanly
\set VERBOSITY terse
SELECT replace(:'tls_url', 'https://', 'http://') AS plain_url \gset
ALTER SERVER tls OPTIONS (SET url :'plain_url', ADD max_retries '0');
SELECT count(*) FROM tls_credential;  -- ERROR
\set VERBOSITY default

SET client_min_messages = warning;
DROP SERVER tls, tls_wrong CASCADE;
DROP SERVER litellm CASCADE;
