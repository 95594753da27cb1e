-- memory_wipe.sql: after a write, the memory of the idle backend holds
-- neither the header that carried the API key nor the request body with
-- the secret (issue 20 item 6): litellm_fdw wipes its own copies, and
-- libcurl's allocations go through functions that wipe each block when it
-- is freed (connection.c, curl_global_init_mem).  test/tools/scan_memory.py
-- reads /proc/PID/mem of this backend (the tests run as root) over its
-- anonymous, heap and stack mappings; it must find the bare key, which
-- PostgreSQL itself keeps in its catalog cache, or the scan proves nothing.
-- The canaries are computed, so that no statement text holds one.
\i test/setup.sql
\set VERBOSITY terse
DROP SERVER IF EXISTS memory_wipe CASCADE;
CREATE SERVER memory_wipe FOREIGN DATA WRAPPER litellm_fdw
    OPTIONS (url :'mock_url', max_retries '0');
\! mockctl config "{\"extra_keys\":[\"$(echo -n CANARY)-mem-key-$(echo -n memory | md5sum | cut -c1-32)\"]}"
DO $$BEGIN
EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER memory_wipe OPTIONS (api_key %L)',
               upper('canary') || '-mem-key-' || md5('memory'));
END$$;
CREATE FOREIGN TABLE mw_cred (
    credential_name   text,
    credential_info   jsonb,
    credential_values jsonb
) SERVER memory_wipe OPTIONS (write_mode 'immediate');

-- a read, then a write that sends the secret, then a read again
SELECT count(*) FROM mw_cred;
INSERT INTO mw_cred (credential_name, credential_values)
SELECT 'mw', jsonb_build_object('api_key',
                                upper('canary') || '-mem-val-' || md5('memory value'));
SELECT credential_name, credential_values FROM mw_cred WHERE credential_name = 'mw';
-- the server received both (its record: the body held the secret)
\! mockctl requests | grep -c "POST /credentials"

-- the backend is idle while the scan runs
SELECT pg_backend_pid() AS pid \gset
\setenv LFDW_BACKEND_PID :pid
\! test/tools/scan_memory.py
DROP SERVER memory_wipe CASCADE;
