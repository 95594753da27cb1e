\set ECHO none
-- test/jsonb_case.sql: one case of sql/jsonb.sql (run with \i, :'lit' set
-- to a JSON object's text).  The test server answers the next point read of
-- credential "jd" with a body holding :'lit' as credential_info, and the
-- next read of model "jd" with :'lit' as model_info's "x"; each is compared
-- with PostgreSQL's own :'lit'::jsonb, exactly ("same"), and with every
-- number read through a double ("via_double", to show where a reading
-- through a double would differ).  The FDW's value is shown when it is not
-- the same.
\! mockctl reset g6 "$(cat test/mock/seed.json)"
SELECT json_build_object('method', 'GET', 'path_prefix', '/credentials/by_name/jd',
    'status', 200, 'body',
    '{"credential_name": "jd", "credential_info": ' || :'lit' || ', "credential_values": {}}')::text
    AS lfdw_fault \gset
\setenv LFDW_FAULT :lfdw_fault
\! mockctl fault "$LFDW_FAULT"
SELECT json_build_object('method', 'GET', 'path_prefix', '/v2/model/info',
    'status', 200, 'body',
    '{"data": [{"model_name": "jd", "litellm_params": {"model": "openai/jd"}, "model_info": {"id": "jd", "x": '
    || :'lit' || '}}], "total_count": 1, "current_page": 1, "total_pages": 1, "size": 50}')::text
    AS lfdw_fault \gset
\setenv LFDW_FAULT :lfdw_fault
\! mockctl fault "$LFDW_FAULT"
SELECT c.credential_info = :'lit'::jsonb AS credential_same,
       c.credential_info = jd_via_double(:'lit'::jsonb) AS credential_via_double,
       m.model_info -> 'x' = :'lit'::jsonb AS model_same,
       m.model_info -> 'x' = jd_via_double(:'lit'::jsonb) AS model_via_double,
       :'lit'::jsonb AS postgres,
       CASE WHEN c.credential_info IS DISTINCT FROM :'lit'::jsonb THEN c.credential_info END AS fdw,
       CASE WHEN m.model_info -> 'x' IS DISTINCT FROM c.credential_info
            THEN m.model_info -> 'x' END AS fdw_model_if_other
  FROM litellm_credential c, jd_model m
 WHERE c.credential_name = 'jd' AND m.model_id = 'jd';
\set ECHO all
