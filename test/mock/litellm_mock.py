#!/usr/bin/env python3
"""LiteLLM-compatible mock proxy (credential and model endpoints) for litellm_fdw tests.

Standard library only.  Implements the HTTP contract described in
doc/litellm-api.md with a selectable behaviour "generation", one per LiteLLM
release line of that file (section 1.2), plus an unauthenticated control API
under /_mock/:

    g1  L1 2025-03      {name} routes; errors of GET list/PATCH/DELETE as HTTP
                        200; no in-memory refresh on PATCH (stale reads)
    g3  L2 2025-05..11  {name:path} routes; otherwise as g1
    ta  L3 team-admin   CredentialsRepository: PATCH merges credential_info,
                        refreshes the answering worker; errors still HTTP 200
    g4  L4 1.95         errors raised with their status (PR #36166); DELETE
                        of a missing name still succeeds (PR #36260 came
                        later); PATCH body CredentialItem
    g5  L5 2026-09      UpdateCredentialItem, 409 on a duplicate name, DELETE
                        of a missing name 404; credential_values_to_delete
                        accepted and not used
    g6  L6 newest       credential_values_to_delete honoured, null values
                        dropped, DELETE .../user_connection routed to the
                        per-user handler

From v1.84.0 on (ta, g4, g5, g6 here) the version is on /health/readiness/
details, with the key, not on /health/readiness.  GET /openapi.json answers
each line's OpenAPI document, a subset in FastAPI's shape (see the release
evidence block).

Line names are accepted for generations too (L1..L6, 2025-03, 2025-05,
team-admin, 1.95, 2026-09, newest).  The stored state is LiteLLM's database;
reads answer from the worker's in-memory list ("served"), which differs from
the database where LiteLLM's code lets it (mockctl state shows both).
Citations: repo:path@commit, as in doc/litellm-api.md (MME = litellm/proxy/
management_endpoints/model_management_endpoints.py, CRED = litellm/proxy/
credential_endpoints/endpoints.py).

Usage:
    python3 test/mock/litellm_mock.py --port 0 --port-file PATH [--master-key KEY] [--log PATH]
"""

import argparse
import copy
import http
import http.server
import json
import os
import random
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import types
import urllib.parse

GENERATIONS = ("g1", "g3", "ta", "g4", "g5", "g6")
GEN_ALIASES = {"l1": "g1", "2025-03": "g1", "l2": "g3", "2025-05": "g3", "l3": "ta",
               "team-admin": "ta", "l4": "g4", "1.95": "g4", "2026-08": "g4",
               "l5": "g5", "2026-09": "g5", "l6": "g6", "newest": "g6"}
# The version each line reports.  L1: v1.70.1 still has the L1 shape
# (issue #10975); L2: v1.79.0-stable (issue #16314); L4: info.version 1.95.0
# of its OpenAPI copy (api-evangelist/university-of-amsterdam@9da11907).
# L3, L5, L6: no version was found in any source; these are stand-ins (L3's
# is a mid-2026 number, after v1.84.0, as issue 22 dates that line).
VERSIONS = {"g1": "1.63.14", "g3": "1.74.9", "ta": "1.85.2", "g4": "1.95.0",
            "g5": "1.96.2", "g6": "1.98.1"}
# lines whose PATCH updates only the database, not the in-memory list that
# every GET reads: BerriAI/litellm CRED@1261b606 update_credential (L1),
# RheagalFire/litellm CRED@b0a68fe9 (L2)
STALE_PATCH = ("g1", "g3")
# lines that return (HTTP 200) the errors of GET list, DELETE and PATCH:
# "return handle_exception_on_proxy(e)" in CRED@1261b606, @b0a68fe9, @00d01bad
ERR200 = ("g1", "g3", "ta")
# booleans of GenericLiteLLMParams whose default is False, which
# model_dump(exclude_none=True) of a PATCH's litellm_params writes back:
# BerriAI/litellm litellm/types/router.py@3995103d (mid-2025, 3 fields) and
# @0044fbec (newest, 5 fields)
RESET_BOOLS_OLD = ("use_in_pass_through", "use_litellm_proxy",
                   "merge_reasoning_content_in_choices")
RESET_BOOLS_NEW = RESET_BOOLS_OLD + ("allow_client_keepalive_override", "use_xai_oauth")
SENSITIVE = ("authorization", "token", "key", "secret", "vertex_credentials",
             "credentials", "password", "passwd")

DUP_MSG = "Unique constraint failed on the fields: (`credential_name`)"


# --------------------------------------------------------------------------
# release evidence: each behaviour that differs by release, with the version
# boundary or the line it comes from and its source (doc/litellm-api.md
# section 4), and each line's GET /openapi.json
# --------------------------------------------------------------------------

def version_tuple(v):
    """"1.84.0", "1.79.0-stable" -> (1, 84, 0)"""
    out = []
    for part in v.split("-")[0].split(".")[:3]:
        out.append(int("".join(ch for ch in part if ch.isdigit()) or 0))
    return tuple(out + [0] * (3 - len(out)))


# litellm_version moved off the public /health/readiness to /health/
# readiness/details (key required) in v1.84.0: BerriAI/litellm PR #26912;
# PR #27868 (2026-05-13): "v1.84.0rc2 contains #26912"
READINESS_DETAILS_FROM = (1, 84, 0)


def readiness_has_version(gen):
    return version_tuple(VERSIONS[gen]) < READINESS_DETAILS_FROM


# lines whose DELETE answers 404 for a missing name: PR #36260 (opened
# 2026-08-08, still in review 2026-09-03: after v1.95.0 of August 2026);
# CRED@d4ec392f (L5) and @a4b5b2dc (L6) test the delete result.  Issue 22:
# v1.81.7 (2026-02-03) still answers success.
DELETE_CHECKED = ("g5", "g6")


def _nullable(schema, title):
    return {"anyOf": [schema, {"type": "null"}], "title": title}


def _credential_schemas(gen):
    """components.schemas of the credential models, as pydantic v2 emits
    them: CredentialItem (all three required: CRED@1261b606, @b0a68fe9,
    @00d01bad; L4 OpenAPI copy @9da11907), CreateCredentialItem, and from L5
    on UpdateCredentialItem (credential_info required; L6 adds display_name
    and credential_values_to_delete: litellm/models/credentials.py, newest
    copy, tuple[str, ...] | None)."""
    obj = {"additionalProperties": True, "type": "object"}
    schemas = {
        "CredentialItem": {
            "properties": {
                "credential_name": {"type": "string", "title": "Credential Name"},
                "credential_info": dict(obj, title="Credential Info"),
                "credential_values": dict(obj, title="Credential Values")},
            "type": "object",
            "required": ["credential_name", "credential_info", "credential_values"],
            "title": "CredentialItem"},
        "CreateCredentialItem": {
            "properties": {
                "credential_name": {"type": "string", "title": "Credential Name"},
                "credential_info": dict(obj, title="Credential Info"),
                "credential_values": _nullable(obj, "Credential Values"),
                "model_id": _nullable({"type": "string"}, "Model Id")},
            "type": "object",
            "required": ["credential_name", "credential_info"],
            "title": "CreateCredentialItem"},
        "HTTPValidationError": {
            "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"},
                                      "type": "array", "title": "Detail"}},
            "type": "object", "title": "HTTPValidationError"},
        "ValidationError": {
            "properties": {
                "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                        "type": "array", "title": "Location"},
                "msg": {"type": "string", "title": "Message"},
                "type": {"type": "string", "title": "Error Type"}},
            "type": "object", "required": ["loc", "msg", "type"],
            "title": "ValidationError"},
    }
    if gen in ("g5", "g6"):
        props = {"credential_name": _nullable({"type": "string"}, "Credential Name")}
        if gen == "g6":
            props["display_name"] = _nullable({"type": "string"}, "Display Name")
        props["credential_info"] = dict(obj, title="Credential Info")
        props["credential_values"] = _nullable(obj, "Credential Values")
        props["model_id"] = _nullable({"type": "string"}, "Model Id")
        if gen == "g6":
            props["credential_values_to_delete"] = _nullable(
                {"items": {"type": "string"}, "type": "array"}, "Credential Values To Delete")
        schemas["UpdateCredentialItem"] = {
            "properties": props, "type": "object", "required": ["credential_info"],
            "title": "UpdateCredentialItem"}
    return schemas


def _operation(summary, op_id, params=(), body=None):
    op = {"tags": ["credential management"], "summary": summary, "operationId": op_id}
    if params:
        op["parameters"] = [{"name": p, "in": "path", "required": True,
                             "schema": {"type": "string", "title": p.replace("_", " ").title()}}
                            for p in params]
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/" + body}}}}
    op["responses"] = {
        "200": {"description": "Successful Response",
                "content": {"application/json": {"schema": {}}}}}
    if params or body:
        op["responses"]["422"] = {
            "description": "Validation Error",
            "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/HTTPValidationError"}}}}
    return op


def openapi_document(gen):
    """The line's /openapi.json, cut down to the credential and health routes
    (FastAPI prints "{credential_name}" for a {credential_name:path} route:
    converters are stripped)."""
    patch_body = "UpdateCredentialItem" if gen in ("g5", "g6") else "CredentialItem"
    n = "credential_name"
    paths = {
        "/credentials": {
            "get": _operation("Get Credentials", "get_credentials_credentials_get"),
            "post": _operation("Create Credential", "create_credential_credentials_post",
                               body="CreateCredentialItem")},
        "/credentials/by_name/{credential_name}": {
            "get": _operation("Get Credential", "get_credential_credentials_by_name__credential_name__get",
                              params=(n,))},
        "/credentials/by_model/{model_id}": {
            "get": _operation("Get Credential", "get_credential_credentials_by_model__model_id__get",
                              params=("model_id",))},
    }
    if gen == "g6":
        # registered before the {credential_name:path} routes (@a4b5b2dc)
        paths["/credentials/{credential_name}/user_connection"] = {
            "delete": _operation("Delete User Connection",
                                 "delete_user_connection_credentials__credential_name__user_connection_delete",
                                 params=(n,))}
    paths["/credentials/{credential_name}"] = {
        "delete": _operation("Delete Credential",
                             "delete_credential_credentials__credential_name__delete", params=(n,)),
        "patch": _operation("Update Credential",
                            "update_credential_credentials__credential_name__patch",
                            params=(n,), body=patch_body)}
    paths["/health/readiness"] = {"get": _operation("Health Readiness",
                                                    "health_readiness_health_readiness_get")}
    if not readiness_has_version(gen):
        paths["/health/readiness/details"] = {"get": _operation(
            "Health Readiness Details", "health_readiness_details_health_readiness_details_get")}
    return {"openapi": "3.1.0",
            "info": {"title": "LiteLLM API", "description": "Proxy Server to call 100+ LLMs in the OpenAI format.",
                     "version": VERSIONS[gen]},
            "paths": paths,
            "components": {"schemas": _credential_schemas(gen)}}
# ------------------------- end of release evidence -------------------------

_MISSING = object()


class _Raw:
    """A request body that was not parsed as JSON (non-JSON content type)."""

    def __init__(self, text):
        self.text = text


# --------------------------------------------------------------------------
# global mutable state (protected by LOCK)
# --------------------------------------------------------------------------

LOCK = threading.Lock()
LOG_LOCK = threading.Lock()


class Mock:
    def __init__(self):
        self.master_key = "sk-master-test"
        self.logf = None
        self.reset()

    def reset(self):
        self.creds = {}          # name -> {"credential_info":{}, "credential_values":{}}: the DB
        self.mem = {}            # the worker's in-memory list (what GETs read), same shape
        self.models = {}         # id -> {"model_name", "litellm_params", "model_info", "config"}
        self.model_info_v2 = True  # False: GET /v2/model/info does not exist (older LiteLLM)
        self.model_seq = 0       # ids of models created through POST /model/new
        self.spend_logs = []     # spend log rows (spend_api)
        self.spend_logs_v2 = True  # False: GET /spend/logs/v2 does not exist
        self.generation = "g6"
        self.latency_ms = 0
        self.faults = []
        self.reqlog = []         # (method, raw_path, headers(list of tuples), body bytes)
        self.n_requests = 0
        self.n_connections = 0
        self.fuzz = None         # {"seed", "rate", "kinds"} while fuzzing
        self.fuzz_index = 0
        self.fuzz_counts = {}
        self.fuzz_recent = []
        self.epoch = getattr(self, "epoch", 0) + 1


M = Mock()

# requests in flight: API requests read and not yet answered ("now"), and the
# most at once ("max"), counting only requests that arrived since the last
# reset or "GET /_mock/inflight?clear=1" (a new "gen"): one still delayed by
# an earlier test's fault does not count (protected by LOCK).
INFLIGHT = {"gen": 0, "now": 0, "max": 0}


def inflight_clear():
    """Called with LOCK held."""
    INFLIGHT["gen"] += 1
    INFLIGHT["now"] = 0
    INFLIGHT["max"] = 0


# more API keys the server accepts besides --master-key (POST /_mock/config
# {"extra_keys": [...]}; cleared by /_mock/reset), for tests with several
# user mappings
EXTRA_KEYS = set()


def inflight_enter():
    with LOCK:
        INFLIGHT["now"] += 1
        INFLIGHT["max"] = max(INFLIGHT["max"], INFLIGHT["now"])
        return INFLIGHT["gen"]


def inflight_leave(gen):
    with LOCK:
        if gen == INFLIGHT["gen"]:
            INFLIGHT["now"] -= 1


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def jsorted(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def mask_values(values):
    out = {}
    for k, v in values.items():
        if isinstance(v, str):
            kl = str(k).lower()
            for s in SENSITIVE:
                if s in kl:
                    v = "*****" if len(v) <= 4 else v[:2] + "****" + v[-2:]
                    break
        out[k] = v
    return out


# --------------------------------------------------------------------------
# error helpers
# --------------------------------------------------------------------------

def envelope(status, message):
    return status, {"error": {"message": message, "type": "internal_server_error",
                              "param": "None", "code": str(status)}}


def flat200(code, message):
    return 200, {"message": message, "type": "internal_server_error",
                 "param": "None", "code": str(code)}


def gen_error(gen, status, message):
    """Error for GET list / DELETE / PATCH: HTTP 200 flat body on g1/g3/ta."""
    if gen in ERR200:
        return flat200(status, message)
    return envelope(status, message)


def dup_error(gen, name, in_patch):
    # 409 from _credential_exists_detail: DYNOSuprovo/litellm CRED@d4ec392f,
    # Lpk124/litellm CRED@a4b5b2dc; before, Prisma's unique violation
    if gen in ("g5", "g6"):
        return envelope(409, "Credential '%s' already exists. Update it with PATCH "
                             "/credentials/%s, or delete it first." % (name, name))
    if in_patch:
        return gen_error(gen, 500, DUP_MSG)
    return envelope(500, DUP_MSG)


NOT_FOUND = (404, {"detail": "Not Found"})
NOT_ALLOWED = (405, {"detail": "Method Not Allowed"})


def v422(errors):
    return 422, {"detail": errors}


def e_missing(loc, inp):
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": inp}


# --------------------------------------------------------------------------
# request body parsing / validation (FastAPI + pydantic v2 shapes)
# --------------------------------------------------------------------------

def _is_json_ct(ct):
    mt = ct.split(";", 1)[0].strip().lower()
    if not mt.startswith("application/"):
        return False
    sub = mt[len("application/"):]
    return sub == "json" or sub.endswith("+json")


def parse_body(headers, body):
    """Return (value, error_response).  value is _MISSING, _Raw or parsed JSON."""
    if not body:
        return _MISSING, None
    ct = headers.get("content-type")
    if ct is not None and not _is_json_ct(ct):
        return _Raw(body.decode("utf-8", "replace")), None
    try:
        return json.loads(body), None
    except json.JSONDecodeError as e:
        err = {"type": "json_invalid", "loc": ["body", e.pos], "msg": "JSON decode error",
               "input": {}, "ctx": {"error": e.msg}}
        return None, v422([err])
    except (UnicodeDecodeError, ValueError) as e:
        err = {"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error",
               "input": {}, "ctx": {"error": str(e)}}
        return None, v422([err])


def body_shape_errors(obj):
    """Errors for a body that is not an object at all (or absent)."""
    if obj is _MISSING:
        return [e_missing(["body"], None)]
    if isinstance(obj, _Raw):
        return [{"type": "model_attributes_type", "loc": ["body"],
                 "msg": "Input should be a valid dictionary or object to extract fields from",
                 "input": obj.text}]
    if not isinstance(obj, dict):
        return [{"type": "model_attributes_type", "loc": ["body"],
                 "msg": "Input should be a valid dictionary or object to extract fields from",
                 "input": obj}]
    return None


def check_field(obj, key, kind, required, nullable, errs):
    if key not in obj:
        if required:
            errs.append(e_missing(["body", key], obj))
        return
    v = obj[key]
    if v is None and nullable:
        return
    if kind == "str":
        if not isinstance(v, str):
            errs.append({"type": "string_type", "loc": ["body", key],
                         "msg": "Input should be a valid string", "input": v})
    elif kind == "dict":
        if not isinstance(v, dict):
            errs.append({"type": "dict_type", "loc": ["body", key],
                         "msg": "Input should be a valid dictionary", "input": v})
    elif kind == "strlist":
        if not isinstance(v, list):
            errs.append({"type": "list_type", "loc": ["body", key],
                         "msg": "Input should be a valid list", "input": v})
        else:
            for i, item in enumerate(v):
                if not isinstance(item, str):
                    errs.append({"type": "string_type", "loc": ["body", key, i],
                                 "msg": "Input should be a valid string", "input": item})


def drop_nulls(d):
    return {k: v for k, v in d.items() if v is not None}


def model_values(model):
    return {k: v for k, v in (model.get("litellm_params") or {}).items() if k != "model"}


# --------------------------------------------------------------------------
# auth
# --------------------------------------------------------------------------

def check_auth(headers):
    """Return None when authorised, else an error response."""
    key = None
    present = False
    # strict: exactly "Bearer KEY" (x-litellm-api-key: "Bearer KEY" or
    # "KEY"), no other case, no extra white space, one header only
    xk = headers.get("x-litellm-api-key")
    if xk:
        present = True
        key = xk[7:] if xk.startswith("Bearer ") else xk
        if len(headers.get_all("x-litellm-api-key") or []) > 1:
            key = None
    else:
        au = headers.get("authorization")
        if au:
            present = True
            if au.startswith("Bearer ") and len(headers.get_all("authorization")) == 1:
                key = au[7:]
    if not present:
        return 401, {"error": {"message": "Authentication Error, No api key passed in.",
                               "type": "auth_error", "param": "None", "code": "401"}}
    if key != M.master_key and key not in EXTRA_KEYS:
        return 401, {"error": {"message": "Authentication Error, Invalid proxy server token passed.",
                               "type": "auth_error", "param": "None", "code": "401"}}
    return None


# --------------------------------------------------------------------------
# routing (Starlette-like, on the percent-decoded path)
# --------------------------------------------------------------------------

PFX = "/credentials/"
BY_NAME = "/credentials/by_name/"
BY_MODEL = "/credentials/by_model/"


def route(method, path, gen):
    """Return (endpoint, param) or a response tuple (status, body)."""
    slash_ok = gen != "g1"
    candidates = []  # (endpoint, methods, param) whose path matches
    if path == "/credentials":
        candidates.append(("create", ("POST",), None))
        candidates.append(("list", ("GET",), None))
    if path.startswith(BY_NAME):
        rest = path[len(BY_NAME):]
        if (slash_ok) or (rest and "/" not in rest):
            candidates.append(("by_name", ("GET",), rest))
    if path.startswith(BY_MODEL):
        rest = path[len(BY_MODEL):]
        if rest and "/" not in rest:
            candidates.append(("by_model", ("GET",), rest))
    # newest: DELETE /credentials/{credential_name}/user_connection is
    # registered before DELETE /credentials/{credential_name:path}
    # (Lpk124/litellm CRED@a4b5b2dc), and Starlette matches the decoded path
    if gen == "g6" and method == "DELETE" and path.startswith(PFX) and \
            path.endswith("/user_connection"):
        rest = path[len(PFX):-len("/user_connection")]
        if rest and "/" not in rest:
            return "user_connection", rest
    if path.startswith(PFX):
        rest = path[len(PFX):]
        if slash_ok or (rest and "/" not in rest):
            candidates.append(("delete", ("DELETE",), rest))
            candidates.append(("patch", ("PATCH",), rest))
    for ep, methods, param in candidates:
        if method in methods:
            return ep, param
    # by_model ids never contain "/": plain 404 even where a {name:path} route
    # for DELETE/PATCH would have matched the path.
    if method == "GET" and path.startswith(BY_MODEL):
        return NOT_FOUND
    if candidates:
        return NOT_ALLOWED
    return NOT_FOUND


def api(st, gen, method, path, headers, body, query=None):
    """Compute the response of a credential endpoint; mutates st.  -> (status, obj)."""
    if path.startswith("/model/") or path.startswith("/v1/model/") or \
            path.startswith("/v2/model/"):
        return model_api(st, gen, method, path, headers, body, query or {})
    if path.startswith("/spend/logs"):  # spend log endpoints (spend_api)
        return spend_api(st, gen, method, path, headers, query or {})
    if path == "/openapi.json":
        # FastAPI's default route, public (release evidence block)
        if method != "GET":
            return NOT_ALLOWED
        return 200, openapi_document(gen)
    if path == "/health/readiness":
        # public route.  Before v1.84.0: "litellm_version" in the body (BerriAI/
        # litellm litellm/proxy/health_endpoints/_health_endpoints.py@1376cc50
        # health_readiness); from v1.84.0 on: not unless allow_public_health_
        # readiness_details (Lpk124/litellm ..._health_endpoints.py@0e9f2a8f;
        # boundary: READINESS_DETAILS_FROM)
        if method != "GET":
            return NOT_ALLOWED
        if not readiness_has_version(gen):
            return 200, {"status": "healthy", "db": "connected"}
        return 200, {"status": "healthy", "db": "connected", "cache": None,
                     "litellm_version": VERSIONS[gen], "success_callbacks": []}
    if path == "/health/readiness/details":
        # from v1.84.0 on, and with a key (Lpk124/litellm @0e9f2a8f)
        if readiness_has_version(gen):
            return NOT_FOUND
        if method != "GET":
            return NOT_ALLOWED
        aerr = check_auth(headers)
        if aerr:
            return aerr
        return 200, {"status": "healthy", "db": "connected", "cache": None,
                     "litellm_version": VERSIONS[gen], "success_callbacks": []}
    r = route(method, path, gen)
    if isinstance(r[0], int):
        return r
    ep, param = r
    obj = None
    if ep in ("create", "patch"):
        obj, err = parse_body(headers, body)
        if err:
            return err
    aerr = check_auth(headers)
    if aerr:
        return aerr

    if ep == "list":
        # reads the in-memory litellm.credential_list, not the DB (every copy)
        return 200, {"success": True, "credentials": [
            {"credential_name": n, "credential_values": mask_values(c["credential_values"]),
             "credential_info": c["credential_info"]} for n, c in st.mem.items()]}

    if ep == "user_connection":
        # delete_user_connection: 404 "Credential not found" unless a per-user
        # GitHub Copilot credential (_per_user_credential_or_404; @a4b5b2dc)
        return envelope(404, "Credential not found")

    if ep == "by_name":
        c = st.mem.get(param)
        if c is None:
            return envelope(404, "Credential not found. Got credential name: %s" % param)
        return 200, {"credential_name": param, "credential_info": c["credential_info"],
                     "credential_values": mask_values(c["credential_values"])}

    if ep == "by_model":
        m = st.models.get(param)
        if m is None:
            return envelope(404, "Model not found")
        return 200, {"credential_name": "%s-credential-%s" % (m.get("model_name"), param),
                     "credential_info": {},
                     "credential_values": mask_values(model_values(m))}

    if ep == "delete":
        # DB delete, then the name filtered out of the in-memory list; the
        # Prisma result is ignored before L5 (CRED@1261b606, @b0a68fe9,
        # @00d01bad: 200 for a name never stored; PR #36260), tested for None
        # from then on (@d4ec392f, @a4b5b2dc): DELETE_CHECKED (the 404 is
        # raised before the in-memory list is filtered)
        if param in st.creds:
            del st.creds[param]
        elif gen in DELETE_CHECKED:
            return envelope(404, "Credential not found. Got credential name: %s" % param)
        st.mem.pop(param, None)
        return 200, {"success": True, "message": "Credential deleted successfully"}

    if ep == "create":
        errs = body_shape_errors(obj)
        if errs:
            return v422(errs)
        if not obj.get("credential_values") and not obj.get("model_id"):
            return v422([{"type": "value_error", "loc": ["body"],
                          "msg": "Value error, Either credential_values or model_id must be set",
                          "input": obj, "ctx": {"error": {}}}])
        errs = []
        check_field(obj, "credential_name", "str", True, False, errs)
        check_field(obj, "credential_info", "dict", True, False, errs)
        check_field(obj, "credential_values", "dict", False, True, errs)
        check_field(obj, "model_id", "str", False, True, errs)
        if errs:
            return v422(errs)
        name = obj["credential_name"]
        values = obj.get("credential_values")
        model_id = obj.get("model_id")
        if model_id:
            m = st.models.get(model_id)
            if m is None:
                return envelope(404, "Model not found")
            values = model_values(m)
        elif values is None:
            return envelope(400, "Credential values are required. Unable to infer "
                                 "credential values from model ID.")
        values = dict(values)
        if gen == "g6":
            # _without_null_values (Lpk124/litellm CRED@a4b5b2dc); before, a
            # null is stored as null (encrypt_value_helper returns non-strings
            # unchanged: BerriAI/litellm encrypt_decrypt_utils.py@016e7036)
            values = drop_nulls(values)
        if name in st.creds:
            return dup_error(gen, name, False)
        st.creds[name] = {"credential_info": obj["credential_info"], "credential_values": values}
        # CredentialAccessor.upsert_credentials: the new one is served
        st.mem[name] = copy.deepcopy(st.creds[name])
        return 200, {"success": True, "message": "Credential created successfully"}

    if ep == "patch":
        errs = body_shape_errors(obj)
        if errs:
            return v422(errs)
        errs = []
        if gen in ("g5", "g6"):
            # UpdateCredentialItem (@d4ec392f, @a4b5b2dc); before, CredentialItem
            # with all three fields required (@1261b606, @b0a68fe9, @00d01bad,
            # the 1.95 OpenAPI copy)
            check_field(obj, "credential_name", "str", False, True, errs)
            check_field(obj, "display_name", "str", False, True, errs)
            check_field(obj, "credential_info", "dict", True, False, errs)
            check_field(obj, "credential_values", "dict", False, True, errs)
            check_field(obj, "model_id", "str", False, True, errs)
            check_field(obj, "credential_values_to_delete", "strlist", False, True, errs)
        else:
            check_field(obj, "credential_name", "str", True, False, errs)
            check_field(obj, "credential_info", "dict", True, False, errs)
            check_field(obj, "credential_values", "dict", True, False, errs)
        if errs:
            return v422(errs)
        new_name = obj.get("credential_name")
        if new_name is None:
            new_name = param
        info = obj.get("credential_info")
        values = obj.get("credential_values") or {}
        to_delete = []
        if gen in ("g5", "g6"):
            to_delete = obj.get("credential_values_to_delete") or []
            overlap = sorted(set(to_delete) & set(values.keys()))
            if overlap:
                return envelope(400, "credential_values_to_delete overlaps credential_values "
                                     "for key(s): %s" % overlap)
            if obj.get("model_id"):
                m = st.models.get(obj["model_id"])
                if m is None:
                    return envelope(404, "Model not found")
                values = model_values(m)
            if gen == "g6":
                values = drop_nulls(values)   # _without_null_values (@a4b5b2dc)
            else:
                # accepted by UpdateCredentialItem and never read by the L5
                # handler (DYNOSuprovo/litellm CRED@d4ec392f update_db_credential)
                to_delete = []
        row = st.creds.get(param)
        if row is None:
            return gen_error(gen, 404, "Credential not found in DB.")
        if new_name != param and new_name in st.creds:
            return dup_error(gen, new_name, True)
        # update_db_credential: values merged with dict.update on every line
        # (@1261b606, @b0a68fe9, @00d01bad, @d4ec392f, @a4b5b2dc); only the
        # newest then removes credential_values_to_delete
        if values:
            row["credential_values"].update(values)
        for k in to_delete:
            row["credential_values"].pop(k, None)
        # credential_info: applied only when truthy ('{}' does nothing, every
        # line); team-admin merges it (@00d01bad), the others replace it in
        # the DB (the guard in update_db_credential)
        if info:
            if gen == "ta":
                row["credential_info"].update(info)
            else:
                row["credential_info"] = info
        if new_name != param:
            st.creds = {(new_name if n == param else n): c for n, c in st.creds.items()}
        if gen not in STALE_PATCH:
            # the answering worker's list is upserted: values as in the DB;
            # info merged into the served one on L5/L6 (in_memory_info.update,
            # @d4ec392f, @a4b5b2dc), as stored elsewhere
            old = st.mem.pop(param, None)
            served = copy.deepcopy(row)
            if old is not None and info and gen in ("g5", "g6"):
                served["credential_info"] = dict(old["credential_info"])
                served["credential_info"].update(info)
            st.mem[new_name] = served
        return 200, {"success": True, "message": "Credential updated successfully"}

    return NOT_FOUND  # not reached



# --------------------------------------------------------------------------
# model endpoints (litellm-api.md section 7)
# --------------------------------------------------------------------------

# keys LiteLLM pops from litellm_params before answering
MODEL_POPPED = ("api_key", "client_secret", "vertex_credentials", "vertex_ai_credentials",
                "aws_access_key_id", "aws_secret_access_key")
# SensitiveDataMasker's patterns, matched against the key's segments
MASKER_PATTERNS = ("password", "secret", "key", "token", "auth", "authorization", "credential",
                   "credentials", "secrets", "passwords", "access", "private", "certificate",
                   "certificates", "fingerprint", "tenancy")
MASKER_EXCLUDED = ("litellm_credential_name",)


def masker_sensitive(key):
    segs = [x for x in str(key).lower().replace("-", "_").split("_") if x]
    if "cost" in segs:
        return False
    return any(x in MASKER_PATTERNS for x in segs)


def masker_value(v):
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def masker(obj):
    """SensitiveDataMasker.mask_dict, with litellm_credential_name excluded."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in MASKER_EXCLUDED:
                out[k] = v
            elif isinstance(v, (dict, list)):
                out[k] = masker(v)
            elif isinstance(v, str) and masker_sensitive(k):
                out[k] = masker_value(v)
            else:
                out[k] = v
        return out
    if isinstance(obj, list):
        return [masker(x) for x in obj]
    return obj


def model_public(mid, m):
    """A model as /model/info shows it: popped, then masked."""
    lp = {k: v for k, v in (m.get("litellm_params") or {}).items() if k not in MODEL_POPPED}
    info = dict(m.get("model_info") or {})
    info["id"] = mid
    info["db_model"] = not m.get("config")
    return {"model_name": m.get("model_name"), "litellm_params": masker(lp), "model_info": info}


def not_in_db(mid):
    # HTTPException(400, detail={"error": ...}) re-raised as a ProxyException
    return envelope(400, "{'error': 'Model with id=%s not found in db'}" % mid)


def check_credential_ref(st, lp):
    if "litellm_credential_name" not in lp:
        return None
    n = lp["litellm_credential_name"]
    if n is None:
        return None
    if n == "":
        return 400, {"error": {"message": "litellm_credential_name must not be empty. Send null to "
                                          "detach the stored credential or omit the field to "
                                          "leave it unchanged",
                               "type": "validation_error", "param": "litellm_credential_name",
                               "code": "400"}}
    if n not in st.creds:
        return 400, {"error": {"message": "Credential '%s' not found. Create it via /credentials "
                                          "before attaching it to a model." % n,
                               "type": "validation_error", "param": "litellm_credential_name",
                               "code": "400"}}
    return None


def model_api(st, gen, method, path, headers, body, query):
    def qv(name, default=None):
        v = query.get(name)
        return v[-1] if v else default

    if path == "/v2/model/info" and not getattr(st, "model_info_v2", True):
        return NOT_FOUND
    if path in ("/model/info", "/v1/model/info", "/v2/model/info"):
        if method != "GET":
            return NOT_ALLOWED
    elif path in ("/model/new", "/model/delete"):
        if method != "POST":
            return NOT_ALLOWED
    elif path.startswith("/model/") and path.endswith("/update") and path.count("/") == 3:
        if method != "PATCH":
            return NOT_ALLOWED
    else:
        return NOT_FOUND
    obj = None
    if method in ("POST", "PATCH"):
        obj, err = parse_body(headers, body)
        if err:
            return err
    aerr = check_auth(headers)
    if aerr:
        return aerr

    if path in ("/model/info", "/v1/model/info"):
        mid = qv("litellm_model_id")
        rows = [model_public(i, m) for i, m in st.models.items() if mid is None or i == mid]
        return 200, {"data": rows}

    if path == "/v2/model/info":
        try:
            page = int(qv("page", "1"))
            size = int(qv("size", "50"))
        except ValueError:
            return v422([{"type": "int_parsing", "loc": ["query", "page"],
                          "msg": "Input should be a valid integer", "input": qv("page")}])
        if page < 1 or size < 1:
            return v422([{"type": "greater_than_equal", "loc": ["query", "page" if page < 1 else "size"],
                          "msg": "Input should be greater than or equal to 1", "input": page}])
        mid = qv("modelId")
        ids = [i for i in st.models if mid is None or i == mid]
        total = len(ids)
        pages = (total + size - 1) // size
        chunk = ids[(page - 1) * size: page * size]
        return 200, {"data": [model_public(i, st.models[i]) for i in chunk],
                     "total_count": total, "current_page": page, "total_pages": pages,
                     "size": size}

    errs = body_shape_errors(obj)
    if errs:
        return v422(errs)

    if path == "/model/new":
        errs = []
        check_field(obj, "model_name", "str", True, False, errs)
        check_field(obj, "litellm_params", "dict", True, False, errs)
        check_field(obj, "model_info", "dict", False, True, errs)
        if not errs and "model" not in obj["litellm_params"]:
            errs.append(e_missing(["body", "litellm_params", "model"], obj["litellm_params"]))
        if errs:
            return v422(errs)
        lp = dict(obj["litellm_params"])
        # no existence check of litellm_credential_name on create, mid-2025
        # and newest (MME@56b8c165; MME@00c8ea69, Lpk124/litellm MME@0e9f2a8f)
        info = dict(obj.get("model_info") or {})
        mid = info.get("id")
        if not mid:
            st.model_seq = getattr(st, "model_seq", 0) + 1
            mid = "00000000-0000-4000-8000-%012d" % st.model_seq
        if mid in st.models:
            # _add_model_to_db's exception is swallowed, then re-raised as
            # this (MME@56b8c165, @0e9f2a8f; PR #39558 transcript)
            return 500, {"error": {"message": "{'error': 'Failed to add model to db. Check your "
                                              "server logs for more details.'}",
                                   "type": "auth_error", "param": "None", "code": "500"}}
        info.pop("id", None)
        info.pop("db_model", None)
        st.models[mid] = {"model_name": obj["model_name"], "litellm_params": drop_nulls(lp),
                          "model_info": info, "config": False}
        enc = {k: ("enc:" + "x" * 8 if isinstance(v, str) and k != "model" and
                   k != "litellm_credential_name" and k != "api_base" else v)
               for k, v in st.models[mid]["litellm_params"].items()}
        return 200, {"model_id": mid, "model_name": obj["model_name"], "litellm_params": enc,
                     "model_info": dict(info, id=mid), "blocked": None,
                     "created_by": "default_user_id", "updated_by": "default_user_id"}

    if path == "/model/delete":
        errs = []
        check_field(obj, "id", "str", True, False, errs)
        if errs:
            return v422(errs)
        mid = obj["id"]
        m = st.models.get(mid)
        if m is None or m.get("config"):
            return not_in_db(mid)
        del st.models[mid]
        return 200, {"message": "Model: %s deleted successfully" % mid}

    # PATCH /model/{model_id}/update
    mid = path[len("/model/"):-len("/update")]
    errs = []
    check_field(obj, "model_name", "str", False, True, errs)
    check_field(obj, "litellm_params", "dict", False, True, errs)
    check_field(obj, "model_info", "dict", False, True, errs)
    if errs:
        return v422(errs)
    m = st.models.get(mid)
    if m is None:
        return envelope(404, "Model %s not found on proxy." % mid)
    if m.get("config"):
        # patch_model (MME@56b8c165, @0e9f2a8f)
        return 400, {"error": {"message": "Cannot edit config-based model. Store model in DB "
                                          "via /model/new first.",
                               "type": "validation_error", "param": "None", "code": "400"}}
    lp = obj.get("litellm_params")
    if gen == "g6" and lp:
        # _raise_on_invalid_credential_name, from patch_model only (@0e9f2a8f)
        err = check_credential_ref(st, lp)
        if err:
            return err
    if obj.get("model_name") is not None:
        m["model_name"] = obj["model_name"]
    if lp is not None:
        # update_db_model: model_dump(exclude_none=True) of updateLiteLLMParams,
        # then .update: nulls dropped, keys never removed, and the booleans
        # whose default is False written as False unless sent (MME@56b8c165,
        # types/router.py@3995103d; newest @0044fbec, 5 booleans).  Newest:
        # a null litellm_credential_name detaches (NULL_CLEARABLE_LITELLM_
        # PARAMS, MME@0e9f2a8f)
        bools = RESET_BOOLS_NEW if gen == "g6" else RESET_BOOLS_OLD
        new = {b: False for b in bools}
        new.update(drop_nulls(lp))
        m["litellm_params"].update(new)
        if gen == "g6" and "litellm_credential_name" in lp and \
                lp["litellm_credential_name"] is None:
            m["litellm_params"].pop("litellm_credential_name", None)
    if obj.get("model_info") is not None:
        # ModelInfo(**patch): a missing id becomes str(uuid4()), db_model
        # False; model_dump(exclude_none=True) then .update (types/router.py
        # @3995103d, @0044fbec; MME@56b8c165, @0e9f2a8f).  The stored
        # model_info.id is what the mock keeps for it; the row key (model_id)
        # is not changed
        mi = drop_nulls(obj["model_info"])
        if "id" not in mi:   # a uuid4 in LiteLLM; a recognisable stand-in here
            st.model_seq = getattr(st, "model_seq", 0) + 1
            mi["id"] = "11111111-1111-4111-8111-%012d" % st.model_seq
        mi["db_model"] = bool(mi.get("db_model", False))
        m["model_info"].update(mi)
    return 200, model_public(mid, m)

# --------------------------------------------------------------------------
# spend log endpoints (doc/litellm-api.md section 8): the litellm_spend_log
# table.  GET /spend/logs/v2 is GET /spend/logs/ui under a second name
# (BerriAI/litellm PR #17167); both run ui_view_spend_logs of
# litellm/proxy/spend_tracking/spend_management_endpoints.py (the copy read:
# search-index copy 35048271765 of that path in BerriAI/litellm, same route
# list as commit 00bc59b8c28847344178f7940319d45819f55779): start_date and
# end_date required ("%Y-%m-%d %H:%M:%S", UTC, both ends inclusive: gte/lte
# on "startTime"), page >= 1, 1 <= page_size <= 100, filters api_key,
# user_id (column "user"), request_id, team_id, model (and model_id since
# v1.95), rows ordered by "startTime" descending, the envelope
# {"data","total","page","page_size","total_pages"}.
#
# Reset keys: "spend_logs": a list of rows, or {"generate": N, "extra":
# [rows]}: N rows spread over the week 2026-12-01 .. 2026-12-08 (UTC) whose
# model_id values are models of seed_models.json; "spend_logs_v2": false
# removes /spend/logs/v2 (LiteLLM before PR #17167, November 2025).
# --------------------------------------------------------------------------

SPEND_MODELS = ["m-gpt4o", "m-gpt4o-mini", "m-azure-gpt4", "m-claude"]
SPEND_MODEL_NAMES = {"m-gpt4o": "gpt-4o", "m-gpt4o-mini": "gpt-4o-mini",
                     "m-azure-gpt4": "gpt-4", "m-claude": "claude-sonnet"}
# the sha256 of three virtual keys, as LiteLLM stores them
SPEND_USERS = ["alice", "bob", "carol"]
SPEND_KEYS = [__import__("hashlib").sha256(("sk-virtual-" + u).encode()).hexdigest()
              for u in SPEND_USERS]


def spend_generate(n):
    """n deterministic rows, the i-th at 2026-12-01 00:00:00 UTC + i * (7 days / n)."""
    import datetime
    t0 = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    rows = []
    for i in range(n):
        start = t0 + datetime.timedelta(seconds=i * 7 * 86400 / n)
        end = start + datetime.timedelta(milliseconds=250 + i % 1000)
        mid = SPEND_MODELS[i % len(SPEND_MODELS)]
        p, c = 10 + i % 90, 5 + i % 40
        rows.append({
            "request_id": "req-%06d" % i, "call_type": "acompletion",
            "api_key": SPEND_KEYS[i % 3], "spend": round(0.0001 * (1 + i % 17), 6),
            "total_tokens": p + c, "prompt_tokens": p, "completion_tokens": c,
            "startTime": start.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "endTime": end.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "model": SPEND_MODEL_NAMES[mid], "model_id": mid,
            "model_group": SPEND_MODEL_NAMES[mid], "custom_llm_provider": "openai",
            "api_base": "https://api.example.com/v1", "user": SPEND_USERS[i % 3],
            "team_id": "team-%d" % (i % 2), "end_user": "", "status": "success",
            "request_tags": ["t%d" % (i % 2)],
            "metadata": {"user_api_key_alias": SPEND_USERS[i % 3],
                         "user_api_key": SPEND_KEYS[i % 3],
                         "headers": {"authorization": "Bearer sk-user-secret-%d" % (i % 3)}},
            "messages": [{"role": "user", "content": "my key is sk-prompt-secret-%d" % i}],
            "response": {"choices": [{"message": {"content": "ok"}}]},
            "proxy_server_request": {"api_key": "sk-request-secret"},
            "cache_hit": "False", "session_id": "s-%d" % (i % 5),
        })
    return rows


def spend_reset_rows(v):
    if v is None:
        return []
    if isinstance(v, list):
        rows = v
    elif isinstance(v, dict) and set(v) <= {"generate", "extra"}:
        rows = spend_generate(int(v.get("generate", 0))) + list(v.get("extra") or [])
    else:
        raise ValueError("spend_logs must be a list of rows or {\"generate\": N, \"extra\": [...]}")
    if not all(isinstance(r, dict) for r in rows):
        raise ValueError("each spend log row must be an object")
    return rows


def spend_api(st, gen, method, path, headers, query):
    import datetime

    def qv(name):
        v = query.get(name)
        return v[-1] if v else None

    if path == "/spend/logs/v2" and not getattr(st, "spend_logs_v2", True):
        return NOT_FOUND
    if path not in ("/spend/logs/v2", "/spend/logs/ui"):
        return NOT_FOUND
    if method != "GET":
        return NOT_ALLOWED
    try:
        page = int(qv("page") or "1")
        size = int(qv("page_size") or "50")
    except ValueError:
        return v422([{"type": "int_parsing", "loc": ["query", "page"],
                      "msg": "Input should be a valid integer", "input": qv("page")}])
    if page < 1:
        return v422([{"type": "greater_than_equal", "loc": ["query", "page"],
                      "msg": "Input should be greater than or equal to 1", "input": str(page)}])
    if size < 1 or size > 100:
        return v422([{"type": "less_than_equal" if size > 100 else "greater_than_equal",
                      "loc": ["query", "page_size"],
                      "msg": "Input should be less than or equal to 100" if size > 100 else
                      "Input should be greater than or equal to 1", "input": str(size)}])
    aerr = check_auth(headers)
    if aerr:
        return aerr
    start, end = qv("start_date"), qv("end_date")
    if start is None or end is None:
        return 400, {"error": {"message": "Start date and end date are required",
                               "type": "bad_request", "param": "None", "code": "400"}}
    try:
        lo = datetime.datetime.strptime(start, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        hi = datetime.datetime.strptime(end, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    except ValueError as e:
        return envelope(500, str(e))

    def when(r):
        try:
            return datetime.datetime.fromisoformat(str(r.get("startTime")).replace("Z", "+00:00"))
        except ValueError:
            return None

    filters = {"api_key": "api_key", "user_id": "user", "request_id": "request_id",
               "team_id": "team_id", "model": "model", "model_id": "model_id"}
    rows = []
    for r in st.spend_logs:
        t = when(r)
        if t is None or t < lo or t > hi:
            continue
        if any(qv(q) is not None and r.get(col) != qv(q) for q, col in filters.items()):
            continue
        rows.append((t, r))
    rows.sort(key=lambda tr: tr[0], reverse=True)
    total = len(rows)
    chunk = [r for _t, r in rows[(page - 1) * size: page * size]]
    return 200, {"data": chunk, "total": total, "page": page, "page_size": size,
                 "total_pages": (total + size - 1) // size}


# --------------------------------------------------------------------------
# faults
# --------------------------------------------------------------------------

FAULT_KEYS = {"method", "path_prefix", "skip", "times", "status", "body", "content_type",
              "headers", "delay_ms", "drop", "reset_mid_body", "truncate_json",
              "huge_bytes", "drip_ms", "vanish", "body_encoding"}
FAULT_ACTIONS = ("status", "delay_ms", "drop", "reset_mid_body", "truncate_json",
                 "huge_bytes", "drip_ms", "vanish")

# --- exact outcomes at commit (issue 22) -----------------------------------
# "apply_then_drop": the server applies the write (as it would answer it),
# then closes the connection without sending a byte of the answer: the
# client cannot tell from the answer whether the change was made.
FAULT_KEYS = FAULT_KEYS | {"apply_then_drop"}
FAULT_ACTIONS = FAULT_ACTIONS + ("apply_then_drop",)
# ---------------------------------------------------------------------------


def make_fault(spec):
    if not isinstance(spec, dict):
        raise ValueError("fault must be a JSON object")
    unknown = set(spec) - FAULT_KEYS
    if unknown:
        raise ValueError("unknown fault key(s): %s" % ", ".join(sorted(unknown)))
    if not any(spec.get(a) not in (None, False) for a in FAULT_ACTIONS):
        raise ValueError("fault needs one of: " + ", ".join(FAULT_ACTIONS))
    f = dict(spec)
    for k in ("skip", "times", "status", "delay_ms", "truncate_json", "huge_bytes", "drip_ms"):
        if f.get(k) is not None and (not isinstance(f[k], int) or isinstance(f[k], bool)):
            raise ValueError("%s must be an integer" % k)
    if f.get("body") is not None and not isinstance(f["body"], str):
        raise ValueError("body must be a string")
    if f.get("body_encoding") not in (None, "utf-8", "latin-1"):
        raise ValueError("body_encoding must be utf-8 or latin-1")
    if f.get("headers") is not None and not isinstance(f["headers"], dict):
        raise ValueError("headers must be an object")
    f.setdefault("skip", 0)
    f.setdefault("times", 1)
    f["_skipped"] = 0
    return f


def vanish_target(path, body):
    """Fault "vanish": remove from the state the credential or model that
    the request at PATH (with BODY) addresses, as another client would."""
    with LOCK:
        if path.startswith(PFX) and not path.startswith(BY_MODEL):
            name = path[len(BY_NAME):] if path.startswith(BY_NAME) else path[len(PFX):]
            M.creds.pop(name, None)
            M.mem.pop(name, None)
        elif path.startswith("/model/") and path.endswith("/update"):
            M.models.pop(path[len("/model/"):-len("/update")], None)
        elif path == "/model/delete":
            try:
                M.models.pop(json.loads(body).get("id"), None)
            except (ValueError, AttributeError, TypeError):
                pass


def select_fault(method, raw_path):
    """Called with LOCK held."""
    for f in M.faults:
        if f["times"] == 0:
            continue
        if f.get("method") is not None and f["method"] != method:
            continue
        if f.get("path_prefix") is not None and not raw_path.startswith(f["path_prefix"]):
            continue
        if f["_skipped"] < f["skip"]:
            f["_skipped"] += 1
            continue
        if f["times"] > 0:
            f["times"] -= 1
        return f
    return None


# --------------------------------------------------------------------------
# lying servers: answers whose end the server controls (sql/lying_server.sql)
# --------------------------------------------------------------------------
#
# Two more fault actions, for the loops of the client whose end depends on
# the server:
#
#   "page_lie": MODE   answers GET /v2/model/info?page=P with a page that lies
#       "stuck"    page 1's models, "current_page": 1, "total_pages": 2, whatever P
#       "grow"     one new model "lie-P", "current_page": P, "total_pages": P + 1
#       "huge"     one new model "lie-P", "current_page": P, "total_pages": 10**9
#       "repeat"   page 1's models again, "current_page": P (honest), and
#                  "total_pages" at least 2: a model id listed on two pages
#   "endless": MS      a 200 answer whose chunked body never ends: a chunk of
#                      1 KiB every MS milliseconds (MS >= 1), until the client
#                      goes away, the test server is reset, or 60 s pass

FAULT_KEYS = FAULT_KEYS | {"page_lie", "endless"}
FAULT_ACTIONS = FAULT_ACTIONS + ("page_lie", "endless")
PAGE_LIES = ("stuck", "grow", "huge", "repeat")
_make_fault_plain = make_fault


def make_fault(spec):  # noqa: F811 (the checks of the two lies added)
    f = _make_fault_plain(spec)
    if f.get("page_lie") is not None and f["page_lie"] not in PAGE_LIES:
        raise ValueError("page_lie must be one of: " + ", ".join(PAGE_LIES))
    if f.get("endless") is not None and (not isinstance(f["endless"], int) or
                                         isinstance(f["endless"], bool) or f["endless"] < 1):
        raise ValueError("endless must be an integer >= 1")
    return f


def lie_model(page):
    return {"model_name": "lie", "litellm_params": {"model": "openai/lie"},
            "model_info": {"id": "lie-%d" % page, "db_model": True}}


def page_lie(mode, raw):
    """The lying answer (status, body) to GET /v2/model/info at RAW."""
    query = urllib.parse.parse_qs(raw.split("?", 1)[1]) if "?" in raw else {}
    try:
        page = int(query.get("page", ["1"])[-1])
        size = int(query.get("size", ["50"])[-1])
    except ValueError:
        page, size = 1, 50
    with LOCK:
        ids = list(M.models)
        first = [model_public(i, M.models[i]) for i in ids[:max(size, 1)]]
    if mode == "stuck":
        obj = {"data": first, "total_count": 2 * len(first), "current_page": 1,
               "total_pages": 2, "size": size}
    elif mode == "grow":
        obj = {"data": [lie_model(page)], "total_count": page + 1, "current_page": page,
               "total_pages": page + 1, "size": size}
    elif mode == "huge":
        obj = {"data": [lie_model(page)], "total_count": 10 ** 9, "current_page": page,
               "total_pages": 10 ** 9, "size": size}
    else:  # repeat
        pages = max(2, (len(ids) + size - 1) // max(size, 1))
        obj = {"data": first, "total_count": len(ids), "current_page": page,
               "total_pages": pages, "size": size}
    return 200, jdump(obj).encode("utf-8")


def send_lie(handler, fault):
    """Answer with the lie FAULT names; returns what handle_api returns."""
    if fault.get("page_lie") is not None:
        status, out = page_lie(fault["page_lie"], handler.path)
        handler.send_all(status, out)
        return status
    epoch = M.epoch
    handler.inflight_end()
    handler.close_connection = True
    chunk = b"400\r\n" + b"[" * 1024 + b"\r\n"
    stop = time.monotonic() + 60
    try:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                            b"transfer-encoding: chunked\r\nconnection: close\r\n\r\n")
        while M.epoch == epoch and time.monotonic() < stop:
            handler.wfile.write(chunk)
            time.sleep(fault["endless"] / 1000.0)
    except OSError:
        pass
    return "endless"


# --------------------------------------------------------------------------
# protocol fuzzing: seeded random mutations of valid responses
# --------------------------------------------------------------------------
#
# POST /_mock/config {"fuzz": {"seed": N, "rate": 1.0}} turns it on (null or
# false turns it off; /_mock/reset too).  The i-th API request (counted from
# the config call) is mutated with probability "rate", by a random.Random
# seeded from (seed, i) alone, so one client driving the same statements in
# the same order sees the same answers again.  "kinds" (a list) restricts the
# mutations to some of FUZZ_KINDS.  Injected faults win over fuzzing.
# GET /_mock/fuzz lists the last 200 mutated answers (index, kind, request,
# status, the first 300 bytes sent); /_mock/stats counts them by kind.

class _J:
    """Raw JSON text (bytes) placed as is into a serialized document."""

    def __init__(self, raw):
        self.raw = raw if isinstance(raw, bytes) else raw.encode("utf-8")


class _DupObj:
    """An object serialized from a list of (key, value) pairs (keys may repeat)."""

    def __init__(self, pairs):
        self.pairs = pairs


def fz_ser(v):
    """Serialize a tree that may hold _J and _DupObj nodes (and raw-bytes keys)."""
    if isinstance(v, _J):
        return v.raw
    if isinstance(v, _DupObj):
        return b"{" + b",".join(fz_key(k) + b":" + fz_ser(x) for k, x in v.pairs) + b"}"
    if isinstance(v, dict):
        return b"{" + b",".join(fz_key(k) + b":" + fz_ser(x) for k, x in v.items()) + b"}"
    if isinstance(v, list):
        return b"[" + b",".join(fz_ser(x) for x in v) + b"]"
    return json.dumps(v, ensure_ascii=False).encode("utf-8")


def fz_key(k):
    if isinstance(k, _J):
        return k.raw
    return json.dumps(k, ensure_ascii=False).encode("utf-8")


def fz_paths(v, path=()):
    """Every node of a parsed JSON tree, as paths of keys / indexes."""
    out = [path]
    if isinstance(v, dict):
        for k, x in v.items():
            out.extend(fz_paths(x, path + (k,)))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            out.extend(fz_paths(x, path + (i,)))
    return out


def fz_get(v, path):
    for p in path:
        v = v[p]
    return v


def fz_set(root, path, new):
    if not path:
        return new
    parent = fz_get(root, path[:-1])
    parent[path[-1]] = new
    return root


FZ_HUGE = ["1e999", "-1e999", "1" + "0" * 400, "123456789012345678901234567890",
           "-0", "1E-400", "9223372036854775808", "-9223372036854775809",
           "18446744073709551616", "4.9e-324", "1.7976931348623157e308", "2147483648",
           "-2147483649", "0." + "0" * 300 + "1", "1" * 5000, "-" + "9" * 1000 + ".5e-99999",
           "1e+2147483648", "0e-0"]
FZ_ESCAPES = [b"\\u0000", b"a\\u0000b", b"\\ud800", b"\\udc00x", b"\\ud800\\u0041",
              b"\\uDFFF\\uD800", b"\\ud83d\\ude00", b"\xff", b"\xc0\x80", b"\xed\xa0\x80",
              b"\xf4\x90\x80\x80", b"\x80", b"ab\xe2\x82", b"\\u", b"\\uZZZZ", b"\\x41",
              b"\\'", b"\x01\x1f", b"\t", b"\\/", b"\\\\", b"%s%n%p", b"\\u00e9\xc3\xa9",
              b"\xef\xbb\xbf", b"\\uFEFF", b"\\uffff", b"\xf8\x88\x80\x80\x80", b"\\\"",
              b"\\", b"\""]
FZ_STATUSES = [200, 201, 202, 203, 204, 206, 226, 299, 300, 301, 302, 303, 304, 307, 308,
               400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 414, 418, 422, 425, 429,
               431, 451, 499, 500, 501, 502, 503, 504, 505, 511, 599, 600, 799, 999]
FZ_CTYPES = ["text/html", "text/plain", None, "", "application/octet-stream",
             "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
             "multipart/form-data; boundary=x", "application/problem+json",
             "application/x-ndjson", "text/event-stream", "application/json\x01",
             "a" * 5000]
FZ_RETRY_AFTER = ["0", "1", "-1", "abc", "", " 1", "1.5", "0x10", "99999999999999999999",
                  "2147483648", "4294967297", "-9223372036854775808", "1e3",
                  "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "1, 2"]
FZ_GARBAGE = [b"x", b"{}", b"\x00", b" \n\t ", b"]", b",", b"\xff", b"null", b"}",
              b"\n{\"success\":true}", b"//comment", b"/* c */", b"\r\n\r\n", b"[]" * 50]
FZ_SHAPES = [b"null", b"[]", b"{}", b"\"str\"", b"0", b"true", b"[{}]", b"[null]",
             b"{\"credentials\":null}", b"{\"credentials\":{}}", b"{\"credentials\":[1,2,null]}",
             b"{\"credentials\":[{\"credential_name\":null}]}",
             b"{\"credentials\":[{\"credential_name\":\"\"}]}",
             b"{\"credentials\":[{\"credential_name\":\"a\",\"credential_values\":[]}]}",
             b"{\"credentials\":[{\"credential_name\":\"a\",\"credential_info\":\"x\"}]}",
             b"{\"credentials\":[{\"credential_name\":\"a\"},{\"credential_name\":\"a\"}]}",
             b"{\"credential_name\":7}", b"{\"credential_name\":\"x\",\"credential_values\":null}",
             b"{\"success\":false}", b"{\"success\":\"yes\"}", b"{\"error\":null}",
             b"{\"error\":{}}", b"{\"error\":\"boom\"}", b"{\"error\":{\"message\":123,\"code\":[]}}",
             b"{\"error\":{\"message\":\"m\",\"code\":\"99999999999999999999\"}}",
             b"{\"error\":{\"message\":\"m\",\"code\":\"-1\"}}",
             b"{\"error\":{\"message\":\"m\",\"code\":\"200\"}}",
             b"{\"message\":\"m\",\"type\":\"t\",\"param\":\"p\",\"code\":\"404\"}",
             b"{\"message\":\"m\",\"type\":\"t\",\"param\":\"p\",\"code\":404}",
             b"{\"message\":null,\"type\":null,\"param\":null,\"code\":null}",
             b"{\"detail\":[]}", b"{\"detail\":[null,1,\"s\",{\"loc\":5,\"msg\":[]}]}",
             b"{\"detail\":{\"error\":[]}}", b"{\"detail\":\"Not Found\"}",
             b"{\"detail\":[{\"loc\":[\"body\",1e999,null,{}],\"msg\":\"x\"}]}",
             b"<html><body><h1>502 Bad Gateway</h1></body></html>", b"\xff\xfe{\x00}\x00"]

# kind -> weight
FUZZ_KINDS = {
    "truncate": 10, "type_swap": 12, "huge_number": 6, "deep_nesting": 5, "odd_escape": 10,
    "content_type": 5, "dup_key": 6, "missing_field": 8, "trailing_garbage": 6,
    "status": 10, "shape": 8, "big": 2, "framing": 4, "retry_after": 2, "interim": 1,
    "stacked": 5,
}


def fz_other_value(rng, old):
    choices = ["str", "", 42, -1.5, 0, {}, [], None, True, False, {"x": "y"}, ["a", 1],
               _J(rng.choice(FZ_HUGE)), "********", [[[]]], {"": None}]
    while True:
        c = rng.choice(choices)
        if type(c) is not type(old) or c != old:
            return copy.deepcopy(c)


def fz_tree_mutation(rng, kind, tree):
    """Mutate a parsed JSON tree in place (returns the new root)."""
    paths = fz_paths(tree)
    path = rng.choice(paths)
    node = fz_get(tree, path)
    if kind == "type_swap":
        return fz_set(tree, path, fz_other_value(rng, node))
    if kind == "huge_number":
        return fz_set(tree, path, _J(rng.choice(FZ_HUGE)))
    if kind == "deep_nesting":
        d = rng.choice([10, 100, 500, 999, 1000, 1001, 5000, 100000])
        if rng.random() < 0.5:
            inner = b"[" * d + b"]" * d
        else:
            inner = b"{\"a\":" * d + b"1" + b"}" * d
        return fz_set(tree, path, _J(inner))
    if kind == "odd_escape":
        esc = rng.choice(FZ_ESCAPES)
        strs = [p for p in paths if isinstance(fz_get(tree, p), str)]
        objs = [p for p in paths if isinstance(fz_get(tree, p), dict) and fz_get(tree, p)]
        if objs and (not strs or rng.random() < 0.3):
            # in a key
            p = rng.choice(objs)
            o = fz_get(tree, p)
            k = rng.choice(list(o))
            pairs = [((_J(b"\"" + k.encode("utf-8") + esc + b"\"") if kk == k else kk), v)
                     for kk, v in o.items()]
            return fz_set(tree, p, _DupObj(pairs))
        if strs:
            p = rng.choice(strs)
            s = json.dumps(fz_get(tree, p), ensure_ascii=False).encode("utf-8")[1:-1]
            pos = rng.randint(0, len(s))
            return fz_set(tree, p, _J(b"\"" + s[:pos] + esc + s[pos:] + b"\""))
        return fz_set(tree, path, _J(b"\"" + esc + b"\""))
    if kind == "dup_key":
        objs = [p for p in paths if isinstance(fz_get(tree, p), dict) and fz_get(tree, p)]
        if not objs:
            return _DupObj([("credential_name", "a"), ("credential_name", 1)])
        p = rng.choice(objs)
        o = fz_get(tree, p)
        k = rng.choice(list(o))
        pairs = list(o.items())
        extra = (k, o[k] if rng.random() < 0.3 else fz_other_value(rng, o[k]))
        if rng.random() < 0.5:
            pairs.insert(0, extra)
        else:
            pairs.append(extra)
        return fz_set(tree, p, _DupObj(pairs))
    if kind == "missing_field":
        objs = [p for p in paths if isinstance(fz_get(tree, p), dict) and fz_get(tree, p)]
        if not objs:
            return fz_set(tree, path, None)
        p = rng.choice(objs)
        o = fz_get(tree, p)
        for k in rng.sample(list(o), rng.randint(1, len(o))):
            del o[k]
        return tree
    if kind == "big":
        if rng.random() < 0.5:
            return fz_set(tree, path, "B" * rng.choice([65536, 1 << 20, 3 << 20]))
        n = rng.choice([1000, 20000])
        return {"credentials": [{"credential_name": "big-%d" % i, "credential_info": {"i": i},
                                 "credential_values": {"api_key": "*****"}} for i in range(n)]}
    return tree


def fuzz_response(rng, status, body):
    """-> (kind, status, headers list, body bytes, close_after)."""
    kinds = list(FUZZ_KINDS)
    kind = rng.choices(kinds, weights=[FUZZ_KINDS[k] for k in kinds])[0]
    if M.fuzz.get("kinds"):
        kind = rng.choice(M.fuzz["kinds"])
    ctype = "application/json"
    headers = []
    close = False
    try:
        tree = json.loads(body)
    except ValueError:
        tree = {}
    rounds = rng.randint(2, 4) if kind == "stacked" else 1
    sub = kind
    out = body
    for _ in range(rounds):
        if kind == "stacked":
            sub = rng.choice(["type_swap", "huge_number", "odd_escape", "dup_key",
                              "missing_field", "deep_nesting"])
        if sub in ("type_swap", "huge_number", "deep_nesting", "odd_escape", "dup_key",
                   "missing_field", "big"):
            if isinstance(tree, _DupObj):  # already a pair list: mutate one value
                k, v = rng.choice(tree.pairs)
                tree.pairs.append((k, fz_other_value(rng, v)))
            else:
                tree = fz_tree_mutation(rng, sub, tree)
            out = fz_ser(tree)
    if kind == "truncate":
        out = body[: rng.randint(0, max(0, len(body) - 1))]
    elif kind == "content_type":
        ctype = rng.choice(FZ_CTYPES)
        if rng.random() < 0.2:
            out = b"<html><body>Bad Gateway</body></html>"
    elif kind == "trailing_garbage":
        out = body + rng.choice(FZ_GARBAGE)
    elif kind == "status":
        status = rng.choice(FZ_STATUSES)
        r = rng.random()
        if r < 0.3:
            out = rng.choice(FZ_SHAPES)
        elif r < 0.4:
            out = b""
        if 300 <= status < 400 and rng.random() < 0.7:
            headers.append(("Location", rng.choice(
                ["http://127.0.0.1:1/credentials", "/credentials", "file:///etc/passwd",
                 "https://127.0.0.1:1/", "", "\x7f"])))
    elif kind == "shape":
        out = rng.choice(FZ_SHAPES)
        if rng.random() < 0.3:
            status = rng.choice([200, 404, 409, 422, 500])
    elif kind == "framing":
        close = True
        r = rng.randint(0, 5)
        if r == 0:   # content-length larger than the body, then close
            headers.append(("content-length", str(len(out) + rng.randint(1, 100))))
        elif r == 1:  # no content-length, body ends at close
            headers.append(("content-length", None))
        elif r == 2:
            headers.append(("content-length", rng.choice(["-1", "abc", "99999999999999999999999",
                                                          "0x10", "1 2", ""])))
        elif r == 3:  # two different content-lengths
            headers.append(("content-length", str(len(out))))
            headers.append(("content-length+", str(len(out) + 1)))
        elif r == 4:  # broken chunked encoding
            headers.append(("content-length", None))
            headers.append(("transfer-encoding", "chunked"))
            out = rng.choice([b"ffffffffffffffffffff\r\n" + out, b"zz\r\n" + out + b"\r\n0\r\n\r\n",
                              b"%x\r\n" % (len(out) + 5) + out + b"\r\n0\r\n\r\n",
                              b"%x\r\n" % len(out) + out + b"\r\n"])
        else:        # content-length shorter than the body (the rest stays on the wire)
            close = False
            headers.append(("content-length", str(max(0, len(out) - rng.randint(1, 20)))))
    elif kind == "retry_after":
        status = rng.choice([429, 503, 502, 504])
        headers.append(("Retry-After", rng.choice(FZ_RETRY_AFTER)))
        out = b'{"error":{"message":"slow down","code":"%d"}}' % status
    elif kind == "interim":
        headers.append(("interim", rng.choice(["100 Continue", "103 Early Hints", "102 Processing"])))
    return kind, status, ctype, headers, out, close


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------

def reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def log_line(method, raw, status):
    if M.logf is None:
        return
    with LOG_LOCK:
        try:
            M.logf.write("%s %s %s\n" % (method, raw, status))
            M.logf.flush()
        except Exception:
            pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "litellm-mock"
    sys_version = ""

    def setup(self):
        try:
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        super().setup()
        self.counted_epoch = 0

    def log_message(self, fmt, *args):  # silence default stderr logging
        pass

    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = ""
                self.request_version = ""
                self.command = ""
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self.dispatch()
        except (socket.timeout, ConnectionError, BrokenPipeError, OSError):
            self.close_connection = True

    # -- helpers ---------------------------------------------------------

    def read_body(self):
        te = (self.headers.get("transfer-encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise ConnectionError("eof in chunked body")
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while True:  # trailers
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        cl = self.headers.get("content-length")
        if not cl:
            return b""
        n = int(cl)
        if n < 0:
            raise ValueError("negative content-length")
        data = self.rfile.read(n)
        if len(data) != n:
            raise ConnectionError("short body")
        return data

    def build_head(self, status, ctype, length, extra=None):
        parts = ["HTTP/1.1 %d %s\r\n" % (status, reason(status)),
                 "content-type: %s\r\n" % ctype,
                 "content-length: %d\r\n" % length]
        if extra:
            for k, v in extra.items():
                parts.append("%s: %s\r\n" % (k, v))
        if self.close_connection:
            parts.append("connection: close\r\n")
        parts.append("\r\n")
        return "".join(parts).encode("latin-1")

    def inflight_end(self):
        """The request stops being in flight: as its answer starts to go out
        (a client that waits for it may send its next request at once), or
        when it ends without one."""
        gen = getattr(self, "inflight_gen", None)
        if gen is not None:
            self.inflight_gen = None
            inflight_leave(gen)

    def send_all(self, status, body, ctype="application/json", extra=None):
        self.inflight_end()
        self.wfile.write(self.build_head(status, ctype, len(body), extra) + body)

    def send_text(self, status, text):
        self.send_all(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    # -- dispatch --------------------------------------------------------

    def dispatch(self):
        method = self.command
        raw = self.path
        target = raw
        for sep in ("#", "?"):
            i = target.find(sep)
            if i >= 0:
                target = target[:i]
        path = urllib.parse.unquote(target, errors="replace")
        try:
            body = self.read_body()
        except (ValueError, ConnectionError):
            self.close_connection = True
            try:
                self.send_text(400, "bad request body\n")
            except OSError:
                pass
            log_line(method, raw, 400)
            return
        if path.startswith("/_mock/"):
            status = self.control(method, path, raw, body)
            log_line(method, raw, status)
            return
        self.inflight_gen = inflight_enter()
        try:
            status = self.handle_api(method, raw, path, body)
        finally:
            self.inflight_end()
        log_line(method, raw, status)

    def handle_api(self, method, raw, path, body):
        with LOCK:
            M.reqlog.append((method, raw, self.headers.items(), body))
            M.n_requests += 1
            if self.counted_epoch != M.epoch:
                self.counted_epoch = M.epoch
                M.n_connections += 1
            latency = M.latency_ms
        if latency > 0:
            time.sleep(latency / 1000.0)
        with LOCK:
            fault = select_fault(method, raw) if M.faults else None
            fz = None
            if fault is None and M.fuzz is not None:
                idx = M.fuzz_index
                M.fuzz_index += 1
                rng = random.Random("%s:%d" % (M.fuzz["seed"], idx))
                if rng.random() < M.fuzz["rate"]:
                    fz = (idx, rng)
        if fault is None:
            status, ctype, out = self.compute(method, path, body, dry=False)
            if fz is not None:
                return self.send_fuzzed(fz[0], fz[1], method, raw, status, out)
            self.send_all(status, out, ctype)
            return status

        if fault.get("delay_ms"):
            epoch = M.epoch
            time.sleep(fault["delay_ms"] / 1000.0)
            # reset meanwhile (the client gave up, the next test began): a
            # late write must not land in the next test's state
            if M.epoch != epoch:
                self.close_connection = True
                return "drop"
        if fault.get("drop"):
            self.close_connection = True
            return "drop"
        # --- exact outcomes (issue 22): applied, then no answer ---
        if fault.get("apply_then_drop"):
            self.compute(method, path, body, dry=False)
            self.close_connection = True
            return "drop"
        if fault.get("vanish"):
            # someone else removed the row just before this request arrived:
            # it is really gone from the state, and the request gets the
            # server's own answer to that
            vanish_target(path, body)
        if fault.get("reset_mid_body"):
            status, ctype, out = self.compute(method, path, body, dry=True)
            half = out[: len(out) // 2]
            try:
                self.wfile.write(self.build_head(status, ctype, len(out)) + half)
                time.sleep(0.02)
            except OSError:
                pass
            self.rst()
            return "reset"
        if fault.get("huge_bytes") is not None:
            self.send_huge(fault["huge_bytes"])
            return 200
        if fault.get("page_lie") is not None or fault.get("endless") is not None:
            return send_lie(self, fault)  # lying servers (send_lie)
        if fault.get("status") is not None:
            # body_encoding "latin-1": each character U+0000..U+00FF of
            # "body" is sent as that one byte (invalid UTF-8 on purpose)
            fb = (fault.get("body") or "").encode(fault.get("body_encoding") or "utf-8")
            self.send_all(fault["status"], fb, fault.get("content_type") or "application/json",
                          fault.get("headers"))
            return fault["status"]
        status, ctype, out = self.compute(method, path, body, dry=False)
        if fault.get("truncate_json") is not None:
            out = out[: max(0, fault["truncate_json"])]
        if fault.get("drip_ms"):
            self.wfile.write(self.build_head(status, ctype, len(out)))
            for i in range(len(out)):
                time.sleep(fault["drip_ms"] / 1000.0)
                self.wfile.write(out[i:i + 1])
        else:
            self.send_all(status, out, ctype)
        return status

    def send_fuzzed(self, idx, rng, method, raw, status, out):
        try:
            kind, status, ctype, headers, out, close = fuzz_response(rng, status, out)
        except RecursionError:
            # a stored value nested too deep for Python (written back by the
            # client from an earlier fuzzed answer): send a truncation
            kind, ctype, headers, close = "truncate", "application/json", [], False
            out = out[: len(out) // 2]
        with LOCK:
            M.fuzz_counts[kind] = M.fuzz_counts.get(kind, 0) + 1
            M.fuzz_recent.append({"index": idx, "kind": kind, "request": "%s %s" % (method, raw),
                                  "status": status, "headers": headers,
                                  "body": out[:300].decode("latin-1"), "length": len(out)})
            del M.fuzz_recent[:-200]
        if close:
            self.close_connection = True
        lines = []
        cl = str(len(out))
        extra_cl = None
        for k, v in headers:
            if k == "interim":
                lines.append("HTTP/1.1 %s\r\n\r\n" % v)
        lines.append("HTTP/1.1 %d %s\r\n" % (status, reason(status)))
        if ctype is not None:
            lines.append("content-type: %s\r\n" % ctype)
        for k, v in headers:
            if k == "content-length":
                cl = v
            elif k == "content-length+":
                extra_cl = v
            elif k != "interim":
                lines.append("%s: %s\r\n" % (k, v))
        if cl is not None:
            lines.append("content-length: %s\r\n" % cl)
        if extra_cl is not None:
            lines.append("content-length: %s\r\n" % extra_cl)
        if close:
            lines.append("connection: close\r\n")
        lines.append("\r\n")
        try:
            self.wfile.write("".join(lines).encode("latin-1", "replace") + out)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        return "fuzz-%d-%s/%d" % (idx, kind, status)

    def compute(self, method, path, body, dry):
        try:
            query = urllib.parse.parse_qs(self.path.split("?", 1)[1]) if "?" in self.path else {}
            with LOCK:
                gen = M.generation
                st = M
                if dry:  # run the handler against a throw-away copy of the state
                    st = types.SimpleNamespace(creds=copy.deepcopy(M.creds),
                                               mem=copy.deepcopy(M.mem),
                                               models=copy.deepcopy(M.models),
                                               model_info_v2=M.model_info_v2,
                                               model_seq=M.model_seq,
                                               spend_logs=M.spend_logs,
                                               spend_logs_v2=M.spend_logs_v2)
                status, obj = api(st, gen, method, path, self.headers, body, query)
            return status, "application/json", jdump(obj).encode("utf-8")
        except RecursionError:  # a stored value nested deeper than Python goes
            return 500, "application/json", jdump(
                {"error": {"message": "Internal server error (value nested too deep)",
                           "type": "internal_server_error"}}).encode("utf-8")
        except Exception:
            traceback.print_exc()
            return 500, "application/json", jdump(
                {"error": {"message": "Internal server error",
                           "type": "internal_server_error"}}).encode("utf-8")

    def rst(self):
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def send_huge(self, n):
        prefix = b'{"success":true,"credentials":[],"pad":"'
        suffix = b'"}'
        pad = max(0, n - len(prefix) - len(suffix))
        total = len(prefix) + pad + len(suffix)
        self.wfile.write(self.build_head(200, "application/json", total) + prefix)
        chunk = b"x" * 65536
        left = pad
        while left > 0:
            k = min(left, len(chunk))
            self.wfile.write(chunk[:k] if k < len(chunk) else chunk)
            left -= k
        self.wfile.write(suffix)

    # -- control API -----------------------------------------------------

    def control(self, method, path, raw, body):
        q = urllib.parse.parse_qs(raw.split("?", 1)[1]) if "?" in raw else {}
        try:
            if path == "/_mock/reset":
                if method != "POST":
                    return self.c_err(405, "use POST")
                spec = self.c_json(body)
                gen = q.get("generation", [None])[-1]
                if gen is not None:
                    spec["generation"] = gen
                self.c_reset(spec)
                self.send_text(200, "ok\n")
                return 200
            if path == "/_mock/config":
                if method != "POST":
                    return self.c_err(405, "use POST")
                spec = self.c_json(body)
                unknown = set(spec) - {"generation", "latency_ms", "fuzz", "extra_keys"}
                if "extra_keys" in spec:
                    ek = spec["extra_keys"]
                    if not isinstance(ek, list) or not all(isinstance(k, str) and k for k in ek):
                        raise ValueError("extra_keys must be a list of non-empty strings")
                    with LOCK:
                        EXTRA_KEYS.clear()
                        EXTRA_KEYS.update(ek)
                if unknown:
                    raise ValueError("unknown config key(s): %s" % ", ".join(sorted(unknown)))
                gen = norm_gen(spec["generation"]) if "generation" in spec else None
                lat = norm_latency(spec["latency_ms"]) if "latency_ms" in spec else None
                fuzz = norm_fuzz(spec["fuzz"]) if "fuzz" in spec else _MISSING
                with LOCK:
                    if fuzz is not _MISSING:
                        M.fuzz = fuzz
                        M.fuzz_index = 0
                        M.fuzz_counts = {}
                        M.fuzz_recent = []
                    if gen is not None:
                        M.generation = gen
                    if lat is not None:
                        M.latency_ms = lat
                self.send_text(200, "ok\n")
                return 200
            if path == "/_mock/fault":
                if method != "POST":
                    return self.c_err(405, "use POST")
                f = make_fault(self.c_json(body))
                with LOCK:
                    M.faults.append(f)
                self.send_text(200, "ok\n")
                return 200
            if path == "/_mock/requests":
                if method != "GET":
                    return self.c_err(405, "use GET")
                clear = q.get("clear", ["0"])[-1] not in ("0", "", "false")
                with LOCK:
                    entries = list(M.reqlog)
                    if clear:
                        M.reqlog = []
                if q.get("format", [""])[-1] == "json":
                    out = []
                    for m, p, hdrs, b in entries:
                        hd = {}
                        for k, v in hdrs:
                            k = k.lower()
                            hd[k] = hd[k] + ", " + v if k in hd else v
                        out.append({"method": m, "path": p, "headers": hd,
                                    "body": b.decode("utf-8", "replace")})
                    self.send_all(200, jdump(out).encode("utf-8"))
                    return 200
                lines = ["%s %s %s\n" % (m, p, body_repr(b)) for m, p, _h, b in entries]
                self.send_text(200, "".join(lines))
                return 200
            if path == "/_mock/fuzz":
                if method != "GET":
                    return self.c_err(405, "use GET")
                with LOCK:
                    recent = list(M.fuzz_recent)
                self.send_all(200, json.dumps(recent, indent=1).encode("utf-8"))
                return 200
            if path == "/_mock/state":
                if method != "GET":
                    return self.c_err(405, "use GET")
                with LOCK:
                    # the database; then, marked "(served)", each entry of
                    # the in-memory list that differs from it
                    lines = ["%s %s %s\n" % (n, jsorted(c["credential_info"]),
                                             jsorted(c["credential_values"]))
                             for n, c in M.creds.items()]
                    lines += ["(served) %s %s %s\n" % (n, jsorted(c["credential_info"]),
                                                       jsorted(c["credential_values"]))
                              for n, c in M.mem.items() if M.creds.get(n) != c]
                self.send_text(200, "".join(lines))
                return 200
            if path == "/_mock/models":
                if method != "GET":
                    return self.c_err(405, "use GET")
                with LOCK:
                    lines = ["%s %s%s %s %s\n" % (i, m.get("model_name"),
                                                  " (config)" if m.get("config") else "",
                                                  jsorted(m.get("litellm_params") or {}),
                                                  jsorted(m.get("model_info") or {}))
                             for i, m in M.models.items()]
                self.send_text(200, "".join(lines))
                return 200
            if path == "/_mock/inflight":
                if method != "GET":
                    return self.c_err(405, "use GET")
                clear = q.get("clear", ["0"])[-1] not in ("0", "", "false")
                with LOCK:
                    s = {"max": INFLIGHT["max"]}
                    if clear:
                        inflight_clear()
                self.send_all(200, json.dumps(s).encode("utf-8"))
                return 200
            if path == "/_mock/stats":
                if method != "GET":
                    return self.c_err(405, "use GET")
                with LOCK:
                    s = {"connections": M.n_connections, "requests": M.n_requests}
                    if M.fuzz is not None or M.fuzz_counts:
                        s["fuzzed"] = dict(sorted(M.fuzz_counts.items()))
                self.send_all(200, json.dumps(s).encode("utf-8"))
                return 200
            return self.c_err(404, "unknown control endpoint %s" % path)
        except ValueError as e:
            return self.c_err(400, str(e))

    def c_err(self, status, msg):
        self.send_text(status, "error: %s\n" % msg)
        return status

    @staticmethod
    def c_json(body):
        if not body or not body.strip():
            return {}
        try:
            obj = json.loads(body)
        except ValueError as e:
            raise ValueError("invalid JSON: %s" % e)
        if not isinstance(obj, dict):
            raise ValueError("body must be a JSON object")
        return obj

    @staticmethod
    def c_reset(spec):
        unknown = set(spec) - {"generation", "credentials", "models", "latency_ms",
                               "model_info_v2", "spend_logs", "spend_logs_v2"}
        if unknown:
            raise ValueError("unknown reset key(s): %s" % ", ".join(sorted(unknown)))
        gen = norm_gen(spec.get("generation") or "g6")
        lat = norm_latency(spec.get("latency_ms", 0))
        creds = {}
        for c in spec.get("credentials") or []:
            if not isinstance(c, dict) or not isinstance(c.get("credential_name"), str):
                raise ValueError("each credential needs a string credential_name")
            info = c.get("credential_info") or {}
            vals = c.get("credential_values") or {}
            if not isinstance(info, dict) or not isinstance(vals, dict):
                raise ValueError("credential_info/credential_values must be objects")
            creds[c["credential_name"]] = {"credential_info": info, "credential_values": vals}
        models = {}
        for m in spec.get("models") or []:
            if not isinstance(m, dict) or not isinstance(m.get("id"), str):
                raise ValueError("each model needs a string id")
            lp = m.get("litellm_params") or {}
            if not isinstance(lp, dict):
                raise ValueError("litellm_params must be an object")
            mi = m.get("model_info") or {}
            if not isinstance(mi, dict):
                raise ValueError("model_info must be an object")
            models[m["id"]] = {"model_name": m.get("model_name"), "litellm_params": lp,
                               "model_info": mi, "config": bool(m.get("config"))}
        spend_rows = spend_reset_rows(spec.get("spend_logs"))
        with LOCK:
            M.reset()
            inflight_clear()
            EXTRA_KEYS.clear()
            M.generation = gen
            M.latency_ms = lat
            M.creds = creds
            M.mem = copy.deepcopy(creds)
            M.models = models
            M.model_info_v2 = bool(spec.get("model_info_v2", True))
            # spend log rows (spend_api)
            M.spend_logs = spend_rows
            M.spend_logs_v2 = bool(spec.get("spend_logs_v2", True))


def norm_gen(g):
    if not isinstance(g, str):
        raise ValueError("generation must be a string")
    g = g.strip().lower()
    if g.isdigit():
        g = "g" + g
    g = GEN_ALIASES.get(g, g)
    if g not in GENERATIONS:
        raise ValueError("generation must be one of %s" % ", ".join(GENERATIONS))
    return g


def norm_fuzz(v):
    if v is None or v is False:
        return None
    if not isinstance(v, dict):
        raise ValueError("fuzz must be an object, null or false")
    unknown = set(v) - {"seed", "rate", "kinds"}
    if unknown:
        raise ValueError("unknown fuzz key(s): %s" % ", ".join(sorted(unknown)))
    seed = v.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("fuzz seed must be an integer")
    rate = v.get("rate", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError("fuzz rate must be a number from 0 to 1")
    kinds = v.get("kinds")
    if kinds is not None:
        if not isinstance(kinds, list) or not kinds or any(k not in FUZZ_KINDS for k in kinds):
            raise ValueError("fuzz kinds must be a non-empty list of: %s"
                             % ", ".join(FUZZ_KINDS))
    return {"seed": seed, "rate": float(rate), "kinds": kinds}


def norm_latency(v):
    if v is None:
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        raise ValueError("latency_ms must be a non-negative number")
    return v


def body_repr(b):
    if not b:
        return "-"
    try:
        return jsorted(json.loads(b))
    except (ValueError, RecursionError):
        return b.decode("utf-8", "replace").replace("\r", "\\r").replace("\n", "\\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def server_bind(self):
        # skip HTTPServer.server_bind: its getfqdn() may do a slow DNS lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]


def main():
    ap = argparse.ArgumentParser(description="LiteLLM credentials mock proxy")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--master-key", default="sk-master-test")
    ap.add_argument("--log")
    ap.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    args = ap.parse_args()

    M.master_key = args.master_key
    if args.log:
        M.logf = open(args.log, "a", encoding="utf-8")

    srv = Server(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        # a client that rejects the certificate fails the handshake in
        # accept(); socketserver drops that connection and goes on
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    if args.port_file:
        tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
        with open(tmp, "w") as fh:
            fh.write("%d\n" % port)
        os.replace(tmp, args.port_file)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        if M.logf is not None:
            M.logf.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
