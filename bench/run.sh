#!/bin/bash
# run.sh: litellm_fdw against the physical floor (curl) and the alternatives,
# in one command.  A benchmark, not a test: it prints a table, it does not
# pass or fail on the numbers.
#
# Installs the Debian packages that are missing (as root), builds and
# installs the extension, starts a throwaway cluster (test/lib.sh) and
# bench/bench_server.c (a LiteLLM-compatible server in C that serves
# pre-encoded responses, counts TCP connections and can add latency), then
# runs bench/bench.py: scans of 1,000 / 10,000 / 100,000 credentials (vs curl
# and vs COPY FROM PROGRAM + jsonb_array_elements), 1,000 point lookups in one
# session (vs curl on one keep-alive connection), provisioning 1,000
# credentials in one transaction at 10 ms per request (vs the one-at-a-time
# and concurrency floors, computed and measured with curl --parallel), INSERTs
# of 10 / 40 / 1,000 rows at 10 and 100 ms in a transaction and alone (vs
# their floors), 1,000 creates over https (a second bench_server with a
# self-signed certificate: TLS handshakes counted), and the backend's peak
# RSS while scanning 100,000.
#
# Usage (as root, Debian 12 / PostgreSQL 15): bench/run.sh
# Environment: BENCH_REPS (default 5), BENCH_SIZES, BENCH_CASES, and the
# others that bench/bench.py lists; PG_CONFIG (default PostgreSQL 15's);
# SKIP_BUILD=1 uses the extension as installed; BENCH_OUT=file keeps the
# report; KEEP_TMP=1.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh

LFDW_PACKAGES="$LFDW_PACKAGES curl libssl-dev openssl"
lfdw_install_packages || exit 1
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    lfdw_build_install || exit 1
fi
lfdw_start_cluster || exit 1

gcc -O2 -pthread -o "$LFDW_TMP/bench_server" bench/bench_server.c -lssl -lcrypto || {
    echo "could not build bench/bench_server.c" >&2
    exit 1
}
"$LFDW_TMP/bench_server" --port-file "$LFDW_TMP/bench.port" &
LFDW_MOCK_PID=$!        # stopped by lfdw_cleanup
# the same server over https, with a certificate made now for 127.0.0.1
tls="$LFDW_TMP/bench-tls"
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$tls/key.pem" -out "$tls/cert.pem" >/dev/null 2>&1 || {
    echo "could not make a certificate" >&2
    exit 1
}
chmod 755 "$tls"
chmod 644 "$tls/cert.pem"
"$LFDW_TMP/bench_server" --port-file "$LFDW_TMP/bench-tls.port" \
    --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" &
LFDW_TLS_MOCK_PID=$!    # stopped by lfdw_cleanup
for i in $(seq 1 100); do
    [ -s "$LFDW_TMP/bench.port" ] && [ -s "$LFDW_TMP/bench-tls.port" ] && break
    sleep 0.05
done
[ -s "$LFDW_TMP/bench.port" ] || { echo "bench_server did not start" >&2; exit 1; }
[ -s "$LFDW_TMP/bench-tls.port" ] || { echo "bench_server (https) did not start" >&2; exit 1; }

py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
BENCH_URL="http://127.0.0.1:$(cat "$LFDW_TMP/bench.port")" PGBIN="$PGBIN" \
    BENCH_TLS_URL="https://127.0.0.1:$(cat "$LFDW_TMP/bench-tls.port")" \
    BENCH_TLS_CA="$tls/cert.pem" \
    "$py" bench/bench.py
