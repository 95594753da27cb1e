-- network.sql: what may reach the network.  No option may hold a control
-- character (CR and LF would add a header, or a whole second request), and
-- litellm_fdw.allowed_urls (superuser only) limits where servers may point:
-- at the DDL, before every request, and on every connection.
\i test/setup.sql
\set VERBOSITY default
\getenv mock_url MOCK_URL
\! mockctl requests >/dev/null

-- ===================================================================
-- control characters in options: refused at the DDL, value not printed
-- ===================================================================
CREATE SERVER bad_srv FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url');
CREATE USER MAPPING FOR CURRENT_USER SERVER bad_srv
    OPTIONS (api_key E'sk-master-test\r\nX-Evil: 1');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
CREATE USER MAPPING FOR CURRENT_USER SERVER bad_srv
    OPTIONS (api_key E'sk-master-test\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x');  -- ERROR
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key E'sk-master-test\nX-Evil: 1');  -- ERROR
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key E'sk-master-test\x7f');  -- ERROR
ALTER SERVER litellm OPTIONS (ADD ca_file E'/tmp/ca.pem\r\nX: 1');  -- ERROR
ALTER SERVER litellm OPTIONS (ADD unmasked_keys E'api_base\tregion');  -- ERROR
ALTER SERVER litellm OPTIONS (ADD auth_header E'authorization\r\n');  -- ERROR
ALTER FOREIGN TABLE litellm_credential OPTIONS (ADD write_mode E'commit\n');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- nothing was stored, and a query sends one request with one key header
SELECT umoptions FROM pg_user_mappings WHERE srvname = 'litellm';
SELECT count(*) FROM litellm_credential;
\! mockctl requests-auth

-- a control character that reached the catalog another way (an older
-- release, a hand-edited catalog) is refused before any request
UPDATE pg_user_mapping SET umoptions = ARRAY[E'api_key=sk-master-test\r\nX-Evil: 1']
 WHERE umserver = (SELECT oid FROM pg_foreign_server WHERE srvname = 'litellm');
SELECT count(*) FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests-auth
ALTER USER MAPPING FOR CURRENT_USER SERVER litellm
    OPTIONS (SET api_key 'sk-master-test');
DROP SERVER bad_srv CASCADE;

-- ===================================================================
-- litellm_fdw.allowed_urls
-- ===================================================================
SHOW litellm_fdw.allowed_urls;
-- only a superuser may set it
CREATE ROLE lfdw_netuser;
GRANT USAGE ON FOREIGN DATA WRAPPER litellm_fdw TO lfdw_netuser;
SET ROLE lfdw_netuser;
SET litellm_fdw.allowed_urls = 'http://anywhere.example/';  -- ERROR
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
-- entries must be http(s) URLs with a host and no user, query or fragment
SET litellm_fdw.allowed_urls = 'ftp://x/';  -- ERROR
SET litellm_fdw.allowed_urls = 'http://user:pw@x/';  -- ERROR
SET litellm_fdw.allowed_urls = 'http://x/, http://y:99999/';  -- ERROR
\echo :LAST_ERROR_SQLSTATE

-- a list without the test server: the DDL is refused for every role
SET litellm_fdw.allowed_urls = 'https://litellm.internal:4000/, http://127.0.0.1:1/';
CREATE SERVER elsewhere FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SET ROLE lfdw_netuser;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://169.254.169.254/latest');  -- ERROR
CREATE SERVER elsewhere FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'https://litellm.internal:4000/v1');
DROP SERVER elsewhere;
RESET ROLE;
-- a server made before the list: refused before any request is sent
SELECT count(*) FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('net-1', '{"api_key": "k"}');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests-auth

-- the test server in the list: scheme, host, port and path prefix must match
SELECT format('%s/', :'mock_url') AS allowed \gset
SET litellm_fdw.allowed_urls = :'allowed';
SELECT count(*) FROM litellm_credential;
SELECT format('%s/v1, %s', :'mock_url', replace(:'mock_url', '127.0.0.1', 'localhost')) AS allowed \gset
SET litellm_fdw.allowed_urls = :'allowed';
SELECT count(*) FROM litellm_credential;  -- ERROR: not under /v1, and not the same host
\! mockctl requests-auth
-- the host name "localhost" in both: allowed, and every connection must reach
-- an address localhost resolves to (the test server listens on 127.0.0.1)
SELECT replace(:'mock_url', '127.0.0.1', 'localhost') AS local_url \gset
CREATE SERVER local_srv FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'local_url', max_concurrency '1');
CREATE USER MAPPING FOR CURRENT_USER SERVER local_srv
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE local_cred (credential_name text) SERVER local_srv;
SELECT count(*) FROM local_cred;
\! mockctl requests-auth
DROP SERVER local_srv CASCADE;
RESET litellm_fdw.allowed_urls;
DROP OWNED BY lfdw_netuser;
DROP ROLE lfdw_netuser;
