#!/usr/bin/env python3
"""commit_check.py: a failure at commit says exactly what was applied.

Runs TRIALS transactions against the test server, each creating, changing
and deleting credentials with COMMIT failing on a call chosen at random
(seeded): the k-th POST, PATCH or DELETE answers 500.  With several calls in
flight (max_concurrency > 1) which calls were sent before the failure
varies, so the error cannot be compared with a fixed text; instead its
DETAIL is checked against the test server's state and request record:

  Failed / Not sent / Created, then deleted again  -> the change is not there
  (and "Answer lost, read back: not applied")
  Applied (and "Answer lost, read back: applied")  -> the change is there
  Created, and could not be deleted again          -> the credential exists
  every call of the transaction is in exactly one of those lines
  no credential was created twice; nothing "Not sent" was sent

Prints one line per inconsistent trial and "N trials, N consistent".
Usage: commit_check.py TRIALS [SEED]   (psql and mockctl from PATH; MOCK_URL)
"""

import json
import os
import random
import re
import subprocess
import sys

SEED_STATE = {"credentials": [
    {"credential_name": "keep-%d" % i,
     "credential_info": {"v": 0},
     "credential_values": {"api_key": "sk-keep-%d" % i}} for i in range(6)]}


# a call whose answer was lost is read back (issue 22): its own lines
APPLIED_LABEL = "Answer lost, read back: applied"
UNKNOWN_LABEL = "Answer lost, and reading back could not tell: outcome unknown"
READ_BACK_LABELS = ("Answer lost, read back: not applied", APPLIED_LABEL,
                    UNKNOWN_LABEL)


def sh(*args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True)


def state():
    out = sh("mockctl", "state").stdout
    creds = {}
    for line in out.splitlines():
        if line.startswith("(served) "):  # the read list, where it differs
            continue
        name, rest = line.split(" ", 1)
        info = json.JSONDecoder().raw_decode(rest)[0]
        creds[name] = info
    return creds


def requests():
    out = sh("mockctl", "requests").stdout
    return [line.split(" ", 2) for line in out.splitlines() if line]


def names_of(detail, label):
    """The calls listed after 'label: ' as (method or None, name)."""
    m = re.search(r"^" + re.escape(label) + r": (.*)\.$", detail, re.M)
    if not m:
        return []
    return [(g[0] or None, g[1]) for g in
            re.findall(r'(?:(POST|PATCH|DELETE) )?"([^"]*)"', m.group(1))]


def trial(rng, index):
    # g6: /openapi.json shows the newest line, whose DELETE answers 404 for a
    # missing name, so each DELETE is one call (elsewhere a PATCH checks first)
    sh("mockctl", "reset", "g6", json.dumps(SEED_STATE))
    n_create = rng.randint(2, 12)
    patched = rng.sample(range(6), rng.randint(0, 3))
    deleted = rng.sample([i for i in range(6) if i not in patched],
                         rng.randint(0, 3))
    plan = [("POST", "new-%d-%d" % (index, i)) for i in range(n_create)]
    plan += [("PATCH", "keep-%d" % i) for i in patched]
    plan += [("DELETE", "keep-%d" % i) for i in deleted]
    method = rng.choice([m for m in ("POST", "PATCH", "DELETE")
                         if any(p[0] == m for p in plan)])
    count = sum(1 for p in plan if p[0] == method)
    skip = rng.randint(0, count - 1)
    fault = {"method": method, "skip": skip, "status": 500,
             "times": 3 if method == "PATCH" else 1,
             "body": json.dumps({"error": {"message": "injected", "code": "500"}})}
    sh("mockctl", "fault", json.dumps(fault))

    sql = ["BEGIN;"]
    sql.append("INSERT INTO litellm_credential (credential_name, credential_values) "
               "SELECT 'new-%d-' || i, jsonb_build_object('api_key', 'sk-' || i) "
               "FROM generate_series(0, %d) i;" % (index, n_create - 1))
    for i in patched:
        sql.append("UPDATE litellm_credential SET credential_info = '{\"v\": %d}' "
                   "WHERE credential_name = 'keep-%d';" % (index + 1, i))
    for i in deleted:
        sql.append("DELETE FROM litellm_credential WHERE credential_name = 'keep-%d';" % i)
    sql.append("COMMIT;")
    sh("mockctl", "requests")  # forget the reads
    res = sh("psql", "-X", "-q", "-v", "VERBOSITY=default",
             "-d", os.environ.get("PGDATABASE_TEST", "contrib_regression"),
             stdin="\n".join(sql) + "\n")
    err = res.stderr
    problems = []
    if "ERROR:" not in err:
        return ["no error at commit (fault %s)" % json.dumps(fault)]
    detail = err[err.find("DETAIL:"):] if "DETAIL:" in err else ""
    st = state()
    log = requests()

    listed = {}
    one_call = len(plan) == 1
    for label in ("Failed", "Applied", "Created, then deleted again",
                  "Created, and could not be deleted again",
                  "Skipped (already existed)", "Sent, outcome unknown",
                  "Not sent") + READ_BACK_LABELS:
        for m, name in names_of(detail, label):
            key = (m or "POST", name)
            if key in listed:
                problems.append("%s %s listed twice" % key)
            listed[key] = label
    if not one_call and set(listed) != set(plan):
        problems.append("calls listed %s != planned %s" %
                        (sorted(listed), sorted(plan)))

    for (m, name), label in listed.items():
        exists = name in st
        if label == UNKNOWN_LABEL:
            continue
        if label == APPLIED_LABEL:
            label = "Applied"
        if m == "POST":
            want = label == "Created, and could not be deleted again" or \
                (label == "Applied")
            if exists != want:
                problems.append("%s POST %s: exists=%s" % (label, name, exists))
        elif m == "PATCH":
            changed = exists and st[name].get("v") == index + 1
            if changed != (label == "Applied"):
                problems.append("%s PATCH %s: changed=%s" % (label, name, changed))
        elif m == "DELETE":
            if exists == (label == "Applied"):
                problems.append("%s DELETE %s: exists=%s" % (label, name, exists))
        if label == "Not sent" and any(
                r[0] == m and (name in r[1] or ('"%s"' % name) in r[2])
                for r in log):
            problems.append("Not sent %s %s was sent" % (m, name))
    posts = [r[2] for r in log if r[0] == "POST"]
    for _, name in (p for p in plan if p[0] == "POST"):
        if sum(1 for b in posts if '"credential_name":"%s"' % name in b) > 1:
            problems.append("POST %s sent twice" % name)
    return problems


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    ok = 0
    for i in range(trials):
        problems = trial(rng, i)
        if problems:
            print("trial %d: %s" % (i, "; ".join(problems)))
        else:
            ok += 1
    print("%d trials, %d consistent" % (trials, ok))
    return 0 if ok == trials else 1


if __name__ == "__main__":
    sys.exit(main())
