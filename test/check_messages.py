#!/usr/bin/env python3
"""check_messages.py: no server text reaches a message without the cleaner.

Every argument of a message function (errmsg, errdetail, errhint,
errcontext and their _internal, _plural and _log forms, GUC_check_err*,
elog) in
src/*.c, the format included when it is not a literal, must be one of:

  - a string literal (or a choice between literals);
  - lfdw_shown(...): server text cleaned by lfdw_remote_text with the key and
    secrets of its call (src/secret.c), the only way server text may take;
    a local variable set once from lfdw_shown(...) counts as one;
  - an expression listed in test/message_args.txt for that function, with
    the reason it holds no server text (from the catalog, the options, the
    statement, a number, text of ours).

So a new argument fails until someone has either cleaned it or said, in
test/message_args.txt, why it cannot come from a response.  It also fails on
lfdw_remote_text(NULL, ...) (no call: the key would not be masked) and on an
LfdwShown made anywhere but src/secret.c.  Entries of the list that match
nothing any more are reported, not failed.  Before all that it checks itself:
a message showing a field of a response must fail.

Usage: test/check_messages.py [--verbose]   (exit 1 on a finding)
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUNCS = (r"\b(errmsg|errmsg_internal|errmsg_plural|errdetail|errdetail_internal|"
         r"errdetail_log|errdetail_plural|errhint|errhint_plural|errcontext|"
         r"errcontext_msg|GUC_check_errdetail|GUC_check_errmsg|GUC_check_errhint|elog)\s*\(")
LITERAL = re.compile(r'^(\s*"([^"\\]|\\.)*"\s*)+$')


def strip_comments(src):
    """Comments become spaces (lines kept)."""
    out = []
    i = 0
    while i < len(src):
        if src.startswith("/*", i):
            j = src.index("*/", i + 2) + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src[i] in "\"'":
            q = src[i]
            j = i + 1
            while src[j] != q:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def split_args(src, i):
    """The arguments of the call whose "(" ends just before i."""
    depth = 0
    args = []
    cur = []
    while True:
        c = src[i]
        if c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            cur.append(src[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(cur))
                return [" ".join(a.split()) for a in args]
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1


def top_level_ternary(expr):
    """(cond, a, b) when expr is cond ? a : b at the top level, else None."""
    depth = 0
    q = None
    i = 0
    while i < len(expr):
        c = expr[i]
        if c == '"':
            j = i + 1
            while expr[j] != '"':
                j += 2 if expr[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "?" and depth == 0 and q is None:
            q = i
        elif c == ":" and depth == 0 and q is not None:
            return expr[:q].strip(), expr[q + 1:i].strip(), expr[i + 1:].strip()
        i += 1
    return None


def wrapped_call(expr, name):
    """Is expr exactly name(...)?"""
    if not expr.startswith(name + "("):
        return False
    depth = 0
    for i, c in enumerate(expr):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i == len(expr) - 1
    return False


def acceptable(expr, shown_vars, allowed):
    if LITERAL.match(expr) or expr in ("NULL", "0"):
        return True
    if wrapped_call(expr, "lfdw_shown") or expr in shown_vars:
        return True
    if expr in allowed:
        return True
    t = top_level_ternary(expr)
    if t:
        return all(acceptable(e, shown_vars, allowed) for e in t[1:])
    return False


def function_at(src, pos):
    """The name of the function whose body holds pos (PostgreSQL layout)."""
    name = "?"
    for m in re.finditer(r"^(\w+)\(", src[:pos], re.M):
        name = m.group(1)
    return name


def load_allowed(path):
    allowed = {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or not parts[-1].startswith("# ") or len(parts[-1]) < 5:
            sys.exit("%s:%d: want FILE:FUNCTION<TAB>EXPRESSION<TAB># REASON" % (path, n))
        allowed.setdefault(parts[0], {})[parts[1]] = n
    return allowed


def check_source(fname, src, allowed, used):
    """Findings (strings) for one file's text."""
    findings = []
    src = strip_comments(src)
    base = os.path.basename(fname)
    if base != "secret.c" and re.search(r"\(\s*(const\s+)?LfdwShown\s*\*\s*\)|struct\s+LfdwShown\s*\{", src):
        findings.append("%s: an LfdwShown is made outside src/secret.c" % fname)
    for m in re.finditer(r"lfdw_remote_text\s*\(\s*NULL\b", src):
        findings.append("%s:%d: lfdw_remote_text(NULL, ...): the call's key would not be masked"
                        % (fname, src.count("\n", 0, m.start()) + 1))
    for m in re.finditer(FUNCS, src):
        func = function_at(src, m.start())
        key = "%s:%s" % (base, func)
        body_start = src.rfind("\n" + func + "(", 0, m.start())
        body = src[body_start:m.start()]
        shown_vars = set()
        for v in re.finditer(r"\bconst\s+char\s*\*\s*(\w+)\s*=\s*lfdw_shown\(", body):
            if len(re.findall(r"\b%s\s*=[^=]" % v.group(1), body)) == 1:
                shown_vars.add(v.group(1))
        args = split_args(src, m.end())
        if m.group(1) == "elog":
            args = args[1:]     # the level
        if m.group(1).endswith("_plural"):
            fmt_args = args[:2]
            rest = args[2:]
        else:
            fmt_args = args[:1]
            rest = args[1:]
        if m.group(1).endswith("_plural") and len(rest) > 0:
            rest = rest[1:]     # the number that picks the form
        for a in [x for x in fmt_args if not LITERAL.match(x)] + rest:
            ok = acceptable(a, shown_vars, allowed.get(key, {}))
            if a in allowed.get(key, {}):
                used.add((key, a))
            if not ok:
                t = top_level_ternary(a)
                for e in (t[1:] if t else ()):
                    if e in allowed.get(key, {}):
                        used.add((key, e))
                if t and all(acceptable(e, shown_vars, allowed.get(key, {})) for e in t[1:]):
                    continue
                findings.append("%s:%d: in %s(), %s argument \"%s\" is neither lfdw_shown(...) "
                                "nor listed in test/message_args.txt"
                                % (fname, src.count("\n", 0, m.start()) + 1, func,
                                   m.group(1), a))
            else:
                t = top_level_ternary(a)
                for e in (t[1:] if t else ()):
                    if e in allowed.get(key, {}):
                        used.add((key, e))
    return findings


def self_test():
    bad = ('static void\nshow_name(LfdwCredentialRow *row)\n{\n'
           '\tereport(ERROR, (errmsg("x"), errdetail_internal("%s", row->name)));\n}\n')
    good = ('static void\nshow_name(LfdwCall *call, LfdwCredentialRow *row)\n{\n'
            '\tereport(ERROR, (errmsg("x"), errdetail_internal("%s",\n'
            '\t\tlfdw_shown(lfdw_remote_text(call, row->name, strlen(row->name))))));\n}\n')
    nullcall = ('static void\nf(void)\n{\n\tx = lfdw_remote_text(NULL, s, 1);\n}\n')
    if not check_source("selftest.c", bad, {}, set()):
        sys.exit("check_messages.py: self-test failed: raw server text not caught")
    if check_source("selftest.c", good, {}, set()):
        sys.exit("check_messages.py: self-test failed: cleaned text refused")
    if not check_source("selftest.c", nullcall, {}, set()):
        sys.exit("check_messages.py: self-test failed: lfdw_remote_text(NULL) not caught")


def main():
    verbose = "--verbose" in sys.argv[1:]
    self_test()
    allowed = load_allowed(os.path.join(ROOT, "test", "message_args.txt"))
    used = set()
    findings = []
    nargs = 0
    for fname in sorted(glob.glob(os.path.join(ROOT, "src", "*.c"))):
        rel = os.path.relpath(fname, ROOT)
        findings += check_source(rel, open(fname, encoding="utf-8").read(), allowed, used)
    for key, exprs in sorted(allowed.items()):
        for e in sorted(exprs):
            nargs += 1
            if (key, e) not in used and verbose:
                print("note: test/message_args.txt:%d (%s %s) matches nothing" % (exprs[e], key, e))
    for f in findings:
        print(f)
    if findings:
        print("check_messages: %d finding(s): wrap server text in lfdw_shown(lfdw_remote_text(call, ...)), "
              "or list an argument that holds none in test/message_args.txt with the reason"
              % len(findings))
        return 1
    print("check_messages: every message argument is cleaned server text or listed (%d listed)" % nargs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
