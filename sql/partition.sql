-- partition.sql: whose user mapping (and API key) a statement uses.  Rows
-- routed into a litellm table that is a partition of a partitioned table
-- (INSERT and COPY through the parent) have no range table entry of their
-- own on PostgreSQL 14 and 15: the key must still be the running role's, as
-- for any other write.  A view uses its owner's.  The test server records
-- the key each request carried.
\i test/setup.sql
\set VERBOSITY default
\! mockctl config '{"extra_keys":["sk-writer-test"]}'
SET client_min_messages = warning;
DROP ROLE IF EXISTS lfdw_writer;
RESET client_min_messages;
CREATE ROLE lfdw_writer;
GRANT USAGE ON FOREIGN SERVER litellm TO lfdw_writer;
CREATE USER MAPPING FOR lfdw_writer SERVER litellm
    OPTIONS (api_key 'sk-writer-test');

-- credentials: the whole key range in one foreign partition
CREATE TABLE cred_parent (
    credential_name   text NOT NULL,
    credential_info   jsonb,
    credential_values jsonb,
    model_id          text
) PARTITION BY RANGE (credential_name);
CREATE FOREIGN TABLE cred_part PARTITION OF cred_parent
    FOR VALUES FROM (MINVALUE) TO (MAXVALUE) SERVER litellm;
-- models: the same, on the models resource
CREATE TABLE model_parent (
    model_id        text,
    model_name      text,
    litellm_model   text,
    credential_name text
) PARTITION BY RANGE (model_name);
CREATE FOREIGN TABLE model_part PARTITION OF model_parent
    FOR VALUES FROM (MINVALUE) TO (MAXVALUE) SERVER litellm
    OPTIONS (resource 'models');
GRANT SELECT, INSERT ON cred_parent, model_parent TO lfdw_writer;

SET ROLE lfdw_writer;
INSERT INTO cred_parent (credential_name, credential_values)
VALUES ('routed-insert', '{"api_key": "sk-routed-1"}');
COPY cred_parent (credential_name, credential_info, credential_values) FROM STDIN;
routed-copy	{"team": "ops"}	{"api_key": "sk-routed-2"}
\.
INSERT INTO model_parent (model_id, model_name, litellm_model, credential_name)
VALUES ('m-routed', 'routed-model', 'openai/gpt-4o', 'routed-insert');
COPY model_parent (model_id, model_name, litellm_model) FROM STDIN;
m-routed-copy	routed-copy-model	openai/gpt-4o-mini
\.
RESET ROLE;
-- every write carried the writer's key, and no other
\! mockctl requests-auth
SELECT credential_name, credential_info, credential_values
  FROM cred_parent WHERE credential_name LIKE 'routed-%' ORDER BY 1;
SELECT model_id, model_name, litellm_model, credential_name
  FROM model_parent WHERE model_id LIKE 'm-routed%' ORDER BY 1;
\! mockctl requests-auth

-- inside a transaction (writes held until COMMIT), the same
BEGIN;
SET LOCAL ROLE lfdw_writer;
INSERT INTO cred_parent (credential_name, credential_values)
VALUES ('routed-tx', '{"api_key": "sk-routed-3"}');
COMMIT;
\! mockctl requests-auth

-- a role without a user mapping of its own gets the usual error, not
-- another role's key
CREATE ROLE lfdw_nomap;
GRANT USAGE ON FOREIGN SERVER litellm TO lfdw_nomap;
GRANT INSERT ON cred_parent TO lfdw_nomap;
SET ROLE lfdw_nomap;
-- (the wording of PostgreSQL's own message differs between releases)
\set VERBOSITY sqlstate
INSERT INTO cred_parent (credential_name, credential_values)
VALUES ('routed-nomap', '{"api_key": "sk-routed-4"}');  -- ERROR
\set VERBOSITY default
RESET ROLE;
\! mockctl requests-auth

-- a view runs with its owner's mapping: a role without a mapping (or a key)
-- reads through it, and the owner's key is the one sent
CREATE VIEW routed_names AS
    SELECT credential_name FROM litellm_credential WHERE credential_name LIKE 'routed-%';
ALTER VIEW routed_names OWNER TO lfdw_writer;
GRANT SELECT ON litellm_credential TO lfdw_writer;
GRANT SELECT ON routed_names TO lfdw_nomap;
SET ROLE lfdw_nomap;
SELECT * FROM routed_names ORDER BY 1;
SELECT count(*) FROM litellm_credential;  -- ERROR: no privilege on the table
RESET ROLE;
\! mockctl requests-auth
DROP VIEW routed_names;

-- what the server holds now
\! mockctl state | grep '^routed'
\! mockctl models | grep 'routed'

DROP TABLE cred_parent, model_parent;
DROP OWNED BY lfdw_writer, lfdw_nomap;
DROP ROLE lfdw_writer, lfdw_nomap;
