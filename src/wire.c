/*-------------------------------------------------------------------------
 *
 * wire.c
 *		  Reading what LiteLLM sends, without PostgreSQL: strict JSON
 *		  parsing, the shapes of credentials and of errors, and the
 *		  percent-encoding of names for paths.
 *
 * This file includes no PostgreSQL header, so that libFuzzer harnesses
 * (test/fuzz/) can feed it arbitrary bytes; response.c and request.c turn
 * its results into rows and errors.  Two readers: cJSON, for everything, and
 * a strict pull lexer that indexes a list of credentials in one pass without
 * building a tree (what it accepts, cJSON accepts alike; the harness checks).  Strings it returns are malloc'd; text
 * that may echo a secret is overwritten before it is freed.
 *
 * LiteLLM's error shapes (doc/litellm-api.md §2.0): the ProxyException
 * envelope {"error":{"message","type","param","code"}}; FastAPI's
 * {"detail": ...} as a string, an object, or a list of validation errors
 * whose "input" echoes the request body (never shown); and, from older
 * releases, the exception's flat attributes sent with HTTP status 200.
 *
 * Also the masking rule of both tables (lfdw_wire_show_rule) and the
 * shown form of a URL; the cJSON masker that applies it is model_wire.c's.
 *
 * May call: cJSON and libc only.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/wire.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "wire.h"

/* A growable text buffer whose old copies are wiped when it grows. */
typedef struct WireText
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;			/* out of memory: the text is incomplete */
} WireText;

static bool has_member(const cJSON *object, const char *name);
static int	compare_names(const void *a, const void *b);
static void text_append(WireText *t, const char *s, size_t n);
static void text_append_str(WireText *t, const char *s);
static char *printed_without_input(const cJSON *item);
static void strip_inputs(cJSON *node);
static void wipe_strings(cJSON *node);
static bool keep_number_text(cJSON *node, LfdwWireLexer *lx,
							 LfdwWireToken t);
static bool object_or_null(const cJSON *item, const char *name,
						   const cJSON **out);
static int	utf8_char(const unsigned char *p, const unsigned char *end,
					  uint32_t *cp);

/*
 * Does an object have a member of exactly this name?  (cJSON_HasObjectItem
 * ignores case, and so would not agree with the case-sensitive lookups and
 * deletions used everywhere here: "INPUT" is no "input".)
 */
static bool
has_member(const cJSON *object, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(object, name) != NULL;
}

/*
 * lfdw_wire_parse
 *		Parse a whole body as JSON; NULL when it is empty or not JSON, or
 *		anything but white space follows the value.
 *
 * data[len] must be the NUL that ends the body: cJSON checks for trailing
 * garbage by finding that NUL within the length it is given.  Free the
 * result with lfdw_wire_free.
 */
cJSON *
lfdw_wire_parse(const char *data, size_t len)
{
	cJSON	   *root;
	LfdwWireLexer lx;

	if (data == NULL || len == 0)
		return NULL;
	root = cJSON_ParseWithLengthOpts(data, len + 1, NULL, true);
	if (root)
	{
		lfdw_wire_lex_init(&lx, data, len);
		(void) keep_number_text(root, &lx, lfdw_wire_lex_next(&lx));
	}
	return root;
}

/*
 * Give each number of a tree parsed from a body the text it was written as,
 * in its valuestring (which cJSON frees with the node; nothing reads the
 * valuestring of a number otherwise), so that it reaches jsonb exactly, as
 * numeric_in reads it, never through a double (json.c).  The strict lexer
 * reads the body token by token in the tree's order; node is the value
 * whose first token t was just read.  Where the two part (a body the
 * lexer refuses, deeper than LFDW_WIRE_MAX_DEPTH, memory short), false:
 * the numbers after that keep only their double.  The recursion is as
 * deep as the lexer lets the body nest.
 */
static bool
keep_number_text(cJSON *node, LfdwWireLexer *lx, LfdwWireToken t)
{
	cJSON	   *child;

	if (cJSON_IsNumber(node))
	{
		if (t != LFDW_TOK_NUMBER || node->valuestring != NULL)
			return false;
		node->valuestring = cJSON_malloc(lx->len + 1);
		if (node->valuestring == NULL)
			return false;
		memcpy(node->valuestring, lx->str, lx->len);
		node->valuestring[lx->len] = '\0';
		return true;
	}
	if (cJSON_IsObject(node) || cJSON_IsArray(node))
	{
		bool		is_object = cJSON_IsObject(node);

		if (t != (is_object ? LFDW_TOK_BEGIN_OBJECT : LFDW_TOK_BEGIN_ARRAY))
			return false;
		cJSON_ArrayForEach(child, node)
		{
			t = lfdw_wire_lex_next(lx);
			if (is_object)
			{
				if (t != LFDW_TOK_KEY)
					return false;
				t = lfdw_wire_lex_next(lx);
			}
			if (!keep_number_text(child, lx, t))
				return false;
		}
		return lfdw_wire_lex_next(lx) ==
			(is_object ? LFDW_TOK_END_OBJECT : LFDW_TOK_END_ARRAY);
	}
	/* a string, true, false or null: its token */
	return t == LFDW_TOK_STRING || t == LFDW_TOK_TRUE ||
		t == LFDW_TOK_FALSE || t == LFDW_TOK_NULL;
}

/*
 * lfdw_wire_free
 *		Overwrite every string of a tree, then free it: an error body may
 *		echo what was sent.
 */
void
lfdw_wire_free(cJSON *root)
{
	wipe_strings(root);
	cJSON_Delete(root);
}

/*
 * lfdw_wire_top_string
 *		The string member key of the JSON object in data (a health answer,
 *		say), copied into out when it fits in size bytes with its NUL.
 *		false when the body is not an object, or the member is absent, not a
 *		string, or too long.
 */
bool
lfdw_wire_top_string(const char *data, size_t len, const char *key,
					 char *out, size_t size)
{
	cJSON	   *root = lfdw_wire_parse(data, len);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
	bool		ok = false;

	if (cJSON_IsString(v) && v->valuestring && strlen(v->valuestring) < size)
	{
		memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
		ok = true;
	}
	if (root)
		lfdw_wire_free(root);
	return ok;
}

/* obj[key] when obj is an object and it is one too, else NULL */
static const cJSON *
openapi_object(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ?
	cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;

	return cJSON_IsObject(v) ? v : NULL;
}

/*
 * lfdw_wire_openapi
 *		What an OpenAPI document (LiteLLM's GET /openapi.json, as FastAPI
 *		emits it) declares about the credential routes whose behaviour
 *		differs by release: whether it is a document with paths, the schema
 *		of the body of PATCH /credentials/{credential_name} (a $ref into
 *		components.schemas, or inline) and whether that schema has the
 *		property credential_values_to_delete, and whether DELETE
 *		/credentials/{credential_name}/user_connection is a route.  The
 *		schema name is kept only when it is short and of the characters
 *		pydantic names use, since it is shown in EXPLAIN.
 */
void
lfdw_wire_openapi(const char *data, size_t len, LfdwWireOpenapi *out)
{
	static const char prefix[] = "#/components/schemas/";
	cJSON	   *root = lfdw_wire_parse(data, len);
	const cJSON *paths = openapi_object(root, "paths");
	const cJSON *patch;
	const cJSON *schema;
	const cJSON *props = NULL;

	memset(out, 0, sizeof(*out));
	if (paths == NULL ||
		!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "openapi")))
		goto done;
	out->document = true;
	out->user_connection =
		openapi_object(openapi_object(paths, "/credentials/{credential_name}/user_connection"),
					   "delete") != NULL;
	patch = openapi_object(openapi_object(paths, "/credentials/{credential_name}"),
						   "patch");
	out->patch_route = patch != NULL;
	schema = openapi_object(openapi_object(openapi_object(openapi_object(patch, "requestBody"),
														  "content"),
										   "application/json"),
							"schema");
	if (schema && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(schema, "$ref")))
	{
		const char *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref")->valuestring;
		const char *name;
		size_t		i;

		if (ref == NULL || strncmp(ref, prefix, sizeof(prefix) - 1) != 0)
			goto done;
		name = ref + sizeof(prefix) - 1;
		props = openapi_object(openapi_object(openapi_object(openapi_object(root, "components"),
															 "schemas"),
											  name),
							   "properties");
		for (i = 0; name[i] && i < sizeof(out->patch_body) - 1; i++)
			if (!isalnum((unsigned char) name[i]) && name[i] != '_' &&
				name[i] != '-' && name[i] != '.')
				break;
		if (name[i] == '\0' && i > 0)
			memcpy(out->patch_body, name, i + 1);
	}
	else
		props = openapi_object(schema, "properties");
	if (props)
	{
		out->patch_body_found = true;
		out->values_to_delete =
			cJSON_GetObjectItemCaseSensitive(props, "credential_values_to_delete") != NULL;
	}
done:
	if (root)
		lfdw_wire_free(root);
}

static void
wipe_strings(cJSON *node)
{
	for (; node; node = node->next)
	{
		if (node->valuestring)
			explicit_bzero(node->valuestring, strlen(node->valuestring));
		if (node->string && !(node->type & cJSON_StringIsConst))
			explicit_bzero(node->string, strlen(node->string));
		if (node->child)
			wipe_strings(node->child);
	}
}

/*
 * lfdw_wire_has_nul_escape
 *		Does the JSON text hold the escape \u0000 (a backslash that is not
 *		itself escaped, then u0000)?  cJSON would cut the string there, and
 *		PostgreSQL text cannot hold it.
 */
bool
lfdw_wire_has_nul_escape(const char *data, size_t len)
{
	const char *p = data;
	const char *end = data + len;

	while (p && p < end && (p = memmem(p, end - p, "u0000", 5)) != NULL)
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
 * lfdw_wire_is_flat_error
 *		The flat error body of older LiteLLM: the exception's attributes,
 *		with at least "message" and "code", and no "success": true.
 */
bool
lfdw_wire_is_flat_error(const cJSON *root)
{
	return cJSON_IsObject(root) &&
		has_member(root, "message") &&
		has_member(root, "code") &&
		!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
}

/*
 * lfdw_wire_is_litellm_error
 *		Is this an error of LiteLLM itself (its envelope or the flat body),
 *		as opposed to a framework's answer such as {"detail": "Not Found"}
 *		for a path that matches no route?
 */
bool
lfdw_wire_is_litellm_error(const cJSON *root)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "error")) ||
		lfdw_wire_is_flat_error(root);
}

/*
 * lfdw_wire_error_code
 *		The code of a flat error body (a number or a numeric string from 100
 *		to 999), or 0 when it has none that makes sense.
 */
int
lfdw_wire_error_code(const cJSON *root)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, "code");

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
	return 0;
}

/*
 * lfdw_wire_error_message
 *		What the server said, from any of its error shapes; NULL if it says
 *		nothing.  Validation errors are shown as "loc: msg", and no "input"
 *		member is ever shown.  Free with lfdw_wire_free_text; NULL is also
 *		returned when memory runs out.
 */
char *
lfdw_wire_error_message(const cJSON *root)
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
			return strdup(message->valuestring);
		return message ? printed_without_input(message) : NULL;
	}
	if (cJSON_IsString(error))
		return strdup(error->valuestring);

	detail = cJSON_GetObjectItemCaseSensitive(root, "detail");
	if (cJSON_IsString(detail))
		return strdup(detail->valuestring);
	if (cJSON_IsObject(detail))
	{
		const cJSON *inner = cJSON_GetObjectItemCaseSensitive(detail, "error");

		if (cJSON_IsString(inner))
			return strdup(inner->valuestring);
		return printed_without_input(detail);
	}
	if (cJSON_IsArray(detail))
	{
		WireText	t = {0};
		const cJSON *entry;

		cJSON_ArrayForEach(entry, detail)
		{
			const cJSON *loc = cJSON_GetObjectItemCaseSensitive(entry, "loc");
			const cJSON *msg = cJSON_GetObjectItemCaseSensitive(entry, "msg");
			const cJSON *part;
			bool		first = true;

			if (t.len > 0)
				text_append_str(&t, "; ");
			cJSON_ArrayForEach(part, loc)
			{
				if (!first)
					text_append_str(&t, ".");
				first = false;
				if (cJSON_IsString(part))
					text_append_str(&t, part->valuestring);
				else if (cJSON_IsNumber(part) && part->valuedouble >= 0 &&
						 part->valuedouble < 1e9)
				{
					char		num[16];
					int			n = 0;
					unsigned	v = (unsigned) part->valuedouble;

					/* digits, without printf (no locale, no surprises) */
					do
					{
						num[sizeof(num) - 1 - n++] = (char) ('0' + v % 10);
						v /= 10;
					} while (v > 0);
					text_append(&t, num + sizeof(num) - n, n);
				}
			}
			if (!first)
				text_append_str(&t, ": ");
			text_append_str(&t, cJSON_IsString(msg) ? msg->valuestring : "invalid");
		}
		if (t.failed || t.data == NULL)
		{
			lfdw_wire_free_text(t.data);
			return NULL;
		}
		return t.data;
	}

	message = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(message))
		return strdup(message->valuestring);
	return NULL;
}

/*
 * lfdw_wire_free_text
 *		Overwrite and free a string from this file.
 */
void
lfdw_wire_free_text(char *text)
{
	if (text == NULL)
		return;
	explicit_bzero(text, strlen(text));
	free(text);
}

/*
 * lfdw_wire_credential_list
 *		The "credentials" array of a GET /credentials body, or NULL.
 */
const cJSON *
lfdw_wire_credential_list(const cJSON *root)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "credentials");

	return cJSON_IsArray(list) ? list : NULL;
}

/*
 * lfdw_wire_duplicate_name
 *		The first name (in sort order) that two credentials of a list share,
 *		or NULL when every name is distinct (or memory ran out: the check is
 *		then skipped, never failed).  Credentials without a string name are
 *		ignored here; reading them is an error anyway.
 */
const char *
lfdw_wire_duplicate_name(const cJSON *list)
{
	const cJSON *item;
	const char **names;
	const char *result = NULL;
	size_t		n = 0;

	names = malloc(sizeof(char *) * (size_t) (cJSON_GetArraySize(list) + 1));
	if (names == NULL)
		return NULL;
	cJSON_ArrayForEach(item, list)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");

		if (cJSON_IsString(name))
			names[n++] = name->valuestring;
	}
	result = lfdw_wire_first_duplicate(names, n);
	free(names);
	return result;
}

/*
 * lfdw_wire_first, lfdw_wire_next, lfdw_wire_count
 *		Walk a parsed array without seeing cJSON: its first element (NULL
 *		when empty or not an array), the element after one, how many.
 */
const cJSON *
lfdw_wire_first(const cJSON *array)
{
	return cJSON_IsArray(array) ? array->child : NULL;
}

const cJSON *
lfdw_wire_next(const cJSON *item)
{
	return item ? item->next : NULL;
}

int
lfdw_wire_count(const cJSON *array)
{
	return cJSON_GetArraySize(array);
}

/*
 * lfdw_wire_first_duplicate
 *		The first key (in sort order) that stands twice among keys[0..n),
 *		or NULL: the row identity of a list (a credential's name, a model's
 *		id) must be unique.  Sorts keys in place.
 */
const char *
lfdw_wire_first_duplicate(const char **keys, size_t n)
{
	size_t		i;

	qsort(keys, n, sizeof(char *), compare_names);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			return keys[i];
	return NULL;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/*
 * lfdw_wire_is_credential
 *		Does a point read's body describe a credential (an object with a
 *		"credential_name")?
 */
bool
lfdw_wire_is_credential(const cJSON *root)
{
	return cJSON_IsObject(root) && has_member(root, "credential_name");
}

/*
 * lfdw_wire_credential
 *		Check one credential of a response and point at its parts.
 */
LfdwWireItem
lfdw_wire_credential(const cJSON *item, LfdwWireCredential *out)
{
	static const char *const fields[] = {
		"credential_name", "credential_info", "credential_values"
	};
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");
	int			i;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(item) || !cJSON_IsString(name) ||
		name->valuestring[0] == '\0')
		return LFDW_WIRE_ITEM_NO_NAME;

	out->name = name->valuestring;

	/* cJSON finds the first of twice-given keys, jsonb keeps the last */
	for (i = 0; i < (int) (sizeof(fields) / sizeof(fields[0])); i++)
		if (lfdw_wire_count_members(item, fields[i]) > 1)
			return LFDW_WIRE_ITEM_DUPLICATE_KEY;

	if (!object_or_null(item, "credential_info", &out->info))
		return LFDW_WIRE_ITEM_BAD_INFO;
	if (!object_or_null(item, "credential_values", &out->values))
		return LFDW_WIRE_ITEM_BAD_VALUES;
	return LFDW_WIRE_ITEM_OK;
}

/* A member that is an object (*out), or absent or null (*out NULL)? */
static bool
object_or_null(const cJSON *item, const char *name, const cJSON **out)
{
	const cJSON *member = cJSON_GetObjectItemCaseSensitive(item, name);

	*out = NULL;
	if (member == NULL || cJSON_IsNull(member))
		return true;
	if (!cJSON_IsObject(member))
		return false;
	*out = member;
	return true;
}

/*
 * lfdw_wire_count_members
 *		How many members of an object have exactly this name (cJSON keeps
 *		repeated members; a field given twice is refused).
 */
int
lfdw_wire_count_members(const cJSON *object, const char *name)
{
	const cJSON *child;
	int			n = 0;

	cJSON_ArrayForEach(child, object)
	{
		if (child->string && strcmp(child->string, name) == 0)
			n++;
	}
	return n;
}

/*
 * lfdw_wire_is_success
 *		Is a write's body {"success": true, ...}?
 */
bool
lfdw_wire_is_success(const cJSON *root)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "success"));
}

/*
 * lfdw_wire_key_listed
 *		Masking: is this key of credential_values (keylen bytes, not
 *		necessarily NUL-terminated) one of the n keys shown unmasked?  Exact
 *		byte equality; everything else is shown as the mask.
 */
bool
lfdw_wire_key_listed(const char *key, size_t keylen, const char *const *list,
					 int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == keylen && memcmp(list[i], key, keylen) == 0)
			return true;
	return false;
}

/*
 * The one masking rule of both tables.
 *
 * A value is shown only when its key says it is not a secret: the key is
 * listed in the server option unmasked_keys (shown as stored), or, in a
 * model's litellm_params, the key is one of the settings below (shown when
 * the value is a scalar or an array of scalars; a URL without its user
 * information, query and fragment).  Every other value is the mask, as a
 * whole, whatever its type.  credential_values has no such settings: every
 * value there is a secret unless listed.  An allow-list, not a list of
 * secret names: a key nobody thought of (extra_headers, passphrase, dsn)
 * is masked.
 */
static const char *const shown_settings[] = {
	/* what is called, where, and how */
	"model", "custom_llm_provider", "litellm_credential_name",
	"api_version", "region_name", "aws_region_name", "vertex_project",
	"vertex_location", "tags",
	/* limits */
	"rpm", "tpm", "timeout", "stream_timeout", "max_retries", "max_tokens",
	"max_parallel_requests", "max_budget", "budget_duration",
	"max_file_size_mb",
	/* prices */
	"input_cost_per_token", "output_cost_per_token",
	"input_cost_per_second", "output_cost_per_second",
	/* switches */
	"use_in_pass_through", "use_litellm_proxy",
	"merge_reasoning_content_in_choices", "drop_params", "temperature",
	/* the newest line's other switches reset by a PATCH (model.c) */
	"allow_client_keepalive_override", "use_xai_oauth"
};

/* settings that hold a URL: shown without user information and query */
static const char *const url_settings[] = {"api_base", "base_url"};

#define lengthof_wire(a) ((int) (sizeof(a) / sizeof((a)[0])))

/*
 * lfdw_wire_show_rule
 *		What to show of the value under a key (keylen bytes): of a model's
 *		litellm_params when is_setting, else of credential_values.
 */
LfdwWireShow
lfdw_wire_show_rule(const char *key, size_t keylen, bool is_setting,
					const char *const *unmasked, int n)
{
	int			i;

	if (lfdw_wire_key_listed(key, keylen, unmasked, n))
		return LFDW_WIRE_SHOW;
	if (!is_setting)
		return LFDW_WIRE_MASK;
	for (i = 0; i < lengthof_wire(url_settings); i++)
		if (strlen(url_settings[i]) == keylen &&
			memcmp(url_settings[i], key, keylen) == 0)
			return LFDW_WIRE_SHOW_URL;
	for (i = 0; i < lengthof_wire(shown_settings); i++)
		if (strlen(shown_settings[i]) == keylen &&
			memcmp(shown_settings[i], key, keylen) == 0)
			return LFDW_WIRE_SHOW_SCALAR;
	return LFDW_WIRE_MASK;
}

/*
 * lfdw_wire_strip_url
 *		A URL as shown: its user information ("user:password@"), query and
 *		fragment, which is where a URL carries secrets, each replaced by the
 *		mask (user:password@ becomes eight asterisks and "@").  The mask, rather than
 *		nothing, says that something is there, and makes the shown URL one
 *		that the placeholder guard refuses to write back.  out must have
 *		room for LFDW_WIRE_SHOWN_URL_SIZE(strlen(in)) bytes.  Returns the
 *		length written.
 */
size_t
lfdw_wire_strip_url(const char *in, char *out)
{
	const char *scheme_end = strstr(in, "://");
	const char *authority;
	size_t		auth_len;
	const char *at = NULL;
	const char *p;
	size_t		n = 0;
	size_t		rest;

	/* the scheme, as it is (only when "://" comes before any path) */
	if (scheme_end && strcspn(in, "/?#") == (size_t) (scheme_end - in) + 1)
	{
		authority = scheme_end + 3;
		memcpy(out, in, authority - in);
		n = authority - in;
	}
	else
		authority = in;
	auth_len = strcspn(authority, "/?#");
	for (p = authority; p < authority + auth_len; p++)
		if (*p == '@')
			at = p;
	if (at)
	{
		memcpy(out + n, "********@", 9);
		n += 9;
		auth_len -= (at + 1) - authority;
		authority = at + 1;
	}
	/* the host and the path, up to a query or fragment */
	rest = auth_len + strcspn(authority + auth_len, "?#");
	memcpy(out + n, authority, rest);
	n += rest;
	p = authority + rest;
	if (*p == '?')
	{
		memcpy(out + n, "?********", 9);
		n += 9;
		p += strcspn(p, "#");
	}
	if (*p == '#')
	{
		memcpy(out + n, "#********", 9);
		n += 9;
	}
	out[n] = '\0';
	return n;
}

/*
 * lfdw_wire_percent_encode
 *		Percent-encode every byte of a NUL-terminated string outside RFC
 *		3986's unreserved set, into out, which must have room for three
 *		times the input plus one.  Returns the length written.
 *
 * The names "." and ".." are legal credential names and model ids, but as
 * a path segment they are dot segments, which a URL parser (libcurl's
 * among them) removes: a request for "/credentials/." would reach
 * "/credentials/".  Their dots are encoded as well (%2E), which the server
 * decodes back before routing.
 */
size_t
lfdw_wire_percent_encode(const char *in, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	size_t		n = 0;
	bool		dot_segment = (strcmp(in, ".") == 0 || strcmp(in, "..") == 0);

	for (p = (const unsigned char *) in; *p; p++)
	{
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') ||
			*p == '-' || (*p == '.' && !dot_segment) || *p == '_' || *p == '~')
			out[n++] = (char) *p;
		else
		{
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 0x0F];
		}
	}
	out[n] = '\0';
	return n;
}

/*
 * Compact JSON text of a node without any "input" member at any depth.
 */
static char *
printed_without_input(const cJSON *item)
{
	cJSON	   *copy = cJSON_Duplicate(item, true);
	char	   *text;
	char	   *result;

	if (copy == NULL)
		return NULL;
	strip_inputs(copy);
	text = cJSON_PrintUnformatted(copy);
	lfdw_wire_free(copy);
	if (text == NULL)
		return NULL;
	result = strdup(text);
	explicit_bzero(text, strlen(text));
	cJSON_free(text);
	return result;
}

/* The recursion is bounded: cJSON parses at most CJSON_NESTING_LIMIT levels. */
static void
strip_inputs(cJSON *node)
{
	cJSON	   *child;

	if (cJSON_IsObject(node))
		while (has_member(node, "input"))
			cJSON_DeleteItemFromObjectCaseSensitive(node, "input");
	cJSON_ArrayForEach(child, node)
		strip_inputs(child);
}

static void
text_append(WireText *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap)
	{
		size_t		cap = t->cap ? t->cap : 128;
		char	   *data;

		while (cap < t->len + n + 1)
			cap *= 2;
		data = malloc(cap);
		if (data == NULL)
		{
			t->failed = true;
			return;
		}
		if (t->data)
		{
			memcpy(data, t->data, t->len);
			explicit_bzero(t->data, t->len);
			free(t->data);
		}
		t->data = data;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void
text_append_str(WireText *t, const char *s)
{
	text_append(t, s, strlen(s));
}

/*
 * The strict lexer.  States say what may come next; an error is sticky.
 */
enum
{
	LEX_VALUE,					/* a value */
	LEX_FIRST_ARRAY,			/* a value or ']' */
	LEX_FIRST_OBJECT,			/* a member name or '}' */
	LEX_KEY,					/* a member name (after ',') */
	LEX_AFTER,					/* ',' or the end of the container or text */
	LEX_DONE,
	LEX_FAILED
};

/* bytes that a string holds as they are: not '"', '\\' or a control */
static unsigned char plain_byte[256];
static bool plain_ready = false;

static void
init_plain(void)
{
	int			c;

	for (c = 0; c < 256; c++)
		plain_byte[c] = (c >= 0x20 && c != '"' && c != '\\');
	plain_ready = true;
}

static int
hex4(const char *p)
{
	int			v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		char		c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * lfdw_wire_lex_init
 *		Prepare to read one JSON value that must fill data[0..len) (white
 *		space aside).
 */
void
lfdw_wire_lex_init(LfdwWireLexer *lx, const char *data, size_t len)
{
	if (!plain_ready)
		init_plain();
	lx->p = data;
	lx->end = data + len;
	lx->start = data;
	lx->str = NULL;
	lx->len = 0;
	lx->escaped = false;
	lx->saw_nul = false;
	lx->state = data ? LEX_VALUE : LEX_FAILED;
	lx->depth = 0;
}

static inline void
skip_space(LfdwWireLexer *lx)
{
	/* compact JSON has none: test the first byte before looping */
	if (lx->p < lx->end && (unsigned char) *lx->p > ' ')
		return;
	while (lx->p < lx->end &&
		   (*lx->p == ' ' || *lx->p == '\n' || *lx->p == '\r' || *lx->p == '\t'))
		lx->p++;
}

/* a string at lx->p (its opening quote); false if malformed */
static bool
lex_string(LfdwWireLexer *lx)
{
	const char *p = lx->p + 1;
	const char *end = lx->end;

	lx->str = p;
	lx->escaped = false;
	for (;;)
	{
		while (p < end && plain_byte[(unsigned char) *p])
			p++;
		if (p >= end)
			return false;
		if (*p == '"')
			break;
		if (*p != '\\')
			return false;		/* a control character */
		lx->escaped = true;
		p++;
		if (p >= end)
			return false;
		switch (*p)
		{
			case '"':
			case '\\':
			case '/':
			case 'b':
			case 'f':
			case 'n':
			case 'r':
			case 't':
				p++;
				break;
			case 'u':
				{
					int			code;

					if (end - p < 5 || (code = hex4(p + 1)) < 0)
						return false;
					p += 5;
					if (code == 0)
						lx->saw_nul = true;
					/* surrogates only in pairs, as cJSON wants them */
					if (code >= 0xDC00 && code <= 0xDFFF)
						return false;
					if (code >= 0xD800 && code <= 0xDBFF)
					{
						int			low;

						if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
							(low = hex4(p + 2)) < 0 ||
							low < 0xDC00 || low > 0xDFFF)
							return false;
						p += 6;
					}
					break;
				}
			default:
				return false;
		}
	}
	lx->len = (size_t) (p - lx->str);
	lx->p = p + 1;
	return true;
}

/* a number at lx->p; false if malformed or too long */
static bool
lex_number(LfdwWireLexer *lx)
{
	const char *p = lx->p;
	const char *end = lx->end;

	lx->str = p;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	else
		return false;
	if (p < end && *p == '.')
	{
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return false;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9')
			return false;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	lx->len = (size_t) (p - lx->str);
	lx->p = p;
	return lx->len <= LFDW_WIRE_MAX_NUMBER;
}

static bool
lex_literal(LfdwWireLexer *lx, const char *word, size_t n)
{
	if ((size_t) (lx->end - lx->p) < n || memcmp(lx->p, word, n) != 0)
		return false;
	lx->p += n;
	return true;
}

/*
 * The end of the innermost container, if the next byte closes it (then the
 * state is LEX_AFTER); else LFDW_TOK_ERROR, and nothing is consumed.
 */
static LfdwWireToken
lex_close(LfdwWireLexer *lx)
{
	char		closer = lx->stack[lx->depth - 1] == 'o' ? '}' : ']';

	if (lx->p >= lx->end || *lx->p != closer)
		return LFDW_TOK_ERROR;
	lx->p++;
	lx->depth--;
	lx->state = LEX_AFTER;
	return closer == '}' ? LFDW_TOK_END_OBJECT : LFDW_TOK_END_ARRAY;
}

/*
 * lfdw_wire_lex_next
 *		The next token; LFDW_TOK_ERROR (from then on) if the text is not
 *		strict JSON, LFDW_TOK_END once the value is complete and only white
 *		space follows.
 */
LfdwWireToken
lfdw_wire_lex_next(LfdwWireLexer *lx)
{
	LfdwWireToken t;

	for (;;)
	{
		skip_space(lx);
		lx->start = lx->p;
		switch (lx->state)
		{
			case LEX_DONE:
				return LFDW_TOK_END;
			case LEX_FAILED:
				return LFDW_TOK_ERROR;
			case LEX_AFTER:
				if (lx->depth == 0)
				{
					if (lx->p != lx->end)
						goto fail;
					lx->state = LEX_DONE;
					return LFDW_TOK_END;
				}
				if (lx->p >= lx->end)
					goto fail;
				if (*lx->p == ',')
				{
					lx->p++;
					lx->state = lx->stack[lx->depth - 1] == 'o' ? LEX_KEY : LEX_VALUE;
					continue;
				}
				if ((t = lex_close(lx)) != LFDW_TOK_ERROR)
					return t;
				goto fail;
			case LEX_FIRST_OBJECT:
				if ((t = lex_close(lx)) != LFDW_TOK_ERROR)
					return t;
				/* FALLTHROUGH */
			case LEX_KEY:
				if (lx->p >= lx->end || *lx->p != '"' || !lex_string(lx))
					goto fail;
				skip_space(lx);
				if (lx->p >= lx->end || *lx->p != ':')
					goto fail;
				lx->p++;
				lx->state = LEX_VALUE;
				return LFDW_TOK_KEY;
			case LEX_FIRST_ARRAY:
				if ((t = lex_close(lx)) != LFDW_TOK_ERROR)
					return t;
				/* FALLTHROUGH */
			case LEX_VALUE:
				if (lx->p >= lx->end)
					goto fail;
				lx->state = LEX_AFTER;
				switch (*lx->p)
				{
					case '{':
					case '[':
						if (lx->depth >= LFDW_WIRE_MAX_DEPTH)
							goto fail;
						lx->stack[lx->depth++] = *lx->p == '{' ? 'o' : 'a';
						lx->state = *lx->p == '{' ? LEX_FIRST_OBJECT : LEX_FIRST_ARRAY;
						lx->p++;
						return lx->state == LEX_FIRST_OBJECT ?
							LFDW_TOK_BEGIN_OBJECT : LFDW_TOK_BEGIN_ARRAY;
					case '"':
						if (!lex_string(lx))
							goto fail;
						return LFDW_TOK_STRING;
					case 't':
					case 'f':
					case 'n':
						if (lex_literal(lx, "true", 4))
							return LFDW_TOK_TRUE;
						if (lex_literal(lx, "false", 5))
							return LFDW_TOK_FALSE;
						if (lex_literal(lx, "null", 4))
							return LFDW_TOK_NULL;
						goto fail;
					default:
						if (!lex_number(lx))
							goto fail;
						return LFDW_TOK_NUMBER;
				}
		}
	}
fail:
	lx->state = LEX_FAILED;
	return LFDW_TOK_ERROR;
}

/*
 * lfdw_wire_lex_skip
 *		Skip the rest of a value whose first token was just read; false on
 *		an error.
 */
bool
lfdw_wire_lex_skip(LfdwWireLexer *lx, LfdwWireToken first)
{
	int			depth;

	if (first == LFDW_TOK_ERROR || first == LFDW_TOK_END)
		return false;
	if (first != LFDW_TOK_BEGIN_OBJECT && first != LFDW_TOK_BEGIN_ARRAY)
		return true;
	depth = lx->depth - 1;
	while (lx->depth > depth)
	{
		LfdwWireToken t = lfdw_wire_lex_next(lx);

		if (t == LFDW_TOK_ERROR || t == LFDW_TOK_END)
			return false;
	}
	return true;
}

/*
 * lfdw_wire_unescape
 *		The UTF-8 text of a string's raw content (as the lexer checked it),
 *		into out, which must have room for len + 1 bytes (no escape is
 *		shorter than what it stands for).  Returns the length written; out
 *		is NUL-terminated.
 */
size_t
lfdw_wire_unescape(const char *raw, size_t len, char *out)
{
	static const char escapes[] = "bfnrt";
	const char *p = raw;
	const char *end = raw + len;
	const char *esc;
	size_t		n = 0;

	while (p < end)
	{
		const char *bs = memchr(p, '\\', (size_t) (end - p));
		size_t		run = bs ? (size_t) (bs - p) : (size_t) (end - p);
		unsigned long code;

		memcpy(out + n, p, run);
		n += run;
		p += run;
		if (p >= end)
			break;
		p++;					/* the backslash */
		if ((esc = memchr(escapes, *p, 5)) != NULL || *p != 'u')
		{
			/* \b \f \n \r \t, or '"', '\\', '/' as they are */
			out[n++] = esc ? "\b\f\n\r\t"[esc - escapes] : *p;
			p++;
			continue;
		}
		p++;
		code = (unsigned long) hex4(p);
		p += 4;
		if (code >= 0xD800 && code <= 0xDBFF)
		{
			code = 0x10000 + ((code - 0xD800) << 10) +
				((unsigned long) hex4(p + 2) - 0xDC00);
			p += 6;
		}
		if (code < 0x80)
			out[n++] = (char) code;
		else if (code < 0x800)
		{
			out[n++] = (char) (0xC0 | (code >> 6));
			out[n++] = (char) (0x80 | (code & 0x3F));
		}
		else if (code < 0x10000)
		{
			out[n++] = (char) (0xE0 | (code >> 12));
			out[n++] = (char) (0x80 | ((code >> 6) & 0x3F));
			out[n++] = (char) (0x80 | (code & 0x3F));
		}
		else
		{
			out[n++] = (char) (0xF0 | (code >> 18));
			out[n++] = (char) (0x80 | ((code >> 12) & 0x3F));
			out[n++] = (char) (0x80 | ((code >> 6) & 0x3F));
			out[n++] = (char) (0x80 | (code & 0x3F));
		}
	}
	out[n] = '\0';
	return n;
}

/* Is a key (raw string content) exactly this name, escapes decoded? */
static bool
key_is(const LfdwWireLexer *lx, const char *name, size_t n)
{
	char		buf[128];

	if (!lx->escaped)
		return lx->len == n && memcmp(lx->str, name, n) == 0;
	/* an escape stands for at least one byte in at most 6: too long, no match */
	if (lx->len >= sizeof(buf) || lx->len > 6 * n)
		return false;
	return lfdw_wire_unescape(lx->str, lx->len, buf) == n &&
		memcmp(buf, name, n) == 0;
}

/*
 * The value of a member whose key was just read: an object's extent, or
 * null (absent); false for anything else.  *ok is false on a lexer error.
 */
static bool
member_object(LfdwWireLexer *lx, const char *base, size_t *off,
			  unsigned int *len, bool *ok)
{
	LfdwWireToken t = lfdw_wire_lex_next(lx);
	const char *start = lx->start;

	*off = 0;
	*len = 0;
	if (t == LFDW_TOK_NULL)
		return true;
	if (t != LFDW_TOK_BEGIN_OBJECT)
	{
		*ok = lfdw_wire_lex_skip(lx, t);
		return false;
	}
	if (!lfdw_wire_lex_skip(lx, t))
	{
		*ok = false;
		return false;
	}
	if ((size_t) (lx->p - start) > 0xFFFFFFFFu)
	{
		*ok = false;
		return false;
	}
	*off = (size_t) (start - base);
	*len = (unsigned int) (lx->p - start);
	return true;
}

/*
 * Index one element of the credentials array, whose first token was just
 * read; false on a lexer error or when memory runs out.
 */
static bool
index_element(LfdwWireLexer *lx, const char *base, LfdwWireToken first,
			  LfdwWireList *out)
{
	LfdwWireElement *e;
	int			n_name = 0,
				n_info = 0,
				n_values = 0;
	bool		info_ok = true,
				values_ok = true,
				ok = true;

	if (out->n == out->cap)
	{
		size_t		cap = out->cap ? out->cap * 2 : 256;
		LfdwWireElement *elems = realloc(out->elems, cap * sizeof(LfdwWireElement));

		if (elems == NULL)
			return false;
		out->elems = elems;
		out->cap = cap;
	}
	e = &out->elems[out->n++];
	memset(e, 0, sizeof(*e));
	e->status = LFDW_WIRE_ITEM_NO_NAME;
	if (first != LFDW_TOK_BEGIN_OBJECT)
		return lfdw_wire_lex_skip(lx, first);

	for (;;)
	{
		LfdwWireToken t = lfdw_wire_lex_next(lx);

		if (t == LFDW_TOK_END_OBJECT)
			break;
		if (t != LFDW_TOK_KEY)
			return false;
		if (key_is(lx, "credential_name", 15))
		{
			t = lfdw_wire_lex_next(lx);
			if (n_name++ == 0 && t == LFDW_TOK_STRING)
			{
				if (lx->len > 0xFFFFFFFFu)
					return false;
				e->has_name = true;
				e->name_off = (size_t) (lx->str - base);
				e->name_len = (unsigned int) lx->len;
				e->name_escaped = lx->escaped;
			}
			if (!lfdw_wire_lex_skip(lx, t))
				return false;
		}
		else if (key_is(lx, "credential_info", 15))
		{
			if (n_info++ == 0)
				info_ok = member_object(lx, base, &e->info_off, &e->info_len, &ok);
			else
				ok = lfdw_wire_lex_skip(lx, lfdw_wire_lex_next(lx));
		}
		else if (key_is(lx, "credential_values", 17))
		{
			if (n_values++ == 0)
				values_ok = member_object(lx, base, &e->values_off, &e->values_len, &ok);
			else
				ok = lfdw_wire_lex_skip(lx, lfdw_wire_lex_next(lx));
		}
		else
			ok = lfdw_wire_lex_skip(lx, lfdw_wire_lex_next(lx));
		if (!ok)
			return false;
	}

	/* the checks of lfdw_wire_credential, in its order */
	if (!e->has_name || e->name_len == 0)
		e->status = LFDW_WIRE_ITEM_NO_NAME;
	else if (n_name > 1 || n_info > 1 || n_values > 1)
		e->status = LFDW_WIRE_ITEM_DUPLICATE_KEY;
	else if (!info_ok)
		e->status = LFDW_WIRE_ITEM_BAD_INFO;
	else if (!values_ok)
		e->status = LFDW_WIRE_ITEM_BAD_VALUES;
	else
		e->status = LFDW_WIRE_ITEM_OK;
	return true;
}

/*
 * lfdw_wire_index_list
 *		Index the credentials of a GET /credentials body in one pass,
 *		checking that the whole body is strict JSON.  False when the body is
 *		not strict JSON, has no "credentials" array (its first member of
 *		that name, as cJSON finds it), or memory ran out: the caller then
 *		reads the body with cJSON.  On success free out with
 *		lfdw_wire_list_free.  It sees every escape of the body, so on success
 *		out->has_nul says what lfdw_wire_has_nul_escape would.
 */
bool
lfdw_wire_index_list(const char *data, size_t len, LfdwWireList *out)
{
	LfdwWireLexer *lx = malloc(sizeof(LfdwWireLexer));
	LfdwWireToken t;
	bool		found = false;
	bool		ok = true;

	memset(out, 0, sizeof(*out));
	if (lx == NULL)
		return false;
	lfdw_wire_lex_init(lx, data, len);
	if (lfdw_wire_lex_next(lx) != LFDW_TOK_BEGIN_OBJECT)
		ok = false;
	while (ok)
	{
		t = lfdw_wire_lex_next(lx);
		if (t == LFDW_TOK_END_OBJECT)
			break;
		if (t != LFDW_TOK_KEY)
		{
			ok = false;
			break;
		}
		if (!found && key_is(lx, "credentials", 11))
		{
			found = true;
			t = lfdw_wire_lex_next(lx);
			if (t != LFDW_TOK_BEGIN_ARRAY)
			{
				ok = false;		/* not an array: cJSON says what it is */
				break;
			}
			while (ok && (t = lfdw_wire_lex_next(lx)) != LFDW_TOK_END_ARRAY)
				ok = index_element(lx, data, t, out);
		}
		else
			ok = lfdw_wire_lex_skip(lx, lfdw_wire_lex_next(lx));
	}
	if (ok && (!found || lfdw_wire_lex_next(lx) != LFDW_TOK_END))
		ok = false;
	out->has_nul = lx->saw_nul;
	free(lx);
	if (!ok)
		lfdw_wire_list_free(out);
	return ok;
}

/* lfdw_wire_list_free: free an index (also one that failed). */
void
lfdw_wire_list_free(LfdwWireList *list)
{
	free(list->elems);
	list->elems = NULL;
	list->n = list->cap = 0;
}

typedef struct NameRef
{
	const char *s;
	size_t		len;
} NameRef;

static int
compare_refs(const void *a, const void *b)
{
	const NameRef *x = a;
	const NameRef *y = b;
	int			c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/*
 * Do two of the names match?  (True, to be safe, if memory runs out.)
 */
static bool
any_repeat(const NameRef *refs, size_t n)
{
	size_t		cap = 16;
	size_t	   *slots;
	size_t		i;
	bool		repeat = false;

	while (cap < 2 * n)
		cap *= 2;
	slots = calloc(cap, sizeof(size_t));	/* index + 1; 0 is empty */
	if (slots == NULL)
		return true;
	for (i = 0; i < n && !repeat; i++)
	{
		uint64_t	h = 1469598103934665603ULL;
		size_t		k,
					j;

		for (k = 0; k < refs[i].len; k++)
			h = (h ^ (unsigned char) refs[i].s[k]) * 1099511628211ULL;
		for (j = (size_t) h & (cap - 1); slots[j] != 0; j = (j + 1) & (cap - 1))
			if (compare_refs(&refs[slots[j] - 1], &refs[i]) == 0)
			{
				repeat = true;
				break;
			}
		slots[j] = i + 1;
	}
	free(slots);
	return repeat;
}

/*
 * lfdw_wire_list_duplicate
 *		lfdw_wire_duplicate_name over an index: the first name (in sort
 *		order) that two credentials share, as a malloc'd string, or NULL
 *		(also when memory runs out: the check is then skipped).
 */
char *
lfdw_wire_list_duplicate(const char *data, const LfdwWireList *list)
{
	NameRef    *refs = malloc(sizeof(NameRef) * (list->n + 1));
	char	  **decoded = malloc(sizeof(char *) * (list->n + 1));
	size_t		n = 0,
				nd = 0,
				i;
	char	   *result = NULL;

	if (refs == NULL || decoded == NULL)
	{
		free(refs);
		free(decoded);
		return NULL;
	}
	for (i = 0; i < list->n; i++)
	{
		const LfdwWireElement *e = &list->elems[i];

		if (!e->has_name)
			continue;
		if (e->name_escaped)
		{
			char	   *d = malloc((size_t) e->name_len + 1);

			if (d == NULL)
				goto done;
			decoded[nd++] = d;
			refs[n].len = lfdw_wire_unescape(data + e->name_off, e->name_len, d);
			refs[n++].s = d;
		}
		else
		{
			refs[n].s = data + e->name_off;
			refs[n++].len = e->name_len;
		}
	}
	/* a hash set finds out whether any name repeats; sorting is for then */
	if (any_repeat(refs, n))
	{
		qsort(refs, n, sizeof(NameRef), compare_refs);
		for (i = 1; i < n && result == NULL; i++)
			if (compare_refs(&refs[i - 1], &refs[i]) == 0)
				result = strndup(refs[i].s, refs[i].len);
	}
done:
	for (i = 0; i < nd; i++)
		free(decoded[i]);
	free(decoded);
	free(refs);
	return result;
}

/*
 * Remote text: what a LiteLLM server (or libcurl, quoting one) says, made fit
 * to show in a message.
 */

/* JSON's short escapes, by the byte they stand for */
static int
json_short_escape(unsigned char c)
{
	switch (c)
	{
		case '"':
			return '"';
		case '\\':
			return '\\';
		case '/':
			return '/';
		case 'b':
			return '\b';
		case 'f':
			return '\f';
		case 'n':
			return '\n';
		case 'r':
			return '\r';
		case 't':
			return '\t';
		default:
			return -1;
	}
}

static int
hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A JSON \uXXXX escape at p (a surrogate pair as one): its code point, and
 * the number of bytes of text it takes, or 0 when there is none.
 */
static int
json_unicode_escape(const unsigned char *p, const unsigned char *end,
					uint32_t *cp)
{
	uint32_t	v = 0;
	uint32_t	low = 0;
	int			i;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return 0;
	for (i = 2; i < 6; i++)
	{
		if (hex_digit(p[i]) < 0)
			return 0;
		v = v * 16 + (uint32_t) hex_digit(p[i]);
	}
	if (v < 0xD800 || v > 0xDBFF)
	{
		*cp = v;
		return 6;
	}
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u')
		return 0;
	for (i = 8; i < 12; i++)
	{
		if (hex_digit(p[i]) < 0)
			return 0;
		low = low * 16 + (uint32_t) hex_digit(p[i]);
	}
	if (low < 0xDC00 || low > 0xDFFF)
		return 0;
	*cp = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
	return 12;
}

/*
 * The mark of a text cut short at p: "...", U+2026 (an ellipsis) or its
 * JSON escape, after at most the start of an escape that the cut broke
 * (a "%" or "\" with up to five of "u" and hex digits).  Returns where the
 * mark begins, or NULL when there is none.
 */
static const unsigned char *
cut_mark(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;
	int			broken;

	/* first the mark right here, then after a broken escape */
	for (broken = 0; broken < 2; broken++)
	{
		if (end - q >= 3 && memcmp(q, "...", 3) == 0)
			return q;
		if (end - q >= 3 && memcmp(q, "\xE2\x80\xA6", 3) == 0)
			return q;
		if (end - q >= 6 && memcmp(q, "\\u2026", 6) == 0)
			return q;
		if (broken || q >= end || (*q != '\\' && *q != '%'))
			break;
		q++;
		while (q < end && q - p < 6 && (*q == 'u' || hex_digit(*q) >= 0))
			q++;
	}
	return NULL;
}

/*
 * Does a secret start at p?  Each byte of the secret may appear as itself,
 * percent-encoded (%XX in either case; '+' for a space, as in a form), or
 * JSON-escaped (\", \n, \u00XX, ...); each character beyond ASCII also as
 * the JSON escape of its code point (\u00fc, a surrogate pair beyond the
 * BMP), in either case: a server may echo a secret in any of these.
 * Returns the number of bytes of text the secret covers, or 0.  Four bytes
 * or more of a secret followed by the end of the text, or by the mark of a
 * cut ("...", an ellipsis; see cut_mark), count as a match of what is
 * there (the mark itself stays): a secret the server cut short must not
 * show either.
 */
static size_t
match_secret_as(const unsigned char *p, const unsigned char *end,
				const unsigned char *s, size_t slen, bool escapes_first)
{
	const unsigned char *start = p;
	const unsigned char *cut = NULL;
	size_t		i;

	for (i = 0; i < slen; i++)
	{
		unsigned char c = s[i];
		uint32_t	scp;
		uint32_t	tcp;
		int			slen_char;
		int			elen;

		if (p >= end)
			return i >= 4 ? (size_t) (p - start) : 0;
		/* the first place where the text may be cut, should it go astray */
		if (i >= 4 && cut == NULL)
			cut = cut_mark(p, end);
		if (*p == c && !(escapes_first && (c == '\\' || c == '%')))
			p++;
		else if (*p == '%' && end - p >= 3 && hex_digit(p[1]) >= 0 &&
				 hex_digit(p[2]) >= 0 &&
				 hex_digit(p[1]) * 16 + hex_digit(p[2]) == c)
			p += 3;
		else if (*p == '+' && c == ' ')
			p++;
		else if (*p == '\\' && end - p >= 2 && json_short_escape(p[1]) == c)
			p += 2;
		else if (*p == '\\' && end - p >= 6 && p[1] == 'u' && c < 0x80 &&
				 p[2] == '0' && p[3] == '0' && hex_digit(p[4]) >= 0 &&
				 hex_digit(p[5]) >= 0 &&
				 hex_digit(p[4]) * 16 + hex_digit(p[5]) == c)
			p += 6;
		else if (*p == '\\' && c >= 0x80 &&
				 (slen_char = utf8_char(s + i, s + slen, &scp)) > 0 &&
				 (elen = json_unicode_escape(p, end, &tcp)) > 0 &&
				 tcp == scp)
		{
			p += elen;
			i += (size_t) slen_char - 1;
		}
		else if (*p == c)
			p++;
		else
			return cut ? (size_t) (cut - start) : 0;
	}
	return (size_t) (p - start);
}

/*
 * A backslash or percent sign of the secret may stand as itself or begin an
 * escape of the text: one pass takes each as itself where it can, the other
 * as an escape, so that a secret echoed in one encoding throughout is found
 * whichever it is.
 */
static size_t
match_secret(const unsigned char *p, const unsigned char *end,
			 const unsigned char *s, size_t slen)
{
	size_t		m = match_secret_as(p, end, s, slen, false);
	size_t		m2 = match_secret_as(p, end, s, slen, true);

	/* the longer: one may be a cut where the other is the whole secret */
	return m > m2 ? m : m2;
}

static bool
is_word_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '-' || c >= 0x80;
}

/*
 * The length of the UTF-8 character at p (1 to 4) and its code point, or 0
 * when the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * code points above U+10FFFF included).
 */
static int
utf8_char(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	int			n;
	uint32_t	v;
	int			i;

	if (p[0] < 0x80)
	{
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, v = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, v = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, v = p[0] & 0x07;
	else
		return 0;
	if (end - p < n)
		return 0;
	for (i = 1; i < n; i++)
	{
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
		(v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/*
 * Code points shown escaped even where the text may hold any character:
 * C1 controls (a terminal reads U+009B as an escape sequence), the line
 * and paragraph separators, and the bidirectional overrides and isolates
 * that make text read differently from what it is.
 */
static bool
is_hidden_code_point(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
		(cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF;
}

/*
 * lfdw_wire_clean_text
 *		Remote text made fit to show: every secret replaced by the mask, in
 *		whatever encoding it appears (see match_secret); control characters
 *		escaped (\n, \r, \t, \xNN), so that no line of a log can be forged
 *		and no terminal driven; bytes that are not UTF-8 shown as \xNN; the
 *		characters of is_hidden_code_point, and with ascii_only every
 *		character beyond ASCII, as \uXXXX (or \UXXXXXXXX); and the result cut
 *		to at most max_bytes bytes plus "...", never inside a character or
 *		an escape.
 *
 * Secrets of four bytes or more are found anywhere, whole or cut short
 * (see match_secret_as); shorter ones (a PIN, a small number) only as a
 * whole word, since masking every "a" of a message
 * would leave nothing to read.  Returns a malloc'd string (NULL when memory
 * runs out), which the caller frees with lfdw_wire_free_text.
 */
char *
lfdw_wire_clean_text(const char *text, size_t len,
					 const char *const *secrets, int nsecrets,
					 size_t max_bytes, bool ascii_only)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *) text;
	const unsigned char *end = p + len;

	/* the longest piece appended at once is the mask or a \U escape */
	char	   *out = malloc(max_bytes + 16);
	size_t		n = 0;

	/*
	 * The bytes up to cover_end belong to a secret.  Matches are looked for
	 * at every byte, inside a match too, and the union of all is masked: a
	 * match that took a byte too many (the "\\" of a JSON escape, where the
	 * next echo begins with a backslash) must not hide the echo that starts
	 * inside it.
	 */
	const unsigned char *cover_end = p;
	bool		in_mask = false;

	if (out == NULL)
		return NULL;
	while (p < end)
	{
		char		piece[16];
		size_t		plen = 0;
		size_t		consumed = 0;
		int			i;
		uint32_t	cp;
		int			clen;

		for (i = 0; i < nsecrets; i++)
		{
			const unsigned char *s = (const unsigned char *) secrets[i];
			size_t		slen = s ? strlen(secrets[i]) : 0;
			size_t		m;

			if (slen == 0)
				continue;
			if (slen < 4 && p > (const unsigned char *) text && is_word_byte(p[-1]))
				continue;
			m = match_secret(p, end, s, slen);
			if (m == 0 || (slen < 4 && p + m < end && is_word_byte(p[m])))
				continue;
			if (p + m > cover_end)
				cover_end = p + m;
		}
		if (p < cover_end)
		{
			/* one mask for a whole run of secret bytes */
			if (!in_mask)
			{
				memcpy(piece, "********", 8);
				plen = 8;
			}
			in_mask = true;
			consumed = 1;
		}
		else
		{
			in_mask = false;
			clen = utf8_char(p, end, &cp);
			if (clen == 0)
			{
				snprintf(piece, sizeof(piece), "\\x%c%c", hex[*p >> 4],
						 hex[*p & 0x0F]);
				plen = 4;
				consumed = 1;
			}
			else if (cp == '\n' || cp == '\r' || cp == '\t')
			{
				piece[0] = '\\';
				piece[1] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
				plen = 2;
				consumed = 1;
			}
			else if (cp < 0x20 || cp == 0x7F)
			{
				snprintf(piece, sizeof(piece), "\\x%c%c", hex[cp >> 4],
						 hex[cp & 0x0F]);
				plen = 4;
				consumed = 1;
			}
			else if (cp >= 0x80 && (ascii_only || is_hidden_code_point(cp)))
			{
				plen = (size_t) snprintf(piece, sizeof(piece),
										 cp > 0xFFFF ? "\\U%08X" : "\\u%04X",
										 (unsigned int) cp);
				consumed = (size_t) clen;
			}
			else
			{
				memcpy(piece, p, clen);
				plen = (size_t) clen;
				consumed = (size_t) clen;
			}
		}
		if (n + plen > max_bytes)
		{
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		memcpy(out + n, piece, plen);
		n += plen;
		p += consumed;
	}
	out[n] = '\0';
	return out;
}

/*
 * The network policy: URLs and the list of allowed URL prefixes.
 */

/*
 * lfdw_wire_check_url
 *		Split an http:// or https:// URL into its parts: scheme (lower case),
 *		host (lower case, without the brackets of an IPv6 literal), port
 *		(the scheme's default when absent) and path (the rest, possibly
 *		empty), or say why it is not such a URL.
 *
 * This is the one URL grammar of litellm_fdw: the url option (option.c),
 * the entries of litellm_fdw.allowed_urls and the policy of the transport
 * all read URLs through it.  Refused: user information, a host or port
 * that does not fit, a query, a fragment, white space or control bytes,
 * and in the path a dot segment ("." or "..", with any dot written as
 * %2E in either case) or an encoded slash or backslash (%2F, %5C, "\"),
 * which a path-normalising front end could resolve to a path outside a
 * prefix that was checked.
 */
LfdwWireUrlCheck
lfdw_wire_check_url(const char *url, size_t len, LfdwWireUrl *out)
{
	const char *p = url;
	const char *end = url + len;
	const char *host;
	const char *host_end;
	const char *auth_end;
	const char *seg;
	size_t		i;

	memset(out, 0, sizeof(*out));
	if (len >= 7 && strncasecmp(p, "http://", 7) == 0)
	{
		strcpy(out->scheme, "http");
		out->port = 80;
		p += 7;
	}
	else if (len >= 8 && strncasecmp(p, "https://", 8) == 0)
	{
		strcpy(out->scheme, "https");
		out->port = 443;
		p += 8;
	}
	else
		return LFDW_WIRE_URL_SCHEME;

	for (auth_end = p; auth_end < end && *auth_end != '/' &&
		 *auth_end != '?' && *auth_end != '#'; auth_end++)
		if (*auth_end == '@')
			return LFDW_WIRE_URL_USERINFO;

	host = p;
	if (p < auth_end && *p == '[')
	{
		host = p + 1;
		host_end = memchr(host, ']', auth_end - host);
		if (host_end == NULL)
			return LFDW_WIRE_URL_HOST;
		p = host_end + 1;
	}
	else
	{
		host_end = memchr(p, ':', auth_end - p);
		if (host_end == NULL)
			host_end = auth_end;
		p = host_end;
	}
	if (host_end == host || (size_t) (host_end - host) >= sizeof(out->host))
		return LFDW_WIRE_URL_HOST;
	for (i = 0; i < (size_t) (host_end - host); i++)
	{
		char		c = host[i];

		if ((unsigned char) c <= 0x20 || c == 0x7F)
			return LFDW_WIRE_URL_HOST;
		out->host[i] = (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
	}
	out->host[i] = '\0';

	if (p < auth_end)
	{
		long		port = 0;

		if (*p != ':' || p + 1 == auth_end)
			return LFDW_WIRE_URL_PORT;
		for (p++; p < auth_end; p++)
		{
			if (*p < '0' || *p > '9')
				return LFDW_WIRE_URL_PORT;
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return LFDW_WIRE_URL_PORT;
		}
		if (port == 0)
			return LFDW_WIRE_URL_PORT;
		out->port = (int) port;
	}

	/* the path: no query, fragment, white space or control byte */
	for (p = auth_end; p < end; p++)
		if (*p == '?' || *p == '#' || (unsigned char) *p <= 0x20 ||
			*p == 0x7F)
			return LFDW_WIRE_URL_QUERY;
	/* no encoded slash or backslash, and no dot segment, raw or encoded */
	for (p = auth_end; p < end; p++)
	{
		if (*p == '\\')
			return LFDW_WIRE_URL_ENCODED_SLASH;
		if (*p == '%' && end - p >= 3 &&
			((p[1] == '2' && (p[2] == 'f' || p[2] == 'F')) ||
			 (p[1] == '5' && (p[2] == 'c' || p[2] == 'C'))))
			return LFDW_WIRE_URL_ENCODED_SLASH;
	}
	for (seg = auth_end; seg < end; seg = p)
	{
		int			dots = 0;
		bool		other = false;

		/* one segment: from after a "/" to the next "/" or the end */
		for (p = seg + 1; p < end && *p != '/'; p++)
		{
			if (*p == '.')
				dots++;
			else if (*p == '%' && end - p >= 3 && p[1] == '2' &&
					 (p[2] == 'e' || p[2] == 'E'))
			{
				dots++;
				p += 2;
			}
			else
				other = true;
		}
		if (!other && (dots == 1 || dots == 2))
			return LFDW_WIRE_URL_DOT_SEGMENT;
	}

	out->path = auth_end;
	out->path_len = (size_t) (end - auth_end);
	return LFDW_WIRE_URL_OK;
}

/*
 * lfdw_wire_parse_url
 *		lfdw_wire_check_url, as true when the URL is valid.
 */
bool
lfdw_wire_parse_url(const char *url, size_t len, LfdwWireUrl *out)
{
	return lfdw_wire_check_url(url, len, out) == LFDW_WIRE_URL_OK;
}

/*
 * Does a URL fall under an allowed prefix?  Same scheme, host and port,
 * and the prefix's path is the URL's path or one of its ancestors ("/v1"
 * covers "/v1" and "/v1/x", not "/v10"); a trailing "/" of either does
 * not matter.
 */
static bool
url_under(const LfdwWireUrl *url, const LfdwWireUrl *prefix)
{
	size_t		plen = prefix->path_len;
	size_t		ulen = url->path_len;

	if (strcmp(url->scheme, prefix->scheme) != 0 ||
		strcmp(url->host, prefix->host) != 0 || url->port != prefix->port)
		return false;
	while (plen > 0 && prefix->path[plen - 1] == '/')
		plen--;
	while (ulen > 0 && url->path[ulen - 1] == '/')
		ulen--;
	if (plen == 0)
		return true;
	return ulen >= plen && memcmp(url->path, prefix->path, plen) == 0 &&
		(ulen == plen || url->path[plen] == '/');
}

/*
 * lfdw_wire_allowed_urls_check
 *		Walk a list of URL prefixes (separated by commas and white space).
 *		With url NULL, check that every entry parses: returns -1 when all
 *		do, else the offset of the first that does not.  With url, returns
 *		1 when the URL falls under an entry, 0 when not (and -1 when the URL
 *		itself is not a valid URL).
 */
int
lfdw_wire_allowed_urls_check(const char *list, const char *url)
{
	LfdwWireUrl target;
	const char *p = list;

	if (url && !lfdw_wire_parse_url(url, strlen(url), &target))
		return -1;
	while (*p)
	{
		const char *start;
		LfdwWireUrl entry;

		while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' ||
			   *p == '\r')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '\n' &&
			   *p != '\r')
			p++;
		if (!lfdw_wire_parse_url(start, (size_t) (p - start), &entry))
		{
			if (url == NULL)
				return (int) (start - list);
			continue;
		}
		if (url && url_under(&target, &entry))
			return 1;
	}
	return url ? 0 : -1;
}
