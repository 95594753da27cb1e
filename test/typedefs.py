#!/usr/bin/env python3
"""typedefs.py: the project's typedefs, for pgindent (test/pgindent.sh).

pgindent formats a declaration right only when it knows the type names in
it (else "const LfdwOptions * opts").  It takes PostgreSQL's typedefs.list
plus ours: every name a typedef of src/*.c or src/*.h declares, and the
types of libcurl and cJSON that src/ uses.  Prints them sorted, one a line;
test/typedefs.list is that output (test/pgindent.sh --check fails when it
is out of date: run test/typedefs.py > test/typedefs.list).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")

# types of the libraries (curl/curl.h, cJSON.h), listed when src/ uses them
LIBRARY_TYPES = ["CURL", "CURLM", "CURLMcode", "CURLMsg", "CURLcode",
                 "CURLINFO", "CURLoption", "cJSON", "cJSON_bool",
                 "curl_off_t", "curl_socket_t", "curlsocktype",
                 "curl_calloc_callback", "curl_free_callback",
                 "curl_malloc_callback", "curl_realloc_callback",
                 "curl_strdup_callback"]

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
FUNC_POINTER = re.compile(r"\(\s*\*\s*(\w+)\s*\)\s*\(")


def typedef_names(text):
    """The names the typedefs of a C text declare."""
    text = COMMENT.sub(" ", text)
    names = set()
    for m in re.finditer(r"\btypedef\b", text):
        # the declaration runs to the first ';' outside braces
        depth, i = 0, m.end()
        while i < len(text):
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == ";" and depth == 0:
                break
            i += 1
        decl = text[m.end():i]
        if "{" in decl:
            # members are not typedefs: keep what is outside the braces
            decl = decl[:decl.find("{")] + decl[decl.rfind("}") + 1:]
        fp = FUNC_POINTER.search(decl)
        if fp:
            names.add(fp.group(1))
            continue
        words = re.findall(r"\w+", decl)
        if words:
            names.add(words[-1])
    return names


def main():
    names = set()
    used = ""
    for n in sorted(os.listdir(SRC)):
        if n.endswith((".c", ".h")):
            with open(os.path.join(SRC, n), encoding="utf-8") as fh:
                text = fh.read()
            names |= typedef_names(text)
            used += text
    for t in LIBRARY_TYPES:
        if re.search(r"\b%s\b" % t, used):
            names.add(t)
    sys.stdout.write("".join(n + "\n" for n in sorted(names)))


if __name__ == "__main__":
    main()
