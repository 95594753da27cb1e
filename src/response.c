/*-------------------------------------------------------------------------
 *
 * response.c
 *		  Interpretation of LiteLLM responses: credentials into foreign rows,
 *		  error envelopes into PostgreSQL errors.
 *
 * LiteLLM reports errors in several shapes (../shared/litellm-api.md §2.2):
 * the ProxyException envelope {"error":{"message","type","param","code"}},
 * FastAPI's {"detail": ...} (a string, an object, or a list of validation
 * errors), and, in older releases, the flat exception attributes sent with
 * HTTP status 200.  A body of that last shape is the error its "code" says,
 * never a success.  Validation errors echo the request body under "input";
 * that part is never shown, and any secret sent with the request or the
 * API key is scrubbed from whatever remote text is shown.
 *
 * Credentials are parsed with cJSON and turned into jsonb directly from the
 * parsed tree; the tree lives until the memory context that was current
 * when it was parsed is reset, which frees it through a reset callback.
 * Rows are produced one at a time from the tree.
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
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include <cJSON.h>

/* longest remote message shown in a DETAIL, in bytes */
#define MAX_REMOTE_TEXT		2000

struct LfdwReadResult
{
	cJSON	   *root;
	cJSON	   *next;			/* next credential to return */
	bool		single;			/* root itself is the one credential */
};

/* Helper functions */
static cJSON *parse_json(const StringInfoData *body);
static bool has_nul_escape(const char *data, int len);
static bool is_litellm_error(LfdwHttpResponse *resp);
static cJSON *parse_body(LfdwCall *call, LfdwHttpResponse *resp,
						 const char *expected);
static void free_tree_callback(void *arg);
static bool is_flat_error(const cJSON *root);
static int	code_of(const cJSON *item, int fallback);
static char *remote_message(const cJSON *root);
static char *printed(const cJSON *item);
static void strip_inputs(cJSON *node);
static void wipe_tree(cJSON *node);
static void wipe_strings(cJSON *node);
static char *scrub(LfdwCall *call, const char *text);
static char *server_string(const char *utf8);
static JsonbValue *push_cjson(JsonbParseState **state, const cJSON *node,
							  JsonbIteratorToken token);
static JsonbValue *push_scalar(JsonbParseState **state, const cJSON *node,
							   JsonbIteratorToken token);
static Jsonb *cjson_to_jsonb(const cJSON *node);
static Jsonb *masked_values(const LfdwOptions *opts, const cJSON *values);
static void unexpected_shape(LfdwCall *call, const char *expected);
static bool is_success(long status);
static int	retry_after_hint(LfdwHttpResponse *resp);

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
					char **message)
{
	cJSON	   *root;
	volatile bool is_error = !is_success(resp->status);

	*code = (int) resp->status;
	*message = NULL;

	root = parse_json(&resp->body);
	if (root == NULL)
		return is_error;

	PG_TRY();
	{
		if (!is_error && is_flat_error(root))
		{
			is_error = true;
			*code = code_of(cJSON_GetObjectItemCaseSensitive(root, "code"), 0);
		}
		if (is_error)
		{
			char	   *text = remote_message(root);

			if (text)
			{
				*message = scrub(call, text);
				explicit_bzero(text, strlen(text));
				pfree(text);
			}
		}
	}
	PG_FINALLY();
	{
		wipe_tree(root);
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
					  const char *message)
{
	const char *server = call->opts->server_name;
	char	   *detail;

	if (message)
		detail = pstrdup(message);
	else if (resp->body.len == 0)
		detail = pstrdup("The response body is empty.");
	else
		detail = psprintf("The response body is not a LiteLLM error (%d bytes, Content-Type %s).",
						  resp->body.len,
						  resp->content_type ? resp->content_type : "not given");
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
		 (strstr(message, "Unique constraint failed") ||
		  strstr(message, "already exists"))))
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("credential \"%s\" already exists",
						call->target_name ? call->target_name : "?"),
				 errdetail_internal("%s", detail)));

	if (code == 400 || code == 422)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("LiteLLM server \"%s\" rejected the request", server),
				 errdetail_internal("%s", detail)));

	if (code == 404 && !is_litellm_error(resp))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" has no route for this request (HTTP status 404)",
						server),
				 errdetail_internal("%s", detail),
				 errhint("Check the server option url.  LiteLLM releases before mid-2025 cannot address credential names that contain \"/\".")));

	if (code == 429)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("LiteLLM server \"%s\" is rate limiting requests (HTTP status 429)",
						server),
				 errdetail_internal("%s", detail),
				 retry_after_hint(resp)));

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
			 retry_after_hint(resp)));
}

/*
 * A HINT with the server's Retry-After, if it sent one in seconds; for use
 * inside ereport (0 adds nothing).
 */
static int
retry_after_hint(LfdwHttpResponse *resp)
{
	char	   *end;
	long		secs;

	if (resp->retry_after == NULL)
		return 0;
	secs = strtol(resp->retry_after, &end, 10);
	if (end == resp->retry_after || *end != '\0' || secs < 0)
		return errhint("The server asked to retry after \"%s\".",
					   resp->retry_after);
	return errhint_plural("The server asked to retry after %ld second.",
						  "The server asked to retry after %ld seconds.",
						  secs, secs);
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
	cJSON	   *root;
	cJSON	   *list;
	int			code;
	char	   *message;

	if (!is_success(resp->status))
	{
		(void) lfdw_response_error(call, resp, &code, &message);
		lfdw_raise_http_error(call, resp, code, message);
	}

	root = parse_body(call, resp,
					  "a JSON object with a \"credentials\" array");
	list = cJSON_GetObjectItemCaseSensitive(root, "credentials");
	if (!cJSON_IsArray(list))
	{
		if (is_flat_error(root) &&
			lfdw_response_error(call, resp, &code, &message))
			lfdw_raise_http_error(call, resp, code, message);
		unexpected_shape(call, "a JSON object with a \"credentials\" array");
	}

	res = palloc0(sizeof(LfdwReadResult));
	res->root = root;
	res->next = list->child;
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
	cJSON	   *root;
	int			code;
	char	   *message;

	if (!is_success(resp->status))
	{
		if (resp->status == 404 && is_litellm_error(resp))
			return NULL;
		(void) lfdw_response_error(call, resp, &code, &message);
		lfdw_raise_http_error(call, resp, code, message);
	}

	root = parse_body(call, resp, "a JSON object describing one credential");
	if (!cJSON_IsObject(root) ||
		!cJSON_HasObjectItem(root, "credential_name"))
	{
		if (is_flat_error(root) &&
			lfdw_response_error(call, resp, &code, &message))
		{
			if (code == 404)
				return NULL;
			lfdw_raise_http_error(call, resp, code, message);
		}
		unexpected_shape(call, "a JSON object describing one credential");
	}

	res = palloc0(sizeof(LfdwReadResult));
	res->root = root;
	res->next = root;
	res->single = true;
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
	cJSON	   *item;
	cJSON	   *name;
	cJSON	   *info;
	cJSON	   *values;

	if (res == NULL || res->next == NULL)
		return false;
	item = res->next;
	res->next = res->single ? NULL : item->next;

	memset(row, 0, sizeof(LfdwCredentialRow));

	name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");
	if (!cJSON_IsObject(item) || !cJSON_IsString(name))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						opts->server_name),
				 errdetail("Expected every credential to be a JSON object with a string \"credential_name\".")));
	row->name = server_string(name->valuestring);

	if (wanted[LFDW_FIELD_INFO])
	{
		info = cJSON_GetObjectItemCaseSensitive(item, "credential_info");
		if (info == NULL || cJSON_IsNull(info))
			row->info = cjson_to_jsonb(NULL);
		else
			row->info = cjson_to_jsonb(info);
	}
	if (wanted[LFDW_FIELD_VALUES])
	{
		values = cJSON_GetObjectItemCaseSensitive(item, "credential_values");
		if (values != NULL && !cJSON_IsNull(values) && !cJSON_IsObject(values))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("unexpected response from LiteLLM server \"%s\"",
							opts->server_name),
					 errdetail("Expected \"credential_values\" of credential \"%s\" to be a JSON object.",
							   row->name)));
		row->values = masked_values(opts, values);
	}
	return true;
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
	char	   *message;
	cJSON	   *root;
	bool		ok;

	if (found)
		*found = true;

	if (lfdw_response_error(call, resp, &code, &message))
	{
		if (code == 404 && found && is_litellm_error(resp))
		{
			*found = false;
			return;
		}
		lfdw_raise_http_error(call, resp, code, message);
	}

	root = parse_json(&resp->body);
	ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
	wipe_tree(root);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Expected a JSON object with \"success\": true (got %d bytes, Content-Type %s).",
						   resp->body.len,
						   resp->content_type ? resp->content_type : "not given"),
				 errhint("The change may have been applied on the server; check before retrying.")));
}

/*
 * Parse a response body that must be JSON; the tree is freed when the
 * current memory context is reset.
 */
static cJSON *
parse_body(LfdwCall *call, LfdwHttpResponse *resp, const char *expected)
{
	cJSON	   *root;
	MemoryContextCallback *cb;

	/* JSON is UTF-8; check it once here, not string by string */
	if (resp->body.len > 0 &&
		!pg_verify_mbstr(PG_UTF8, resp->body.data, resp->body.len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence in the response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("The response is not valid UTF-8.")));

	/* jsonb and text cannot hold NUL, and cJSON would cut the string there */
	if (has_nul_escape(resp->body.data, resp->body.len))
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("unsupported Unicode escape sequence in the response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("\\u0000 cannot be converted to text.")));

	root = parse_json(&resp->body);
	if (root == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("could not parse the response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Expected %s, got %d bytes that are not valid JSON (Content-Type %s).",
						   expected, resp->body.len,
						   resp->content_type ? resp->content_type : "not given")));

	cb = palloc(sizeof(MemoryContextCallback));
	cb->func = free_tree_callback;
	cb->arg = root;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return root;
}

/*
 * Parse a whole body as JSON: nothing but white space may follow the value.
 * NULL when it is empty or not JSON.  The tree is malloc'd by cJSON.
 *
 * cJSON checks for trailing garbage by finding the terminating NUL within
 * the length it is given, so the length includes the NUL that always
 * follows a body (connection.c).
 */
static cJSON *
parse_json(const StringInfoData *body)
{
	if (body->data == NULL || body->len == 0)
		return NULL;
	return cJSON_ParseWithLengthOpts(body->data, body->len + 1, NULL, true);
}

/*
 * Does the JSON text hold the escape \u0000 (a backslash that is not itself
 * escaped, then u0000)?
 */
static bool
has_nul_escape(const char *data, int len)
{
	const char *p = data;
	const char *end = data + len;

	while (p && p < end &&
		   (p = memmem(p, end - p, "u0000", 5)) != NULL)
	{
		const char *q = p;
		int			backslashes = 0;

		while (q > data && q[-1] == '\\')
		{
			backslashes++;
			q--;
		}
		if (backslashes % 2 == 1)
			return true;
		p += 5;
	}
	return false;
}

/*
 * Is the body an error of LiteLLM itself (its envelope, or the flat
 * attributes older releases send), as opposed to a framework's answer such
 * as {"detail": "Not Found"} for a path that matches no route?
 */
static bool
is_litellm_error(LfdwHttpResponse *resp)
{
	cJSON	   *root = parse_json(&resp->body);
	bool		result;

	result = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "error")) ||
		is_flat_error(root);
	wipe_tree(root);
	return result;
}

static void
free_tree_callback(void *arg)
{
	cJSON_Delete((cJSON *) arg);
}

static void
unexpected_shape(LfdwCall *call, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
			 errmsg("unexpected response from LiteLLM server \"%s\"",
					call->opts->server_name),
			 errdetail("Expected %s.", expected)));
}

/*
 * The flat error body of older LiteLLM: the exception's attributes, with at
 * least "message" and "code", and no "success": true.
 */
static bool
is_flat_error(const cJSON *root)
{
	return cJSON_IsObject(root) &&
		cJSON_HasObjectItem(root, "message") &&
		cJSON_HasObjectItem(root, "code") &&
		!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
}

/* An error code given as a number or a numeric string. */
static int
code_of(const cJSON *item, int fallback)
{
	if (cJSON_IsNumber(item) && item->valuedouble >= 100 &&
		item->valuedouble < 1000)
		return (int) item->valuedouble;
	if (cJSON_IsString(item))
	{
		char	   *end;
		long		v = strtol(item->valuestring, &end, 10);

		if (end != item->valuestring && *end == '\0' && v >= 100 && v < 1000)
			return (int) v;
	}
	return fallback;
}

/*
 * What the server said, from any of its error shapes; NULL if nothing.
 * Validation errors are shown as "loc: msg", never with their "input".
 */
static char *
remote_message(const cJSON *root)
{
	const cJSON *error;
	const cJSON *detail;
	const cJSON *message;

	if (!cJSON_IsObject(root))
		return NULL;

	error = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsObject(error))
	{
		message = cJSON_GetObjectItemCaseSensitive(error, "message");
		if (cJSON_IsString(message))
			return pstrdup(message->valuestring);
		return message ? printed(message) : NULL;
	}
	if (cJSON_IsString(error))
		return pstrdup(error->valuestring);

	detail = cJSON_GetObjectItemCaseSensitive(root, "detail");
	if (cJSON_IsString(detail))
		return pstrdup(detail->valuestring);
	if (cJSON_IsObject(detail))
	{
		const cJSON *inner = cJSON_GetObjectItemCaseSensitive(detail, "error");

		if (cJSON_IsString(inner))
			return pstrdup(inner->valuestring);
		return printed(detail);
	}
	if (cJSON_IsArray(detail))
	{
		StringInfoData buf;
		const cJSON *entry;

		initStringInfo(&buf);
		cJSON_ArrayForEach(entry, detail)
		{
			const cJSON *loc = cJSON_GetObjectItemCaseSensitive(entry, "loc");
			const cJSON *msg = cJSON_GetObjectItemCaseSensitive(entry, "msg");
			const cJSON *part;
			bool		first = true;

			if (buf.len > 0)
				appendStringInfoString(&buf, "; ");
			cJSON_ArrayForEach(part, loc)
			{
				if (!first)
					appendStringInfoChar(&buf, '.');
				first = false;
				if (cJSON_IsString(part))
					appendStringInfoString(&buf, part->valuestring);
				else if (cJSON_IsNumber(part))
					appendStringInfo(&buf, "%d", part->valueint);
			}
			if (!first)
				appendStringInfoString(&buf, ": ");
			appendStringInfoString(&buf, cJSON_IsString(msg) ?
								   msg->valuestring : "invalid");
		}
		return buf.data;
	}

	message = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(message))
		return pstrdup(message->valuestring);
	return NULL;
}

/*
 * Compact JSON text of a node, palloc'd, without any "input" member (where
 * FastAPI echoes the request body) at any depth.
 */
static char *
printed(const cJSON *item)
{
	cJSON	   *copy = cJSON_Duplicate(item, true);
	char	   *text;
	char	   *result;

	if (copy == NULL)
		return NULL;
	strip_inputs(copy);
	text = cJSON_PrintUnformatted(copy);
	wipe_tree(copy);
	if (text == NULL)
		return NULL;
	result = pstrdup(text);
	explicit_bzero(text, strlen(text));
	cJSON_free(text);
	return result;
}

static void
strip_inputs(cJSON *node)
{
	cJSON	   *child;

	check_stack_depth();
	if (cJSON_IsObject(node))
		cJSON_DeleteItemFromObjectCaseSensitive(node, "input");
	cJSON_ArrayForEach(child, node)
		strip_inputs(child);
}

/*
 * Overwrite every string of a tree, then free it: an error body may echo
 * what was sent.
 */
static void
wipe_tree(cJSON *node)
{
	wipe_strings(node);
	cJSON_Delete(node);
}

static void
wipe_strings(cJSON *node)
{
	cJSON	   *child;

	for (; node; node = node->next)
	{
		if (node->valuestring)
			explicit_bzero(node->valuestring, strlen(node->valuestring));
		if (node->string && !(node->type & cJSON_StringIsConst))
			explicit_bzero(node->string, strlen(node->string));
		child = node->child;
		if (child)
			wipe_strings(child);
	}
}

/*
 * Make remote text fit to show: every secret sent with the call and the
 * API key replaced by the mask, cut to MAX_REMOTE_TEXT bytes, valid in the
 * server encoding.  Returns a palloc'd string.
 */
static char *
scrub(LfdwCall *call, const char *text)
{
	StringInfoData buf;
	List	   *secrets = list_copy(call->secrets);
	const char *p = text;
	int			len;

	/* the key first: keys are long, and a value may be part of one */
	if (call->opts->api_key)
		secrets = lcons(call->opts->api_key, secrets);

	initStringInfo(&buf);
	while (*p)
	{
		ListCell   *cell;
		bool		hit = false;

		foreach(cell, secrets)
		{
			const char *s = (const char *) lfirst(cell);
			size_t		slen = strlen(s);

			if (slen > 0 && strncmp(p, s, slen) == 0)
			{
				appendStringInfoString(&buf, LFDW_MASK);
				p += slen;
				hit = true;
				break;
			}
		}
		if (!hit)
			appendStringInfoChar(&buf, *p++);
	}
	list_free(secrets);

	/* cut at a character boundary */
	len = buf.len;
	if (len > MAX_REMOTE_TEXT)
	{
		len = pg_mbcliplen(buf.data, buf.len, MAX_REMOTE_TEXT);
		buf.data[len] = '\0';
	}

	/* anything not valid UTF-8 or not convertible becomes '?' */
	if (!pg_verify_mbstr(PG_UTF8, buf.data, len, true) ||
		GetDatabaseEncoding() != PG_UTF8)
	{
		int			i;

		for (i = 0; i < len; i++)
			if ((unsigned char) buf.data[i] >= 0x80)
				buf.data[i] = '?';
	}
	return buf.data;
}

/* A string from the (UTF-8, already checked) response, in server encoding. */
static char *
server_string(const char *utf8)
{
	if (GetDatabaseEncoding() == PG_UTF8)
		return pstrdup(utf8);
	return pg_any_to_server(utf8, strlen(utf8), PG_UTF8);
}

/*
 * Convert a cJSON tree to jsonb, straight from the tree (no text round
 * trip).  NULL gives an empty object.
 */
static Jsonb *
cjson_to_jsonb(const cJSON *node)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	if (node == NULL)
	{
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	else if (cJSON_IsObject(node) || cJSON_IsArray(node))
	{
		result = push_cjson(&state, node, WJB_DONE);
	}
	else
	{
		JsonbValue	va;

		/* a bare scalar is stored as a one-element raw-scalar array */
		va.type = jbvArray;
		va.val.array.rawScalar = true;
		va.val.array.nElems = 1;
		pushJsonbValue(&state, WJB_BEGIN_ARRAY, &va);
		push_scalar(&state, node, WJB_ELEM);
		result = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	}
	return JsonbValueToJsonb(result);
}

/*
 * Push a node.  token is the role the node plays in its parent (WJB_VALUE
 * or WJB_ELEM), or WJB_DONE for a container at the top, whose finished
 * value is returned.
 */
static JsonbValue *
push_cjson(JsonbParseState **state, const cJSON *node,
		   JsonbIteratorToken token)
{
	const cJSON *child;

	check_stack_depth();

	if (cJSON_IsObject(node))
	{
		pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
		cJSON_ArrayForEach(child, node)
		{
			JsonbValue	key;

			key.type = jbvString;
			key.val.string.val = server_string(child->string ? child->string : "");
			key.val.string.len = strlen(key.val.string.val);
			pushJsonbValue(state, WJB_KEY, &key);
			push_cjson(state, child, WJB_VALUE);
		}
		return pushJsonbValue(state, WJB_END_OBJECT, NULL);
	}
	if (cJSON_IsArray(node))
	{
		pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
		cJSON_ArrayForEach(child, node)
			push_cjson(state, child, WJB_ELEM);
		return pushJsonbValue(state, WJB_END_ARRAY, NULL);
	}
	return push_scalar(state, node, token);
}

static JsonbValue *
push_scalar(JsonbParseState **state, const cJSON *node,
			JsonbIteratorToken token)
{
	JsonbValue	v;

	if (cJSON_IsString(node))
	{
		v.type = jbvString;
		v.val.string.val = server_string(node->valuestring);
		v.val.string.len = strlen(v.val.string.val);
	}
	else if (cJSON_IsNumber(node))
	{
		char	   *text;

		if (!isfinite(node->valuedouble))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("number out of range in a response from LiteLLM")));
		/* shortest text that reads back as the same double */
		text = float8out_internal(node->valuedouble);
		v.type = jbvNumeric;
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															CStringGetDatum(text),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	}
	else if (cJSON_IsBool(node))
	{
		v.type = jbvBool;
		v.val.boolean = cJSON_IsTrue(node);
	}
	else
		v.type = jbvNull;

	return pushJsonbValue(state, token, &v);
}

/*
 * credential_values as shown: the keys the server returned, each value the
 * fixed mask, but for the keys in unmasked_keys, shown as returned.
 */
static Jsonb *
masked_values(const LfdwOptions *opts, const cJSON *values)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	const cJSON *child;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	if (cJSON_IsObject(values))
	{
		cJSON_ArrayForEach(child, values)
		{
			JsonbValue	key;
			const char *k = child->string ? child->string : "";

			key.type = jbvString;
			key.val.string.val = server_string(k);
			key.val.string.len = strlen(key.val.string.val);
			pushJsonbValue(&state, WJB_KEY, &key);
			if (opts->unmasked_keys &&
				lfdw_key_is_unmasked(opts, k, strlen(k)))
				push_cjson(&state, child, WJB_VALUE);
			else
			{
				JsonbValue	mask;

				mask.type = jbvString;
				mask.val.string.val = LFDW_MASK;
				mask.val.string.len = strlen(LFDW_MASK);
				pushJsonbValue(&state, WJB_VALUE, &mask);
			}
		}
	}
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}
