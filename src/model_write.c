/*-------------------------------------------------------------------------
 *
 * model_write.c
 *		  What a write of a model says and how its answer reads: the bodies
 *		  of POST /model/new, PATCH /model/{id}/update and POST
 *		  /model/delete, and the errors of their answers.
 *
 * The writes themselves are sent by remote_write.c (lfdw_model_remote_*),
 * the one sender of both tables, which wipes the body and scrubs the
 * secret strings of litellm_params from any remote text an error shows.
 * Each write takes a complete LfdwModelSpec, which holds everything the
 * request needs, so that it can be sent when the row is processed or kept
 * and sent at commit.
 *
 * Models defined in LiteLLM's config file are not in its database, and
 * LiteLLM refuses to change them with "Model with id=... not found in db"
 * (HTTP 400): that is reported as such, with a hint.
 *
 * May call: request.c (the body's encoding), response.c (error answers),
 * model_response.c (the check of an answer, the id of a created model),
 * secret.c (wiping),
 * PostgreSQL.  Nothing that
 * sends: this file is below the transport.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model_write.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "model.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/json.h"

/* Helper functions */
static void append_jsonb(StringInfo buf, const char *member, Jsonb *jb,
						 bool *first);
static void check_model_response(LfdwCall *call, LfdwHttpResponse *resp,
								 const char *verb, const LfdwModelSpec *spec,
								 bool missing_ok, bool *found);

/*
 * lfdw_model_write_body
 *		The JSON body: {"id": model_id} for a delete (with_id_member), else
 *		the members of spec that are set.  Returns a palloc'd string in
 *		UTF-8 that the caller must pass to lfdw_wipe_body.  The text forms of
 *		the jsonb values are wiped once copied.
 */
char *
lfdw_model_write_body(const LfdwModelSpec *spec, bool with_id_member,
					  size_t *len)
{
	StringInfoData buf;
	bool		first = true;

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
	return lfdw_finish_body(&buf, len);
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
	lfdw_wipe_body(text, tlen);
}

/*
 * lfdw_model_check_write
 *		Judge the answer to a model write (an LfdwModelWrite as arg) for the
 *		sender (remote_write.c): false for "not found" when missing_ok; the
 *		id of a created model is taken while the answer is still there.
 */
bool
lfdw_model_check_write(LfdwCall *call, LfdwHttpResponse *resp, void *arg)
{
	LfdwModelWrite *w = (LfdwModelWrite *) arg;
	bool		found = true;

	check_model_response(call, resp, w->verb, w->spec, w->missing_ok, &found);
	if (!found)
		return false;
	lfdw_model_confirm_write(call, resp, strcmp(w->verb, "delete") == 0);
	if (w->want_id)
		w->new_id = lfdw_model_created_id(call, resp);
	return true;
}

/*
 * Raise the error an answer to a model write stands for, if it is one (a
 * body that is not an error in disguise is then checked by
 * lfdw_model_confirm_write).
 */
static void
check_model_response(LfdwCall *call, LfdwHttpResponse *resp,
					 const char *verb, const LfdwModelSpec *spec,
					 bool missing_ok, bool *found)
{
	int			code;
	const LfdwShown *message;
	const char *server = call->opts->server_name;

	if (!lfdw_response_error(call, resp, &code, &message))
		return;

	if (code == 404 && missing_ok && lfdw_is_litellm_error(resp))
	{
		*found = false;
		return;
	}

	if (message && strstr(lfdw_shown(message), "not found in db") &&
		spec->model_id)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s model \"%s\": LiteLLM server \"%s\" does not keep it in its database",
						verb, spec->model_id, server),
				 errdetail_internal("%s", lfdw_shown(message)),
				 errhint("Models defined in LiteLLM's config file (model_info.db_model is false) cannot be changed through the API; change them in the config file.  A model deleted meanwhile is answered the same way.")));

	/* from the config file: LiteLLM's 400 (doc/litellm-api.md section 2.8) */
	if (message && strstr(lfdw_shown(message), "Cannot edit config-based model"))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s model \"%s\": LiteLLM server \"%s\" does not keep it in its database",
						verb, spec->model_id ? spec->model_id : "?", server),
				 errdetail_internal("%s", lfdw_shown(message)),
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
				 errdetail_internal("%s", message ? lfdw_shown(message) : ""),
				 errhint("To change the existing model, use UPDATE.")));

	if (message && (code == 400 || code == 422) &&
		strstr(lfdw_shown(message), "Credential '") &&
		strstr(lfdw_shown(message), "not found"))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("credential_name of model \"%s\" names no credential of LiteLLM server \"%s\"",
						spec->model_id ? spec->model_id : spec->model_name ? spec->model_name : "?",
						server),
				 errdetail_internal("%s", lfdw_shown(message)),
				 errhint("Create the credential first, or set credential_name to NULL to detach it.")));

	lfdw_raise_http_error(call, resp, code, message);
}
