#!/usr/bin/env python3
"""check_layers.py: the layering of src/, checked from the object files.

Builds the file-level call graph of src/: file A calls file B when an object
src/A.o has an undefined symbol that src/B.o defines (nm), after `make -s`.
Then:
  (a) fails on a forbidden include: libcurl (curl/curl.h) only in
      src/connection.c and src/compat.h (its libcurl shims); cJSON (cJSON.h)
      only in the wire files and json.c (others hold struct cJSON * opaque);
  (b) reports every edge that closes a cycle between src/ files (with one
      cycle through it) and fails on any such edge not in the baseline
      test/layers_baseline.txt, so that no new cycle can land.  A new cycle
      always has an edge that was on no cycle before, so a baseline of the
      edges on cycles is enough.  The baseline is empty since the redesign
      of issue 12: the graph is acyclic, and any cycle fails.

The layers, bottom up (--verbose prints them as found): the wire files
(wire.c, model_wire.c: plain C, fuzzed) and the helpers that call nothing of
the transport (json.c, secret.c, request.c, response.c, convert.c); the
transport (connection.c: libcurl, calls nothing above it); the request layer
(statement.c: lfdw_http_request/lfdw_http_batch, the statement's ceiling and
GET responses); release.c, option.c, the writers (remote_write.c,
model_write.c); the pending changes (pending.c); the commit (commit.c:
transaction callbacks, _PG_init); the FDW callbacks (litellm_fdw.c,
model.c).

Usage: test/check_layers.py [--verbose] [--write-baseline] [--no-make]
  --verbose         print the graph in layer order (callees first)
  --write-baseline  record today's cycle edges in the baseline
Ends with "layers: ok" or "layers: FAILED".
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
BASELINE = os.path.join(ROOT, "test", "layers_baseline.txt")

CURL_ALLOWED = {"connection.c", "compat.h"}
# cJSON: the wire files and the one JSON module (json.c, cJSON -> jsonb).
# Every other file sees a parsed tree only as an opaque struct cJSON *,
# through wire.h (issue 12).
CJSON_ALLOWED = {"wire.c", "model_wire.c", "spend_wire.c", "json.c"}
CJSON_EXCEPTIONS = set()
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def check_includes():
    errors = []
    for name in sorted(os.listdir(SRC)):
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(SRC, name), encoding="utf-8") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            if inc == "curl/curl.h" and name not in CURL_ALLOWED:
                errors.append("src/%s includes curl/curl.h: libcurl belongs "
                              "to src/connection.c" % name)
            if inc == "cJSON.h" and name not in CJSON_ALLOWED | CJSON_EXCEPTIONS:
                errors.append("src/%s includes cJSON.h: cJSON belongs to the "
                              "wire files (src/wire.c, src/model_wire.c)" % name)
    return errors


def symbols(obj, weak=True):
    """The symbols an object file defines (weak ones too unless weak is
    False) and those it uses undefined; test/check_exports.py shares it."""
    out = subprocess.run(["nm", "-P", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        sym, kind = parts[0], parts[1]
        if kind == "U":
            undefined.add(sym)
        elif kind.isupper() and (weak or kind not in "VW"):
            defined.add(sym)
    return defined, undefined


def call_graph():
    files = sorted(n[:-2] for n in os.listdir(SRC) if n.endswith(".c"))
    defs, undefs = {}, {}
    for f in files:
        obj = os.path.join(SRC, f + ".o")
        if not os.path.exists(obj):
            sys.exit("check_layers: src/%s.o is missing (run make)" % f)
        defs[f], undefs[f] = symbols(obj)
    owner = {}
    for f in files:
        for s in defs[f]:
            owner[s] = f
    graph = {f: {} for f in files}
    for f in files:
        for s in undefs[f]:
            g = owner.get(s)
            if g and g != f:
                graph[f].setdefault(g, []).append(s)
    return files, graph


def reaches(graph, start, goal):
    """A shortest path start .. goal, or None."""
    prev = {start: None}
    queue = [start]
    while queue:
        nxt = []
        for n in queue:
            for m in sorted(graph[n]):
                if m not in prev:
                    prev[m] = n
                    if m == goal:
                        path = [m]
                        while prev[path[-1]] is not None:
                            path.append(prev[path[-1]])
                        return path[::-1]
                    nxt.append(m)
        queue = nxt
    return None


def sccs(files, graph):
    """Tarjan's strongly connected components, callees first."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    for f in files:
        if f not in index:
            visit(f)
    return out


def main(argv):
    verbose = "--verbose" in argv
    write = "--write-baseline" in argv
    if "--no-make" not in argv:
        subprocess.run(["make", "-s"], cwd=ROOT, check=True)
    failed = False

    for e in check_includes():
        print("forbidden include: " + e)
        failed = True

    files, graph = call_graph()
    comps = sccs(files, graph)
    comp_of = {f: i for i, c in enumerate(comps) for f in c}

    # the edges on a cycle: both ends in one component
    cycle_edges = sorted((a, b) for a in files for b in graph[a]
                         if comp_of[a] == comp_of[b])

    if verbose:
        # layer: the longest chain of calls down to a file that calls nothing
        layer = {}
        for i, c in enumerate(comps):
            below = [layer[comps[comp_of[b]][0]]
                     for a in c for b in graph[a] if comp_of[b] != i]
            for f in c:
                layer[f] = 1 + max(below, default=-1)
        print("call graph of src/ (layer 0 calls no other file; "
              "files of one cycle share a layer):")
        for f in sorted(files, key=lambda f: (layer[f], f)):
            calls = " ".join(sorted(graph[f])) or "-"
            print("  %d  %-16s -> %s" % (layer[f], f + ".c", calls))

    baseline = set()
    if os.path.exists(BASELINE):
        with open(BASELINE, encoding="utf-8") as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if line:
                    a, _, b = line.partition("->")
                    baseline.add((a.strip(), b.strip()))

    if write:
        with open(BASELINE, "w", encoding="utf-8") as fh:
            fh.write("# The call edges between src/ files that lie on a cycle "
                     "(test/check_layers.py).\n# No edge may be added: the "
                     "redesign of issue 12 is to empty this list.\n")
            for a, b in cycle_edges:
                fh.write("%s -> %s\n" % (a, b))
        baseline = set(cycle_edges)
        print("baseline written: %d edges" % len(cycle_edges))

    for c in comps:
        if len(c) > 1:
            print("cycle of %d files: %s" % (len(c), " ".join(c)))
    for a, b in cycle_edges:
        back = reaches(graph, b, a)
        cycle = " -> ".join([a] + back)
        known = (a, b) in baseline
        print("  %s %s -> %s (%s; via %s)"
              % ("baseline" if known else "NEW     ", a, b, cycle,
                 ", ".join(sorted(graph[a][b])[:3])))
        if not known:
            failed = True
    gone = baseline - set(cycle_edges)
    for a, b in sorted(gone):
        print("  no longer on a cycle (remove from the baseline): %s -> %s"
              % (a, b))

    print("layers: %s (%d files, %d cycle edges, %d in the baseline)"
          % ("FAILED" if failed else "ok", len(files), len(cycle_edges),
             len(baseline & set(cycle_edges))))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
