#!/bin/bash
# fuzz_protocol.sh: protocol fuzzing of litellm_fdw through the test server.
#
# Starts a throwaway cluster and the test server (test/lib.sh), turns on the
# server's seeded fuzz mode (every answer is a random mutation of a valid
# one: truncation, type swaps, huge numbers, deep nesting, odd escapes and
# invalid UTF-8, wrong content types, duplicated keys, missing fields,
# garbage after the JSON, random status codes, broken framing, Retry-After
# oddities; see FUZZ_KINDS in test/mock/litellm_mock.py), and drives statements
# through the FDW (scans, point reads, IN lists, model reads, inserts,
# updates, renames, deletes, joins, transactions; test/tools/gen_statements.py)
# in batches of psql sessions until the server has answered N requests.
# Statements may fail; they must fail with a clean ERROR.  At the end the
# server log must show no server process that died, the backends must be
# the one asking, and a plain read must work once fuzzing is off.
#
# Usage: test/fuzz_protocol.sh [N [SEED]]      (default 10000 requests, seed 1)
# Environment: FUZZ_RATE (default 1.0: every answer mutated), FUZZ_BATCH
# (statements per psql session, default 200), FUZZ_MAX_SECONDS (default
# 1500: stop early, still reporting, and fail), SKIP_BUILD is implied (uses the
# installed extension), KEEP_TMP=1 keeps the cluster directory, FUZZ_OUT=dir
# keeps the statements and the fuzzed answers around a crash (default: a new
# /tmp/litellm_fdw_fuzz.* directory, made only when something crashed).
# Batch B runs with the test server reset to the seed credentials and fuzz
# seed SEED*1000000+B, so a kept batch replays on its own:
#   mockctl reset g6 "$(cat test/mock/seed.json)"; mockctl fuzz '{"seed":S,"rate":R}'
#   psql -f batchB.sql   (after the set-up of test/tools/stress_lib.sh)
# Exit status: 0 with no crash, 1 on a crash, a lost connection, an internal
# error (SQLSTATE XX...), a run stopped by FUZZ_MAX_SECONDS short of its N
# requests, or a set-up failure.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
. test/tools/stress_lib.sh

N=${1:-10000}
SEED=${2:-1}
RATE=${FUZZ_RATE:-1.0}
BATCH=${FUZZ_BATCH:-200}
MAX_SECONDS=${FUZZ_MAX_SECONDS:-1500}

lfdw_install_packages || exit 1
lfdw_start_cluster || exit 1
lfdw_start_mock || exit 1
stress_setup 2000 || { echo "set-up failed"; exit 1; }

echo "fuzz_protocol: $N requests, seed $SEED, rate $RATE, server log $PG_LOG"
start=$(date +%s)
batch=0 statements=0 requests=0 crashes=0 lost=0 capped=0
errs="$LFDW_TMP/errors.txt"
: >"$errs"
while [ "$requests" -lt "$N" ]; do
    if [ $(( $(date +%s) - start )) -ge "$MAX_SECONDS" ]; then
        echo "fuzz_protocol: stopped after $MAX_SECONDS s, short of $N requests"
        capped=1
        break
    fi
    sqlf="$LFDW_TMP/batch.sql"
    outf="$LFDW_TMP/batch.out"
    {
        echo "\\set VERBOSITY verbose"
        echo "SET statement_timeout = '5s';"
        python3 test/tools/gen_statements.py "$SEED" "$batch" "$BATCH" fuzz
    } >"$sqlf"
    statements=$((statements + $(tail -n +3 "$sqlf" | tr -cd ';' | wc -c)))
    # each batch starts from the seed credentials, with fuzz seed
    # SEED*1000000+batch: a batch replays alone (FUZZ_OUT keeps its statements)
    mockctl reset g6 "$(cat test/mock/seed.json)" || exit 1
    mockctl fuzz "{\"seed\":$((SEED * 1000000 + batch)),\"rate\":$RATE}" || exit 1
    before_log=$(stress_crash_lines | wc -l)
    timeout 600 psql -X -q -f "$sqlf" >"$outf" 2>&1
    rc=$?
    # "ERROR:  SQLSTATE: message" (VERBOSITY verbose)
    grep -oE 'ERROR:  [0-9A-Z]{5}: .*' "$outf" >>"$errs"
    if grep -qE 'connection to server was lost|server closed the connection' "$outf"; then
        lost=$((lost + 1))
    fi
    if [ "$(stress_crash_lines | wc -l)" -gt "$before_log" ] || [ "$rc" -gt 1 ]; then
        crashes=$((crashes + 1))
        keep=${FUZZ_OUT:-$(mktemp -d /tmp/litellm_fdw_fuzz.XXXXXX)}
        mkdir -p "$keep"
        cp "$sqlf" "$keep/batch$batch.sql"
        cp "$outf" "$keep/batch$batch.out"
        mockctl fuzz-log >"$keep/batch$batch.fuzzlog.json"
        what=CRASH
        [ "$rc" -eq 124 ] && what="HANG (psql killed after 600 s)"
        echo "fuzz_protocol: $what in batch $batch (psql exit $rc); kept in $keep"
        stress_crash_lines | tail -n 5
        # the postmaster restarts after a crash: wait for it
        for i in $(seq 1 100); do
            psql -X -At -c 'SELECT 1' >/dev/null 2>&1 && break
            sleep 0.2
        done
    fi
    st=$(mockctl stats)
    requests=$((requests + $(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')))
    echo "$st" | python3 -c 'import json,sys; [print(k, v) for k, v in json.load(sys.stdin).get("fuzzed", {}).items()]' >>"$LFDW_TMP/kinds.txt"
    batch=$((batch + 1))
    if [ $((batch % 10)) -eq 0 ]; then
        echo "  $(( $(date +%s) - start )) s: batch $batch, $statements statements, $requests requests"
    fi
done
elapsed=$(( $(date +%s) - start ))
fuzzed=$(awk '{n[$1] += $2} END {for (k in n) printf "%s=%d ", k, n[k]}' "$LFDW_TMP/kinds.txt")
mockctl fuzz off
mockctl reset g6 "$(cat test/mock/seed.json)"

# after fuzzing: a plain read works, and no backend was left behind
sane_read=$(psql -X -At -c "SELECT count(*) > 0 FROM litellm_credential" 2>&1)
backends=$(stress_backends)
crash_lines=$(stress_crash_lines | wc -l)
nerr=$(wc -l <"$errs")

echo "==== fuzz_protocol summary (seed $SEED, rate $RATE, ${elapsed} s) ===="
echo "requests answered by the test server: $requests"
echo "statements run: $statements (in $batch psql sessions)"
echo "statements that ended in ERROR: $nerr"
echo "errors by SQLSTATE:"
cut -c9-13 "$errs" | sort | uniq -c | sort -rn | sed 's/^/   /'
echo "most frequent messages per SQLSTATE (names and numbers folded):"
cut -c9- "$errs" | sed -E 's/"[^"]*"/"…"/g; s/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -40 | sed 's/^/   /'
echo "fuzzed answers by kind: $fuzzed"
echo "internal errors (XX000), if any:"
grep -E '^ERROR:  XX' "$errs" | sort | uniq -c | sed 's/^/   /'
echo "connections lost: $lost"
echo "server log lines about a dead server process: $crash_lines"
echo "read after fuzzing: $sane_read; client backends: $backends"
echo "crashes=$crashes"
ok=1
[ "$crashes" -eq 0 ] && [ "$crash_lines" -eq 0 ] && [ "$lost" -eq 0 ] || ok=0
# an internal error is a bug: a response the FDW did not classify
nxx=$(grep -c '^ERROR:  XX' "$errs")
[ "$nxx" -eq 0 ] || { echo "FAIL: $nxx internal errors (XX...)"; ok=0; }
# a run cut short by FUZZ_MAX_SECONDS did not do what it was asked
[ "$capped" = 0 ] || { echo "FAIL: stopped by FUZZ_MAX_SECONDS after $requests of $N requests"; ok=0; }
[ "$sane_read" = t ] || { echo "the read after fuzzing failed"; ok=0; }
[ "$backends" = 1 ] || { echo "unexpected client backends: $backends"; ok=0; }
[ "$ok" = 1 ]
