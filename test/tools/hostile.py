#!/usr/bin/env python3
"""hostile.py: arm the test server with one hostile answer (sql/hostile.sql).

Each case is a fault for the next matching request: the server echoes a
secret of the request in an encoding of its choice, or sends bytes meant to
forge a log line, drive a terminal, or break the client's encoding.  The
secrets are computed here, as sql/hostile.sql computes them, so that no
statement text and no test output holds one: run_tests.sh fails the suite if
"CANARY-" appears in any output.

Usage: hostile.py CASE   (MOCK_URL from the environment)
"""
import hashlib
import json
import os
import sys
import urllib.parse
import urllib.request

# the API key of the user mapping of sql/hostile.sql, and a credential value
KEY = "CANARY" + "-key-" + hashlib.md5(b"hostile").hexdigest()
VALUE = "CANARY" + "-val-" + hashlib.md5(b"value").hexdigest()
# a secret with characters that JSON and URLs escape
ODD = "CANARY" + '-odd "q" /s\\ ' + hashlib.md5(b"odd").hexdigest()[:8]


def err(message, status=400):
    return {"status": status,
            "body": json.dumps({"error": {"message": message, "type": "bad_request_error",
                                          "param": None, "code": str(status)}})}


def json_escaped(s):
    return json.dumps(s)[1:-1]


def unicode_escaped(s):
    return "".join("\\u%04x" % ord(c) for c in s)


CASES = {
    # the API key, raw, percent-encoded (either case), JSON-escaped twice
    "key-forms": err("raw %s | pct %s | lower %s | json %s | uni %s" % (
        KEY, urllib.parse.quote(KEY, safe=""),
        "".join("%%%02x" % b for b in KEY.encode()),
        json_escaped(json.dumps({"k": KEY})), unicode_escaped(KEY))),
    # a credential value, as it came and escaped, and one cut short
    "value-forms": err("echo %s | %s | %s | cut %s" % (
        VALUE, urllib.parse.quote(VALUE), json_escaped(json_escaped(VALUE)),
        VALUE[:12])),
    "odd-forms": err("echo %s | json %s | pct %s | form %s" % (
        ODD, json_escaped(ODD), urllib.parse.quote(ODD, safe=""),
        urllib.parse.quote_plus(ODD))),
    # short secrets and numbers: masked as whole words only
    "short": err("bad pin 424 and code xyz (not 4240 nor xyzzy; long 42431)"),
    # the key in the Content-Type and the Retry-After header
    "content-type": {"status": 500, "body": "<html>oops</html>",
                     "content_type": "text/html; x=%s; \x1b[31mred" % KEY},
    "retry-after": {"status": 429, "body": "", "content_type": "text/plain",
                    "headers": {"Retry-After": "%s \x1b]0;title\x07" % KEY}},
    # a forged log line, terminal escapes, C1 and bidi controls
    "forge": err("bad\nLOG:  forged entry\r\n\x1b[2J\x1b]0;pwned\x07 \u009b31m \u202egnp.exe"),
    # bytes that are not UTF-8 inside the message
    "not-utf8": {"status": 400, "body": b'{"error": {"message": "bad \xff\xfe byte \xc3", "code": "400"}}'},
    # characters the client encoding (LATIN1) cannot show
    "not-latin1": err("Wert ung\u00fcltig: 5 \u20ac \u4e2d"),
    # a message longer than any message should be
    "long": err("x" * 5000 + KEY),
    # a listed name with control characters, twice (a duplicate)
    "dup-name": {"status": 200, "body": json.dumps({"credentials": [
        {"credential_name": "evil\x1b[31m\nLOG:  x", "credential_info": {}, "credential_values": {}},
        {"credential_name": "evil\x1b[31m\nLOG:  x", "credential_info": {}, "credential_values": {}}]})},
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: hostile.py CASE (%s)" % ", ".join(sorted(CASES)))
    fault = dict(CASES[sys.argv[1]])
    body = fault.get("body", "")
    if isinstance(body, bytes):
        # the control API takes text: send bytes that are not UTF-8 as latin-1
        # code points, which the server writes back as the same bytes
        fault["body"] = body.decode("latin-1")
        fault["body_encoding"] = "latin-1"
    req = urllib.request.Request(os.environ["MOCK_URL"].rstrip("/") + "/_mock/fault",
                                 data=json.dumps(fault).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


if __name__ == "__main__":
    main()
