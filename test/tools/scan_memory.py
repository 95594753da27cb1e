#!/usr/bin/env python3
"""scan_memory.py: what the memory of an idle backend still holds (sql/memory_wipe.sql).

Reads /proc/PID/mem (as root) over every anonymous, heap and stack mapping of
/proc/PID/maps of the backend LFDW_BACKEND_PID, and says for each needle
whether it is there: the Authorization header litellm_fdw sent with the
canary key, and the canary secret as the request body carried it.  A third
needle, the bare key, is a control: PostgreSQL keeps the user mapping's
options in its catalog cache, so the scan must find it, or it proves
nothing.  The canaries are computed here, as sql/memory_wipe.sql computes
them; only labels are printed, never a needle.

Usage: LFDW_BACKEND_PID=PID scan_memory.py
"""
import hashlib
import os
import re
import sys

KEY = "CANARY" + "-mem-key-" + hashlib.md5(b"memory").hexdigest()
SECRET = "CANARY" + "-mem-val-" + hashlib.md5(b"memory value").hexdigest()
NEEDLES = [
    ("the header sent with the key", ("Bearer " + KEY).encode()),
    ("the secret as the body carried it",
     ('"credential_values":{"api_key": "' + SECRET).encode()),
    ("control: the key in the catalog cache", KEY.encode()),
]


def regions(pid):
    for line in open("/proc/%d/maps" % pid):
        m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$", line)
        start, end, perms, path = int(m.group(1), 16), int(m.group(2), 16), m.group(3), m.group(4)
        if perms[0] != "r":
            continue
        if path in ("", "[heap]", "[stack]") or path.startswith("[anon") or \
                path.startswith("/dev/zero") or path.startswith("/SYSV") or \
                path.startswith("/dev/shm") or path.startswith("/memfd:"):
            yield start, end


def main():
    pid = int(os.environ["LFDW_BACKEND_PID"])
    if os.geteuid() != 0:
        print("not root: the memory of the backend cannot be read")
        return
    found = {label: 0 for label, _ in NEEDLES}
    longest = max(len(n) for _, n in NEEDLES)
    with open("/proc/%d/mem" % pid, "rb", buffering=0) as mem:
        for start, end in regions(pid):
            tail = b""
            pos = start
            while pos < end:
                size = min(1 << 24, end - pos)
                try:
                    mem.seek(pos)
                    chunk = mem.read(size)
                except OSError:
                    break
                data = tail + chunk
                for label, needle in NEEDLES:
                    found[label] += data.count(needle)
                tail = data[-(longest - 1):]
                pos += size
    for label, _ in NEEDLES:
        print("%s: %s" % (label, "present" if found[label] else "absent"))


if __name__ == "__main__":
    main()
