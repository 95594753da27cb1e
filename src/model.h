/*-------------------------------------------------------------------------
 *
 * model.h
 *		  Declarations of the litellm_model table (table option
 *		  resource 'models'): its types, and the prototypes that take them,
 *		  in one section per file that defines them (pending.c,
 *		  model_response.c, model_write.c, remote_write.c).
 *
 * Kept apart from litellm_fdw.h, which the credentials came with; the
 * callbacks of the models table are reached only through its descriptor
 * (resource.h, lfdw_model_resource).  Prototypes that take no model type
 * are in litellm_fdw.h, in the section of their file.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_MODEL_H
#define LITELLM_FDW_MODEL_H

#include "litellm_fdw.h"

#include "commands/explain.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "nodes/plannodes.h"

/* values of the table option resource */
#define LFDW_RESOURCE_CREDENTIALS	"credentials"
#define LFDW_RESOURCE_MODELS		"models"

/* default of the page_size option: LiteLLM's own default page size */
#define LFDW_DEFAULT_PAGE_SIZE	50

/*
 * The fields of a LiteLLM model that foreign table columns map to, by
 * column name.
 */
typedef enum LfdwModelField
{
	LFDW_MFIELD_ID = 0,			/* model_id: model_info.id */
	LFDW_MFIELD_NAME,			/* model_name */
	LFDW_MFIELD_LITELLM_MODEL,	/* litellm_model: litellm_params.model */
	LFDW_MFIELD_CREDENTIAL,		/* credential_name:
								 * litellm_params.litellm_credential_name */
	LFDW_MFIELD_API_BASE,		/* api_base: litellm_params.api_base */
	LFDW_MFIELD_PARAMS,			/* litellm_params (masked) */
	LFDW_MFIELD_INFO,			/* model_info */
	LFDW_MODEL_NUM_FIELDS
} LfdwModelField;

/* Column mapping of a models table: the same as a credentials table's. */
typedef LfdwColumnMap LfdwModelColumnMap;

/* A model as read from LiteLLM, in the shape of one foreign row. */
typedef struct LfdwModelRow
{
	char	   *model_id;
	char	   *model_name;		/* NULL when absent */
	char	   *litellm_model;	/* NULL when absent */
	char	   *credential_name;	/* NULL when absent or null */
	char	   *api_base;		/* NULL when absent or null */
	Jsonb	   *params;			/* masked; NULL when not wanted */
	Jsonb	   *info;			/* NULL when not wanted */
} LfdwModelRow;

/* A page (or the whole unpaginated list) of /model/info. */
typedef struct LfdwModelPage LfdwModelPage;

/*
 * A model as it goes to LiteLLM: the whole input of one write, so that it
 * can be sent now or later (at commit).  Everything it points to must live
 * as long as the spec.
 *
 * create: POST /model/new with model_name, litellm_params and model_info
 * (a model_id given by the user is already model_info.id there; model_id
 * only names the model in messages).
 * update: PATCH /model/{model_id}/update with the members that are set:
 * model_name when non-NULL, litellm_params and model_info when non-NULL
 * (each a partial object: a JSON null value clears that key).
 * delete: POST /model/delete with {"id": model_id}.
 */
typedef struct LfdwModelSpec
{
	const char *model_id;		/* the row identity; NULL on a create without
								 * one */
	const char *model_name;		/* NULL: not sent */
	Jsonb	   *litellm_params; /* an object, or NULL: not sent */
	Jsonb	   *model_info;		/* an object, or NULL: not sent */
} LfdwModelSpec;

/* A change of a model held until commit (write_mode 'commit'). */
typedef enum LfdwModelChangeKind
{
	LFDW_MODEL_CREATE,			/* POST /model/new */
	LFDW_MODEL_UPDATE,			/* PATCH /model/{id}/update */
	LFDW_MODEL_DELETE			/* POST /model/delete */
} LfdwModelChangeKind;

typedef struct LfdwModelChange
{
	LfdwModelChangeKind kind;
	LfdwModelSpec spec;			/* model_id always set */
} LfdwModelChange;

/* in pending.c */
extern void lfdw_pending_model(const LfdwOptions *opts,
							   LfdwModelChangeKind kind,
							   const LfdwModelSpec *spec, CommandId cid);
extern List *lfdw_pending_model_changes(const LfdwOptions *opts,
										CommandId cid);

/* in model_response.c */
extern LfdwModelPage *lfdw_model_read_page(LfdwCall *call,
										   LfdwHttpResponse *resp,
										   int page_no, bool *no_route);
extern int	lfdw_model_page_count(LfdwModelPage *page);
extern bool lfdw_model_page_more(LfdwModelPage *page, int *last_page,
								 int *next_page);
extern bool lfdw_model_next(LfdwModelPage *page, const LfdwOptions *opts,
							const bool *wanted, LfdwModelRow *row);
extern char *lfdw_model_created_id(LfdwCall *call, LfdwHttpResponse *resp);
extern void lfdw_model_confirm_write(LfdwCall *call, LfdwHttpResponse *resp,
									 bool is_delete);

/* in model_write.c: what a model write says, how its answer reads */
typedef struct LfdwModelWrite
{
	const char *verb;			/* "create", "update", "delete" */
	const LfdwModelSpec *spec;
	bool		missing_ok;		/* "not found" is an answer, not an error */
	bool		want_id;		/* take the id of a created model */
	char	   *new_id;			/* out: that id, or NULL */
} LfdwModelWrite;

extern char *lfdw_model_write_body(const LfdwModelSpec *spec,
								   bool with_id_member, size_t *len);
extern bool lfdw_model_check_write(LfdwCall *call, LfdwHttpResponse *resp,
								   void *arg);

/* in remote_write.c: the model writes, sent by the one sender */
extern char *lfdw_model_remote_create(const LfdwOptions *opts,
									  const LfdwModelSpec *spec);
extern bool lfdw_model_remote_update(const LfdwOptions *opts,
									 const LfdwModelSpec *spec);
extern bool lfdw_model_remote_delete(const LfdwOptions *opts,
									 const LfdwModelSpec *spec);

#endif							/* LITELLM_FDW_MODEL_H */
