-- Tests that catch, by what a statement returns or raises, the changes of
-- test/mutants.sh that the rest of the suite caught only through EXPLAIN
-- text or not at all, and the SQLSTATEs of doc/errors.md that
-- sqlstates.sql did not assert as codes.
\i test/setup.sql
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
CREATE FOREIGN TABLE mk_model (model_id text, model_name text)
    SERVER litellm OPTIONS (resource 'models');

-- ===================================================================
-- The local recheck of a pushed-down name condition holds under a
-- generic plan (the value a parameter): a server that answers a point
-- read with another credential, or another model, yields no row.  Here
-- the other row differs only in case and white space.
-- ===================================================================
PREPARE mk_cred(text) AS
    SELECT credential_name FROM litellm_credential WHERE credential_name = $1;
PREPARE mk_mod(text) AS
    SELECT model_id, model_name FROM mk_model WHERE model_id = $1;
SET plan_cache_mode = force_generic_plan;
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/azure-eu","status":200,"body":"{\"credential_name\":\"Azure-EU \",\"credential_info\":{},\"credential_values\":{}}"}'
EXECUTE mk_cred('azure-eu');  -- no row
\! mockctl fault '{"method":"GET","path_prefix":"/v2/model/info","status":200,"body":"{\"data\":[{\"model_name\":\"gpt-4\",\"litellm_params\":{\"model\":\"azure/gpt-4-eu\"},\"model_info\":{\"id\":\"M-AZURE-GPT4\"}}],\"total_count\":1,\"current_page\":1,\"total_pages\":1,\"size\":50}"}'
EXECUTE mk_mod('m-azure-gpt4');  -- no row
-- the same statements, answered truly, find their row
EXECUTE mk_cred('azure-eu');
EXECUTE mk_mod('m-azure-gpt4');
\! mockctl requests
-- and under a custom plan (the value a constant)
SET plan_cache_mode = force_custom_plan;
\! mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/azure-eu","status":200,"body":"{\"credential_name\":\"azure-eu \",\"credential_info\":{},\"credential_values\":{}}"}'
EXECUTE mk_cred('azure-eu');  -- no row
\! mockctl fault '{"method":"GET","path_prefix":"/v2/model/info","status":200,"body":"{\"data\":[{\"model_name\":\"gpt-4\",\"litellm_params\":{\"model\":\"azure/gpt-4-eu\"},\"model_info\":{\"id\":\"m-azure-gpt4 \"}}],\"total_count\":1,\"current_page\":1,\"total_pages\":1,\"size\":50}"}'
EXECUTE mk_mod('m-azure-gpt4');  -- no row
RESET plan_cache_mode;
DEALLOCATE mk_cred;
DEALLOCATE mk_mod;

-- ===================================================================
-- SQLSTATEs of doc/errors.md not asserted by sqlstates.sql
-- ===================================================================
\set VERBOSITY sqlstate
-- HV00D: an option unknown for the object, api_key elsewhere than on a
-- user mapping, an option of IMPORT FOREIGN SCHEMA
CREATE SERVER mk_bad FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:1', no_such_option 'x');  -- ERROR
CREATE SERVER mk_bad FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:1', api_key 'sk-x');  -- ERROR
CREATE FOREIGN TABLE mk_bad_opt (credential_name text)
    SERVER litellm OPTIONS (no_such_option 'x');  -- ERROR
CREATE SCHEMA mk_import;
IMPORT FOREIGN SCHEMA litellm FROM SERVER litellm INTO mk_import
    OPTIONS (no_such_option 'x');  -- ERROR
-- HV00Q: another remote schema than litellm
IMPORT FOREIGN SCHEMA public FROM SERVER litellm INTO mk_import;  -- ERROR
DROP SCHEMA mk_import;
-- HV00J: a server without url, refused at CREATE SERVER; and one whose
-- url went missing from the catalog, on first use, for both tables
CREATE SERVER mk_no_url_ddl FOREIGN DATA WRAPPER litellm_fdw;  -- ERROR
CREATE SERVER mk_no_url FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url 'http://127.0.0.1:9');
UPDATE pg_foreign_server SET srvoptions = NULL WHERE srvname = 'mk_no_url';
CREATE USER MAPPING FOR CURRENT_USER SERVER mk_no_url
    OPTIONS (api_key 'sk-master-test');
CREATE FOREIGN TABLE mk_no_url_cred (credential_name text) SERVER mk_no_url;
CREATE FOREIGN TABLE mk_no_url_model (model_id text)
    SERVER mk_no_url OPTIONS (resource 'models');
SELECT * FROM mk_no_url_cred;  -- ERROR
SELECT * FROM mk_no_url_model;  -- ERROR
-- HV005: a column that matches no field, for both tables; an UPDATE of a
-- table without its row identity column
CREATE FOREIGN TABLE mk_bad_col (credential_name text, bogus text)
    SERVER litellm;
SELECT * FROM mk_bad_col;  -- ERROR
CREATE FOREIGN TABLE mk_bad_model_col (model_id text, bogus text)
    SERVER litellm OPTIONS (resource 'models');
SELECT * FROM mk_bad_model_col;  -- ERROR
CREATE FOREIGN TABLE mk_no_name (credential_info jsonb) SERVER litellm;
UPDATE mk_no_name SET credential_info = '{}';  -- ERROR
CREATE FOREIGN TABLE mk_no_id (model_name text)
    SERVER litellm OPTIONS (resource 'models', write_mode 'immediate');
DELETE FROM mk_no_id;  -- ERROR
\! mockctl requests
-- 53200 (out of memory) is not provoked here: it needs an allocation to
-- fail (a libcurl handle, a header list, a response buffer), which no
-- statement can bring about on demand; doc/errors.md says so.
\set VERBOSITY default

SET client_min_messages = warning;
DROP SERVER mk_no_url CASCADE;
DROP SERVER litellm CASCADE;
