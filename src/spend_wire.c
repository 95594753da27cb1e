/*-------------------------------------------------------------------------
 *
 * spend_wire.c
 *		  The shape of a page of LiteLLM's spend logs (GET /spend/logs/v2),
 *		  read from a parsed tree.
 *
 * Like wire.c and model_wire.c, this file includes no PostgreSQL header:
 * spend_log.c sees the tree as an opaque struct cJSON * and asks here
 * what a page and each of its logs hold.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/spend_wire.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "spend_wire.h"

/*
 * lfdw_wire_spend_page
 *		Is root a page ({"data": [...], ...})?  *first is its first log, or
 *		NULL when the page is empty; *total_pages what the page says of the
 *		pages there are (a whole number from 0 to 1,000,000), or -1.
 */
bool
lfdw_wire_spend_page(const cJSON *root, const cJSON **first, int *total_pages)
{
	const cJSON *data;
	const cJSON *total;

	*first = NULL;
	*total_pages = -1;
	if (!cJSON_IsObject(root))
		return false;
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (!cJSON_IsArray(data))
		return false;
	*first = data->child;
	total = cJSON_GetObjectItemCaseSensitive(root, "total_pages");
	if (cJSON_IsNumber(total) && total->valuedouble >= 0 &&
		total->valuedouble <= 1000000 &&
		total->valuedouble == (double) (int) total->valuedouble)
		*total_pages = (int) total->valuedouble;
	return true;
}

/*
 * lfdw_wire_spend_id
 *		The request_id of a log: a non-empty string, or NULL when the log is
 *		not an object with one.
 */
const char *
lfdw_wire_spend_id(const cJSON *item)
{
	const cJSON *id;

	if (!cJSON_IsObject(item))
		return NULL;
	id = cJSON_GetObjectItemCaseSensitive(item, "request_id");
	if (!cJSON_IsString(id) || id->valuestring == NULL ||
		id->valuestring[0] == '\0')
		return NULL;
	return id->valuestring;
}

/*
 * lfdw_wire_spend_field
 *		The field name of a log (an object).
 */
void
lfdw_wire_spend_field(const cJSON *item, const char *name,
					  LfdwWireSpendValue *value)
{
	cJSON	   *v = cJSON_GetObjectItemCaseSensitive(item, name);

	value->string = NULL;
	value->number = 0;
	value->node = v;
	if (v == NULL || cJSON_IsNull(v))
		value->kind = LFDW_WIRE_SPEND_ABSENT;
	else if (cJSON_IsString(v) && v->valuestring != NULL)
	{
		value->kind = LFDW_WIRE_SPEND_STRING;
		value->string = v->valuestring;
	}
	else if (cJSON_IsNumber(v))
	{
		value->kind = LFDW_WIRE_SPEND_NUMBER;
		value->number = v->valuedouble;
	}
	else if (cJSON_IsObject(v))
		value->kind = LFDW_WIRE_SPEND_OBJECT;
	else if (cJSON_IsArray(v))
		value->kind = LFDW_WIRE_SPEND_ARRAY;
	else
		value->kind = LFDW_WIRE_SPEND_OTHER;
}
