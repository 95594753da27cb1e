#!/bin/bash
# check_release.sh: what a new user meets first, checked without a cluster.
#
# - one version everywhere: META.json's release version X.Y.Z, its
#   "provides" entry, debian/changelog (X.Y.Z-N), and the extension's
#   default_version X.Y with its install script litellm_fdw--X.Y.sql;
# - README.md under 20 KB, and every relative link of README.md,
#   CONTRIBUTING.md and doc/*.md names a file that exists;
# - test/run_tests.sh --help and test/demo.sh --help print their usage and
#   exit 0 without running anything.
#
# Prints each failure and exits 1 if there was one.  Run by .ci/run.
set -u
cd "$(dirname "$0")/.." || exit 1
failed=0
fail() {
    echo "check_release: $*" >&2
    failed=1
}

# versions
release=$(python3 -c 'import json; print(json.load(open("META.json"))["version"])')
provided=$(python3 -c 'import json; print(json.load(open("META.json"))["provides"]["litellm_fdw"]["version"])')
file=$(python3 -c 'import json; print(json.load(open("META.json"))["provides"]["litellm_fdw"]["file"])')
default=$(sed -n "s/^default_version = '\(.*\)'$/\1/p" litellm_fdw.control)
debian=$(sed -n '1s/^litellm-fdw (\([^)-]*\)-[^)]*).*/\1/p' debian/changelog)
[ "$provided" = "$release" ] || fail "META.json: provides version $provided, release $release"
[ "$debian" = "$release" ] || fail "debian/changelog: version $debian, META.json $release"
[ "${release%.*}" = "$default" ] || fail "litellm_fdw.control: default_version $default, META.json $release"
[ "$file" = "litellm_fdw--$default.sql" ] || fail "META.json: provides file $file, not litellm_fdw--$default.sql"
[ -f "$file" ] || fail "META.json: provides file $file does not exist"

# the README's size
size=$(wc -c <README.md)
[ "$size" -lt 20480 ] || fail "README.md is $size bytes (at most 20 KB)"

# relative links: [text](path) and [text](path#anchor)
for doc in README.md CONTRIBUTING.md doc/*.md; do
    [ -f "$doc" ] || continue
    dir=$(dirname "$doc")
    grep -o '](\([^)#:]*\)\(#[^)]*\)\?)' "$doc" | sed 's/^](\([^)#]*\).*/\1/' | sort -u |
    while read -r target; do
        [ -n "$target" ] || continue
        [ -e "$dir/$target" ] || echo "$doc links to $target, which does not exist"
    done
done | while read -r line; do echo "check_release: $line" >&2; echo x; done | grep -q x && failed=1

# --help
for script in test/run_tests.sh test/demo.sh; do
    out=$("$script" --help 2>&1) || fail "$script --help exits non-zero"
    case $out in *Usage:*) ;; *) fail "$script --help prints no usage" ;; esac
done

[ "$failed" = 0 ] && echo "check_release: ok"
exit "$failed"
