#!/usr/bin/env python3
"""check_exports.py: only what other files use is exported from src/, and
the headers say truly where each declaration is defined.

After `make -s`, reads every src/*.o with nm and fails on a global symbol
(a function or variable, not static) that no other src/*.o uses: such a
symbol should be static, its prototype among its file's own static
prototypes, not in a header (issue 23).  Allowed without a caller:
  - what PostgreSQL calls: Pg_magic_func, _PG_init, pg_finfo_NAME and the
    SQL-callable NAME it describes (the handler, the validator, ...);
  - a symbol of src/wire.c or src/model_wire.c that the fuzz harness
    test/fuzz/fuzz_wire.c names (it compiles those two files without
    PostgreSQL: test/fuzz_libfuzzer.sh).

Headers (issue 23): as in postgres_fdw.h, every extern declaration of a
src/*.h sits in a section headed by a comment naming the file that defines
it ("/* in statement.c */"), or has that comment at the end of its line;
a header named for one file (json.h for json.c) may omit the sections,
and then holds that file's declarations only.  The defining file is read
from the object files, so a declaration in the wrong section fails.

Usage: test/check_exports.py [--no-make]
Ends with "exports: ok (...)" or "exports: FAILED (...)".
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402  (the shared nm reader)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
FUZZ = os.path.join(ROOT, "test", "fuzz", "fuzz_wire.c")
FUZZED = {"wire", "model_wire"}     # the files the harness compiles


def symbols(obj):
    """check_layers.py's reader of nm, without weak symbols."""
    return check_layers.symbols(obj, weak=False)


SECTION = re.compile(r"^/\*\s*(?:in\s+)?([a-z_]+\.c)\b")
TRAILING = re.compile(r"/\*\s*(?:in\s+)?([a-z_]+\.c)\b[^*]*\*/\s*$")
DECL = re.compile(r"^(/\*[^\n]*|extern\b[^;]*;[^\n]*)", re.M)
FUNC_POINTER = re.compile(r"\(\s*\*\s*(\w+)\s*\)")
DECL_NAME = re.compile(r"(\w+)\s*\(|(\w+)\s*(?:\[[^\]]*\])?\s*;")


def check_headers(owner):
    """Declarations not in the section of the file that defines them."""
    errors = []
    for h in sorted(n for n in os.listdir(SRC) if n.endswith(".h")):
        own = h[:-2] + ".c"
        section = own if os.path.exists(os.path.join(SRC, own)) else None
        with open(os.path.join(SRC, h), encoding="utf-8") as fh:
            text = fh.read()
        for m in DECL.finditer(text):
            decl = m.group(1)
            if decl.startswith("/*"):
                sm = SECTION.match(decl)
                if sm:
                    section = sm.group(1)
                continue
            fp = FUNC_POINTER.search(decl)
            name = fp.group(1) if fp else \
                next(g for g in DECL_NAME.search(decl).groups() if g)
            tm = TRAILING.search(decl)
            said = tm.group(1) if tm else section
            where = owner.get(name)
            if where is None:
                continue        # defined by no object of src/ (a libc name)
            if said != where:
                errors.append("src/%s declares %s under %s, but src/%s "
                              "defines it" % (h, name, said and "src/" + said
                                              or "no section", where))
    return errors


def main(argv):
    if "--no-make" not in argv:
        subprocess.run(["make", "-s"], cwd=ROOT, check=True)
    files = sorted(n[:-2] for n in os.listdir(SRC) if n.endswith(".c"))
    defs, undefs = {}, {}
    for f in files:
        obj = os.path.join(SRC, f + ".o")
        if not os.path.exists(obj):
            sys.exit("check_exports: src/%s.o is missing (run make)" % f)
        defs[f], undefs[f] = symbols(obj)
    with open(FUZZ, encoding="utf-8") as fh:
        fuzz_names = set(re.findall(r"\b[A-Za-z_]\w*\b", fh.read()))

    called_by_pg = {"Pg_magic_func", "_PG_init"}
    for f in files:
        for s in defs[f]:
            if s.startswith("pg_finfo_"):
                called_by_pg.add(s)
                called_by_pg.add(s[len("pg_finfo_"):])

    unused = []
    total = 0
    for f in files:
        for s in sorted(defs[f]):
            total += 1
            if s in called_by_pg:
                continue
            if any(s in undefs[g] for g in files if g != f):
                continue
            if f in FUZZED and s in fuzz_names:
                continue
            unused.append((f, s))
    owner = {s: f + ".c" for f in files for s in defs[f]}
    misplaced = check_headers(owner)
    for e in misplaced:
        print(e)
    for f, s in unused:
        print("src/%s.c exports %s, which no other file uses: make it "
              "static (its prototype among the file's static prototypes)"
              % (f, s))
    failed = unused or misplaced
    print("exports: %s (%d exported symbols in %d files, %d used by no "
          "other file, %d declared in another file's section)"
          % ("FAILED" if failed else "ok", total, len(files), len(unused),
             len(misplaced)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
