#!/usr/bin/env python3
"""remote_text.py: arm the test server with one hostile answer (sql/remote_text.sql).

Server text reaches a message only through the cleaner, bound to the call's
key and secrets (issue 20 items 4 and 5): names read from a response (a
credential name, a model id) that hold the API key and a forged log line,
and a secret with characters beyond ASCII echoed as JSON \\uXXXX escapes or
cut short in the middle of a message.  The secrets are computed here, as
sql/remote_text.sql computes them, so that no statement text and no test
output holds one: run_tests.sh fails the suite if "CANARY-" appears in any
output.

Usage: remote_text.py CASE   (MOCK_URL from the environment)
"""
import hashlib
import json
import os
import sys
import urllib.request

# the API key of the user mapping of sql/remote_text.sql, and a secret
# value with characters beyond ASCII (one beyond the BMP)
KEY = "CANARY" + "-key-" + hashlib.md5(b"remote_text").hexdigest()
VALUE = "CANARY" + "-gr\u00fcn-\u00e9t\u00e9-\U0001F511-" + hashlib.md5(b"umlaut").hexdigest()
# what a forged log line looks like
FORGED = "\x1b[31m\nLOG:  forged entry"


def err(message, status=400):
    return {"status": status,
            "body": json.dumps({"error": {"message": message, "type": "bad_request_error",
                                          "param": None, "code": str(status)}})}


def listing(name, values):
    return {"status": 200, "path_prefix": "/credentials",
            "body": json.dumps({"credentials": [
                {"credential_name": name, "credential_info": {}, "credential_values": values}]})}


def model_page(model_id, params):
    return {"status": 200, "path_prefix": "/v2/model/info",
            "body": json.dumps({"data": [
                {"model_name": "m", "litellm_params": params,
                 "model_info": {"id": model_id, "db_model": True}}],
                "total_count": 1, "current_page": 1, "total_pages": 1, "size": 1})}


CASES = {
    # a listed credential whose name holds the key and a forged log line,
    # and whose credential_values is no object (check_credential's DETAIL)
    "list-name": listing(KEY + FORGED, "not an object"),
    # the same, read as one credential (GET /credentials/by_name/...)
    "item-name": {"status": 200, "path_prefix": "/credentials/by_name/",
                  "body": json.dumps({"credential_name": KEY + FORGED,
                                      "credential_info": "not an object",
                                      "credential_values": {}})},
    # a model whose id holds the key and a forged log line, and whose
    # litellm_params is no object (lfdw_model_next's DETAIL)
    "model-id": model_page(KEY + FORGED, "not an object"),
    # the same id listed twice
    "model-dup": {"status": 200, "path_prefix": "/v2/model/info",
                  "body": json.dumps({"data": [
                      {"model_name": "m", "litellm_params": {"model": "x/y"},
                       "model_info": {"id": KEY + FORGED, "db_model": True}}] * 2,
                      "total_count": 2, "current_page": 1, "total_pages": 1, "size": 2})},
    # the secret echoed with its characters beyond ASCII as \uXXXX escapes
    # (json.dumps: lower case, a surrogate pair), the same in upper case,
    # and cut short in the middle of the message, before "..." and before
    # an ellipsis
    "value-unicode": err("lower %s | upper %s | cut %s... and more | cut2 %s\u2026 | end" % (
        json.dumps(VALUE),
        json.dumps(VALUE).replace("\\u00fc", "\\u00FC").replace("\\ud83d", "\\uD83D"),
        VALUE[:12], json.dumps(VALUE)[1:20])),
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit("usage: remote_text.py CASE (%s)" % ", ".join(sorted(CASES)))
    req = urllib.request.Request(os.environ["MOCK_URL"].rstrip("/") + "/_mock/fault",
                                 data=json.dumps(CASES[sys.argv[1]]).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


if __name__ == "__main__":
    main()
