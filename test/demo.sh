#!/bin/bash
# demo.sh: litellm_fdw's main job, end to end, on a throwaway set-up.
#
# Installs what is missing (as root), builds and installs the extension,
# starts a throwaway PostgreSQL cluster and the bundled LiteLLM-compatible
# server (seeded with two credentials and a model), and runs the example
# psql session of test/demo.sql, each comment printed before its statement.
# With -i, it then opens an interactive psql on the same set-up; everything
# is removed when you quit.
#
# Usage: test/demo.sh [-i]
# Environment: as test/run_tests.sh (PG_CONFIG, LFDW_MAKE_ARGS, SKIP_BUILD,
# LFDW_OVERWRITE_PACKAGE).
set -u
case "${1:-}" in
    -h|--help)
        sed -n '2,/^set -u$/{/^set -u$/d;s/^# \{0,1\}//;p}' "$0"
        exit 0 ;;
esac
cd "$(dirname "$0")/.."
. test/lib.sh

interactive=0
[ "${1:-}" = "-i" ] && interactive=1

lfdw_install_packages || exit 1
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    lfdw_build_install || exit 1
fi
lfdw_start_cluster || exit 1
lfdw_start_mock || exit 1
mockctl reset g6 "$(cat test/mock/demo_seed.json)" || exit 1

echo "LiteLLM-compatible test server: $MOCK_URL (master key sk-master-test)"
echo
# -a prints each line of the script as it is read, so every comment comes
# before its statement; no pager, so nothing waits for a key
PAGER=cat PSQL_PAGER=cat psql -X -a -P pager=off -v ON_ERROR_STOP=1 \
    -v mock_url="$MOCK_URL" -f test/demo.sql || exit 1

if [ "$interactive" = 1 ]; then
    echo
    echo "Interactive psql on the same set-up; \\q removes it all."
    psql -X
fi
