/*-------------------------------------------------------------------------
 *
 * model_wire.h
 *		  The network-facing parsing of LiteLLM's model endpoints, with no
 *		  dependency on PostgreSQL (like wire.h).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model_wire.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_MODEL_WIRE_H
#define LITELLM_FDW_MODEL_WIRE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

/* What a model of a response turned out to be. */
typedef enum LfdwWireModelItem
{
	LFDW_WIRE_MODEL_OK,
	LFDW_WIRE_MODEL_NO_ID,		/* not an object with a non-empty string
								 * model_info.id */
	LFDW_WIRE_MODEL_BAD_PARAMS, /* litellm_params neither object nor null */
	LFDW_WIRE_MODEL_BAD_NAME,	/* model_name neither string nor null */
	LFDW_WIRE_MODEL_BAD_PARAM,	/* a string field of litellm_params
								 * (bad_param) neither string nor null */
	LFDW_WIRE_MODEL_DUPLICATE_KEY	/* a field of the model given twice */
} LfdwWireModelItem;

/*
 * A model of a response, as pointers into the parsed tree.  id is set
 * whenever the result is not LFDW_WIRE_MODEL_NO_ID; the other strings are
 * NULL when the member is absent or not a string.
 */
typedef struct LfdwWireModel
{
	const char *id;				/* model_info.id, UTF-8 */
	const char *name;			/* model_name */
	const char *litellm_model;	/* litellm_params.model */
	const char *credential_name;	/* litellm_params.litellm_credential_name */
	const char *api_base;		/* litellm_params.api_base */
	struct cJSON *params;		/* litellm_params object, or NULL */
	const struct cJSON *info;	/* model_info object */
	const char *bad_param;		/* LFDW_WIRE_MODEL_BAD_PARAM: its key */
} LfdwWireModel;

/* What a page of /v2/model/info (or the list of /model/info) says. */
typedef struct LfdwWireModelPage
{
	struct cJSON *data;			/* the "data" array */
	bool		paginated;		/* total_pages and current_page present */
	int			current_page;
	int			total_pages;
	double		total_count;	/* -1 when absent */
} LfdwWireModelPage;

extern bool lfdw_wire_model_page(struct cJSON *root, LfdwWireModelPage *out);
extern LfdwWireModelItem lfdw_wire_model(struct cJSON *item,
										 LfdwWireModel *out);
extern const char *lfdw_wire_model_duplicate_id(const struct cJSON *data);
extern bool lfdw_wire_model_write_confirmed(const char *data, size_t len,
											bool is_delete);
extern const char *lfdw_wire_created_model_id(const struct cJSON *root);
extern int	lfdw_wire_mask_object(struct cJSON *node, bool is_setting,
								  const char *const *unmasked, int n,
								  const char *mask);

#endif							/* LITELLM_FDW_MODEL_WIRE_H */
