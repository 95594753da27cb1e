#!/usr/bin/env python3
"""gen_statements.py SEED BATCH COUNT [MIX]: print COUNT SQL statements, one a line,
chosen by a random.Random seeded from (SEED, BATCH) alone, for the scripts
test/fuzz_protocol.sh and test/leak_check.sh.

The statements use the tables made by those scripts: litellm_credential (all
columns), lc_noinfo (no credential_info: an UPDATE reads it first) and lc_alt
(a second server: x-litellm-api-key, unmasked_keys, a small
max_response_bytes).  Names come from a small pool, so the state stays small.

MIX "fuzz" (default): scans, point reads, IN lists, model reads, inserts,
updates, renames, deletes, joins, transactions.
MIX "leak": the same plus statements meant to fail on the faults that
leak_check.sh installs (names rerr-*, werr-*, drop-*, trunc-*, slow-*).
"""
import random
import sys

seed, batch, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mix = sys.argv[4] if len(sys.argv) > 4 else "fuzz"
rng = random.Random("%s:%d:%s" % (seed, batch, mix))

NAMES = ["fz-%d" % i for i in range(24)] + ["openai-prod", "azure-eu", "anthropic",
                                            "name with space", "a/b?c#d%e", "ünï"]
TABLES = ["litellm_credential", "litellm_credential", "lc_alt"]


def q(s):
    return "'" + s.replace("'", "''") + "'"


def nm():
    return q(rng.choice(NAMES))


def val():
    return q(rng.choice(['{"api_key": "sk-fuzz-%d"}' % rng.randint(0, 999),
                         '{"api_key": "k%d", "api_base": "http://127.0.0.1:1"}' % rng.randint(0, 99),
                         '{"n": 1, "o": {"a": [1, 2.5, null, "x"]}, "api_key": "s"}']))


def info():
    return q(rng.choice(['{"custom_llm_provider": "openai"}', '{}',
                         '{"n": %d, "deep": {"a": [1, {"b": null}]}}' % rng.randint(0, 9),
                         '{"text": "üñí\\n\\t\\"q\\""}']))


def tbl():
    return rng.choice(TABLES)


def ret():
    return rng.choice(["", "", " RETURNING *", " RETURNING credential_name"])


def stmt():
    t = tbl()
    k = rng.choice(["scan"] * 4 + ["point"] * 4 + ["in"] * 2 + ["model", "insert", "insert",
                    "insert_multi", "update_info", "update_values", "update_noinfo",
                    "rename", "rename", "delete", "delete", "delete_in", "join", "txn",
                    "cols", "prepared"])
    if mix == "leak" and rng.random() < 0.25:
        k = rng.choice(["err_read", "err_read", "drop_read", "trunc_read", "err_patch",
                        "err_delete", "dup_insert", "guard", "cancel"])
    if k == "scan":
        return rng.choice(["SELECT * FROM %s;" % t,
                           "SELECT credential_name, credential_info->>'custom_llm_provider' FROM %s ORDER BY 1;" % t,
                           "SELECT count(*) FROM %s WHERE credential_info::jsonb ? 'n';" % t,
                           "SELECT credential_values FROM %s WHERE credential_name LIKE 'fz-%%';" % t])
    if k == "point":
        return "SELECT * FROM %s WHERE credential_name = %s;" % (t, nm())
    if k == "in":
        names = ", ".join(nm() for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.5:
            return "SELECT credential_name, credential_values FROM %s WHERE credential_name IN (%s);" % (t, names)
        return "SELECT * FROM %s WHERE credential_name = ANY(ARRAY[%s]);" % (t, names)
    if k == "model":
        return "SELECT * FROM %s WHERE model_id = %s;" % (t, q(rng.choice(["m-gpt4o", "m-none"])))
    if k == "insert":
        if rng.random() < 0.15:
            return "INSERT INTO %s (credential_name, model_id) VALUES (%s, 'm-gpt4o')%s;" % (t, nm(), ret())
        return "INSERT INTO %s (credential_name, credential_info, credential_values) VALUES (%s, %s, %s)%s;" % (
            t, nm(), info(), val(), ret())
    if k == "insert_multi":
        rows = ", ".join("(%s, %s, %s)" % (nm(), info(), val()) for _ in range(rng.randint(2, 4)))
        return "INSERT INTO %s (credential_name, credential_info, credential_values) VALUES %s;" % (t, rows)
    if k == "update_info":
        return "UPDATE %s SET credential_info = %s WHERE credential_name = %s%s;" % (t, info(), nm(), ret())
    if k == "update_values":
        return "UPDATE %s SET credential_values = %s WHERE credential_name = %s%s;" % (t, val(), nm(), ret())
    if k == "update_noinfo":
        return "UPDATE lc_noinfo SET credential_values = %s WHERE credential_name = %s;" % (val(), nm())
    if k == "rename":
        return "UPDATE %s SET credential_name = %s, credential_values = %s WHERE credential_name = %s%s;" % (
            t, nm(), val(), nm(), ret())
    if k == "delete":
        return "DELETE FROM %s WHERE credential_name = %s%s;" % (t, nm(), ret())
    if k == "delete_in":
        return "DELETE FROM %s WHERE credential_name IN (%s, %s);" % (t, nm(), nm())
    if k == "join":
        return ("SELECT a.credential_name FROM litellm_credential a JOIN lc_alt b "
                "USING (credential_name) WHERE a.credential_name <> '';")
    if k == "txn":
        return ("BEGIN; INSERT INTO %s (credential_name, credential_values) VALUES (%s, %s); "
                "SELECT count(*) FROM %s; %s;" % (t, nm(), val(), t, rng.choice(["COMMIT", "ROLLBACK"])))
    if k == "cols":
        return "SELECT credential_name FROM lc_noinfo WHERE credential_name IN (%s, %s);" % (nm(), nm())
    if k == "prepared":
        return ("PREPARE p AS SELECT * FROM %s WHERE credential_name = $1; EXECUTE p(%s); "
                "EXECUTE p(%s); DEALLOCATE p;" % (t, nm(), nm()))
    # leak mix: errors from faults the script installed
    n = rng.randint(0, 9)
    if k == "err_read":
        return "SELECT * FROM litellm_credential WHERE credential_name = 'rerr-%d';" % n
    if k == "drop_read":
        return "SELECT * FROM litellm_credential WHERE credential_name = 'drop-%d';" % n
    if k == "trunc_read":
        return "SELECT * FROM litellm_credential WHERE credential_name = 'trunc-%d';" % n
    if k == "err_patch":
        return "UPDATE litellm_credential SET credential_info = '{\"e\": 1}' WHERE credential_name = 'werr-%d';" % n
    if k == "err_delete":
        return "DELETE FROM litellm_credential WHERE credential_name = 'werr-%d';" % n
    if k == "dup_insert":
        return "INSERT INTO litellm_credential (credential_name, credential_values) VALUES ('anthropic', '{\"k\": \"v\"}');"
    if k == "guard":
        return "INSERT INTO litellm_credential (credential_name, credential_values) VALUES ('g', '{\"k\": \"ab****cd\"}');"
    if k == "cancel":
        return ("SET statement_timeout = '30ms'; SELECT * FROM litellm_credential "
                "WHERE credential_name = 'slow-%d'; RESET statement_timeout;" % n)
    raise AssertionError(k)


for _ in range(count):
    print(stmt())
