#!/bin/bash
# leak_check.sh: memory and socket leaks of one long-lived backend.
#
# Runs 20,000 statements in ONE psql session against the test server: reads
# of every kind, inserts, updates, renames, deletes (test/tools/gen_statements.py,
# mix "leak"), errors from faults installed on the test server (HTTP 500 on
# reads, updates and deletes, dropped connections, truncated JSON, a
# duplicate name, the placeholder guard), cancels (statement_timeout of 30 ms
# against a 300 ms delay), and, on a share of the other requests, the fuzz
# mode's malformed answers (LEAK_FUZZ_RATE, default 0.2; large answers left
# out).  Every 1,000 statements the session itself (psql \!) samples its
# backend: VmRSS from /proc/PID/status, the number of open file descriptors
# in /proc/PID/fd and how many of them are sockets.
#
# Passes when RSS grows by at most LEAK_MAX_BPS bytes per statement (default
# 16) after the warm-up (the first LEAK_WARMUP statements, default 2,000):
# the median of the slopes between every two samples after it (Theil-Sen,
# which a one-off step barely moves); when the descriptor and socket counts
# show no trend after it (Theil-Sen slope at most 0.5 per 1,000 statements)
# and never exceed their warm-up high by more than a connection pool holds
# (16): kept-alive connections come and go, a leak climbs; when the session
# ran every statement; and when no server process died.
#
# Usage: test/leak_check.sh [STATEMENTS]   (default 20000)
# Environment: LEAK_FUZZ_RATE, LEAK_MAX_BPS, LEAK_SEED (default 1), LEAK_EVERY
# (statements between samples, default 1000), LEAK_WARMUP, KEEP_TMP=1.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
. test/tools/stress_lib.sh

TOTAL=${1:-20000}
EVERY=${LEAK_EVERY:-1000}
WARMUP=${LEAK_WARMUP:-2000}
SEED=${LEAK_SEED:-1}
FUZZ_RATE=${LEAK_FUZZ_RATE:-0.2}
MAX_BPS=${LEAK_MAX_BPS:-16}

lfdw_install_packages || exit 1
lfdw_start_cluster || exit 1
lfdw_start_mock || exit 1
stress_setup 2000 || { echo "set-up failed"; exit 1; }

# seed credentials, plus werr-0..9 whose PATCH and DELETE fail
seed=$(python3 - <<'PY'
import json
d = json.load(open("test/mock/seed.json"))
d["credentials"] += [{"credential_name": "werr-%d" % i, "credential_info": {},
                      "credential_values": {"api_key": "sk-w"}} for i in range(10)]
print(json.dumps(d))
PY
)
mockctl reset g6 "$seed" || exit 1
err='{"error":{"message":"DB not connected","type":"internal_server_error","param":"None","code":"500"}}'
body=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$err")
mockctl fault "{\"method\":\"GET\",\"path_prefix\":\"/credentials/by_name/rerr-\",\"status\":500,\"times\":-1,\"body\":$body}" &&
mockctl fault "{\"method\":\"PATCH\",\"path_prefix\":\"/credentials/werr-\",\"status\":500,\"times\":-1,\"body\":$body}" &&
mockctl fault "{\"method\":\"DELETE\",\"path_prefix\":\"/credentials/werr-\",\"status\":500,\"times\":-1,\"body\":$body}" &&
mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/drop-","drop":true,"times":-1}' &&
mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/trunc-","truncate_json":10,"times":-1}' &&
mockctl fault '{"method":"GET","path_prefix":"/credentials/by_name/slow-","delay_ms":300,"times":-1}' || exit 1
if [ "$FUZZ_RATE" != 0 ]; then
    kinds='["truncate","type_swap","huge_number","deep_nesting","odd_escape","content_type","dup_key","missing_field","trailing_garbage","status","shape","framing","interim","stacked"]'
    mockctl fuzz "{\"seed\":$SEED,\"rate\":$FUZZ_RATE,\"kinds\":$kinds}" || exit 1
fi

# the sampler, run by the session itself between statements
samples="$LFDW_TMP/samples.txt"
: >"$samples"
chmod 666 "$samples"
cat >"$LFDW_TMP/sample.sh" <<'SH'
#!/bin/bash
# sample.sh STATEMENTS: one line "statements rss_kb fds sockets" for $BPID
pid=$BPID
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
fds=0 socks=0
for f in /proc/$pid/fd/*; do
    fds=$((fds + 1))
    case $(readlink "$f") in socket:*) socks=$((socks + 1)) ;; esac
done
echo "$1 $rss $fds $socks" >>"$SAMPLES"
mockctl requests >/dev/null   # keep the server's request record small
SH
chmod 755 "$LFDW_TMP/sample.sh"
export SAMPLES="$samples"

# the statements, with a sample every $EVERY statements
sqlf="$LFDW_TMP/leak.sql"
python3 - "$SEED" "$TOTAL" "$EVERY" "$LFDW_TMP/sample.sh" >"$sqlf" <<'PY'
import subprocess, sys
seed, total, every, sampler = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print("\\set VERBOSITY sqlstate")
print("SET statement_timeout = '5s';")
print("SELECT pg_backend_pid() AS bpid \\gset")
print("\\setenv BPID :bpid")
print("\\! %s 0" % sampler)
n, batch, next_sample = 0, 0, every
while n < total:
    lines = subprocess.run([sys.executable, "test/tools/gen_statements.py", seed, str(batch),
                            "500", "leak"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    batch += 1
    for line in lines:
        if n >= total:
            break
        print(line)
        n += line.count(";")
        if n >= next_sample:
            print("\\! %s %d" % (sampler, n))
            next_sample += every
print("\\! %s %d" % (sampler, n))
PY
nstmt=$(grep -v '^\\' "$sqlf" | tr -cd ';' | wc -c)
echo "leak_check: $nstmt statements in one session (fuzz rate $FUZZ_RATE), server log $PG_LOG"
start=$(date +%s)
timeout 1800 psql -X -q -f "$sqlf" >"$LFDW_TMP/leak.out" 2>&1
rc=$?
elapsed=$(( $(date +%s) - start ))
mockctl fuzz off

echo "==== leak_check samples (${elapsed} s, psql exit $rc) ===="
echo "statements  VmRSS_kB  fds  sockets"
awk '{printf "%10d  %8d  %3d  %7d\n", $1, $2, $3, $4}' "$samples"
echo "errors by SQLSTATE:"
grep -oE 'ERROR:  [0-9A-Z]{5}' "$LFDW_TMP/leak.out" | sort | uniq -c | sort -rn | sed 's/^/   /'
crash_lines=$(stress_crash_lines | wc -l)

python3 - "$samples" "$WARMUP" "$MAX_BPS" "$crash_lines" "$rc" "$TOTAL" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
warmup, max_bps, crash_lines, rc, total = (int(x) for x in sys.argv[2:7])
ok = True
if len(rows) < 2 or rows[-1][0] < total:
    print("FAIL: the session ended early (last sample after %d of %d statements)"
          % (rows[-1][0] if rows else 0, total))
    sys.exit(1)
# the warm-up ends at the first sample taken after WARMUP statements
i = next((i for i, r in enumerate(rows) if r[0] >= warmup), len(rows) - 1)
warm = rows[:i + 1]
after = rows[i:]
if len(after) < 3:
    print("FAIL: fewer than 3 samples after the warm-up: run more statements"); sys.exit(1)
# growth rate after the warm-up: the Theil-Sen slope (median of the slopes
# between every two samples), in bytes per statement; a one-off step (one
# large answer, a context that keeps its largest block) moves few of the
# pairs, a steady leak moves them all
slopes = sorted((b[1] - a[1]) * 1024.0 / (b[0] - a[0])
                for k, a in enumerate(after) for b in after[k + 1:] if b[0] > a[0])
slope = slopes[len(slopes) // 2] if len(slopes) % 2 else \
    (slopes[len(slopes) // 2 - 1] + slopes[len(slopes) // 2]) / 2
base, end = after[0], after[-1]
print("RSS after warm-up (%d statements): %d kB; at the end (%d statements): %d kB; "
      "growth %+d kB; rate %.1f bytes/statement (limit %d)"
      % (base[0], base[1], end[0], end[1], end[1] - base[1], slope, max_bps))
print("fds: warm-up max %d, end %d; sockets: warm-up max %d, end %d, max after warm-up %d"
      % (max(r[2] for r in warm), end[2], max(r[3] for r in warm), end[3],
         max([r[3] for r in rows[i + 1:]] or [0])))
if slope > max_bps:
    print("FAIL: RSS grows by %.1f bytes per statement" % slope); ok = False
# descriptors: the kept-alive connections come and go (writes reuse a
# connection idle at most 2 s, up to max_concurrency of them per mapping),
# so the count moves from sample to sample; a leak makes it climb.  Fail on
# a trend (Theil-Sen slope above 0.5 descriptors per 1,000 statements: one
# leaked every 2,000) or on a count beyond what the pool may hold (the
# warm-up's most plus max_concurrency, 16).
def theil_sen(col):
    s = sorted((b[col] - a[col]) * 1000.0 / (b[0] - a[0])
               for k, a in enumerate(after) for b in after[k + 1:] if b[0] > a[0])
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
fd_slope, sock_slope = theil_sen(2), theil_sen(3)
print("descriptor trend after the warm-up: %.2f fds, %.2f sockets per 1,000 statements (limit 0.5)"
      % (fd_slope, sock_slope))
if fd_slope > 0.5 or sock_slope > 0.5 or \
        max(r[2] for r in after) > max(r[2] for r in warm) + 16 or \
        max(r[3] for r in after) > max(r[3] for r in warm) + 16:
    print("FAIL: descriptors or sockets grew"); ok = False
if crash_lines:
    print("FAIL: a server process died (server log)"); ok = False
if rc > 1:
    print("FAIL: psql exit %d" % rc); ok = False
print("leak_check: %s" % ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
