/* litellm_fdw--1.2.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION litellm_fdw" to load this file. \quit

CREATE FUNCTION litellm_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION litellm_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER litellm_fdw
  HANDLER litellm_fdw_handler
  VALIDATOR litellm_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER litellm_fdw
  IS 'credentials of a LiteLLM proxy as foreign tables';

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
