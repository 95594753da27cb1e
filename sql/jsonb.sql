-- The jsonb that litellm_fdw builds by hand from a response body, compared
-- with PostgreSQL's own ::jsonb of the same text: escapes, surrogate pairs,
-- big, small and exact numbers, -0, duplicate keys (the last wins), deep
-- nesting, key order, white space.  Each case sends the literal text in a
-- credential's credential_info and in a model's model_info
-- (test/jsonb_case.sql); the FDW's value is shown only when it differs.
-- Numbers are read exactly, from their text, as ::jsonb reads them
-- (numeric_in; sql/numbers.sql): "same" holds for every case, and
-- "via_double" shows where a reading through a double would differ.
\i test/setup.sql
CREATE FOREIGN TABLE jd_model (model_id text, model_info jsonb)
    SERVER litellm OPTIONS (resource 'models');
-- PostgreSQL's jsonb with every number read through a double (NULL when a
-- number is beyond a double)
CREATE FUNCTION jd_via_double(j jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    RETURN CASE jsonb_typeof(j)
        WHEN 'number' THEN to_jsonb(j::text::float8)
        WHEN 'object' THEN (SELECT coalesce(jsonb_object_agg(key, jd_via_double(value)), '{}')
                              FROM jsonb_each(j))
        WHEN 'array' THEN (SELECT coalesce(jsonb_agg(jd_via_double(value) ORDER BY n), '[]')
                             FROM jsonb_array_elements(j) WITH ORDINALITY AS e(value, n))
        ELSE j END;
EXCEPTION WHEN numeric_value_out_of_range THEN
    RETURN NULL;
END
$$;
\pset format unaligned
\pset fieldsep ' | '

\set lit '{"s": "tab\\t nl\\n cr\\r quote\\" backslash\\\\ slash\\/ bs\\b ff\\f ctrl\\u0001\\u001f"}'
\i test/jsonb_case.sql
\set lit '{"u": "\\u00e9\\u20AC\\uFFFD é€", "\\u0436": "ж"}'
\i test/jsonb_case.sql
\set lit '{"pair": "\\ud83d\\ude00", "key\\uD834\\uDD1E": "𝄞😀"}'
\i test/jsonb_case.sql
\set lit '{"exp": 1.5E+3, "e": 2e-5, "neg": -12.50, "max": 1.7976931348623157e308, "min": 5e-324}'
\i test/jsonb_case.sql
-- beyond a double: 1e400 and 1e-400 are read exactly (through a double
-- they were an error and 0; PostgreSQL's float8 refuses them, so the
-- via_double oracle has null there)
\set lit '{"big": 1e400}'
\i test/jsonb_case.sql
\set lit '{"small": 1e-400}'
\i test/jsonb_case.sql
\set lit '{"neg0": -0, "negf": -0.0, "zero": 0.000, "negexp": -0e10}'
\i test/jsonb_case.sql
\set lit '{"prec": 1.0000000000000000001, "int": 123456789012345678901234567890, "tiny": 0.000000000000000000000000000001}'
\i test/jsonb_case.sql
\set lit '{"a": 1, "b": 2, "a": 3, "n": {"k": "first", "k": "second"}}'
\i test/jsonb_case.sql
\set lit '{"bb": 1, "a": 2, "ccc": 3, "": 4, "B": 5, "é": 6, "aa": 7}'
\i test/jsonb_case.sql
\set lit '{"o": {}, "l": [], "t": true, "f": false, "n": null, "mixed": [1, "2", [3], {"4": 4}, null]}'
\i test/jsonb_case.sql
\set lit '{ "w" :\n\t[ 1 ,\r\n 2 ]  ,"x":{ } }'
\i test/jsonb_case.sql
-- deep nesting: 100 arrays, and 100 objects
SELECT '{"d": ' || repeat('[', 100) || '1' || repeat(']', 100) || '}' AS lit \gset
\i test/jsonb_case.sql
SELECT '{"d": ' || repeat('{"k": ', 100) || 'null' || repeat('}', 100) || '}' AS lit \gset
\i test/jsonb_case.sql
\pset format aligned

SET client_min_messages = warning;
DROP SERVER litellm CASCADE;
