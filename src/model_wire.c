/*-------------------------------------------------------------------------
 *
 * model_wire.c
 *		  Reading what LiteLLM's model endpoints send, without PostgreSQL:
 *		  the shape of /model/info pages and models, and the masking of a
 *		  parsed object (litellm_params, credential_values).
 *
 * Like wire.c, this file includes no PostgreSQL header, so that a libFuzzer
 * harness can feed it arbitrary bytes.  Nothing here longjmps; memory is
 * cJSON's.  May call: wire.c, cJSON, libc.
 *
 * The cJSON masker of both tables is here (lfdw_wire_mask_object), driven
 * by the one rule (wire.c, lfdw_wire_show_rule): a value of litellm_params
 * is shown only under a key on the allow-list of non-secret settings or in
 * unmasked_keys, a value of credential_values only under a key in
 * unmasked_keys.  LiteLLM's own masking is not relied on: it goes by key
 * names and misses secrets in URLs, headers and keys it does not know
 * (doc/litellm-api.md).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model_wire.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "model_wire.h"
#include "wire.h"

#define lengthof_array(a) ((int) (sizeof(a) / sizeof((a)[0])))

static int	int_member(const cJSON *object, const char *name, int dflt);
static const char *string_member(const cJSON *object, const char *name);

/*
 * lfdw_wire_model_page
 *		Point at the "data" array of a /model/info or /v2/model/info body,
 *		and read the pagination members if present.  False when the body
 *		has no "data" array.
 */
bool
lfdw_wire_model_page(cJSON *root, LfdwWireModelPage *out)
{
	cJSON	   *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *total;

	memset(out, 0, sizeof(*out));
	out->total_count = -1;
	if (!cJSON_IsObject(root) || !cJSON_IsArray(data))
		return false;
	out->data = data;
	out->paginated =
		cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "total_pages")) &&
		cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(root, "current_page"));
	out->current_page = int_member(root, "current_page", 1);
	out->total_pages = int_member(root, "total_pages", 1);
	total = cJSON_GetObjectItemCaseSensitive(root, "total_count");
	if (cJSON_IsNumber(total) && total->valuedouble >= 0 &&
		total->valuedouble < 1e12)
		out->total_count = total->valuedouble;
	return true;
}

/* An integer member in [0, 1e9], or dflt. */
static int
int_member(const cJSON *object, const char *name, int dflt)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);

	if (!cJSON_IsNumber(item) || !(item->valuedouble >= 0) ||
		item->valuedouble > 1e9)
		return dflt;
	return (int) item->valuedouble;
}

/*
 * lfdw_wire_model
 *		Check one model of a response and point at its parts.
 */
LfdwWireModelItem
lfdw_wire_model(cJSON *item, LfdwWireModel *out)
{
	static const char *const fields[] = {
		"model_name", "litellm_params", "model_info"
	};

	/* the fields of litellm_params read into columns of their own */
	static const char *const string_params[] = {
		"model", "litellm_credential_name", "api_base"
	};
	const cJSON *info;
	cJSON	   *params;
	const cJSON *id;
	const cJSON *name;
	int			i;

	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(item))
		return LFDW_WIRE_MODEL_NO_ID;

	/* every other outcome comes with the id, for the error message */
	info = cJSON_GetObjectItemCaseSensitive(item, "model_info");
	id = cJSON_IsObject(info) ?
		cJSON_GetObjectItemCaseSensitive(info, "id") : NULL;
	if (!cJSON_IsString(id) || id->valuestring[0] == '\0')
		return LFDW_WIRE_MODEL_NO_ID;
	out->id = id->valuestring;

	/* cJSON finds the first of twice-given keys, jsonb keeps the last */
	for (i = 0; i < lengthof_array(fields); i++)
		if (lfdw_wire_count_members(item, fields[i]) > 1)
			return LFDW_WIRE_MODEL_DUPLICATE_KEY;
	if (lfdw_wire_count_members(info, "id") > 1)
		return LFDW_WIRE_MODEL_DUPLICATE_KEY;
	out->info = info;

	/* a name of another type is a wrong answer, not a missing name */
	name = cJSON_GetObjectItemCaseSensitive(item, "model_name");
	if (name != NULL && !cJSON_IsNull(name) && !cJSON_IsString(name))
		return LFDW_WIRE_MODEL_BAD_NAME;
	out->name = string_member(item, "model_name");

	params = cJSON_GetObjectItemCaseSensitive(item, "litellm_params");
	if (params == NULL || cJSON_IsNull(params))
		return LFDW_WIRE_MODEL_OK;
	if (!cJSON_IsObject(params))
		return LFDW_WIRE_MODEL_BAD_PARAMS;
	if (lfdw_wire_count_members(params, "model") > 1 ||
		lfdw_wire_count_members(params, "litellm_credential_name") > 1 ||
		lfdw_wire_count_members(params, "api_base") > 1)
		return LFDW_WIRE_MODEL_DUPLICATE_KEY;
	/* a column's field of another type is a wrong answer, not NULL */
	for (i = 0; i < lengthof_array(string_params); i++)
	{
		const cJSON *field = cJSON_GetObjectItemCaseSensitive(params,
															  string_params[i]);

		if (field != NULL && !cJSON_IsNull(field) && !cJSON_IsString(field))
		{
			out->bad_param = string_params[i];
			return LFDW_WIRE_MODEL_BAD_PARAM;
		}
	}
	out->params = params;
	out->litellm_model = string_member(params, "model");
	out->credential_name = string_member(params, "litellm_credential_name");
	out->api_base = string_member(params, "api_base");
	return LFDW_WIRE_MODEL_OK;
}

/*
 * lfdw_wire_model_write_confirmed
 *		Does the answer to a model write confirm it, as LiteLLM does: the
 *		stored row (a JSON object) for a create or an update, an object with
 *		a "message" string for a delete?
 */
bool
lfdw_wire_model_write_confirmed(const char *data, size_t len, bool is_delete)
{
	cJSON	   *root = lfdw_wire_parse(data, len);
	bool		ok = cJSON_IsObject(root) &&
	(!is_delete || string_member(root, "message") != NULL);

	if (root)
		lfdw_wire_free(root);
	return ok;
}

/*
 * lfdw_wire_created_model_id
 *		The id LiteLLM gave a model it created: the "model_id" of the stored
 *		row, or its model_info.id; NULL when neither is a non-empty string.
 */
const char *
lfdw_wire_created_model_id(const cJSON *root)
{
	const char *id = string_member(root, "model_id");

	if (id == NULL || id[0] == '\0')
		id = string_member(cJSON_GetObjectItemCaseSensitive(root, "model_info"),
						   "id");
	return (id && id[0] != '\0') ? id : NULL;
}

/*
 * lfdw_wire_model_duplicate_id
 *		The first model_info.id (in sort order) that two models of a page
 *		share, or NULL when every id is distinct (or memory ran out: the
 *		check is then skipped, never failed).  Models without a string id
 *		are ignored here; reading them is an error anyway.  model_id is the
 *		row identity, like a credential's name (lfdw_wire_duplicate_name).
 */
const char *
lfdw_wire_model_duplicate_id(const cJSON *data)
{
	const cJSON *item;
	const char **ids;
	const char *result = NULL;
	size_t		n = 0;

	ids = malloc(sizeof(char *) * (size_t) (cJSON_GetArraySize(data) + 1));
	if (ids == NULL)
		return NULL;
	cJSON_ArrayForEach(item, data)
	{
		const cJSON *info = cJSON_GetObjectItemCaseSensitive(item, "model_info");
		const cJSON *id = cJSON_IsObject(info) ?
		cJSON_GetObjectItemCaseSensitive(info, "id") : NULL;

		if (cJSON_IsString(id))
			ids[n++] = id->valuestring;
	}
	result = lfdw_wire_first_duplicate(ids, n);
	free(ids);
	return result;
}

/* A string member's value, or NULL when absent or not a string. */
static const char *
string_member(const cJSON *object, const char *name)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(object, name);

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* Is this a scalar, or an array of scalars? */
static bool
is_flat_value(const cJSON *node)
{
	const cJSON *child;

	if (cJSON_IsObject(node))
		return false;
	if (cJSON_IsArray(node))
		cJSON_ArrayForEach(child, node)
	{
		if (cJSON_IsObject(child) || cJSON_IsArray(child))
			return false;
	}
	return true;
}

/* Replace child of node by a string with the same key; false on no memory. */
static bool
replace_by_string(cJSON *node, cJSON *child, const char *text)
{
	cJSON	   *replacement = cJSON_CreateString(text);
	size_t		keylen = strlen(child->string ? child->string : "");
	char	   *name = cJSON_malloc(keylen + 1);

	/* ReplaceItemViaPointer keeps no key: give it a copy */
	if (replacement == NULL || name == NULL)
	{
		cJSON_Delete(replacement);
		if (name)
			cJSON_free(name);
		return false;
	}
	memcpy(name, child->string ? child->string : "", keylen + 1);
	replacement->string = name;
	if (!cJSON_ReplaceItemViaPointer(node, child, replacement))
	{
		cJSON_Delete(replacement);
		return false;
	}
	return true;
}

/*
 * lfdw_wire_mask_object
 *		The cJSON masker of both tables: apply the masking rule (wire.c,
 *		lfdw_wire_show_rule) to the keys of an object, in place, for a
 *		model's litellm_params when is_setting, else for credential_values.
 *		Each value is kept, kept without the secret parts of a URL, or
 *		replaced as a whole by the string mask.  Returns 0, or -1 when
 *		memory ran out (the caller must then show nothing of the tree).
 */
int
lfdw_wire_mask_object(cJSON *node, bool is_setting,
					  const char *const *unmasked, int n, const char *mask)
{
	cJSON	   *child;

	if (!cJSON_IsObject(node))
		return 0;
	child = node->child;
	while (child)
	{
		cJSON	   *next = child->next;
		const char *key = child->string ? child->string : "";
		LfdwWireShow show = lfdw_wire_show_rule(key, strlen(key), is_setting,
												unmasked, n);
		bool		ok = true;

		if (show == LFDW_WIRE_SHOW_URL && cJSON_IsString(child))
		{
			char	   *url = malloc(LFDW_WIRE_SHOWN_URL_SIZE(strlen(child->valuestring)));

			if (url == NULL)
				return -1;
			lfdw_wire_strip_url(child->valuestring, url);
			if (strcmp(url, child->valuestring) != 0)
				ok = replace_by_string(node, child, url);
			free(url);
		}
		else if (show == LFDW_WIRE_MASK ||
				 show == LFDW_WIRE_SHOW_URL ||
				 (show == LFDW_WIRE_SHOW_SCALAR && !is_flat_value(child)))
			ok = replace_by_string(node, child, mask);
		if (!ok)
			return -1;
		child = next;
	}
	return 0;
}
