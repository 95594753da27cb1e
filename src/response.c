/*-------------------------------------------------------------------------
 *
 * response.c
 *		  Interpretation of LiteLLM responses: credentials into foreign rows,
 *		  error envelopes into PostgreSQL errors.
 *
 * LiteLLM reports errors in several shapes (doc/litellm-api.md §2.0):
 * the ProxyException envelope {"error":{"message","type","param","code"}},
 * FastAPI's {"detail": ...} (a string, an object, or a list of validation
 * errors), and, in older releases, the flat exception attributes sent with
 * HTTP status 200.  A body of that last shape is the error its "code" says,
 * never a success.  Validation errors echo the request body under "input";
 * that part is never shown, and any secret sent with the request or the
 * API key is scrubbed from whatever remote text is shown.
 *
 * A list (GET /credentials) is read without a tree: one strict pass over
 * the body (wire.c) checks all of it and indexes its credentials, so that
 * every error about the body as a whole (not JSON, no list, a name listed
 * twice) comes before the first row, as it always did; then each row is
 * converted when it is reached, straight from its own bytes into a JsonbValue
 * tree in jsonb's order.  The body must live as long as the result.  A body
 * that is not strict JSON (cJSON tolerates some such), a single credential
 * and error bodies are parsed with cJSON, and turned into jsonb from its
 * tree.  Index and tree are freed when the memory context that was current
 * when they were made is reset, through reset callbacks.  The conversion to
 * jsonb is json.c's, the masking of credential_values secret.c's.
 *
 * May call: json.c, secret.c, wire.c (which alone reads a cJSON tree: this
 * file holds one only as an opaque struct cJSON *).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/response.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "litellm_fdw.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "model.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"


#include "json.h"
#include "wire.h"

/* longest remote message shown in a DETAIL, in bytes */

struct LfdwReadResult
{
	struct cJSON *root;
	const struct cJSON *next;	/* next credential to return */
	bool		single;			/* root itself is the one credential */
	/* a list read straight from the body (root is then NULL) */
	bool		streaming;
	const char *data;			/* the body, which must outlive the result */
	LfdwWireList list;			/* freed when the memory context is reset */
	size_t		next_index;
	LfdwCall	call;			/* the call that read it (a copy): its key and
								 * secrets clean what a message shows */
};

/* Helper functions */
static void check_utf8(LfdwCall *call, LfdwHttpResponse *resp);
static void nul_escape_error(LfdwCall *call);
static void free_list_callback(void *arg);
static void listed_twice(LfdwCall *call, const LfdwShown *name);
static LfdwReadResult *stream_list(LfdwCall *call, LfdwHttpResponse *resp);
static void check_credential(const LfdwCall *call, LfdwWireItem check,
							 const char *name);
static const char *content_type_text(LfdwCall *call, LfdwHttpResponse *resp);
static bool is_success(long status);
static int	retry_after_hint(LfdwCall *call, LfdwHttpResponse *resp);

static bool
is_success(long status)
{
	return status >= 200 && status < 300;
}

/*
 * lfdw_response_error
 *		Is this response an error?  If so, say which code it stands for and
 *		what the server said (scrubbed; NULL when the body says nothing).
 *
 * The code is the HTTP status, except for a body sent with a success
 * status that is an error in disguise, where the body's code counts.
 */
bool
lfdw_response_error(LfdwCall *call, LfdwHttpResponse *resp, int *code,
					const LfdwShown **message)
{
	struct cJSON *root;
	volatile bool is_error = !is_success(resp->status);
	char	   *volatile text = NULL;

	*code = (int) resp->status;
	*message = NULL;

	root = lfdw_wire_parse(resp->body.data, resp->body.len);
	if (root == NULL)
		return is_error;

	PG_TRY();
	{
		if (!is_error && lfdw_wire_is_flat_error(root))
		{
			is_error = true;
			*code = lfdw_wire_error_code(root);
		}
		if (is_error)
		{
			text = lfdw_wire_error_message(root);
			if (text)
				*message = lfdw_remote_text(call, text, strlen(text));
		}
	}
	PG_FINALLY();
	{
		lfdw_wire_free_text(text);
		lfdw_wire_free(root);
	}
	PG_END_TRY();

	return is_error;
}

/*
 * lfdw_raise_http_error
 *		Raise the PostgreSQL error that an error response stands for.
 */
void
lfdw_raise_http_error(LfdwCall *call, LfdwHttpResponse *resp, int code,
					  const LfdwShown *message)
{
	const char *server = call->opts->server_name;
	char	   *detail;

	if (message)
		detail = pstrdup(lfdw_shown(message));
	else if (resp->body.len == 0)
		detail = pstrdup("The response body is empty.");
	else
		detail = psprintf("The response body is not a LiteLLM error (%d bytes, Content-Type %s).",
						  resp->body.len,
						  content_type_text(call, resp));
	if (is_success(resp->status))
		detail = psprintf("%s (LiteLLM sent this error with HTTP status %ld.)",
						  detail, resp->status);

	if (code == 401 || code == 403)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 code == 401 ?
				 errmsg("LiteLLM server \"%s\" rejected the API key", server) :
				 errmsg("LiteLLM server \"%s\" denied access", server),
				 errdetail_internal("%s", detail),
				 errhint("The api_key option of the user mapping must hold the master key or a proxy_admin key.")));

	if (code == 409 ||
		(code == 500 && message &&
		 (strstr(lfdw_shown(message), "Unique constraint failed") ||
		  strstr(lfdw_shown(message), "already exists"))))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("credential \"%s\" already exists",
						call->target_name ? call->target_name : "?"),
				 errdetail_internal("%s", detail),
				 errhint("To change the existing credential, use UPDATE; to skip names that exist, use INSERT ... ON CONFLICT DO NOTHING.")));

	if (code == 400 || code == 422)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("LiteLLM server \"%s\" rejected the request", server),
				 errdetail_internal("%s", detail)));

	if (code == 404 && !lfdw_is_litellm_error(resp))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" has no route for this request (HTTP status 404)",
						server),
				 errdetail_internal("%s", detail),
				 errhint("Check the server option url.")));

	if (code == 429)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" is rate limiting requests (HTTP status 429)",
						server),
				 errdetail_internal("%s", detail),
				 retry_after_hint(call, resp)));

	if (code >= 300 && code < 400)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" answered with a redirect (HTTP status %d)",
						server, code),
				 errdetail("Redirects are not followed, so the API key is never sent elsewhere."),
				 errhint("Check the server option url.")));

	if (code == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" reported an error", server),
				 errdetail_internal("%s", detail)));

	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("LiteLLM server \"%s\" returned HTTP status %d", server, code),
			 errdetail_internal("%s", detail),
			 retry_after_hint(call, resp)));
}

/*
 * A HINT with the server's Retry-After, if it sent one in seconds; for use
 * inside ereport (0 adds nothing).
 */
static int
retry_after_hint(LfdwCall *call, LfdwHttpResponse *resp)
{
	char	   *end;
	long		secs;

	if (resp->retry_after == NULL)
		return 0;
	errno = 0;
	secs = strtol(resp->retry_after, &end, 10);
	if (end == resp->retry_after || *end != '\0' || secs < 0 || errno != 0)
		return errhint("The server asked to retry after \"%s\".",
					   lfdw_shown(lfdw_remote_text(call, resp->retry_after,
												   strlen(resp->retry_after))));
	return errhint_plural("The server asked to retry after %ld second.",
						  "The server asked to retry after %ld seconds.",
						  secs, secs);
}

/* the Content-Type the server sent, fit to show */
static const char *
content_type_text(LfdwCall *call, LfdwHttpResponse *resp)
{
	if (resp->content_type == NULL)
		return "not given";
	return lfdw_shown(lfdw_remote_text(call, resp->content_type,
									   strlen(resp->content_type)));
}

/*
 * lfdw_read_list
 *		Interpret the response of GET /credentials.
 *
 * The parsed tree is freed when the current memory context is reset.
 */
LfdwReadResult *
lfdw_read_list(LfdwCall *call, LfdwHttpResponse *resp)
{
	LfdwReadResult *res;
	struct cJSON *root;
	const struct cJSON *list;
	const char *duplicate;

	if (!is_success(resp->status))
		lfdw_raise_if_error(call, resp);

	check_utf8(call, resp);
	res = stream_list(call, resp);
	if (res)
		return res;

	/* not strict JSON, or no list: cJSON says what it is */
	root = lfdw_parse_json_body(call, resp,
								"a JSON object with a \"credentials\" array");
	list = lfdw_wire_credential_list(root);
	if (list == NULL)
		lfdw_wrong_shape(call, resp,
						 "a JSON object with a \"credentials\" array");

	/* credential_name is the row identity: two rows may not share one */
	duplicate = lfdw_wire_duplicate_name(list);
	if (duplicate)
		listed_twice(call, lfdw_remote_text(call, duplicate, strlen(duplicate)));

	res = palloc0(sizeof(LfdwReadResult));
	res->root = root;
	res->next = lfdw_wire_first(list);
	res->call = *call;
	return res;
}

/*
 * lfdw_read_item
 *		Interpret the response of GET /credentials/by_name/... or
 *		by_model/...; NULL means there is no such credential.
 */
LfdwReadResult *
lfdw_read_item(LfdwCall *call, LfdwHttpResponse *resp)
{
	LfdwReadResult *res;
	struct cJSON *root;
	int			code;
	const LfdwShown *message;

	if (!is_success(resp->status))
	{
		if (resp->status == 404 && lfdw_is_litellm_error(resp))
			return NULL;
		lfdw_raise_if_error(call, resp);
	}

	root = lfdw_parse_json_body(call, resp,
								"a JSON object describing one credential");
	if (!lfdw_wire_is_credential(root))
	{
		if (lfdw_wire_is_flat_error(root) &&
			lfdw_response_error(call, resp, &code, &message) && code == 404)
			return NULL;
		lfdw_wrong_shape(call, resp, "a JSON object describing one credential");
	}

	res = palloc0(sizeof(LfdwReadResult));
	res->root = root;
	res->next = root;
	res->single = true;
	res->call = *call;
	return res;
}

/*
 * lfdw_read_next
 *		Produce the next credential of a read result as a row; false at the
 *		end.  wanted[f] says which fields to convert (the others stay NULL).
 *
 * The row is palloc'd in the current memory context; credential_values is
 * masked (every value replaced, but for the keys in unmasked_keys).
 */
bool
lfdw_read_next(LfdwReadResult *res, const LfdwOptions *opts,
			   const bool *wanted, LfdwCredentialRow *row)
{
	const LfdwWireElement *e;
	const struct cJSON *item;
	LfdwWireCredential cred;
	LfdwWireItem check;

	if (res == NULL ||
		(res->streaming ? res->next_index >= res->list.n : res->next == NULL))
		return false;
	memset(row, 0, sizeof(LfdwCredentialRow));

	/* a list read straight from its bytes */
	if (res->streaming)
	{
		e = &res->list.elems[res->next_index++];
		if (e->has_name && e->name_len > 0)
			row->name = lfdw_json_server_string(lfdw_json_token_string(res->data + e->name_off,
																	   e->name_len,
																	   e->name_escaped, NULL));
		check_credential(&res->call, (LfdwWireItem) e->status, row->name);
		if (wanted[LFDW_FIELD_INFO])
			row->info = lfdw_json_text_to_jsonb(e->info_off ? res->data + e->info_off : NULL,
												e->info_len);
		if (wanted[LFDW_FIELD_VALUES])
			row->values = lfdw_mask_values_text(opts,
												e->values_off ? res->data + e->values_off : NULL,
												e->values_len);
		return true;
	}

	/* a credential of a parsed tree */
	item = res->next;
	res->next = res->single ? NULL : lfdw_wire_next(item);
	check = lfdw_wire_credential(item, &cred);
	if (check != LFDW_WIRE_ITEM_NO_NAME)
		row->name = lfdw_json_server_string(cred.name);
	check_credential(&res->call, check, row->name);
	if (wanted[LFDW_FIELD_INFO])
		row->info = lfdw_json_to_jsonb(cred.info);
	if (wanted[LFDW_FIELD_VALUES])
	{
		/* masked in place: the tree is the result's; masking twice is once */
		if (!lfdw_mask_tree(opts, (struct cJSON *) cred.values, false))
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		row->values = lfdw_json_to_jsonb(cred.values);
	}
	return true;
}

/*
 * Raise the error for a credential that is not what a row needs; its name,
 * from the server, cleaned with the key and secrets of the call that read it.
 */
static void
check_credential(const LfdwCall *call, LfdwWireItem check,
				 const char *name)
{
	if (check != LFDW_WIRE_ITEM_OK)
		lfdw_unexpected_response(call->opts->server_name,
								 check == LFDW_WIRE_ITEM_NO_NAME ?
								 "Expected every credential to be a JSON object with a non-empty string \"credential_name\"." :
								 check == LFDW_WIRE_ITEM_DUPLICATE_KEY ?
								 "Credential \"%s\" has a field given more than once." :
								 check == LFDW_WIRE_ITEM_BAD_INFO ?
								 "Expected \"credential_info\" of credential \"%s\" to be a JSON object." :
								 "Expected \"credential_values\" of credential \"%s\" to be a JSON object.",
								 name ? lfdw_remote_text(call, name, strlen(name)) : NULL,
								 NULL);
}

/*
 * lfdw_check_write_response
 *		Interpret the response of a POST, PATCH or DELETE.
 *
 * With found non-NULL, "not found" (404, in any of its shapes) sets
 * *found = false instead of raising an error.  Anything but
 * {"success": true} or an error is reported as unexpected, with a hint that
 * the change may have been applied.
 */
void
lfdw_check_write_response(LfdwCall *call, LfdwHttpResponse *resp,
						  bool *found)
{
	int			code;
	const LfdwShown *message;
	struct cJSON *root;
	bool		ok;

	if (found)
		*found = true;

	if (lfdw_response_error(call, resp, &code, &message))
	{
		if (code == 404 && found && lfdw_is_litellm_error(resp))
		{
			*found = false;
			return;
		}
		lfdw_raise_http_error(call, resp, code, message);
	}

	root = lfdw_wire_parse(resp->body.data, resp->body.len);
	ok = lfdw_wire_is_success(root);
	lfdw_wire_free(root);
	if (!ok)
		lfdw_unconfirmed_write(call, resp,
							   "a JSON object with \"success\": true");
}

/*
 * lfdw_unconfirmed_write
 *		Raise the error for an answer to a write (of either table) that is
 *		no error but does not confirm the write either: "unexpected
 *		response", saying what was expected and what came, with a hint that
 *		the change may have been applied.
 */
void
lfdw_unconfirmed_write(LfdwCall *call, LfdwHttpResponse *resp,
					   const char *expected)
{
	const LfdwShown *type = resp->content_type == NULL ? NULL :
	lfdw_remote_text(call, resp->content_type, strlen(resp->content_type));

	/* expected is a phrase of ours, without a "%" */
	lfdw_unexpected_response(call->opts->server_name,
							 psprintf("Expected %s (got %d bytes, Content-Type %s).",
									  expected, resp->body.len,
									  type ? "%s" : "not given"),
							 type,
							 LFDW_HINT_MAY_HAVE_BEEN_APPLIED);
}

/* JSON is UTF-8; check it once, not string by string */
static void
check_utf8(LfdwCall *call, LfdwHttpResponse *resp)
{
	if (resp->body.len > 0 &&
		!pg_verify_mbstr(PG_UTF8, resp->body.data, resp->body.len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence in the response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("The response is not valid UTF-8.")));
}

/* jsonb and text cannot hold NUL, and cJSON would cut the string there */
static void
nul_escape_error(LfdwCall *call)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
			 errmsg("unsupported Unicode escape sequence in the response from LiteLLM server \"%s\"",
					call->opts->server_name),
			 errdetail("\\u0000 cannot be converted to text.")));
}

/*
 * lfdw_parse_json_body
 *		Parse a response body (of either table) that must be JSON, UTF-8
 *		and free of \u0000; the tree (a cJSON *) is freed when the current
 *		memory context is reset.
 */
void *
lfdw_parse_json_body(LfdwCall *call, LfdwHttpResponse *resp,
					 const char *expected)
{
	struct cJSON *root;

	check_utf8(call, resp);
	if (lfdw_wire_has_nul_escape(resp->body.data, resp->body.len))
		nul_escape_error(call);
	root = lfdw_wire_parse(resp->body.data, resp->body.len);
	if (root == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("could not parse the response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Expected %s, got %d bytes that are not valid JSON (Content-Type %s).",
						   expected, resp->body.len,
						   content_type_text(call, resp))));

	lfdw_json_tree_on_reset(root);
	return root;
}

/*
 * A list read straight from the body, without building a tree: one strict
 * pass checks the whole body and indexes its credentials (and their names,
 * which must be distinct), then each row is converted from its own bytes
 * when it is reached.  NULL when the body is not strict JSON or has no list:
 * the caller reads it with cJSON then, as before.
 */
static LfdwReadResult *
stream_list(LfdwCall *call, LfdwHttpResponse *resp)
{
	LfdwReadResult *res;
	char	   *duplicate;

	if (resp->body.data == NULL || resp->body.len == 0)
		return NULL;
	res = palloc0(sizeof(LfdwReadResult));
	if (!lfdw_wire_index_list(resp->body.data, resp->body.len, &res->list))
	{
		pfree(res);
		return NULL;
	}
	lfdw_free_on_reset(free_list_callback, &res->list);
	res->streaming = true;
	res->data = resp->body.data;
	res->call = *call;

	/* the errors of lfdw_parse_json_body, in its order (UTF-8 was checked) */
	if (res->list.has_nul)
		nul_escape_error(call);

	duplicate = lfdw_wire_list_duplicate(res->data, &res->list);
	if (duplicate)
	{
		const LfdwShown *name = lfdw_remote_text(call, duplicate,
												 strlen(duplicate));

		free(duplicate);
		listed_twice(call, name);
	}
	return res;
}

/* credential_name is the row identity: two rows may not share one */
static void
listed_twice(LfdwCall *call, const LfdwShown *name)
{
	lfdw_unexpected_response(call->opts->server_name,
							 "Credential \"%s\" is listed more than once.", name,
							 "A credential in LiteLLM's config file may share its name with one in the database; give one of them another name.");
}

static void
free_list_callback(void *arg)
{
	lfdw_wire_list_free((LfdwWireList *) arg);
}

/*
 * lfdw_is_litellm_error
 *		Is the body an error of LiteLLM itself (its envelope, or the flat
 *		attributes older releases send), as opposed to a framework's answer
 *		such as {"detail": "Not Found"} for a path that matches no route?
 */
bool
lfdw_is_litellm_error(LfdwHttpResponse *resp)
{
	struct cJSON *root = lfdw_wire_parse(resp->body.data, resp->body.len);
	bool		result = lfdw_wire_is_litellm_error(root);

	lfdw_wire_free(root);
	return result;
}

/*
 * lfdw_raise_if_error
 *		Raise the error a response stands for, if it is one (of either
 *		table).
 */
void
lfdw_raise_if_error(LfdwCall *call, LfdwHttpResponse *resp)
{
	int			code;
	const LfdwShown *message;

	if (lfdw_response_error(call, resp, &code, &message))
		lfdw_raise_http_error(call, resp, code, message);
}

/*
 * lfdw_wrong_shape
 *		A body that is not the expected one: the error it stands for, if it
 *		is one, else "unexpected response".
 */
void
lfdw_wrong_shape(LfdwCall *call, LfdwHttpResponse *resp, const char *expected)
{
	lfdw_raise_if_error(call, resp);
	/* expected is a phrase of ours, without a "%" */
	lfdw_unexpected_response(call->opts->server_name,
							 psprintf("Expected %s.", expected), NULL, NULL);
}

/*
 * lfdw_unexpected_response
 *		Raise "unexpected response" (of either table) with a DETAIL made of
 *		detail, a format of ours with at most one %s for arg (server text,
 *		cleaned by lfdw_remote_text; NULL when the format has no %s), and a
 *		HINT (NULL: none).
 */
void
lfdw_unexpected_response(const char *server, const char *detail,
						 const LfdwShown *arg, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
			 errmsg("unexpected response from LiteLLM server \"%s\"", server),
			 errdetail_internal(detail, arg ? lfdw_shown(arg) : NULL),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * lfdw_read_result_count
 *		The number of credentials a list result holds (for the planner's
 *		estimates); call it before reading any.
 */
int
lfdw_read_result_count(LfdwReadResult *res)
{
	const struct cJSON *item;
	int			n = 0;

	if (res == NULL)
		return 0;
	if (res->streaming)
		return (int) (res->list.n - res->next_index);
	for (item = res->next; item; item = res->single ? NULL : lfdw_wire_next(item))
		n++;
	return n;
}
