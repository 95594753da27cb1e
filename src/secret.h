/*-------------------------------------------------------------------------
 *
 * secret.h
 *		  Secrets on the PostgreSQL side (secret.c): the maskers, the list
 *		  of a call's secret strings, their wiping, the cleaning of server
 *		  text.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/secret.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_SECRET_H
#define LITELLM_FDW_SECRET_H

#include "litellm_fdw.h"

struct cJSON;


/* the maskers, one per representation */
extern bool lfdw_mask_tree(const LfdwOptions *opts, struct cJSON *tree,
						   bool is_setting);
extern Jsonb *lfdw_mask_values_text(const LfdwOptions *opts, const char *src,
									size_t len);
extern Jsonb *lfdw_mask_values(const LfdwOptions *opts, Jsonb *values);
extern char *lfdw_model_shown_url(const char *url);
extern Jsonb *lfdw_model_mask_params(const LfdwOptions *opts, Jsonb *params);

/* scrubbing */
extern List *lfdw_jsonb_secret_strings(Jsonb *values, bool is_setting);
extern void lfdw_wipe_strings(List *strings);
extern void lfdw_wipe_body(char *body, size_t len);
extern const LfdwShown *lfdw_remote_text(const LfdwCall *call,
										 const char *text, size_t len);
extern const char *lfdw_shown(const LfdwShown *shown);

#endif							/* LITELLM_FDW_SECRET_H */
