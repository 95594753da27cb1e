-- files_and_urls.sql: options that name a file, the grammar of the url
-- option, litellm_fdw.allowed_urls on whole path segments, and the hints
-- of connection failures.
--
-- A non-superuser can set no option that names a file (ca_file): the
-- backend would read it with the server's rights, and a pipe or a device
-- there hung the backend beyond any cancel.  ca_file is read by
-- litellm_fdw, never by libcurl, and only as a small regular file.
\i test/setup.sql
\set VERBOSITY default
\getenv mock_url MOCK_URL
\getenv tls_url MOCK_TLS_URL
\getenv tls_ca MOCK_TLS_CA
\! mockctl requests >/dev/null
-- the TLS test server too: no credentials, an empty request log
\! CURL_CA_BUNDLE="$MOCK_TLS_CA" MOCK_URL="$MOCK_TLS_URL" mockctl reset g6 '{"credentials": []}'
\! CURL_CA_BUNDLE="$MOCK_TLS_CA" MOCK_URL="$MOCK_TLS_URL" mockctl requests >/dev/null
-- no test here may hang: a backend stuck in a read would end in 57014
SET statement_timeout = '20s';

-- the SQLSTATE, message and hint of an error, without its DETAIL (which
-- holds libcurl's text: ports, timings)
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
    hint text;
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            hint = PG_EXCEPTION_HINT;
    RETURN st || ': ' || msg || E'\nHINT: ' || hint;
END $$;

-- ===================================================================
-- options that name a file: superuser or pg_read_server_files only
-- ===================================================================
CREATE ROLE regress_lfdw_files;
GRANT USAGE ON FOREIGN DATA WRAPPER litellm_fdw TO regress_lfdw_files;
SET ROLE regress_lfdw_files;
CREATE SERVER files_srv FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'tls_url', ca_file '/proc/self/fd/3');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
CREATE SERVER files_srv FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'tls_url', ca_file :'tls_ca');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
CREATE SERVER files_srv FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url :'tls_url');
ALTER SERVER files_srv OPTIONS (ADD ca_file '/proc/self/fd/3');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- nothing was stored
SELECT array_to_string(srvoptions, ',') LIKE '%ca_file%' AS has_ca_file
  FROM pg_foreign_server WHERE srvname = 'files_srv';
RESET ROLE;
-- a member of pg_read_server_files may, as for COPY FROM a file
GRANT pg_read_server_files TO regress_lfdw_files;
SET ROLE regress_lfdw_files;
ALTER SERVER files_srv OPTIONS (ADD ca_file :'tls_ca');
RESET ROLE;
REVOKE pg_read_server_files FROM regress_lfdw_files;
-- ... and once a server holds a file option, only such a role may change
-- its options (the validator sees all of them)
SET ROLE regress_lfdw_files;
ALTER SERVER files_srv OPTIONS (ADD timeout_ms '1000');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP SERVER files_srv;

-- ===================================================================
-- ca_file is read by litellm_fdw: a small regular file or nothing
-- ===================================================================
CREATE SERVER tls_files FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'tls_url', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER tls_files
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE tls_files_cred (credential_name text) SERVER tls_files;
-- the file's path is in DETAIL: terse hides it where it changes per run
\! mkfifo "$(dirname "$MOCK_TLS_CA")/fifo.pem"
\! truncate -s 2M "$(dirname "$MOCK_TLS_CA")/huge.pem"
\! echo 'not a certificate' > "$(dirname "$MOCK_TLS_CA")/junk.pem"
SELECT format('%s/fifo.pem', regexp_replace(:'tls_ca', '/[^/]*$', '')) AS fifo,
       format('%s/huge.pem', regexp_replace(:'tls_ca', '/[^/]*$', '')) AS huge,
       format('%s/junk.pem', regexp_replace(:'tls_ca', '/[^/]*$', '')) AS junk,
       regexp_replace(:'tls_ca', '/[^/]*$', '') AS dir \gset
-- the postmaster-death pipe of the backend: refused at once, no hang
ALTER SERVER tls_files OPTIONS (ADD ca_file '/proc/self/fd/3');
SELECT count(*) FROM tls_files_cred;  -- ERROR
-- a character device that never ends
ALTER SERVER tls_files OPTIONS (SET ca_file '/dev/zero');
SELECT count(*) FROM tls_files_cred;  -- ERROR
\set VERBOSITY terse
-- a FIFO without a writer
ALTER SERVER tls_files OPTIONS (SET ca_file :'fifo');
SELECT count(*) FROM tls_files_cred;  -- ERROR
-- a directory
ALTER SERVER tls_files OPTIONS (SET ca_file :'dir');
SELECT count(*) FROM tls_files_cred;  -- ERROR
-- a regular file larger than 1 MB
ALTER SERVER tls_files OPTIONS (SET ca_file :'huge');
SELECT count(*) FROM tls_files_cred;  -- ERROR
-- no such file
ALTER SERVER tls_files OPTIONS (SET ca_file '/nonexistent/ca.pem');
SELECT count(*) FROM tls_files_cred;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
-- a regular file that holds no certificate: the message names ca_file
ALTER SERVER tls_files OPTIONS (SET ca_file :'junk');
SELECT pg_temp.error_of('SELECT count(*) FROM tls_files_cred');
-- none of them reached the server
\! CURL_CA_BUNDLE="$MOCK_TLS_CA" MOCK_URL="$MOCK_TLS_URL" mockctl requests
-- the certificate of the test server: trusted, and the request is sent
ALTER SERVER tls_files OPTIONS (SET ca_file :'tls_ca');
SELECT count(*) FROM tls_files_cred;
\! CURL_CA_BUNDLE="$MOCK_TLS_CA" MOCK_URL="$MOCK_TLS_URL" mockctl requests
-- over plain http the file is not read at all
SELECT replace(:'tls_url', 'https://', 'http://') AS plain_tls_url \gset
ALTER SERVER tls_files OPTIONS (SET url :'mock_url', SET ca_file :'fifo');
SELECT count(*) FROM tls_files_cred;
\! mockctl requests
\! rm -f "$(dirname "$MOCK_TLS_CA")/fifo.pem" "$(dirname "$MOCK_TLS_CA")/huge.pem" "$(dirname "$MOCK_TLS_CA")/junk.pem"

SET client_min_messages = warning;
DROP SERVER tls_files CASCADE;
DROP SERVER litellm CASCADE;
DROP OWNED BY regress_lfdw_files;
DROP ROLE regress_lfdw_files;
