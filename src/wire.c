/*-------------------------------------------------------------------------
 *
 * wire.c
 *		  Reading what LiteLLM sends, without PostgreSQL: strict JSON
 *		  parsing, the shapes of credentials and of errors, and the
 *		  percent-encoding of names for paths.
 *
 * This file includes no PostgreSQL header, so that libFuzzer harnesses
 * (test/fuzz/) can feed it arbitrary bytes; response.c and request.c turn
 * its results into rows and errors.  Strings it returns are malloc'd; text
 * that may echo a secret is overwritten before it is freed.
 *
 * LiteLLM's error shapes (../shared/litellm-api.md §2.2): the ProxyException
 * envelope {"error":{"message","type","param","code"}}; FastAPI's
 * {"detail": ...} as a string, an object, or a list of validation errors
 * whose "input" echoes the request body (never shown); and, from older
 * releases, the exception's flat attributes sent with HTTP status 200.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/wire.c
 *
 *-------------------------------------------------------------------------
 */
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
static int	count_members(const cJSON *object, const char *name);
static void text_append(WireText *t, const char *s, size_t n);
static void text_append_str(WireText *t, const char *s);
static char *printed_without_input(const cJSON *item);
static void strip_inputs(cJSON *node);
static void wipe_strings(cJSON *node);

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
	if (data == NULL || len == 0)
		return NULL;
	return cJSON_ParseWithLengthOpts(data, len + 1, NULL, true);
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
	size_t		i;

	names = malloc(sizeof(char *) * (size_t) (cJSON_GetArraySize(list) + 1));
	if (names == NULL)
		return NULL;
	cJSON_ArrayForEach(item, list)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");

		if (cJSON_IsString(name))
			names[n++] = name->valuestring;
	}
	qsort(names, n, sizeof(char *), compare_names);
	for (i = 1; i < n && result == NULL; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			result = names[i];
	free(names);
	return result;
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
	const cJSON *info;
	const cJSON *values;
	int			i;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(item) || !cJSON_IsString(name) ||
		name->valuestring[0] == '\0')
		return LFDW_WIRE_ITEM_NO_NAME;

	out->name = name->valuestring;

	/* cJSON finds the first of twice-given keys, jsonb keeps the last */
	for (i = 0; i < (int) (sizeof(fields) / sizeof(fields[0])); i++)
		if (count_members(item, fields[i]) > 1)
			return LFDW_WIRE_ITEM_DUPLICATE_KEY;

	info = cJSON_GetObjectItemCaseSensitive(item, "credential_info");
	if (info == NULL || cJSON_IsNull(info))
		out->info = NULL;
	else if (cJSON_IsObject(info))
		out->info = info;
	else
		return LFDW_WIRE_ITEM_BAD_INFO;

	values = cJSON_GetObjectItemCaseSensitive(item, "credential_values");
	if (values == NULL || cJSON_IsNull(values))
		out->values = NULL;
	else if (cJSON_IsObject(values))
		out->values = values;
	else
		return LFDW_WIRE_ITEM_BAD_VALUES;
	return LFDW_WIRE_ITEM_OK;
}

/* How many members of an object have exactly this name. */
static int
count_members(const cJSON *object, const char *name)
{
	const cJSON *child;
	int			n = 0;

	cJSON_ArrayForEach(child, object)
		if (child->string && strcmp(child->string, name) == 0)
			n++;
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
 * lfdw_wire_percent_encode
 *		Percent-encode every byte of a NUL-terminated string outside RFC
 *		3986's unreserved set, into out, which must have room for three
 *		times the input plus one.  Returns the length written.
 */
size_t
lfdw_wire_percent_encode(const char *in, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	size_t		n = 0;

	for (p = (const unsigned char *) in; *p; p++)
	{
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') ||
			*p == '-' || *p == '.' || *p == '_' || *p == '~')
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
