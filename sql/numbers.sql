-- Numbers from LiteLLM read exactly, as text, the way PostgreSQL's own
-- ::jsonb reads them (numeric_in), never through a double: in
-- credential_info (list and point read), model_info and litellm_params;
-- an exponent numeric cannot hold is 22003.  And a string field of
-- litellm_params that has a column of its own (model,
-- litellm_credential_name, api_base) holding another type is refused
-- (HV004), never shown as NULL.
\i test/setup.sql
CREATE FOREIGN TABLE num_model (model_id text, model_name text,
    litellm_model text, credential_name text, api_base text,
    litellm_params jsonb, model_info jsonb)
    SERVER litellm OPTIONS (resource 'models');

-- one credential, in a list and in a point read
SELECT '{"exact": 12345678901234567890.12345678901234567890, "tiny": 1e-400, "big": 1e400, "e1000": -2.5E+1000, "neg": -0.000}' AS lit \gset
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/credentials', 'body',
    '{"success": true, "credentials": [{"credential_name": "n", "credential_info": ' || :'lit' || ', "credential_values": {}}]}')::text
    AS fault_list \gset
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/credentials/by_name/n', 'body',
    '{"credential_name": "n", "credential_info": ' || :'lit' || ', "credential_values": {}}')::text
    AS fault_point \gset
\setenv F :fault_list
\! mockctl fault "$F"
SELECT credential_info = :'lit'::jsonb AS same,
       credential_info -> 'tiny' = '1e-400'::jsonb AS tiny_exact,
       credential_info ->> 'exact' AS exact,
       length(credential_info ->> 'big') AS big_digits
  FROM litellm_credential;
\setenv F :fault_point
\! mockctl fault "$F"
SELECT credential_info = :'lit'::jsonb AS same,
       credential_info -> 'tiny' = '1e-400'::jsonb AS tiny_exact
  FROM litellm_credential WHERE credential_name = 'n';

-- a model: numbers in litellm_params (the masking keeps numbers of
-- settings) and in model_info
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": "openai/n", "temperature": 0.1000000000000000000001, "rpm": 1e-400, "tpm": 1e400}, "model_info": {"id": "n", "x": ' || :'lit' || '}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT model_info -> 'x' = :'lit'::jsonb AS info_same,
       litellm_params -> 'temperature' AS temperature,
       litellm_params -> 'rpm' = '1e-400'::jsonb AS rpm_exact,
       litellm_params -> 'tpm' = '1e400'::jsonb AS tpm_same
  FROM num_model;

-- beyond what numeric reads (an exponent past 1000): 22003, in both
-- readers, and no text of the server in the message
\set lit '{"huge": 1e1001}'
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/credentials', 'body',
    '{"success": true, "credentials": [{"credential_name": "n", "credential_info": ' || :'lit' || ', "credential_values": {}}]}')::text
    AS fault_list \gset
\setenv F :fault_list
\! mockctl fault "$F"
SELECT credential_info FROM litellm_credential;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": "openai/n"}, "model_info": {"id": "n", "x": {"tiny": -1e-1001}}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT model_info FROM num_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE

-- a string field of litellm_params with a column of its own, of another
-- type: refused (HV004), naming the field, whatever columns are read
\! mockctl reset g6 "$(cat test/mock/seed_models.json)"
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": 5}, "model_info": {"id": "n"}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT model_id, litellm_model FROM num_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": "openai/n", "api_base": {}}, "model_info": {"id": "n"}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT model_id FROM num_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": "openai/n", "litellm_credential_name": ["a"]}, "model_info": {"id": "n"}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT credential_name FROM num_model;  -- ERROR
\echo :LAST_ERROR_SQLSTATE
-- null is no value, as before: NULL columns
SELECT json_build_object('method', 'GET', 'status', 200, 'times', 1,
    'path_prefix', '/v2/model/info', 'body',
    '{"data": [{"model_name": "n", "litellm_params": {"model": null, "api_base": null}, "model_info": {"id": "n"}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS fault_model \gset
\setenv F :fault_model
\! mockctl fault "$F"
SELECT model_id, litellm_model IS NULL AS no_model, api_base IS NULL AS no_base
  FROM num_model;

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
