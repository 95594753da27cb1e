/* litellm_fdw--1.0.sql */

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
