/*-------------------------------------------------------------------------
 *
 * wire.h
 *		  The parts of litellm_fdw that read bytes from the network, with no
 *		  dependency on PostgreSQL.
 *
 * Everything declared here is plain C over cJSON and libc, so that it can
 * be compiled into libFuzzer harnesses (test/fuzz/) as well as into the
 * extension.  Memory is malloc'd (cJSON's own allocator) and freed by the
 * caller with the function named for it; nothing here longjmps.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/wire.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_WIRE_H
#define LITELLM_FDW_WIRE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

/* What a credential of a response turned out to be. */
typedef enum LfdwWireItem
{
	LFDW_WIRE_ITEM_OK,
	LFDW_WIRE_ITEM_NO_NAME,		/* not an object with a non-empty string name */
	LFDW_WIRE_ITEM_DUPLICATE_KEY,	/* a field of the credential given twice */
	LFDW_WIRE_ITEM_BAD_INFO,	/* credential_info neither object nor null */
	LFDW_WIRE_ITEM_BAD_VALUES	/* credential_values neither object nor null */
} LfdwWireItem;

/*
 * A credential of a response, as pointers into the parsed tree.  name is
 * set whenever the result is not LFDW_WIRE_ITEM_NO_NAME.
 */
typedef struct LfdwWireCredential
{
	const char *name;			/* UTF-8 */
	const struct cJSON *info;	/* NULL when absent or null */
	const struct cJSON *values; /* an object, or NULL when absent or null */
} LfdwWireCredential;

extern struct cJSON *lfdw_wire_parse(const char *data, size_t len);
extern void lfdw_wire_free(struct cJSON *root);
extern bool lfdw_wire_has_nul_escape(const char *data, size_t len);
extern bool lfdw_wire_is_flat_error(const struct cJSON *root);
extern bool lfdw_wire_is_litellm_error(const struct cJSON *root);
extern int	lfdw_wire_error_code(const struct cJSON *root);
extern char *lfdw_wire_error_message(const struct cJSON *root);
extern void lfdw_wire_free_text(char *text);
extern const struct cJSON *lfdw_wire_credential_list(const struct cJSON *root);
extern const char *lfdw_wire_duplicate_name(const struct cJSON *list);
extern bool lfdw_wire_is_credential(const struct cJSON *root);
extern LfdwWireItem lfdw_wire_credential(const struct cJSON *item,
										 LfdwWireCredential *out);
extern bool lfdw_wire_is_success(const struct cJSON *root);
extern bool lfdw_wire_key_listed(const char *key, size_t keylen,
								 const char *const *list, int n);
extern size_t lfdw_wire_percent_encode(const char *in, char *out);

#endif							/* LITELLM_FDW_WIRE_H */
