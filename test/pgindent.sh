#!/bin/bash
# pgindent.sh: PostgreSQL's pgindent over src/*.c and src/*.h, with
# PostgreSQL's typedefs.list plus the project's own (test/typedefs.list).
#
# Debian 12 ships pg_bsd_indent 2.1.1 (package pg-bsd-indent) but not the
# pgindent script; that script and PostgreSQL's typedefs.list are in
# trixie's postgresql-server-dev-17 (trixie's own pg_bsd_indent 2.1.2 needs
# a newer glibc).  This script downloads that .deb (and bookworm's
# pg-bsd-indent when /usr/bin/pg_bsd_indent is missing) with a private apt
# state, unpacks them with dpkg -x into a cache outside the repository
# (nothing is installed), and lowers the pg_bsd_indent version pgindent
# asks for from 2.1.2 to 2.1.1.  The first run takes about 20 s and leaves
# about 50 MB in the cache (mostly apt's package lists); later runs, 1 s.
#
# Usage: test/pgindent.sh [--check]
#   without --check: reindent src/ in place
#   --check: change nothing; print the diff and exit 1 when a file would
#            change.  Ends with "pgindent: ok" or "pgindent: FAILED".
# Environment: LFDW_PGINDENT_CACHE (default /var/tmp/litellm_fdw-pgindent),
# LFDW_MIRROR (default: the Debian mirror of this machine's apt
# configuration, test/tools/apt_mirror.sh).
# test/typedefs.list (the project's typedefs) is the output of
# test/typedefs.py; after adding a typedef, run
#   test/typedefs.py > test/typedefs.list
# (--check fails while the list is out of date).
set -u
cd "$(dirname "$0")/.." || exit 1
CACHE=${LFDW_PGINDENT_CACHE:-/var/tmp/litellm_fdw-pgindent}
CHECK=0
case "${1:-}" in
    --check) CHECK=1 ;;
    "") ;;
    *) echo "usage: test/pgindent.sh [--check]" >&2; exit 2 ;;
esac

APT="$CACHE/apt"
apt_opts() {
    echo "-o Dir::Etc::SourceList=$APT/sources.list -o Dir::Etc::SourceParts=/dev/null" \
        "-o Dir::State::Lists=$APT/lists -o Dir::Cache=$APT/cache" \
        "-o Dir::State::status=/dev/null -o Debug::NoLocking=1"
}
# fetch PACKAGE/SUITE and unpack it into $CACHE/root
fetch() {
    local mirror s
    if [ ! -f "$APT/ready" ]; then
        . test/tools/apt_mirror.sh
        mirror=${LFDW_MIRROR:-$(lfdw_apt_mirror)}
        [ -n "$mirror" ] || { echo "no Debian mirror in /etc/apt (set LFDW_MIRROR)" >&2; return 1; }
        mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial"
        : >"$APT/sources.list"
        for s in bookworm trixie; do
            echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" >>"$APT/sources.list"
        done
        # shellcheck disable=SC2046
        apt-get $(apt_opts) update -qq >"$CACHE/apt-update.log" 2>&1 || {
            echo "apt-get update failed (log: $CACHE/apt-update.log)" >&2
            return 1
        }
        : >"$APT/ready"
    fi
    rm -rf "$CACHE/debs" && mkdir -p "$CACHE/debs" "$CACHE/root"
    # shellcheck disable=SC2046
    (cd "$CACHE/debs" && apt-get $(apt_opts) download -qq "$1" >"$CACHE/download.log" 2>&1) || {
        echo "could not download $1 (log: $CACHE/download.log)" >&2
        return 1
    }
    dpkg -x "$CACHE"/debs/*.deb "$CACHE/root" || return 1
    rm -rf "$CACHE/debs"
}

mkdir -p "$CACHE" || exit 1
# pgindent needs perl's File::Find: Debian's perl package, not perl-base
# (a bare Debian 12 has only perl-base).  As root it is installed, as the
# other test scripts install what they need.
if ! perl -MFile::Find -e 1 2>/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "pgindent needs the Debian package perl (run as root, or install it)" >&2
        exit 1
    fi
    echo "installing Debian packages: perl"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends perl >/dev/null || {
        echo "apt-get install perl failed" >&2
        exit 1
    }
fi
PGINDENT="$CACHE/pgindent"
PGTYPEDEFS="$CACHE/root/usr/share/postgresql/17/typedefs.list"
if [ ! -f "$PGINDENT" ] || [ ! -f "$PGTYPEDEFS" ]; then
    fetch postgresql-server-dev-17/trixie || exit 1
    sed 's/my \$INDENT_VERSION = "2.1.2";/my $INDENT_VERSION = "2.1.1";/' \
        "$CACHE/root/usr/lib/postgresql/17/bin/pgindent" >"$PGINDENT.tmp" &&
        mv "$PGINDENT.tmp" "$PGINDENT" || exit 1
fi
INDENT=/usr/bin/pg_bsd_indent
if [ ! -x "$INDENT" ]; then
    INDENT="$CACHE/root/usr/bin/pg_bsd_indent"
    [ -x "$INDENT" ] || fetch pg-bsd-indent/bookworm || exit 1
fi

# PostgreSQL's list less the names src/ uses for variables, never as types
# (pgindent itself drops a few such names, e.g. date and timestamp): with
# "text" listed, text[n] became "text[\t\tn]"
TYPEDEFS="$CACHE/typedefs.all"
cat "$PGTYPEDEFS" test/typedefs.list | grep -vx 'text' | sort -u >"$TYPEDEFS" || exit 1

if [ $CHECK = 1 ]; then
    if ! test/typedefs.py | diff -u test/typedefs.list -; then
        echo "pgindent: FAILED (test/typedefs.list is out of date: test/typedefs.py > test/typedefs.list)"
        exit 1
    fi
    perl "$PGINDENT" --indent="$INDENT" --typedefs="$TYPEDEFS" \
        --check --diff src/*.c src/*.h
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "pgindent: ok"
        exit 0
    fi
    echo "pgindent: FAILED (run test/pgindent.sh to reindent src/)"
    exit 1
fi
perl "$PGINDENT" --indent="$INDENT" --typedefs="$TYPEDEFS" src/*.c src/*.h || exit 1
echo "pgindent: src/ reindented"
