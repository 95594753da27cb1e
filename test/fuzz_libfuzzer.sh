#!/bin/bash
# fuzz_libfuzzer.sh: libFuzzer with AddressSanitizer and
# UndefinedBehaviorSanitizer over src/wire.c and src/model_wire.c (response
# bodies, error envelopes, model pages and their masking, percent-encoding,
# the cleaner of server text, and a random secret echoed in every form the
# cleaner must catch: first input byte 2 modulo 8, test/fuzz/fuzz_wire.c's
# fuzz_echo_forms), built without PostgreSQL.
#
# Usage: test/fuzz_libfuzzer.sh [SECONDS]   (default 300)
# Exits non-zero if the fuzzer finds a crash, a leak or undefined
# behaviour; the input that triggered it is left in the work directory it
# names.  run_tests.sh runs it briefly; run it longer by hand.
set -u
cd "$(dirname "$0")/.."
secs=${1:-300}
CLANG=${CLANG:-clang-14}

if ! command -v "$CLANG" >/dev/null; then
    echo "$CLANG is not installed (apt-get install clang-14 libclang-rt-14-dev)" >&2
    exit 1
fi
work=$(mktemp -d /tmp/litellm_fdw_fuzz.XXXXXX)
"$CLANG" -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -Isrc $(pkg-config --cflags libcjson) \
    src/wire.c src/model_wire.c test/fuzz/fuzz_wire.c $(pkg-config --libs libcjson) \
    -o "$work/fuzz_wire" || { echo "could not build the fuzzer" >&2; exit 1; }
cp -r test/fuzz/corpus "$work/corpus"
cd "$work"
./fuzz_wire -max_total_time="$secs" -print_final_stats=1 -max_len=65536 \
    corpus >fuzz.log 2>&1
rc=$?
grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb)" fuzz.log
if [ $rc -ne 0 ]; then
    tail -60 fuzz.log
    echo "fuzzer failed (exit $rc); inputs and log kept in $work"
    exit 1
fi
echo "fuzzer clean after $secs s"
cd / && rm -rf "$work"
