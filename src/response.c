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
 * when they were made is reset, through reset callbacks.
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
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include <cJSON.h>
#include "wire.h"

/* longest remote message shown in a DETAIL, in bytes */

struct LfdwReadResult
{
	cJSON	   *root;
	cJSON	   *next;			/* next credential to return */
	bool		single;			/* root itself is the one credential */
	/* a list read straight from the body (root is then NULL) */
	bool		streaming;
	const char *data;			/* the body, which must outlive the result */
	LfdwWireList list;			/* freed when the memory context is reset */
	size_t		next_index;
};

/* Helper functions */
static bool is_litellm_error(LfdwHttpResponse *resp);
static void check_utf8(LfdwCall *call, LfdwHttpResponse *resp);
static void nul_escape_error(LfdwCall *call);
static cJSON *parse_body(LfdwCall *call, LfdwHttpResponse *resp,
						 const char *expected, bool checked);
static void free_tree_callback(void *arg);
static void free_list_callback(void *arg);
static LfdwReadResult *stream_list(LfdwCall *call, LfdwHttpResponse *resp);
static void check_credential(const LfdwOptions *opts, LfdwWireItem check,
							 const char *name);
static char *token_string(const char *raw, size_t len, bool escaped,
						  int *outlen);
static void string_value(LfdwWireLexer *lx, JsonbValue *v);
static void number_value(LfdwWireLexer *lx, JsonbValue *v);
static int	compare_pairs(const void *a, const void *b);
static void finish_object(JsonbValue *v, JsonbPair *pairs, int n);
static void build_value(LfdwWireLexer *lx, LfdwWireToken t, JsonbValue *v);
static Jsonb *text_to_jsonb(const char *src, size_t len);
static Jsonb *masked_values_text(const LfdwOptions *opts, const char *src,
								 size_t len);
static const char *content_type_text(LfdwCall *call, LfdwHttpResponse *resp);
static char *server_string(const char *utf8);
static JsonbValue *push_cjson(JsonbParseState **state, const cJSON *node,
							  JsonbIteratorToken token);
static JsonbValue *push_scalar(JsonbParseState **state, const cJSON *node,
							   JsonbIteratorToken token);
static Jsonb *cjson_to_jsonb(const cJSON *node);
static Jsonb *masked_values(const LfdwOptions *opts, const cJSON *values);
static void unexpected_shape(LfdwCall *call, const char *expected);
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
					char **message)
{
	cJSON	   *root;
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
		 (strstr(message, "Unique constraint failed") ||
		  strstr(message, "already exists"))))
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

	if (code == 404 && !is_litellm_error(resp))
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
					   lfdw_remote_text(call, resp->retry_after,
										strlen(resp->retry_after)));
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
	return lfdw_remote_text(call, resp->content_type,
							strlen(resp->content_type));
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
	const char *duplicate;
	int			code;
	char	   *message;

	if (!is_success(resp->status))
	{
		(void) lfdw_response_error(call, resp, &code, &message);
		lfdw_raise_http_error(call, resp, code, message);
	}

	check_utf8(call, resp);
	res = stream_list(call, resp);
	if (res)
		return res;

	/* not strict JSON, or no list: cJSON says what it is */
	root = parse_body(call, resp,
					  "a JSON object with a \"credentials\" array", false);
	list = (cJSON *) lfdw_wire_credential_list(root);
	if (list == NULL)
	{
		if (lfdw_wire_is_flat_error(root) &&
			lfdw_response_error(call, resp, &code, &message))
			lfdw_raise_http_error(call, resp, code, message);
		unexpected_shape(call, "a JSON object with a \"credentials\" array");
	}

	/* credential_name is the row identity: two rows may not share one */
	duplicate = lfdw_wire_duplicate_name(list);
	if (duplicate)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Credential \"%s\" is listed more than once.",
						   lfdw_remote_text(call, duplicate, strlen(duplicate))),
				 errhint("A credential in LiteLLM's config file may share its name with one in the database; give one of them another name.")));

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

	root = parse_body(call, resp, "a JSON object describing one credential",
					  false);
	if (!lfdw_wire_is_credential(root))
	{
		if (lfdw_wire_is_flat_error(root) &&
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
	LfdwWireCredential cred;
	LfdwWireItem check;

	if (res == NULL)
		return false;
	if (res->streaming)
	{
		const LfdwWireElement *e;

		if (res->next_index >= res->list.n)
			return false;
		e = &res->list.elems[res->next_index++];
		memset(row, 0, sizeof(LfdwCredentialRow));
		if (e->has_name && e->name_len > 0)
			row->name = server_string(token_string(res->data + e->name_off,
												   e->name_len,
												   e->name_escaped, NULL));
		check_credential(opts, (LfdwWireItem) e->status, row->name);
		if (wanted[LFDW_FIELD_INFO])
			row->info = text_to_jsonb(e->info_off ? res->data + e->info_off : NULL,
									  e->info_len);
		if (wanted[LFDW_FIELD_VALUES])
			row->values = masked_values_text(opts,
											 e->values_off ? res->data + e->values_off : NULL,
											 e->values_len);
		return true;
	}
	if (res->next == NULL)
		return false;
	item = res->next;
	res->next = res->single ? NULL : item->next;

	memset(row, 0, sizeof(LfdwCredentialRow));

	check = lfdw_wire_credential(item, &cred);
	if (check != LFDW_WIRE_ITEM_NO_NAME)
		row->name = server_string(cred.name);
	check_credential(opts, check, row->name);

	if (wanted[LFDW_FIELD_INFO])
		row->info = cjson_to_jsonb(cred.info);
	if (wanted[LFDW_FIELD_VALUES])
		row->values = masked_values(opts, cred.values);
	return true;
}

/*
 * Raise the error for a credential that is not what a row needs.
 */
static void
check_credential(const LfdwOptions *opts, LfdwWireItem check,
				 const char *name)
{
	if (check != LFDW_WIRE_ITEM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						opts->server_name),
				 check == LFDW_WIRE_ITEM_NO_NAME ?
				 errdetail("Expected every credential to be a JSON object with a non-empty string \"credential_name\".") :
				 check == LFDW_WIRE_ITEM_DUPLICATE_KEY ?
				 errdetail("Credential \"%s\" has a field given more than once.",
						   name) :
				 check == LFDW_WIRE_ITEM_BAD_INFO ?
				 errdetail("Expected \"credential_info\" of credential \"%s\" to be a JSON object.",
						   name) :
				 errdetail("Expected \"credential_values\" of credential \"%s\" to be a JSON object.",
						   name)));
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

	root = lfdw_wire_parse(resp->body.data, resp->body.len);
	ok = lfdw_wire_is_success(root);
	lfdw_wire_free(root);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Expected a JSON object with \"success\": true (got %d bytes, Content-Type %s).",
						   resp->body.len,
						   content_type_text(call, resp)),
				 errhint("The change may have been applied on the server; check before retrying.")));
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
 * Parse a response body that must be JSON, UTF-8 (already checked, if
 * utf8_checked) and free of \u0000; the tree is freed when the current
 * memory context is reset.
 */
static cJSON *
parse_body(LfdwCall *call, LfdwHttpResponse *resp, const char *expected,
		   bool utf8_checked)
{
	cJSON	   *root;
	MemoryContextCallback *cb;

	if (!utf8_checked)
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

	cb = palloc(sizeof(MemoryContextCallback));
	cb->func = free_tree_callback;
	cb->arg = root;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
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
	MemoryContextCallback *cb;
	char	   *duplicate;

	if (resp->body.data == NULL || resp->body.len == 0)
		return NULL;
	res = palloc0(sizeof(LfdwReadResult));
	if (!lfdw_wire_index_list(resp->body.data, resp->body.len, &res->list))
	{
		pfree(res);
		return NULL;
	}
	cb = palloc(sizeof(MemoryContextCallback));
	cb->func = free_list_callback;
	cb->arg = &res->list;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	res->streaming = true;
	res->data = resp->body.data;

	/* the errors of parse_body, in its order (UTF-8 was checked) */
	if (res->list.has_nul)
		nul_escape_error(call);

	/* credential_name is the row identity: two rows may not share one */
	duplicate = lfdw_wire_list_duplicate(res->data, &res->list);
	if (duplicate)
	{
		char	   *name = lfdw_remote_text(call, duplicate, strlen(duplicate));

		free(duplicate);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("unexpected response from LiteLLM server \"%s\"",
						call->opts->server_name),
				 errdetail("Credential \"%s\" is listed more than once.", name),
				 errhint("A credential in LiteLLM's config file may share its name with one in the database; give one of them another name.")));
	}
	return res;
}

static void
free_list_callback(void *arg)
{
	lfdw_wire_list_free((LfdwWireList *) arg);
}

/*
 * The UTF-8 text of a string token, palloc'd and NUL-terminated; its
 * length in *outlen if that is not NULL.
 */
static char *
token_string(const char *raw, size_t len, bool escaped, int *outlen)
{
	char	   *buf = palloc(len + 1);
	size_t		n;

	if (escaped)
		n = lfdw_wire_unescape(raw, len, buf);
	else
	{
		memcpy(buf, raw, len);
		buf[len] = '\0';
		n = len;
	}
	if (outlen)
		*outlen = (int) n;
	return buf;
}

/*
 * A string token (key or value) as a jsonb string; it points into the body
 * where it can, since the body outlives the Jsonb built from it.
 */
static void
string_value(LfdwWireLexer *lx, JsonbValue *v)
{
	v->type = jbvString;
	if (!lx->escaped && GetDatabaseEncoding() == PG_UTF8)
	{
		v->val.string.val = (char *) lx->str;
		v->val.string.len = (int) lx->len;
	}
	else
	{
		v->val.string.val = server_string(token_string(lx->str, lx->len,
													   lx->escaped, NULL));
		v->val.string.len = strlen(v->val.string.val);
	}
}

/* A number token as a jsonb numeric, the value cJSON would read. */
static void
number_value(LfdwWireLexer *lx, JsonbValue *v)
{
	char		num[LFDW_WIRE_MAX_NUMBER + 1];
	size_t		sign = lx->str[0] == '-' ? 1 : 0;

	memcpy(num, lx->str, lx->len);
	num[lx->len] = '\0';
	v->type = jbvNumeric;
	/* an integer of up to 15 digits is exact as a double: no round trip */
	if (lx->len - sign <= 15 &&
		strspn(num + sign, "0123456789") == lx->len - sign)
		v->val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric,
															 Int64GetDatum(strtoll(num, NULL, 10))));
	else
	{
		double		d = strtod(num, NULL);

		/* an error context line names the request and server */
		if (!isfinite(d))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("number out of range in a response from LiteLLM"),
					 errdetail("JSON numbers beyond the range of double precision cannot be read.")));
		/* the shortest text that reads back as the same double */
		v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															 CStringGetDatum(float8out_internal(d)),
															 ObjectIdGetDatum(InvalidOid),
															 Int32GetDatum(-1)));
	}
}

/*
 * jsonb's order of object keys (shorter first, then bytewise); of two equal
 * keys the later one first, so that it is the one kept, as jsonb_in does.
 */
static int
compare_pairs(const void *a, const void *b)
{
	const JsonbPair *pa = a;
	const JsonbPair *pb = b;
	int			la = pa->key.val.string.len;
	int			lb = pb->key.val.string.len;
	int			c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(pa->key.val.string.val, pb->key.val.string.val, la);
	if (c != 0)
		return c;
	return pa->order > pb->order ? -1 : (pa->order < pb->order ? 1 : 0);
}

/* Sort the members into jsonb's order and drop repeated keys. */
static void
finish_object(JsonbValue *v, JsonbPair *pairs, int n)
{
	int			i,
				out = 0;

	if (n > 16)
		qsort(pairs, n, sizeof(JsonbPair), compare_pairs);
	else
	{
		/* few members, often nearly sorted: insertion sort */
		for (i = 1; i < n; i++)
		{
			JsonbPair	tmp = pairs[i];
			int			j = i;

			while (j > 0 && compare_pairs(&pairs[j - 1], &tmp) > 0)
			{
				pairs[j] = pairs[j - 1];
				j--;
			}
			pairs[j] = tmp;
		}
	}
	for (i = 0; i < n; i++)
	{
		if (out > 0 &&
			pairs[out - 1].key.val.string.len == pairs[i].key.val.string.len &&
			memcmp(pairs[out - 1].key.val.string.val, pairs[i].key.val.string.val,
				   pairs[i].key.val.string.len) == 0)
			continue;
		pairs[out++] = pairs[i];
	}
	v->type = jbvObject;
	v->val.object.nPairs = out;
	v->val.object.pairs = pairs;
}

/*
 * Build the value whose first token t was just read (the text was checked
 * before any row was read) as a JsonbValue tree in jsonb's order, for
 * JsonbValueToJsonb: no pushJsonbValue state, and one small sort per object.
 */
static void
build_value(LfdwWireLexer *lx, LfdwWireToken t, JsonbValue *v)
{
	switch (t)
	{
		case LFDW_TOK_BEGIN_OBJECT:
			{
				int			n = 0,
							cap = 8;
				JsonbPair  *pairs;

				check_stack_depth();
				pairs = palloc(cap * sizeof(JsonbPair));
				while ((t = lfdw_wire_lex_next(lx)) == LFDW_TOK_KEY)
				{
					if (n == cap)
					{
						cap *= 2;
						pairs = repalloc(pairs, cap * sizeof(JsonbPair));
					}
					string_value(lx, &pairs[n].key);
					pairs[n].order = n;
					build_value(lx, lfdw_wire_lex_next(lx), &pairs[n].value);
					n++;
				}
				if (t != LFDW_TOK_END_OBJECT)
					break;
				finish_object(v, pairs, n);
				return;
			}
		case LFDW_TOK_BEGIN_ARRAY:
			{
				int			n = 0,
							cap = 8;
				JsonbValue *elems;

				check_stack_depth();
				elems = palloc(cap * sizeof(JsonbValue));
				while ((t = lfdw_wire_lex_next(lx)) != LFDW_TOK_END_ARRAY)
				{
					if (t <= LFDW_TOK_END)
						break;
					if (n == cap)
					{
						cap *= 2;
						elems = repalloc(elems, cap * sizeof(JsonbValue));
					}
					build_value(lx, t, &elems[n++]);
				}
				if (t != LFDW_TOK_END_ARRAY)
					break;
				v->type = jbvArray;
				v->val.array.nElems = n;
				v->val.array.elems = elems;
				v->val.array.rawScalar = false;
				return;
			}
		case LFDW_TOK_STRING:
			string_value(lx, v);
			return;
		case LFDW_TOK_NUMBER:
			number_value(lx, v);
			return;
		case LFDW_TOK_TRUE:
		case LFDW_TOK_FALSE:
			v->type = jbvBool;
			v->val.boolean = (t == LFDW_TOK_TRUE);
			return;
		case LFDW_TOK_NULL:
			v->type = jbvNull;
			return;
		default:
			break;
	}
	/* the whole body was checked before any row was read */
	elog(ERROR, "unexpected token in a checked response from LiteLLM");
}

/*
 * jsonb of an object's text in the body; NULL gives an empty object.
 */
static Jsonb *
text_to_jsonb(const char *src, size_t len)
{
	JsonbValue	v;
	LfdwWireLexer lx;

	if (src == NULL)
	{
		v.type = jbvObject;
		v.val.object.nPairs = 0;
		v.val.object.pairs = NULL;
	}
	else
	{
		lfdw_wire_lex_init(&lx, src, len);
		build_value(&lx, lfdw_wire_lex_next(&lx), &v);
	}
	return JsonbValueToJsonb(&v);
}

/*
 * masked_values over the text of credential_values in the body (NULL:
 * absent).
 */
static Jsonb *
masked_values_text(const LfdwOptions *opts, const char *src, size_t len)
{
	JsonbValue	v;
	LfdwWireLexer lx;
	LfdwWireToken t;
	JsonbPair  *pairs;
	int			n = 0,
				cap = 8;

	if (src == NULL)
		return text_to_jsonb(NULL, 0);

	pairs = palloc(cap * sizeof(JsonbPair));
	lfdw_wire_lex_init(&lx, src, len);
	(void) lfdw_wire_lex_next(&lx); /* the object's '{' */
	while ((t = lfdw_wire_lex_next(&lx)) == LFDW_TOK_KEY)
	{
		bool		unmasked;

		if (n == cap)
		{
			cap *= 2;
			pairs = repalloc(pairs, cap * sizeof(JsonbPair));
		}
		/* the decision is on the key as sent (UTF-8) */
		if (lx.escaped)
		{
			int			klen;
			char	   *k = token_string(lx.str, lx.len, true, &klen);

			unmasked = lfdw_key_is_unmasked(opts, k, klen);
		}
		else
			unmasked = lfdw_key_is_unmasked(opts, lx.str, (int) lx.len);
		string_value(&lx, &pairs[n].key);
		pairs[n].order = n;
		t = lfdw_wire_lex_next(&lx);
		if (unmasked)
			build_value(&lx, t, &pairs[n].value);
		else
		{
			if (!lfdw_wire_lex_skip(&lx, t))
				elog(ERROR, "unexpected token in a checked response from LiteLLM");
			pairs[n].value.type = jbvString;
			pairs[n].value.val.string.val = LFDW_MASK;
			pairs[n].value.val.string.len = strlen(LFDW_MASK);
		}
		n++;
	}
	finish_object(&v, pairs, n);
	return JsonbValueToJsonb(&v);
}

/*
 * Is the body an error of LiteLLM itself (its envelope, or the flat
 * attributes older releases send), as opposed to a framework's answer such
 * as {"detail": "Not Found"} for a path that matches no route?
 */
static bool
is_litellm_error(LfdwHttpResponse *resp)
{
	cJSON	   *root = lfdw_wire_parse(resp->body.data, resp->body.len);
	bool		result = lfdw_wire_is_litellm_error(root);

	lfdw_wire_free(root);
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

		/* an error context line names the request and server */
		if (!isfinite(node->valuedouble))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("number out of range in a response from LiteLLM"),
					 errdetail("JSON numbers beyond the range of double precision cannot be read.")));
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
			if (lfdw_key_is_unmasked(opts, k, strlen(k)))
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

/*
 * For the model table (model_response.c): the helpers above, exported.
 */

/* parse_body: the tree (a cJSON *) lives until the context is reset */
void *
lfdw_parse_json_body(LfdwCall *call, LfdwHttpResponse *resp,
					 const char *expected)
{
	return parse_body(call, resp, expected, false);
}

/* cjson_to_jsonb */
Jsonb *
lfdw_json_to_jsonb(const void *node)
{
	return cjson_to_jsonb((const cJSON *) node);
}

/* server_string */
char *
lfdw_response_string(const char *utf8)
{
	return server_string(utf8);
}

/* is_litellm_error */
bool
lfdw_is_litellm_error(LfdwHttpResponse *resp)
{
	return is_litellm_error(resp);
}

/*
 * lfdw_read_result_count
 *		The number of credentials a list result holds (for the planner's
 *		estimates); call it before reading any.
 */
int
lfdw_read_result_count(LfdwReadResult *res)
{
	cJSON	   *item;
	int			n = 0;

	if (res == NULL)
		return 0;
	if (res->streaming)
		return (int) (res->list.n - res->next_index);
	for (item = res->next; item; item = res->single ? NULL : item->next)
		n++;
	return n;
}
