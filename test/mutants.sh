#!/bin/bash
# test/mutants.sh: a mutation run of the suite (by hand, not in CI).
#
# Applies each mutant of the list below (one small semantic change of src/
# at a place a test must guard: the masking rule, the placeholder guard,
# the collapse rules, savepoints, the SQLSTATE map, the release lines, key
# removal, rename compensation, the cleaner, allowed_urls, concurrency,
# the local recheck of pushdown, a model PATCH switch, path encoding,
# exact numbers, the read back of lost answers) to a copy of the tree in a
# temporary directory (never in place), builds and installs it with
# PG_CONFIG, runs the tests listed for that mutant (test/run_tests.sh,
# FUZZ_SECONDS=0), and reports it killed (a test failed) or survived.
# A mutant whose text is no longer found once in its file is reported
# STALE, one that does not build or run BROKEN: the list must follow the
# code.
#
# Usage: PG_CONFIG=/path/to/private/pg_config test/mutants.sh [NAME...]
#   PG_CONFIG  required, and not the system's /usr/lib/postgresql one:
#              each mutant is installed there (the script reinstalls the
#              unmutated tree at the end)
#   KEEP=1     keep the temporary directory
# Prints one line per mutant and "N mutants: K killed, S survived, T stale or broken";
# exits 1 if any survived or is stale.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
    sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
: "${PG_CONFIG:?set PG_CONFIG to the pg_config of a private PostgreSQL}"
case "$PG_CONFIG" in
    /usr/lib/postgresql/*|/usr/bin/pg_config)
        echo "mutants.sh: refusing to install mutants into the system's PostgreSQL ($PG_CONFIG)" >&2
        exit 2;;
esac

# NAME @@ FILE @@ TEXT @@ REPLACEMENT @@ TESTS   (TEXT: found exactly once)
read -r -d '' MUTANTS <<'EOF'
mask-url-shown-whole @@ src/wire.c @@ return LFDW_WIRE_SHOW_URL; @@ return LFDW_WIRE_SHOW; @@ model_masking
mask-nested-shown @@ src/wire.c @@ return LFDW_WIRE_SHOW_SCALAR; @@ return LFDW_WIRE_SHOW; @@ model_masking
placeholder-guard-off @@ src/request.c @@ if (lfdw_find_placeholder(jb, &key)) @@ if (false && lfdw_find_placeholder(jb, &key)) @@ masking
collapse-no-replace @@ src/pending.c @@ if (st->exists && entry->remote_exists && st->recreate) @@ if (false && st->exists && entry->remote_exists && st->recreate) @@ generations
collapse-model-create-delete @@ src/pending.c @@ return !(created && deleted_after); @@ return true; @@ models_transactions
savepoint-off-by-one @@ src/pending.c @@ if (undo->subid < subid) @@ if (undo->subid <= subid) @@ transactions
sqlstate-422 @@ src/response.c @@ if (code == 400 || code == 422) @@ if (code == 400) @@ sqlstates
sqlstate-403 @@ src/response.c @@ if (code == 401 || code == 403) @@ if (code == 401) @@ sqlstates
release-newest-null-keys @@ src/release.c @@ spec->values_to_delete = list_concat(removed, nulls); @@ spec->values_to_delete = removed; @@ update generations
release-user-connection @@ src/release.c @@ if (rel->user_connection.answer == LFDW_ANSWER_NO) @@ if (true) @@ generations release_evidence
key-removal-off @@ src/commit.c @@ if (pc->values_replaced && !lfdw_string_listed(now, lfirst(kc)) && @@ if (false && @@ update rotation
rename-no-compensation @@ src/remote_write.c @@ undo = delete_quietly(opts, spec->name, cxt, &found); @@ undo = NULL; @@ rename
cleaner-escape-passes @@ src/wire.c @@ else if (cp < 0x20 || cp == 0x7F) @@ else if (cp < 0x1B) @@ hostile
cleaner-bidi-passes @@ src/wire.c @@ else if (cp >= 0x80 && (ascii_only || is_hidden_code_point(cp))) @@ else if (cp >= 0x80 && ascii_only) @@ hostile
allowed-urls-any @@ src/wire.c @@ if (url && url_under(&target, &entry)) @@ if (url) @@ network
concurrency-unbounded @@ src/connection.c @@ run.nslots = Min(opts->max_concurrency, n); @@ run.nslots = n; @@ transactions
recheck-generic-credential @@ src/credential.c @@ scan_clauses = extract_actual_clauses(scan_clauses, false); @@ scan_clauses = (info->value && IsA(info->value, Param)) ? NIL : extract_actual_clauses(scan_clauses, false); @@ mutant_kills
recheck-generic-model @@ src/model.c @@ scan_clauses = extract_actual_clauses(scan_clauses, false); @@ scan_clauses = (info->id_value && IsA(info->id_value, Param)) ? NIL : extract_actual_clauses(scan_clauses, false); @@ mutant_kills
model-detach-any-line @@ src/model.c @@ if (detach && lfdw_release(opts)->line != LFDW_LINE_NEWEST) @@ if (false && detach) @@ models_write
path-slash-unencoded @@ src/wire.c @@ *p == '-' || (*p == '.' && !dot_segment) || *p == '_' || *p == '~') @@ *p == '-' || (*p == '.' && !dot_segment) || *p == '_' || *p == '~' || *p == '/') @@ encoding
path-dot-segment @@ src/wire.c @@ *p == '-' || (*p == '.' && !dot_segment) || *p == '_' || *p == '~') @@ *p == '-' || *p == '.' || *p == '_' || *p == '~') @@ names
numbers-tree-double @@ src/json.c @@ v.val.numeric = node->valuestring ? @@ v.val.numeric = false ? @@ numbers
numbers-stream-double @@ src/json.c @@ v->val.numeric = text_numeric(num); @@ v->val.numeric = double_numeric(strtod(num, NULL)); @@ numbers
params-type-unchecked @@ src/model_wire.c @@ if (field != NULL && !cJSON_IsNull(field) && !cJSON_IsString(field)) @@ if (false) @@ numbers
read-back-commit-off @@ src/commit.c @@ read_back_lost(all); @@ (void) all; @@ outcomes
read-back-timeout-trusted @@ src/remote_write.c @@ return (!found && !timed_out) ? LFDW_LOST_NOT_APPLIED : LFDW_LOST_UNKNOWN; @@ return !found ? LFDW_LOST_NOT_APPLIED : LFDW_LOST_UNKNOWN; @@ outcomes
read-back-immediate-off @@ src/remote_write.c @@ if (!lfdw_answer_lost(edata, resp)) @@ if (true) @@ outcomes
EOF

TMP=$(mktemp -d /tmp/lfdw_mutants.XXXXXX)
chmod 755 "$TMP"
cleanup() {
    [ "${KEEP:-0}" = 1 ] || rm -rf "$TMP"
}
trap cleanup EXIT

# the tree as committed plus what is changed in the work tree, without
# build products and results
tree_copy() {
    local dest=$1
    mkdir -p "$dest"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
        tar --null -T - -cf -) | (cd "$dest" && tar -xf -)
}

killed=0; survived=0; stale=0; total=0
while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=$(printf '%s' "$line" | awk -F ' @@ ' '{print $1}')
    if [ $# -gt 0 ]; then
        want=0
        for a in "$@"; do [ "$a" = "$name" ] && want=1; done
        [ $want = 1 ] || continue
    fi
    total=$((total + 1))
    dir="$TMP/$name"
    tree_copy "$dir"
    if ! printf '%s' "$line" | python3 -c '
import sys
name, path, old, new, tests = [f.strip() for f in sys.stdin.read().split(" @@ ")]
p = sys.argv[1] + "/" + path
s = open(p).read()
if s.count(old) != 1:
    sys.exit(1)
open(p, "w").write(s.replace(old, new))
' "$dir"; then
        printf '%-30s STALE (text not found once)\n' "$name"
        stale=$((stale + 1))
        continue
    fi
    tests=$(printf '%s' "$line" | awk -F ' @@ ' '{print $5}')
    start=$(date +%s)
    # shellcheck disable=SC2086
    (cd "$dir" && PG_CONFIG="$PG_CONFIG" FUZZ_SECONDS=0 OUTDIR="$dir/out" \
        test/run_tests.sh $tests) > "$dir/run.log" 2>&1
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$dir/run.log" | tail -1)
    secs=$(( $(date +%s) - start ))
    case "$last" in
        *" 0 failed") printf '%-30s SURVIVED (%s: %s, %ss)\n' "$name" "$tests" "$last" "$secs"
                      survived=$((survived + 1));;
        "")           printf '%-30s BROKEN (no test result: see a KEEP=1 run, %ss)\n' "$name" "$secs"
                      stale=$((stale + 1));;
        *)            printf '%-30s KILLED (%s: %s, %ss)\n' "$name" "$tests" "$last" "$secs"
                      killed=$((killed + 1));;
    esac
    [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done <<< "$MUTANTS"

# put the unmutated tree back into PG_CONFIG's installation
(cd "$ROOT" && make -s PG_CONFIG="$PG_CONFIG" install >/dev/null 2>&1) ||
    echo "mutants.sh: could not reinstall the unmutated tree" >&2

echo "$total mutants: $killed killed, $survived survived, $stale stale or broken"
[ $survived = 0 ] && [ $stale = 0 ]
