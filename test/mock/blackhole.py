#!/usr/bin/env python3
"""A TCP port on 127.0.0.1 where connections are never established.

It listens with a backlog of zero and fills that backlog with connections
of its own, so the kernel drops every further SYN: a client's connect()
times out, as it would against a firewall that drops packets.  Used by the
tests for the connect timeout.  Writes the port to --port-file and runs
until killed.
"""
import argparse
import os
import signal
import socket
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    for _ in range(3):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        held.append(c)
    time.sleep(0.1)

    tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
    with open(tmp, "w") as fh:
        fh.write("%d\n" % port)
    os.replace(tmp, args.port_file)

    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
