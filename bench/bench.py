#!/usr/bin/env python3
"""bench.py: the cases of bench/run.sh, against a running cluster and bench_server.

Run by bench/run.sh, which starts the throwaway cluster (PGHOST etc. set),
the server (BENCH_URL) and installs the extension.  Prints the machine, the
server measured alone, then one table of medians and ratios, all measured
side by side in this run.  Standard library only.

Environment: BENCH_URL, PGBIN (the PostgreSQL bin directory), BENCH_REPS
(runs per case, default 5), BENCH_SIZES (default "1000 10000 100000"),
BENCH_CASES (default "scan lookup provision memory"), BENCH_LATENCY_MS
(case 3, default 10), BENCH_PROVISION_N (default 1000), BENCH_MAX_CONCURRENCY
(the concurrency litellm_fdw applies writes with at its defaults, for the
floor of case 3; default 16, as the extension), BENCH_OUT (also write the report there).
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

URL = os.environ["BENCH_URL"]
PGBIN = os.environ["PGBIN"]
REPS = int(os.environ.get("BENCH_REPS", "5"))
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000 10000 100000").split()]
CASES = os.environ.get("BENCH_CASES", "scan lookup provision memory").split()
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "10"))
PROV_N = int(os.environ.get("BENCH_PROVISION_N", "1000"))
MAX_CONC = int(os.environ.get("BENCH_MAX_CONCURRENCY", "16"))
KEY = "sk-bench"
WORK = tempfile.mkdtemp(prefix="litellm_fdw_bench.")
os.chmod(WORK, 0o755)
PSQL = [os.path.join(PGBIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=terse"]
os.environ.setdefault("PGOPTIONS", "-c client_min_messages=warning")

out_lines = []


def say(line=""):
    print(line, flush=True)
    out_lines.append(line)


def control(path):
    with urllib.request.urlopen(URL + path, timeout=60) as r:
        return json.loads(r.read())


def reset(n=0, latency_ms=0):
    control("/_bench/reset?n=%d&latency_ms=%d" % (n, latency_ms))


def stats():
    return control("/_bench/stats")


def psql(sql, *extra, capture=True):
    r = subprocess.run(PSQL + list(extra) + ["-c", sql], capture_output=capture,
                       text=True)
    if r.returncode != 0:
        sys.exit("psql failed: %s\n%s" % (sql, r.stderr))
    return r.stdout


def timed(cmd, **kw):
    """Wall time of one command, in seconds; it must succeed."""
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    t = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return t


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o644)
    return path


def med(xs):
    return statistics.median(xs)


def ms(s):
    return "%.1f ms" % (s * 1000) if s < 10 else "%.2f s" % s


def us(s):
    return "%.0f µs" % (s * 1e6)


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.1f GB" % (int(line.split()[1]) / 1048576)
    except OSError:
        pass
    pg = psql("SELECT version()", "-At").strip()
    curl = subprocess.run(["curl", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    say("machine: %s, %d CPUs (os.cpu_count), %s RAM, %s %s" %
        (cpu, os.cpu_count(), mem, platform.system(), platform.release()))
    say("load average at start: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    say("PostgreSQL: %s" % pg)
    say("curl: %s" % curl)
    say("runs per case: %d (medians)" % REPS)


def setup():
    psql("""
DROP EXTENSION IF EXISTS litellm_fdw CASCADE;
CREATE EXTENSION litellm_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER litellm_fdw OPTIONS (url '%s');
CREATE USER MAPPING FOR CURRENT_USER SERVER bench OPTIONS (api_key '%s');
CREATE FOREIGN TABLE litellm_credential (
    credential_name text NOT NULL, credential_info jsonb,
    credential_values jsonb, model_id text) SERVER bench;
""" % (URL, KEY))


# The do-it-yourself route: the body into a jsonb column with COPY FROM
# PROGRAM (CSV with quote and delimiter bytes that JSON text never holds),
# then one row per element.
DIY_SQL = r"""BEGIN;
CREATE TEMP TABLE raw (body jsonb) ON COMMIT DROP;
COPY raw FROM PROGRAM 'curl -sf -H "Authorization: Bearer %s" %s/credentials'
    WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02');
SELECT e->>'credential_name' AS credential_name,
       e->'credential_info' AS credential_info,
       e->'credential_values' AS credential_values
  FROM raw, jsonb_array_elements(raw.body->'credentials') AS e;
COMMIT;
""" % (KEY, URL)

FDW_SQL = "SELECT * FROM litellm_credential;\n"


def curl_list_cmd():
    return ["curl", "-sf", "-o", "/dev/null", "-H", "Authorization: Bearer " + KEY,
            URL + "/credentials"]


def psql_file(path):
    return PSQL + ["-A", "-t", "-o", "/dev/null", "-f", path]


def execution_time(sql):
    """Execution Time of EXPLAIN ANALYZE, in seconds: the rows are built and
    thrown away in the server, so no output conversion or client counts."""
    out = psql("EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) " + sql, "-At")
    for line in out.splitlines():
        if line.startswith("Execution Time:"):
            return float(line.split()[2]) / 1000.0
    sys.exit("no Execution Time in: " + out)


def curl_transfer_time():
    """curl's own total time for the list (no process start-up)."""
    r = subprocess.run(curl_list_cmd() + ["-w", "%{time_total}"],
                       capture_output=True, text=True)
    return float(r.stdout)


def case_scan(rows):
    fdw_file = write("fdw_scan.sql", FDW_SQL)
    diy_file = write("diy_scan.sql", DIY_SQL)
    local_file = write("local_scan.sql", "SELECT * FROM local_credential;\n")
    for n in SIZES:
        reset(n)
        body = stats()["list_bytes"]
        # same rows both ways?
        a = psql("SELECT count(*), md5(string_agg(credential_name || credential_info::text, ',' ORDER BY credential_name)) FROM litellm_credential", "-At")
        b = psql("""CREATE TEMP TABLE raw (body jsonb);
COPY raw FROM PROGRAM 'curl -sf %s/credentials' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02');
SELECT count(*), md5(string_agg(e->>'credential_name' || (e->'credential_info')::text, ',' ORDER BY e->>'credential_name')) FROM raw, jsonb_array_elements(body->'credentials') e""" % URL, "-At")
        if a.strip() != b.strip() or a.split("|")[0].strip() != str(n):
            sys.exit("the routes disagree at %d rows: %r %r" % (n, a, b))
        psql("DROP TABLE IF EXISTS local_credential")
        psql("CREATE TABLE local_credential AS SELECT * FROM litellm_credential")
        psql("VACUUM ANALYZE local_credential")
        t = {"curl": [], "fdw": [], "diy": [], "local": []}
        for _ in range(REPS):
            t["curl"].append(timed(curl_list_cmd()))
            t["fdw"].append(timed(psql_file(fdw_file)))
            t["diy"].append(timed(psql_file(diy_file)))
            t["local"].append(timed(psql_file(local_file)))
        # the same, inside the server: every row built, none sent to a
        # client (EXPLAIN ANALYZE), against curl's own transfer time
        s = {"curl": [], "fdw": [], "local": []}
        for _ in range(REPS):
            s["curl"].append(curl_transfer_time())
            s["fdw"].append(execution_time("SELECT * FROM litellm_credential"))
            s["local"].append(execution_time("SELECT * FROM local_credential"))
        m = {k: med(v) for k, v in t.items()}
        ms_ = {k: med(v) for k, v in s.items()}
        rows.append(("1b. scan %d rows, in the server" % n,
                     "litellm_fdw %s (rows built, output discarded); curl transfer %s; local table %s" %
                     (ms(ms_["fdw"]), ms(ms_["curl"]), ms(ms_["local"])),
                     "fdw/curl %.2f; fdw/local %.2f" %
                     (ms_["fdw"] / ms_["curl"], ms_["fdw"] / ms_["local"]),
                     ""))
        rows.append(("1. scan %d rows (%.1f MB)" % (n, body / 1e6),
                     "litellm_fdw %s; curl %s; DIY %s; local table %s" %
                     (ms(m["fdw"]), ms(m["curl"]), ms(m["diy"]), ms(m["local"])),
                     "fdw/curl %.2f; fdw/DIY %.2f; fdw/local %.2f" %
                     (m["fdw"] / m["curl"], m["fdw"] / m["diy"], m["fdw"] / m["local"]),
                     n >= 10000 and ("target fdw/curl <= 1.5: %s; fdw < DIY: %s" %
                                     ("met" if m["fdw"] <= 1.5 * m["curl"] else "MISSED",
                                      "met" if m["fdw"] < m["diy"] else "MISSED")) or ""))
    psql("DROP TABLE IF EXISTS local_credential")


def curl_gets(count, n):
    """Per-request times of count GETs by_name by one curl process."""
    cfg = write("curl.cfg", "".join(
        'url = "%s/credentials/by_name/cred-%07d"\noutput = "/dev/null"\n'
        % (URL, (i * 7919) % n + 1) for i in range(count)))
    r = subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + KEY,
                        "-K", cfg, "-w", "%{time_total}\n"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("curl failed: " + r.stderr)
    times = [float(x) for x in r.stdout.split()]
    if len(times) != count:
        sys.exit("curl: %d times for %d requests" % (len(times), count))
    return times


LOOP_FN = """CREATE OR REPLACE FUNCTION pg_temp.lookups(n int, names int)
RETURNS float8 LANGUAGE plpgsql AS $f$
DECLARE
    r record;
    t0 timestamptz;
    lat float8[] := '{}';
BEGIN
    FOR i IN 1..n LOOP
        t0 := clock_timestamp();
        SELECT * INTO r FROM litellm_credential
         WHERE credential_name = 'cred-' || lpad(((i * 7919) % names + 1)::text, 7, '0');
        lat := lat || extract(epoch FROM clock_timestamp() - t0)::float8;
    END LOOP;
    RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(lat) x);
END $f$;
"""


def pgbench_median(script, n, tag):
    """Median latency of n transactions of a script in one pgbench session."""
    prefix = os.path.join(WORK, tag)
    r = subprocess.run([os.path.join(PGBIN, "pgbench"), "-n", "-M", "prepared",
                        "-t", str(n), "-f", script, "-l", "--log-prefix=" + prefix],
                       capture_output=True, text=True, cwd=WORK)
    if r.returncode != 0:
        sys.exit("pgbench failed:\n" + r.stdout + r.stderr)
    lat = []
    for name in os.listdir(WORK):
        if name.startswith(tag + "."):
            with open(os.path.join(WORK, name)) as f:
                lat += [int(line.split()[2]) / 1e6 for line in f]
            os.unlink(os.path.join(WORK, name))
    if len(lat) != n:
        sys.exit("pgbench: %d transactions logged, expected %d" % (len(lat), n))
    return med(lat)


def case_lookup(rows):
    n = 1000
    # litellm_fdw (a): a prepared statement in a PL/pgSQL loop, one session,
    # each lookup timed with clock_timestamp()
    loop_med, loop_conns = [], []
    # (b): pgbench, one session, -M prepared, per-transaction log; and the
    # same pgbench with a statement that only builds the name (its floor)
    script = write("lookup.sql", "\\set i random(1, %d)\n"
                   "SELECT * FROM litellm_credential WHERE credential_name = "
                   "'cred-' || lpad(:i::text, 7, '0');\n" % n)
    floor_script = write("floor.sql", "\\set i random(1, %d)\n"
                         "SELECT 'cred-' || lpad(:i::text, 7, '0');\n" % n)
    pgb_med, pgb_conns, floor_med = [], [], []
    # curl: one process, one keep-alive connection, per-transfer time
    curl_med, curl_conns = [], []
    for rep in range(REPS):
        reset(n)
        out = psql(LOOP_FN + "SELECT pg_temp.lookups(%d, %d);" % (n, n), "-At")
        loop_med.append(float(out.split()[-1]))
        st = stats()
        if st["requests"] != n:
            sys.exit("loop: %d requests seen, expected %d" % (st["requests"], n))
        loop_conns.append(st["connections"])

        reset(n)
        pgb_med.append(pgbench_median(script, n, "lookup%d" % rep))
        st = stats()
        if st["requests"] != n:
            sys.exit("pgbench: %d requests seen, expected %d" % (st["requests"], n))
        pgb_conns.append(st["connections"])
        floor_med.append(pgbench_median(floor_script, n, "floor%d" % rep))

        reset(n)
        curl_med.append(med(curl_gets(n, n)))
        curl_conns.append(stats()["connections"])
    f, p, fl, c = med(loop_med), med(pgb_med), med(floor_med), med(curl_med)
    conns = lambda xs: "/".join(map(str, sorted(set(xs))))
    rows.append(("2. %d point lookups, one session" % n,
                 "litellm_fdw %s/lookup (prepared statement in a PL/pgSQL loop), "
                 "%s/lookup (pgbench -M prepared, whose floor for a statement without "
                 "the table is %s); curl %s/request (keep-alive)" %
                 (us(f), us(p), us(fl), us(c)),
                 "loop/curl %.2f; pgbench/curl %.2f; TCP connections: loop %s, "
                 "pgbench %s, curl %s" %
                 (f / c, p / c, conns(loop_conns), conns(pgb_conns), conns(curl_conns)),
                 "target <= 1.3: %s (loop), %s (pgbench); one connection: %s" %
                 ("met" if f <= 1.3 * c else "MISSED",
                  "met" if p <= 1.3 * c else "MISSED",
                  "met" if set(loop_conns) | set(pgb_conns) == {1} else "MISSED")))


def case_provision(rows):
    n = PROV_N
    sql = write("provision.sql", """BEGIN;
INSERT INTO litellm_credential (credential_name, credential_info, credential_values)
SELECT 'prov-' || lpad(i::text, 7, '0'),
       jsonb_build_object('custom_llm_provider', 'openai', 'description', 'provisioned ' || i),
       jsonb_build_object('api_key', 'sk-prov-' || i, 'api_base', 'https://api.openai.com/v1', 'api_version', '2024-10-21')
  FROM generate_series(1, %d) AS i;
COMMIT;
""" % n)
    times = []
    conns = []
    reps = max(1, min(REPS, 3))
    for _ in range(reps):
        reset(0, LATENCY_MS)
        times.append(timed(psql_file(sql)))
        st = stats()
        if st["credentials"] != n:
            sys.exit("provisioning: %d credentials on the server, expected %d" % (st["credentials"], n))
        conns.append(st["connections"])
    reset(0)
    t = med(times)
    serial = n * LATENCY_MS / 1000.0
    conc = serial / MAX_CONC
    rows.append(("3. provision %d in one transaction, %d ms/request" % (n, LATENCY_MS),
                 "litellm_fdw %s (defaults; %s TCP connections); floors: one-at-a-time %s, "
                 "concurrency %d %s, Terraform (10) %s" %
                 (ms(t), "/".join(map(str, sorted(set(conns)))), ms(serial), MAX_CONC,
                  ms(conc), ms(serial / 10)),
                 "one-at-a-time/fdw %.1fx; fdw/concurrency-%d floor %.2f" %
                 (serial / t, MAX_CONC, t / conc),
                 "target >= 8x: %s; <= 1.25: %s" %
                 ("met" if serial / t >= 8 else "MISSED",
                  "met" if t <= 1.25 * conc else "MISSED")))


def peak_rss(sql_path):
    """Peak RSS (VmHWM) of a fresh backend after running a script, and at start."""
    path = write("rss.sql", "SELECT pg_read_file('/proc/self/status');\n"
                 "\\i %s\n"
                 "SELECT pg_read_file('/proc/self/status');\n" % sql_path)
    r = subprocess.run(PSQL + ["-At", "-f", path], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("psql failed: " + r.stderr)
    hwm = [int(line.split()[1]) * 1024 for line in r.stdout.splitlines()
           if line.startswith("VmHWM:")]
    return hwm[-1], hwm[0]


def case_memory(rows):
    n = 100000
    reset(n)
    body = stats()["list_bytes"]
    fdw = write("fdw_mem.sql", "SELECT * FROM litellm_credential \\g /dev/null\n")
    diy = write("diy_mem.sql", DIY_SQL.replace(
        "AS e;\n", "AS e \\g /dev/null\n"))
    f = [peak_rss(fdw) for _ in range(max(1, min(REPS, 3)))]
    d = [peak_rss(diy) for _ in range(max(1, min(REPS, 3)))]
    fp, fb = med([x[0] for x in f]), med([x[1] for x in f])
    dp, db = med([x[0] for x in d]), med([x[1] for x in d])
    mb = lambda b: "%.0f MB" % (b / 1048576)
    rows.append(("4. backend peak RSS, scan of %d" % n,
                 "litellm_fdw %s; DIY %s; response %s (fresh backend: %s)" %
                 (mb(fp), mb(dp), mb(body), mb(fb)),
                 "fdw/DIY %.2f; fdw growth/response %.2f; DIY growth/response %.2f" %
                 (fp / dp, (fp - fb) / body, (dp - db) / body),
                 "target fdw <= DIY: %s" % ("met" if fp <= dp else "MISSED")))


def server_alone():
    reset(100000)
    t = [timed(curl_list_cmd()) for _ in range(REPS)]
    body = stats()["list_bytes"]
    reset(1000)
    per = med(curl_gets(200, 1000))
    say("server alone (bench/bench_server.c, one curl): 100,000-credential list "
        "(%.1f MB) in %s (%.0f MB/s, curl's start-up included); a point GET on a "
        "reused connection in %s" % (body / 1e6, ms(med(t)), body / med(t) / 1e6, us(per)))


def main():
    say("litellm_fdw benchmark, %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    setup()
    machine()
    server_alone()
    rows = []
    if "scan" in CASES:
        case_scan(rows)
    if "lookup" in CASES:
        case_lookup(rows)
    if "provision" in CASES:
        case_provision(rows)
    if "memory" in CASES:
        case_memory(rows)
    say()
    say("| case | medians | ratios | targets |")
    say("|---|---|---|---|")
    for row in rows:
        say("| %s |" % " | ".join(row))
    say("load average at end: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    if os.environ.get("BENCH_OUT"):
        with open(os.environ["BENCH_OUT"], "w") as f:
            f.write("\n".join(out_lines) + "\n")
    subprocess.run(["rm", "-rf", WORK])


if __name__ == "__main__":
    main()
