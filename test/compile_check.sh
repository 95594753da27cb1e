#!/bin/bash
# compile_check.sh: compile every source file against the server headers of
# each PostgreSQL release that can be had here, with warnings as errors.
#
# Headers come from Debian's postgresql-server-dev-NN packages, unpacked with
# dpkg -x into a cache (nothing is installed): 13 from bullseye, 15 from the
# host if installed (else bookworm), 17 from trixie, 18 from sid.  Debian
# ships no 14 or 16 today, so those are not compiled (printed as "skipped").
# This checks API and header differences only; it runs no test (see
# test/run_tests.sh for 15 and test/run_tests_pg17.sh for 17).
#
# Usage: test/compile_check.sh [RELEASE...]   (default: 13 to 18)
# Environment: LFDW_HEADERS_CACHE (default /var/tmp/litellm_fdw-headers),
# LFDW_MIRROR (default: the Debian mirror of this machine's apt
# configuration, test/tools/apt_mirror.sh), CC (default gcc).
# Ends with "N passed, N failed" (one per release compiled).
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CACHE=${LFDW_HEADERS_CACHE:-/var/tmp/litellm_fdw-headers}
. test/tools/apt_mirror.sh
MIRROR=${LFDW_MIRROR:-$(lfdw_apt_mirror)}
[ -n "$MIRROR" ] || { echo "no Debian mirror in /etc/apt (set LFDW_MIRROR)" >&2; exit 1; }
CC=${CC:-gcc}
RELEASES=${*:-13 14 15 16 17 18}

# the Debian suite that ships postgresql-server-dev-NN
suite_of() {
    case $1 in
        13) echo bullseye ;;
        15) echo bookworm ;;
        17) echo trixie ;;
        18) echo sid ;;
        *) echo "" ;;
    esac
}

# PostgreSQL's own warning flags (pg_config --cflags of 15 and 17), as errors
WARN="-Wall -Wmissing-prototypes -Wpointer-arith -Wdeclaration-after-statement
 -Werror=vla -Wendif-labels -Wmissing-format-attribute -Wimplicit-fallthrough=3
 -Wcast-function-type -Wshadow=compatible-local -Wformat-security
 -fno-strict-aliasing -fwrapv -fexcess-precision=standard
 -Wno-format-truncation -Wno-stringop-truncation -Werror"

APT="$CACHE/apt"
apt_opts() {
    echo "-o Dir::Etc::SourceList=$APT/sources.list -o Dir::Etc::SourceParts=/dev/null" \
        "-o Dir::State::Lists=$APT/lists -o Dir::Cache=$APT/cache" \
        "-o Dir::State::status=/dev/null -o Debug::NoLocking=1"
}
apt_ready=0
apt_setup() {
    [ $apt_ready = 1 ] && return 0
    mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial"
    : >"$APT/sources.list"
    local s
    for s in bullseye bookworm trixie sid; do
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $s main" >>"$APT/sources.list"
    done
    # shellcheck disable=SC2046
    apt-get $(apt_opts) update -qq >"$CACHE/apt-update.log" 2>&1 || {
        echo "apt-get update failed (log: $CACHE/apt-update.log)" >&2
        return 1
    }
    apt_ready=1
}

# print the include directory of release $1, fetching it if needed
headers_of() {
    local v=$1 dir="$CACHE/$1" suite
    if [ "$v" = 15 ] && [ -f /usr/include/postgresql/15/server/postgres.h ]; then
        echo /usr/include/postgresql
        return 0
    fi
    if [ ! -f "$dir/usr/include/postgresql/$v/server/postgres.h" ]; then
        suite=$(suite_of "$v")
        [ -n "$suite" ] || return 1
        apt_setup || return 1
        rm -rf "$dir" && mkdir -p "$dir/debs"
        # shellcheck disable=SC2046
        (cd "$dir/debs" && apt-get $(apt_opts) download -qq \
            "postgresql-server-dev-$v/$suite" >"$dir/download.log" 2>&1) || {
            echo "could not download postgresql-server-dev-$v (log: $dir/download.log)" >&2
            return 1
        }
        dpkg -x "$dir"/debs/postgresql-server-dev-"$v"_*.deb "$dir" || return 1
        rm -rf "$dir/debs"
    fi
    echo "$dir/usr/include/postgresql"
}

passed=0
failed=0
skipped=""
for v in $RELEASES; do
    if ! inc=$(headers_of "$v"); then
        echo "PostgreSQL $v: skipped (no headers to be had)"
        skipped="$skipped $v"
        continue
    fi
    ok=1
    for f in src/*.c; do
        # shellcheck disable=SC2086
        $CC -std=gnu99 -c -o /dev/null -O2 -fPIC -fvisibility=hidden -D_GNU_SOURCE \
            $WARN -Isrc -I"$inc/$v/server" -I"$inc/internal" \
            $(pkg-config --cflags libcurl libcjson) "$f" || {
            echo "PostgreSQL $v: $f does not compile" >&2
            ok=0
        }
    done
    if [ $ok = 1 ]; then
        echo "PostgreSQL $v: compiled ($inc/$v/server)"
        passed=$((passed + 1))
    else
        echo "PostgreSQL $v: FAILED"
        failed=$((failed + 1))
    fi
done
[ -n "$skipped" ] && echo "not compiled:$skipped"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
