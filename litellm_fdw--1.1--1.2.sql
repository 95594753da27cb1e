/* litellm_fdw--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION litellm_fdw UPDATE TO '1.2'" to load this file. \quit

-- litellm_fdw_pending_changes() gains the user mapping, the resource and
-- key, method and path, and the value keys each call sets and removes: a
-- new result type, so the function is replaced.
ALTER EXTENSION litellm_fdw DROP FUNCTION litellm_fdw_pending_changes();
DROP FUNCTION litellm_fdw_pending_changes();

CREATE FUNCTION litellm_fdw_pending_changes(
    OUT server_name text,
    OUT user_name text,
    OUT resource text,
    OUT key text,
    OUT operation text,
    OUT request text,
    OUT method text,
    OUT path text,
    OUT changed_columns text[],
    OUT keys_set text[],
    OUT keys_removed text[],
    OUT credential_name text,
    OUT model_id text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'litellm_fdw_pending_changes_1_2'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION litellm_fdw_pending_changes()
  IS 'calls the current transaction will make to LiteLLM when it commits, with the value keys each sets and removes (no secret values)';
