/* litellm_fdw--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION litellm_fdw UPDATE TO '1.1'" to load this file. \quit

CREATE FUNCTION litellm_fdw_pending_changes(
    OUT server_name text,
    OUT operation text,
    OUT request text,
    OUT credential_name text,
    OUT model_id text,
    OUT changed_columns text[])
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION litellm_fdw_pending_changes()
  IS 'calls the current transaction will make to LiteLLM when it commits (no secret values)';
