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
-- (in a directory of the test's own: make installcheck may run it as
-- another user than the one who started the test servers)
\set files_dir `mktemp -d /tmp/litellm_fdw_files.XXXXXX`
\setenv FILES_DIR :files_dir
\! chmod 755 "$FILES_DIR"
\! mkfifo "$FILES_DIR/fifo.pem"
\! truncate -s 2M "$FILES_DIR/huge.pem"
\! echo 'not a certificate' > "$FILES_DIR/junk.pem"
SELECT format('%s/fifo.pem', :'files_dir') AS fifo,
       format('%s/huge.pem', :'files_dir') AS huge,
       format('%s/junk.pem', :'files_dir') AS junk,
       :'files_dir' AS dir \gset
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
ALTER SERVER tls_files OPTIONS (SET url :'mock_url', SET ca_file :'fifo');
SELECT count(*) FROM tls_files_cred;
\! mockctl requests
\! rm -rf "$FILES_DIR"

-- ===================================================================
-- the url option: one grammar, no dot segments, no encoded slashes
-- ===================================================================
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/../admin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/%2e%2e/admin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/%2E%2E%2Fadmin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/.%2E/admin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/./admin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1/..');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/%2e');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1%2Fadmin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1%2fadmin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/v1%5cadmin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url E'http://h/v1\\admin');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h:0/v1');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h:65536');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h:4000x');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h#x');  -- ERROR
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url 'http://h/a b');  -- ERROR
-- dots that are not a whole segment are names, and fine
CREATE SERVER u FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://[::1]:4000/v1.2/.well-known/.../a..b/');
ALTER SERVER u OPTIONS (SET url 'http://h/v1/./x');  -- ERROR
DROP SERVER u;
-- allowed_urls entries follow the same grammar
SET litellm_fdw.allowed_urls = 'http://h/v1/../admin';  -- ERROR
SET litellm_fdw.allowed_urls = 'http://h/v1%2Fadmin';  -- ERROR

-- ===================================================================
-- allowed_urls matches whole path segments: /v1 does not cover /v10
-- ===================================================================
RESET litellm_fdw.allowed_urls;
SELECT format('%s/v10', :'mock_url') AS url_v10,
       format('%s/v1', :'mock_url') AS url_v1 \gset
CREATE SERVER srv_v10 FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'url_v10', max_retries '0');
CREATE SERVER srv_v1 FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'url_v1', max_retries '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER srv_v10 OPTIONS (api_key 'sk-master-test');
CREATE USER MAPPING FOR CURRENT_USER SERVER srv_v1 OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE cred_v10 (credential_name text) SERVER srv_v10;
CREATE FOREIGN TABLE cred_v1 (credential_name text) SERVER srv_v1;
SET litellm_fdw.allowed_urls = :'url_v1';
-- refused at the DDL ...
CREATE SERVER srv_v10b FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'url_v10');  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- ... and before any request of a server made earlier
SELECT count(*) FROM cred_v10;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
\! mockctl requests
-- while /v1 itself is allowed: its request is sent (what the test server
-- answers at that path does not matter here)
SELECT pg_temp.error_of('SELECT count(*) FROM cred_v1') <> 'no error' AS answered_with_error;
\! mockctl requests
RESET litellm_fdw.allowed_urls;
DROP SERVER srv_v10, srv_v1 CASCADE;

-- ===================================================================
-- a server needs url: refused at CREATE SERVER, not at its first query
-- ===================================================================
CREATE SERVER no_url FOREIGN DATA WRAPPER litellm_fdw;  -- ERROR
CREATE SERVER no_url FOREIGN DATA WRAPPER litellm_fdw OPTIONS (timeout_ms '1000');  -- ERROR
ALTER SERVER litellm OPTIONS (DROP url);  -- ERROR
SELECT count(*) FROM pg_foreign_server WHERE srvname = 'no_url';

-- ===================================================================
-- connection failures say what to check
-- ===================================================================
-- nothing listens on port 1
ALTER SERVER tls_files OPTIONS (SET url 'http://127.0.0.1:1', DROP ca_file);
SELECT pg_temp.error_of('SELECT count(*) FROM tls_files_cred');
-- TLS to a plain HTTP port
SELECT replace(:'mock_url', 'http://', 'https://') AS tls_to_plain \gset
ALTER SERVER tls_files OPTIONS (SET url :'tls_to_plain');
SELECT pg_temp.error_of('SELECT count(*) FROM tls_files_cred');
-- (plain HTTP to a TLS port gets no such hint: its "Empty reply from
-- server" is what a server that drops the connection gives too)

SET client_min_messages = warning;
DROP SERVER tls_files CASCADE;
DROP SERVER litellm CASCADE;
DROP OWNED BY regress_lfdw_files;
DROP ROLE regress_lfdw_files;
