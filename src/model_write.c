/*-------------------------------------------------------------------------
 *
 * model_write.c
 *		  Every change litellm_fdw makes to LiteLLM's models goes through
 *		  here: POST /model/new, PATCH /model/{id}/update, POST /model/delete.
 *
 * Each function takes a complete LfdwModelSpec, which holds everything the
 * request needs, so that a write can be sent when the row is processed (as
 * now) or kept and sent later.  Like remote_write.c, request bodies are
 * wiped after the request on every path, and the secret strings of
 * litellm_params are scrubbed from any remote text an error shows.
 *
 * Models defined in LiteLLM's config file are not in its database, and
 * LiteLLM refuses to change them with "Model with id=... not found in db"
 * (HTTP 400): that is reported as such, with a hint.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model_write.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "model.h"
#include "secret.h"
#include "model_wire.h"
#include "utils/builtins.h"
#include "utils/json.h"

/* Helper functions */
static char *build_body(const LfdwModelSpec *spec, bool with_id_member,
						size_t *len);
static void append_jsonb(StringInfo buf, const char *member, Jsonb *jb,
						 bool *first);
static LfdwHttpResponse *send_model_write(const LfdwOptions *opts,
										  const char *method,
										  const char *path, const char *verb,
										  const LfdwModelSpec *spec,
										  char *body, size_t body_len,
										  bool missing_ok, bool *found,
										  char **new_id);
static void check_model_response(LfdwCall *call, LfdwHttpResponse *resp,
								 const char *verb, const LfdwModelSpec *spec,
								 bool missing_ok, bool *found);

/*
 * lfdw_model_remote_create
 *		POST /model/new; returns the id LiteLLM gave the model (NULL when
 *		the response does not say).
 */
char *
lfdw_model_remote_create(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	size_t		len;
	char	   *body = build_body(spec, false, &len);
	bool		found;
	char	   *id = NULL;

	(void) send_model_write(opts, "POST", "/model/new", "create", spec,
							body, len, false, &found, &id);
	return id;
}

/*
 * lfdw_model_remote_update
 *		PATCH /model/{id}/update with the members of spec that are set;
 *		false when LiteLLM says there is no such model.
 */
bool
lfdw_model_remote_update(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	size_t		len;
	char	   *body = build_body(spec, false, &len);
	bool		found;
	char	   *path = psprintf("/model/%s/update",
								lfdw_encode_path_segment(spec->model_id));

	(void) send_model_write(opts, "PATCH", path, "update", spec, body, len,
							true, &found, NULL);
	return found;
}

/*
 * lfdw_model_remote_delete
 *		POST /model/delete {"id": ...}; false when LiteLLM says there is
 *		no such model.
 */
bool
lfdw_model_remote_delete(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	size_t		len;
	char	   *body = build_body(spec, true, &len);
	bool		found;

	(void) send_model_write(opts, "POST", "/model/delete", "delete", spec,
							body, len, true, &found, NULL);
	return found;
}

/*
 * The JSON body: {"id": model_id} for a delete (with_id_member), else the
 * members of spec that are set.  Returns a palloc'd string in UTF-8 that
 * the caller must pass to lfdw_wipe_body.  The text forms of the jsonb
 * values are wiped once copied.
 */
static char *
build_body(const LfdwModelSpec *spec, bool with_id_member, size_t *len)
{
	StringInfoData buf;
	bool		first = true;
	char	   *utf8;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	if (with_id_member)
	{
		appendStringInfoString(&buf, "\"id\":");
		escape_json(&buf, spec->model_id);
	}
	else
	{
		if (spec->model_name)
		{
			appendStringInfoString(&buf, "\"model_name\":");
			escape_json(&buf, spec->model_name);
			first = false;
		}
		append_jsonb(&buf, "litellm_params", spec->litellm_params, &first);
		append_jsonb(&buf, "model_info", spec->model_info, &first);
	}
	appendStringInfoChar(&buf, '}');

	if (GetDatabaseEncoding() == PG_UTF8 ||
		GetDatabaseEncoding() == PG_SQL_ASCII)
	{
		*len = buf.len;
		return buf.data;
	}
	utf8 = pg_server_to_any(buf.data, buf.len, PG_UTF8);
	if (utf8 != buf.data)
	{
		char	   *copy = pstrdup(utf8);

		explicit_bzero(buf.data, buf.len);
		explicit_bzero(utf8, strlen(utf8));
		pfree(utf8);
		pfree(buf.data);
		utf8 = copy;
	}
	*len = strlen(utf8);
	return utf8;
}

/*
 * Append "member": <jsonb> when jb is set.  The text is made in a buffer
 * of its own and wiped after being copied; the body buffer may grow, so
 * it is sized first to leave no copy of a secret behind in freed memory.
 */
static void
append_jsonb(StringInfo buf, const char *member, Jsonb *jb, bool *first)
{
	char	   *text;
	size_t		tlen;

	if (jb == NULL)
		return;
	text = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	tlen = strlen(text);
	enlargeStringInfo(buf, (int) (tlen + strlen(member) + 8));
	if (!*first)
		appendStringInfoChar(buf, ',');
	*first = false;
	appendStringInfoChar(buf, '"');
	appendStringInfoString(buf, member);
	appendStringInfoString(buf, "\":");
	appendBinaryStringInfo(buf, text, tlen);
	explicit_bzero(text, tlen);
	pfree(text);
}

/*
 * Send one write and interpret the answer.  The body is wiped on every
 * path; the transaction counts as having written before the request
 * leaves.  With new_id, the id of a created model is returned there.
 */
static LfdwHttpResponse *
send_model_write(const LfdwOptions *opts, const char *method,
				 const char *path, const char *verb,
				 const LfdwModelSpec *spec, char *body, size_t body_len,
				 bool missing_ok, bool *found, char **new_id)
{
	LfdwCall	call;
	List	   *volatile secrets = lfdw_jsonb_secret_strings(spec->litellm_params, true);
	LfdwHttpResponse *volatile resp = NULL;

	*found = true;
	PG_TRY();
	{
		lfdw_call_begin(&call, opts, method, path, spec->model_id);
		call.secrets = secrets;
		lfdw_mark_remote_write();
		resp = lfdw_http_request(&call, body, body_len);
		check_model_response(&call, resp, verb, spec, missing_ok, found);
		if (new_id && *found)
			*new_id = lfdw_model_created_id(&call, resp);
		lfdw_call_end(&call);
	}
	PG_FINALLY();
	{
		lfdw_wipe_body(body, body_len);
		lfdw_wipe_strings(secrets);
		/* the stored row a create returns holds the (encrypted) values */
		if (resp && resp->body.data)
			explicit_bzero(resp->body.data, resp->body.len);
	}
	PG_END_TRY();
	return resp;
}

/*
 * Interpret the response of a model write: any success status with a body
 * that is not an error in disguise is a success.
 */
static void
check_model_response(LfdwCall *call, LfdwHttpResponse *resp,
					 const char *verb, const LfdwModelSpec *spec,
					 bool missing_ok, bool *found)
{
	int			code;
	char	   *message;
	const char *server = call->opts->server_name;

	if (!lfdw_response_error(call, resp, &code, &message))
		return;

	if (code == 404 && missing_ok && lfdw_is_litellm_error(resp))
	{
		*found = false;
		return;
	}

	if (message && strstr(message, "not found in db") && spec->model_id)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s model \"%s\": LiteLLM server \"%s\" does not keep it in its database",
						verb, spec->model_id, server),
				 errdetail_internal("%s", message),
				 errhint("Models defined in LiteLLM's config file (model_info.db_model is false) cannot be changed through the API; change them in the config file.  A model deleted meanwhile is answered the same way.")));

	/* from the config file: LiteLLM's 400 (doc/litellm-api.md section 2.8) */
	if (message && strstr(message, "Cannot edit config-based model"))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s model \"%s\": LiteLLM server \"%s\" does not keep it in its database",
						verb, spec->model_id ? spec->model_id : "?", server),
				 errdetail_internal("%s", message),
				 errhint("Models defined in LiteLLM's config file (model_info.db_model is false) cannot be changed through the API; change them in the config file.")));

	/*
	 * A duplicate id is checked before the create (model.c): LiteLLM's 500
	 * "Failed to add model to db" does not tell it from a database fault.
	 */
	if (code == 409)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("model \"%s\" already exists",
						spec->model_id ? spec->model_id : "?"),
				 errdetail_internal("%s", message ? message : ""),
				 errhint("To change the existing model, use UPDATE.")));

	if (message && (code == 400 || code == 422) &&
		strstr(message, "Credential '") && strstr(message, "not found"))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("credential_name of model \"%s\" names no credential of LiteLLM server \"%s\"",
						spec->model_id ? spec->model_id : spec->model_name ? spec->model_name : "?",
						server),
				 errdetail_internal("%s", message),
				 errhint("Create the credential first, or set credential_name to NULL to detach it.")));

	lfdw_raise_http_error(call, resp, code, message);
}
