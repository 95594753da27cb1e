/*-------------------------------------------------------------------------
 *
 * model_wire.c
 *		  Reading what LiteLLM's model endpoints send, without PostgreSQL:
 *		  the shape of /model/info pages and models, and which keys of
 *		  litellm_params hold secrets.
 *
 * Like wire.c, this file includes no PostgreSQL header, so that a libFuzzer
 * harness can feed it arbitrary bytes.  Nothing here longjmps; memory is
 * cJSON's.
 *
 * Masking.  LiteLLM pops some keys from litellm_params before answering and
 * masks others only partly (../shared/litellm-api.md §6 and §7), so what
 * it sends is not safe to show.  A key is taken for a secret when any of
 * LiteLLM's own rules says so: it is one of the keys LiteLLM pops; its
 * lower-cased text contains a keyword of _get_masked_values; or one of its
 * segments (split on "_" and "-") is a pattern of SensitiveDataMasker.  As
 * in SensitiveDataMasker, a key with a segment "cost" is never a secret
 * (input_cost_per_token), and litellm_credential_name, a name, is excluded
 * as newer LiteLLM excludes it.  The value of a secret key is replaced as a
 * whole, whatever its type; objects and arrays under other keys are
 * searched the same way.
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

/* deepest nesting of litellm_params that is searched for secrets */
#define MAX_MASK_DEPTH		64

/* keys LiteLLM removes from litellm_params before answering */
static const char *const popped_keys[] = {
	"api_key", "client_secret", "vertex_credentials", "vertex_ai_credentials",
	"aws_access_key_id", "aws_secret_access_key"
};

/* _get_masked_values: a key containing one of these (lower-cased) */
static const char *const substring_keywords[] = {
	"authorization", "token", "key", "secret", "vertex_credentials",
	"credentials", "password", "passwd"
};

/* SensitiveDataMasker: a segment equal to one of these */
static const char *const segment_patterns[] = {
	"password", "secret", "key", "token", "auth", "authorization",
	"credential", "credentials", "secrets", "passwords", "access", "private",
	"certificate", "certificates", "fingerprint", "tenancy"
};

#define lengthof_array(a) ((int) (sizeof(a) / sizeof((a)[0])))

static int	mask_node(cJSON *node, const char *const *unmasked, int n,
					  const char *mask, int depth);
static int	int_member(const cJSON *object, const char *name, int dflt);

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
	const cJSON *info;
	cJSON	   *params;
	const cJSON *id;
	const cJSON *s;
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

	s = cJSON_GetObjectItemCaseSensitive(item, "model_name");
	if (cJSON_IsString(s))
		out->name = s->valuestring;

	params = cJSON_GetObjectItemCaseSensitive(item, "litellm_params");
	if (params == NULL || cJSON_IsNull(params))
		return LFDW_WIRE_MODEL_OK;
	if (!cJSON_IsObject(params))
		return LFDW_WIRE_MODEL_BAD_PARAMS;
	if (lfdw_wire_count_members(params, "model") > 1 ||
		lfdw_wire_count_members(params, "litellm_credential_name") > 1 ||
		lfdw_wire_count_members(params, "api_base") > 1)
		return LFDW_WIRE_MODEL_DUPLICATE_KEY;
	out->params = params;
	s = cJSON_GetObjectItemCaseSensitive(params, "model");
	if (cJSON_IsString(s))
		out->litellm_model = s->valuestring;
	s = cJSON_GetObjectItemCaseSensitive(params, "litellm_credential_name");
	if (cJSON_IsString(s))
		out->credential_name = s->valuestring;
	s = cJSON_GetObjectItemCaseSensitive(params, "api_base");
	if (cJSON_IsString(s))
		out->api_base = s->valuestring;
	return LFDW_WIRE_MODEL_OK;
}

/*
 * lfdw_wire_model_key_secret
 *		Does a key of litellm_params hold a secret, by LiteLLM's own rules
 *		(see the file header)?
 */
bool
lfdw_wire_model_key_secret(const char *key, size_t keylen)
{
	char		lower[256];
	size_t		i;
	const char *seg;
	bool		secret = false;

	if (keylen == strlen("litellm_credential_name") &&
		memcmp(key, "litellm_credential_name", keylen) == 0)
		return false;
	/* a key too long to examine is taken for a secret */
	if (keylen >= sizeof(lower))
		return true;
	for (i = 0; i < keylen; i++)
	{
		char		c = key[i];

		/* a NUL inside the key: take it for a secret */
		if (c == '\0')
			return true;
		lower[i] = (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
	}
	lower[keylen] = '\0';

	for (i = 0; i < (size_t) lengthof_array(popped_keys); i++)
		if (strcmp(lower, popped_keys[i]) == 0)
			return true;
	for (i = 0; i < (size_t) lengthof_array(substring_keywords); i++)
		if (strstr(lower, substring_keywords[i]) != NULL)
			secret = true;

	/* segments split on '_' and '-' */
	seg = lower;
	while (*seg)
	{
		size_t		len = strcspn(seg, "_-");
		int			p;

		if (len == 4 && memcmp(seg, "cost", 4) == 0)
			return false;
		for (p = 0; p < lengthof_array(segment_patterns); p++)
			if (len == strlen(segment_patterns[p]) &&
				memcmp(seg, segment_patterns[p], len) == 0)
				secret = true;
		seg += len;
		while (*seg == '_' || *seg == '-')
			seg++;
	}
	return secret;
}

/*
 * lfdw_wire_mask_model_params
 *		Replace, in place, the value of every secret key of an object (and
 *		of the objects and arrays inside it) by the string mask, except for
 *		the keys listed in unmasked, whose values are left as they are.
 *		Returns 0, or -1 when memory ran out or the nesting is too deep (the
 *		caller must then show nothing of the tree).
 */
int
lfdw_wire_mask_model_params(cJSON *node, const char *const *unmasked, int n,
							const char *mask)
{
	return mask_node(node, unmasked, n, mask, 0);
}

static int
mask_node(cJSON *node, const char *const *unmasked, int n, const char *mask,
		  int depth)
{
	cJSON	   *child;

	if (depth > MAX_MASK_DEPTH)
		return -1;
	if (cJSON_IsArray(node))
	{
		cJSON_ArrayForEach(child, node)
			if (mask_node(child, unmasked, n, mask, depth + 1) < 0)
			return -1;
		return 0;
	}
	if (!cJSON_IsObject(node))
		return 0;

	child = node->child;
	while (child)
	{
		cJSON	   *next = child->next;
		const char *key = child->string ? child->string : "";
		size_t		keylen = strlen(key);

		if (lfdw_wire_key_listed(key, keylen, unmasked, n))
		{
			/* shown as LiteLLM sent it */
		}
		else if (lfdw_wire_model_key_secret(key, keylen))
		{
			cJSON	   *replacement = cJSON_CreateString(mask);
			char	   *name = cJSON_malloc(keylen + 1);

			/* ReplaceItemViaPointer keeps no key: give it a copy */
			if (replacement == NULL || name == NULL)
			{
				cJSON_Delete(replacement);
				if (name)
					cJSON_free(name);
				return -1;
			}
			memcpy(name, key, keylen + 1);
			replacement->string = name;
			if (!cJSON_ReplaceItemViaPointer(node, child, replacement))
			{
				cJSON_Delete(replacement);
				return -1;
			}
		}
		else if (mask_node(child, unmasked, n, mask, depth + 1) < 0)
			return -1;
		child = next;
	}
	return 0;
}
