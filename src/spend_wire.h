/*-------------------------------------------------------------------------
 *
 * spend_wire.h
 *		  The network-facing parsing of LiteLLM's spend log pages, with no
 *		  dependency on PostgreSQL (like wire.h and model_wire.h).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/spend_wire.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_SPEND_WIRE_H
#define LITELLM_FDW_SPEND_WIRE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

/* What a field of a spend log is. */
typedef enum LfdwWireSpendKind
{
	LFDW_WIRE_SPEND_ABSENT,		/* missing, or null */
	LFDW_WIRE_SPEND_STRING,
	LFDW_WIRE_SPEND_NUMBER,
	LFDW_WIRE_SPEND_OBJECT,
	LFDW_WIRE_SPEND_ARRAY,
	LFDW_WIRE_SPEND_OTHER		/* true, false */
} LfdwWireSpendKind;

/* A field of a spend log: its kind, and its value for a string or number. */
typedef struct LfdwWireSpendValue
{
	LfdwWireSpendKind kind;
	const char *string;
	double		number;
	struct cJSON *node;			/* the field itself (object, array) */
} LfdwWireSpendValue;

extern bool lfdw_wire_spend_page(const struct cJSON *root,
								 const struct cJSON **first,
								 int *total_pages);
extern const char *lfdw_wire_spend_id(const struct cJSON *item);
extern void lfdw_wire_spend_field(const struct cJSON *item, const char *name,
								  LfdwWireSpendValue *value);

#endif							/* LITELLM_FDW_SPEND_WIRE_H */
