-- Upgrades: the first release's SQL, updated with ALTER EXTENSION ... UPDATE,
-- must leave the same objects as a fresh CREATE EXTENSION of the current
-- version, and the library must work under it.  Runs last: the suite loads
-- the extension with --load-extension, so this drops it and puts it back.
SET client_min_messages = warning;
DROP EXTENSION litellm_fdw CASCADE;
RESET client_min_messages;

-- the first release, in a schema of its own
CREATE SCHEMA lfdw_upgrade;
CREATE EXTENSION litellm_fdw VERSION '1.0' SCHEMA lfdw_upgrade;
SELECT extversion FROM pg_extension WHERE extname = 'litellm_fdw';
-- (quiet: with no newer version it says that 1.0 is already installed)
SET client_min_messages = warning;
ALTER EXTENSION litellm_fdw UPDATE;
RESET client_min_messages;
-- now at the default version, whatever it is
SELECT e.extversion = a.default_version AS updated_to_default
FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname
WHERE e.extname = 'litellm_fdw';

-- what the update left: every member, with the definition of functions
CREATE FUNCTION pg_temp.lfdw_members() RETURNS TABLE (member text, definition text)
LANGUAGE sql AS $$
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid),
           CASE WHEN d.classid = 'pg_proc'::regclass
                THEN replace(pg_get_functiondef(d.objid), 'lfdw_upgrade.', '') END
    FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND e.extname = 'litellm_fdw'
$$;
CREATE TEMP TABLE updated AS SELECT * FROM pg_temp.lfdw_members();
SELECT replace(member, 'lfdw_upgrade.', '') AS member FROM updated ORDER BY 1;

-- the updated extension works: a read through the FDW
\i test/setup.sql
SELECT credential_name FROM litellm_credential ORDER BY 1;
SELECT credential_name, credential_values FROM litellm_credential
WHERE credential_name = 'openai-prod';
\! mockctl requests

-- a fresh install of the default version has the same objects
SET client_min_messages = warning;
DROP EXTENSION litellm_fdw CASCADE;
RESET client_min_messages;
CREATE EXTENSION litellm_fdw SCHEMA lfdw_upgrade;
CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.lfdw_members();
(SELECT * FROM updated EXCEPT SELECT * FROM fresh)
UNION ALL
(SELECT * FROM fresh EXCEPT SELECT * FROM updated);  -- no rows

-- step by step, 1.0 -> 1.1 -> 1.2: the same objects again
SET client_min_messages = warning;
DROP EXTENSION litellm_fdw CASCADE;
RESET client_min_messages;
CREATE EXTENSION litellm_fdw VERSION '1.0' SCHEMA lfdw_upgrade;
ALTER EXTENSION litellm_fdw UPDATE TO '1.1';
SELECT extversion FROM pg_extension WHERE extname = 'litellm_fdw';
ALTER EXTENSION litellm_fdw UPDATE TO '1.2';
SELECT extversion FROM pg_extension WHERE extname = 'litellm_fdw';
CREATE TEMP TABLE stepped AS SELECT * FROM pg_temp.lfdw_members();
(SELECT * FROM stepped EXCEPT SELECT * FROM fresh)
UNION ALL
(SELECT * FROM fresh EXCEPT SELECT * FROM stepped);  -- no rows

-- 1.1 -> 1.2: the 1.1 function keeps its six columns under this library
-- until the update, which gives it the columns of 1.2
SET client_min_messages = warning;
DROP EXTENSION litellm_fdw CASCADE;
RESET client_min_messages;
CREATE EXTENSION litellm_fdw VERSION '1.1' SCHEMA lfdw_upgrade;
\i test/setup.sql
BEGIN;
INSERT INTO litellm_credential (credential_name, credential_values)
VALUES ('upgrade-1', '{"api_key": "sk-upgrade-secret"}');
SELECT * FROM lfdw_upgrade.litellm_fdw_pending_changes();
ALTER EXTENSION litellm_fdw UPDATE TO '1.2';
SELECT * FROM lfdw_upgrade.litellm_fdw_pending_changes();
ROLLBACK;
\! mockctl requests
SELECT extversion FROM pg_extension WHERE extname = 'litellm_fdw';
ALTER EXTENSION litellm_fdw UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'litellm_fdw';
CREATE TEMP TABLE from_1_1 AS SELECT * FROM pg_temp.lfdw_members();
(SELECT * FROM from_1_1 EXCEPT SELECT * FROM fresh)
UNION ALL
(SELECT * FROM fresh EXCEPT SELECT * FROM from_1_1);  -- no rows

-- leave the database as the suite found it
SET client_min_messages = warning;
DROP EXTENSION litellm_fdw CASCADE;
DROP SCHEMA lfdw_upgrade;
CREATE EXTENSION litellm_fdw;
RESET client_min_messages;
