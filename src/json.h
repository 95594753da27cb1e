/*-------------------------------------------------------------------------
 *
 * json.h
 *		  JSON from LiteLLM into jsonb (json.c).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_JSON_H
#define LITELLM_FDW_JSON_H

#include "utils/jsonb.h"
#include "wire.h"

struct cJSON;

extern char *lfdw_json_token_string(const char *raw, size_t len, bool escaped,
									int *outlen);

/* the masking rule's word on a key (secret.c), for lfdw_json_build_object */
typedef bool (*LfdwJsonKeyShown) (const char *key, int keylen, const void *arg);

extern bool lfdw_json_build_object(LfdwWireLexer *lx, JsonbValue *v,
								   LfdwJsonKeyShown shown, const void *arg,
								   const char *mask);
extern Jsonb *lfdw_json_text_to_jsonb(const char *src, size_t len);
extern char *lfdw_json_server_string(const char *utf8);
extern Jsonb *lfdw_json_to_jsonb(const struct cJSON *node);

extern void lfdw_free_on_reset(void (*func) (void *arg), void *arg);
extern void lfdw_json_tree_on_reset(struct cJSON *tree);

#endif							/* LITELLM_FDW_JSON_H */
