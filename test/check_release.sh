#!/bin/bash
# check_release.sh: what a new user meets first, checked without a cluster.
#
# - one version everywhere: META.json's release version X.Y.Z, its
#   "provides" entry, debian/changelog (X.Y.Z-N), the extension's
#   default_version X.Y with its install script litellm_fdw--X.Y.sql, and
#   the README's "documents litellm_fdw X.Y.Z (extension version `X.Y`)";
# - README.md under 20 KB, and every relative link of README.md,
#   CONTRIBUTING.md and doc/*.md names a file that exists, and a heading of
#   it when the link has an #anchor (GitHub's anchors);
# - a count of tests written in README.md or CONTRIBUTING.md ("the N tests
#   of the Makefile's REGRESS", "N passed, 0 failed" of a full run, the
#   fuzzer counting as one) is the Makefile's;
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
# the version the README says it documents
readme=$(tr '\n' ' ' <README.md | sed -n 's/.*README documents litellm_fdw \([0-9.]*\) (extension version `\([0-9.]*\)`).*/\1 \2/p')
[ "$readme" = "$release $default" ] ||
    fail "README.md: documents \"${readme:-no version}\" (release, extension version), not \"$release $default\" (META.json, litellm_fdw.control)"

# the README's size
size=$(wc -c <README.md)
[ "$size" -lt 20480 ] || fail "README.md is $size bytes (at most 20 KB)"

# relative links: [text](path), [text](path#anchor) and [text](#anchor);
# an anchor is a heading's GitHub anchor (lower case, punctuation dropped,
# spaces as hyphens); and the counts of tests written in the README and
# CONTRIBUTING.md, against the Makefile's REGRESS
python3 - README.md CONTRIBUTING.md doc/*.md <<'PY' || failed=1
import os, re, sys

def anchors(path):
    out, fence = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            out.add(title.replace(" ", "-"))
    return out

bad = []
for doc in sys.argv[1:]:
    text = open(doc, encoding="utf-8").read()
    for target in sorted(set(re.findall(r"\]\(([^)\s:]*)\)", text))):
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
        if not os.path.exists(full):
            bad.append("%s links to %s, which does not exist" % (doc, path))
        elif anchor and full.endswith(".md") and anchor not in anchors(full):
            bad.append("%s links to %s, which has no heading #%s" % (doc, path or doc, anchor))

make = open("Makefile", encoding="utf-8").read()
m = re.search(r"^REGRESS\s*=((?:.*\\\n)*.*)$", make, re.M)
regress = len(m.group(1).replace("\\\n", " ").split()) if m else 0
for doc in ("README.md", "CONTRIBUTING.md"):
    text = " ".join(open(doc, encoding="utf-8").read().split())
    for n in re.findall(r"the (\d+) tests of the Makefile", text):
        if int(n) != regress:
            bad.append("%s: says %s tests in REGRESS; the Makefile has %d" % (doc, n, regress))
    for n in re.findall(r"(\d+) passed, 0 failed", text):
        if int(n) != regress + 1:
            bad.append("%s: says a full run ends with %s passed; that is %d (REGRESS and the fuzzer)" % (doc, n, regress + 1))
for line in bad:
    print("check_release: " + line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# --help
for script in test/run_tests.sh test/demo.sh; do
    out=$("$script" --help 2>&1) || fail "$script --help exits non-zero"
    case $out in *Usage:*) ;; *) fail "$script --help prints no usage" ;; esac
done

[ "$failed" = 0 ] && echo "check_release: ok"
exit "$failed"
