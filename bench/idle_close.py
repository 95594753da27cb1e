#!/usr/bin/env python3
"""idle_close.py: how long a server keeps an idle HTTP/1.1 connection open.

Sends one GET over a new connection, reads the answer, then waits until the
server closes the connection (or CAP seconds pass) and prints the idle time.
This is what decides how long litellm_fdw may reuse a kept-alive connection
for a create or delete (src/connection.c, WRITE_REUSE_MAX_IDLE_SECS).

Usage: idle_close.py URL [CAP_SECONDS]      (http only)
       idle_close.py --uvicorn [CAP_SECONDS] (a trivial ASGI app served by
                                              uvicorn at its defaults, as
                                              LiteLLM's proxy runs on it)
"""
import socket
import sys
import threading
import time
import urllib.parse


def measure(host, port, path, cap):
    s = socket.create_connection((host, port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\n\r\n" % (path, host)).encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        body += s.recv(65536)
    t0 = time.monotonic()
    s.settimeout(cap)
    try:
        r = s.recv(1)
        closed = (r == b"")
    except socket.timeout:
        closed = False
    except ConnectionResetError:
        closed = True
    t = time.monotonic() - t0
    s.close()
    return t if closed else None


def main():
    args = sys.argv[1:]
    cap = 30.0
    if args and args[0] == "--uvicorn":
        import uvicorn

        async def app(scope, receive, send):
            if scope["type"] != "http":
                return
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", b"2")]})
            await send({"type": "http.response.body", "body": b"{}"})

        if len(args) > 1:
            cap = float(args[1])
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        host, path, what = "127.0.0.1", "/", "uvicorn %s (defaults)" % uvicorn.__version__
    else:
        u = urllib.parse.urlsplit(args[0])
        if len(args) > 1:
            cap = float(args[1])
        host, port, path, what = u.hostname, u.port or 80, u.path or "/", args[0]
    t = measure(host, port, path, cap)
    if t is None:
        print("%s: idle connection still open after %.0f s" % (what, cap))
    else:
        print("%s: idle connection closed by the server after %.2f s" % (what, t))


if __name__ == "__main__":
    main()
