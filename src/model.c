/*-------------------------------------------------------------------------
 *
 * model.c
 *		  The litellm_model table (table option resource 'models'): column
 *		  mapping, planning, the scan, and INSERT, UPDATE and DELETE.
 *
 * Sections, in the same order as credential.c: planning, scan, modify, the
 * writes of each write_mode, EXPLAIN, IMPORT, helpers, the descriptor.
 * Called by litellm_fdw.c only, through the descriptor lfdw_model_resource;
 * calls table.c, the write layers (remote_write.c for model writes sent
 * now, pending.c), release.c, option.c, statement.c, model_response.c,
 * request.c, secret.c, convert.c and the transport's call context
 * (connection.c).
 *
 * Reads.  GET /v2/model/info?page=N&size=S is paginated: the next page is
 * fetched only when the rows of the current one have been consumed, so a
 * LIMIT stops the requests too; but the scan of an UPDATE or DELETE of the
 * table reads every page before its first row, since each write would
 * shift the pages to come.  A server without that route (404 that is
 * not LiteLLM's own: LiteLLM before /v2/model/info) is read with the
 * unpaginated GET /model/info, and remembered for the rest of the backend
 * (statement.c).  model_id = <value> becomes ?modelId= (v2) or
 * ?litellm_model_id= (v1).  Every condition is still checked locally.
 *
 * Writes.  INSERT is POST /model/new, UPDATE is PATCH /model/{id}/update
 * with only what the assigned columns change, and DELETE is POST
 * /model/delete; each builds a complete LfdwModelSpec and hands it to the
 * writes of its write_mode (ModelWrites).  litellm_params is read back masked, so an UPDATE sends
 * only the keys whose value differs from what was read (a masked value
 * echoed back is never sent), and the placeholder guard refuses any other
 * masked value.  The columns litellm_model, credential_name and api_base
 * are keys of litellm_params and override them.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "model.h"
#include "nodes/makefuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "resource.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"

#define OPT_PAGE_SIZE		"page_size"

/*
 * The most models one scan of /v2/model/info asks for: it reads at most
 * MAX_SCAN_MODELS / page_size pages (rounded up), whatever total_pages
 * says, so that a scan's pages end even with no request ceiling.
 */
#define MAX_SCAN_MODELS		1000000

/* Slots of the fdw_private list of a model ForeignScan. */
enum FdwModelScanPrivateIndex
{
	FdwModelScanPageSize = LFDW_SCAN_PRIVATE	/* size of a page */
};

/* The model fields, in LfdwModelField order, with their SQL types. */
static const struct
{
	const char *name;
	bool		is_jsonb;
	const char *param_key;		/* key of litellm_params it is, or NULL */
}			model_fields[LFDW_MODEL_NUM_FIELDS] = {
	{"model_id", false, NULL},
	{"model_name", false, NULL},
	{"litellm_model", false, "model"},
	{"credential_name", false, "litellm_credential_name"},
	{"api_base", false, "api_base"},
	{"litellm_params", true, NULL},
	{"model_info", true, NULL},
};

#define VALID_COLUMNS_HINT "Valid columns are model_id, model_name, litellm_model, credential_name, api_base (text), litellm_params and model_info (jsonb)."

/* Planner state of a models table, in baserel->fdw_private. */
typedef struct LfdwModelRelInfo
{
	LfdwRelInfo base;			/* must be first */
	Expr	   *id_value;		/* model_id = this, or NULL */
	int			page_size;
} LfdwModelRelInfo;

/* Execution state of a models scan. */
typedef struct LfdwModelScanState
{
	LfdwScanState base;			/* must be first; value_state: the id */
	int			page_size;
	bool		v1;				/* reading GET /model/info */
	char	   *model_id;		/* the id asked for, or NULL */
	LfdwModelPage *page;
	int			last_page;		/* total_pages of the first answer, or 0 */
	HTAB	   *seen_ids;		/* ids of the pages read, in scan_cxt */
	List	   *changes;		/* the transaction's model changes, or NIL */
	List	   *seen_created;	/* ids it created that a page had */
	ListCell   *extra;			/* next change to look at after the pages */
	bool		extras_started;
	/* the whole list, read before the first row (under UPDATE or DELETE) */
	bool		read_all;
	List	   *rows;			/* of LfdwModelRow, in scan_cxt */
	ListCell   *next_row;
} LfdwModelScanState;

/*
 * How the writes of a statement reach LiteLLM: sent as the executor hands
 * them over (write_mode 'immediate', model_write.c), or recorded and sent
 * in order when the transaction commits (write_mode 'commit', pending.c).
 * lfdw_modify_writes chose one when the modify began.
 */
typedef struct ModelWrites
{
	bool		id_chosen_here; /* a new model's id is chosen before it is
								 * sent */
	/* the id LiteLLM gave the new model, or NULL when not sent yet */
	char	   *(*create) (LfdwModifyState *fm, const LfdwModelSpec *spec);
	/* false: LiteLLM has no model of that id */
	bool		(*update) (LfdwModifyState *fm, const LfdwModelSpec *spec);
	bool		(*delete) (LfdwModifyState *fm, const LfdwModelSpec *spec);
} ModelWrites;

#define WRITES(fm)	((const ModelWrites *) (fm)->writes)

/* The callbacks of the descriptor (resource.h) */
static double model_plan_read(PlannerInfo *root, RelOptInfo *baserel,
							  LfdwRelInfo *base);
static ForeignScan *model_get_plan(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid, ForeignPath *best_path,
								   List *tlist, List *scan_clauses,
								   Plan *outer_plan, char **explain,
								   int *wanted);
static void model_begin_scan(LfdwScanState *state, List *fdw_private);
static TupleTableSlot *model_iterate_scan(ForeignScanState *node);
static void model_rescan(LfdwScanState *state);
static void model_check_modify(ModifyTable *plan, Relation rel, int updated);
static TupleTableSlot *model_exec_insert(EState *estate, ResultRelInfo *rinfo,
										 TupleTableSlot *slot,
										 TupleTableSlot *planSlot);
static TupleTableSlot *model_exec_update(EState *estate, ResultRelInfo *rinfo,
										 TupleTableSlot *slot,
										 TupleTableSlot *planSlot);
static TupleTableSlot *model_exec_delete(EState *estate, ResultRelInfo *rinfo,
										 TupleTableSlot *slot,
										 TupleTableSlot *planSlot);
static void model_explain_modify(ModifyTableState *mtstate,
								 ResultRelInfo *rinfo, int updated,
								 ExplainState *es);
static char *model_import_statement(const char *local_schema,
									const char *server_name);

/* Helper functions */
static int	page_size_option(Oid serverid, Oid foreigntableid);
static char *scan_path(LfdwModelScanState *state, int page);
static void fetch_page(LfdwModelScanState *state, int page);
static bool scan_feeds_modify(ForeignScanState *node);
static void read_all_pages(LfdwModelScanState *state);
static bool next_page_row(LfdwModelScanState *state, LfdwModelRow *row);
static void note_model_id(LfdwModelScanState *state, const char *id);
static uint32 id_hash(const void *key, Size keysize);
static int	id_match(const void *key1, const void *key2, Size keysize);
static void store_row(LfdwModelScanState *state, TupleTableSlot *slot,
					  LfdwModelRow *row);
static void check_not_empty(const char *value, const char *column,
							bool nullable);
static void check_object(Jsonb *jb, const char *column);
static void check_no_placeholder(Jsonb *params, const char *model);
static Jsonb *set_key(Jsonb *obj, const char *key, const char *value);
static char *get_string_key(Jsonb *obj, const char *key);
static Jsonb *object_diff(Jsonb *old, Jsonb *new, const char *const *skip,
						  int nskip);
static Jsonb *apply_patch(Jsonb *base, Jsonb *patch);
static void apply_change(LfdwModelScanState *state, LfdwModelRow *row,
						 const LfdwModelSpec *spec);
static bool overlay_row(LfdwModelScanState *state, LfdwModelRow *row);
static bool next_created(LfdwModelScanState *state, LfdwModelRow *row);
static char *new_model_id(void);
static void check_credential_exists(const LfdwOptions *opts, const char *name,
									const char *model);
static void refuse_removals(const LfdwOptions *opts, Jsonb *patch,
							const char *model, const char *column);
static Jsonb *keep_reset_booleans(Jsonb *patch, Jsonb *old_params);
static Jsonb *set_jsonb_key(Jsonb *obj, const char *key, JsonbValue *value);
static bool key_listed(const JsonbValue *key, const char *const *list, int n);
static void store_result(LfdwModifyState *fm, TupleTableSlot *slot,
						 const char *model_id, Jsonb *params);
static void lfdw_model_build_column_map(Relation rel, LfdwModelColumnMap *map);

/* The page_size option: the table's, else the server's, else the default. */
static int
page_size_option(Oid serverid, Oid foreigntableid)
{
	int			size = LFDW_DEFAULT_PAGE_SIZE;
	List	   *options = list_concat_copy(GetForeignServer(serverid)->options,
										   GetForeignTable(foreigntableid)->options);
	ListCell   *cell;

	/* the validator has checked the value */
	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, OPT_PAGE_SIZE) == 0)
			size = atoi(defGetString(def));
	}
	return size;
}

/*
 * lfdw_model_build_column_map
 *		Match the columns of a models table to model fields by name, and
 *		check their types (text fields: text or varchar; jsonb fields:
 *		jsonb, or json for model_info).
 */
static void
lfdw_model_build_column_map(Relation rel, LfdwModelColumnMap *map)
{
	LfdwFieldDef defs[LFDW_MODEL_NUM_FIELDS];
	int			f;

	for (f = 0; f < LFDW_MODEL_NUM_FIELDS; f++)
	{
		defs[f].name = model_fields[f].name;
		defs[f].is_jsonb = model_fields[f].is_jsonb;
		/* not json for litellm_params, which holds keys */
		defs[f].json_ok = (f == LFDW_MFIELD_INFO);
	}
	lfdw_map_columns(rel, defs, LFDW_MODEL_NUM_FIELDS, "model",
					 VALID_COLUMNS_HINT, map);
}

/*
 * model_plan_read
 *		Find a model_id condition, and estimate the rows and the requests
 *		(pages).
 */
static double
model_plan_read(PlannerInfo *root, RelOptInfo *baserel, LfdwRelInfo *base)
{
	LfdwModelRelInfo *info = (LfdwModelRelInfo *) base;
	LfdwColumnMap idmap;
	Expr	   *value;
	int			count;
	double		rows;

	info->page_size = page_size_option(baserel->serverid, base->relid);

	/*
	 * model_id = <value>: lfdw_classify_quals finds it as it finds the
	 * model_id of a credential, given a map that has only that column.
	 */
	memset(&idmap, 0, sizeof(idmap));
	idmap.field_att[LFDW_FIELD_MODEL_ID] = base->map.field_att[LFDW_MFIELD_ID];
	if (idmap.field_att[LFDW_FIELD_MODEL_ID] &&
		lfdw_classify_quals(baserel, &idmap, &value, &count) ==
		LFDW_SCAN_BY_MODEL)
		info->id_value = value;

	if (info->id_value)
	{
		base->requests = 1;
		base->fetched = 1;
		rows = 1;
	}
	else
	{
		/* the last page is fetched in full and may show there are no more */
		rows = lfdw_list_rows(root, baserel, base);
		base->requests = Max(1, ceil(base->fetched / info->page_size));
	}
	/* the first page comes before the first row, the others as rows go */
	base->startup_requests = 1;
	return rows;
}

/*
 * model_get_plan
 *		Every condition stays a local filter; the id expression, if any,
 *		is in fdw_exprs.
 */
static ForeignScan *
model_get_plan(PlannerInfo *root, RelOptInfo *baserel,
			   Oid foreigntableid, ForeignPath *best_path, List *tlist,
			   List *scan_clauses, Plan *outer_plan, char **explain,
			   int *wanted)
{
	LfdwModelRelInfo *info = (LfdwModelRelInfo *) baserel->fdw_private;
	bool		v1 = lfdw_stats_no_v2(baserel->serverid);

	scan_clauses = extract_actual_clauses(scan_clauses, false);
	*wanted = lfdw_wanted_fields(baserel, &info->base.map,
								 LFDW_MODEL_NUM_FIELDS);

	if (info->id_value)
	{
		char	   *id;

		if (IsA(info->id_value, Const))
			id = ((Const *) info->id_value)->constisnull ? pstrdup("NULL") :
				lfdw_encode_path_segment(TextDatumGetCString(((Const *) info->id_value)->constvalue));
		else if (IsA(info->id_value, Param))
			id = psprintf("$%d", ((Param *) info->id_value)->paramid);
		else
			id = psprintf("{%s}", deparse_expression((Node *) info->id_value,
													 NIL, false, false));
		*explain = v1 ? psprintf("GET /model/info?litellm_model_id=%s", id) :
			psprintf("GET /v2/model/info?modelId=%s", id);
	}
	else
		*explain = v1 ? pstrdup("GET /model/info") :
			psprintf("GET /v2/model/info?page={n}&size=%d, a page at a time",
					 info->page_size);

	return make_foreignscan(tlist, scan_clauses, baserel->relid,
							info->id_value ? list_make1(info->id_value) : NIL,
							list_make1(makeInteger(info->page_size)),
							NIL, NIL, outer_plan);
}

/*
 * model_begin_scan
 *		The first page is fetched with the first row.
 */
static void
model_begin_scan(LfdwScanState *state, List *fdw_private)
{
	((LfdwModelScanState *) state)->page_size =
		intVal(list_nth(fdw_private, FdwModelScanPageSize));
}

/*
 * The path (with its query) of a page; page 1 for a lookup by id.
 */
static char *
scan_path(LfdwModelScanState *state, int page)
{
	if (state->v1)
		return state->model_id ?
			psprintf("/model/info?litellm_model_id=%s",
					 lfdw_encode_path_segment(state->model_id)) :
			pstrdup("/model/info");
	if (state->model_id)
		return psprintf("/v2/model/info?modelId=%s&page=%d&size=%d",
						lfdw_encode_path_segment(state->model_id), page,
						state->page_size);
	return psprintf("/v2/model/info?page=%d&size=%d", page, state->page_size);
}

/*
 * GET one page into the batch context, which is reset first: the previous
 * page is done with.  Falls back to /model/info when the server has no
 * /v2/model/info.  A page beyond the ceiling (MAX_SCAN_MODELS) is an
 * error (54000), raised before it is asked for.
 */
static void
fetch_page(LfdwModelScanState *state, int page)
{
	MemoryContext oldcxt;
	LfdwHttpResponse *resp;
	bool		no_route;
	int			max_pages = (MAX_SCAN_MODELS + state->page_size - 1) /
	state->page_size;

	CHECK_FOR_INTERRUPTS();
	state->page = NULL;
	state->base.call_valid = false;
	MemoryContextReset(state->base.batch_cxt);
	oldcxt = MemoryContextSwitchTo(state->base.batch_cxt);
	lfdw_call_begin(&state->base.call, state->base.opts, "GET", scan_path(state, page),
					state->model_id);
	if (!state->v1 && page > max_pages)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("LiteLLM server \"%s\" lists more than %d pages of models",
						state->base.opts->server_name, max_pages),
				 errdetail("A scan reads at most %d models, in pages of page_size %d; the server says it has more pages.",
						   MAX_SCAN_MODELS, state->page_size)));
	resp = lfdw_statement_get(&state->base.call, NULL);
	state->page = lfdw_model_read_page(&state->base.call, resp,
									   state->v1 ? 0 : page, &no_route);
	/* (the statement keeps the response: not freed here) */
	lfdw_call_end(&state->base.call);
	MemoryContextSwitchTo(oldcxt);

	if (no_route)
	{
		lfdw_stats_note_no_v2(state->base.opts->serverid);
		state->v1 = true;
		fetch_page(state, 1);
		return;
	}
	if (state->model_id == NULL && page == 1)
		lfdw_stats_note_rows(state->base.opts->serverid, LFDW_RESOURCE_MODELS,
							 lfdw_model_page_count(state->page));
	state->base.call_valid = true;
}

/*
 * model_iterate_scan
 *		Return the next model as a row, fetching pages as rows are consumed.
 */
static TupleTableSlot *
model_iterate_scan(ForeignScanState *node)
{
	LfdwModelScanState *state = (LfdwModelScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	LfdwModelRow row;

	ExecClearTuple(slot);
	if (!state->base.started)
	{
		ExprContext *econtext = node->ss.ps.ps_ExprContext;

		state->base.started = true;
		state->v1 = lfdw_stats_no_v2(state->base.opts->serverid);
		state->model_id = NULL;
		MemoryContextReset(state->base.scan_cxt);
		state->seen_created = NIL;
		state->extras_started = false;
		state->last_page = 0;
		state->seen_ids = NULL;
		/* the list in scan_cxt; the changes live until the transaction ends */
		{
			MemoryContext oldcxt = MemoryContextSwitchTo(state->base.scan_cxt);

			state->changes = lfdw_pending_model_changes(state->base.opts,
														state->base.cid);
			MemoryContextSwitchTo(oldcxt);
		}
		if (state->base.value_state)
		{
			bool		isnull;
			Datum		value = ExecEvalExpr(state->base.value_state, econtext,
											 &isnull);

			/* = NULL and = '' match nothing and cost no request */
			if (isnull || VARSIZE_ANY_EXHDR(DatumGetPointer(value)) == 0)
				return slot;
			state->model_id = MemoryContextStrdup(state->base.scan_cxt,
												  TextDatumGetCString(value));
		}
		fetch_page(state, 1);

		/*
		 * Under an UPDATE or DELETE of this table, the rows the statement
		 * changes would shift the pages still to come (offset pagination):
		 * the whole list is read first.  A plain SELECT reads a page only
		 * when it needs its rows, so that a LIMIT saves the requests.
		 */
		state->rows = NIL;
		state->read_all = false;
		if (state->model_id == NULL && !state->v1 &&
			scan_feeds_modify(node))
			read_all_pages(state);
	}

	for (;;)
	{
		bool		got;
		int			next;

		CHECK_FOR_INTERRUPTS();
		if (state->read_all)
		{
			if (state->next_row == NULL)
			{
				state->read_all = false;
				state->page = NULL;
				continue;
			}
			row = *(LfdwModelRow *) lfirst(state->next_row);
			state->next_row = lnext(state->rows, state->next_row);
			if (state->changes && !overlay_row(state, &row))
				continue;
			store_row(state, slot, &row);
			return slot;
		}
		if (state->page == NULL)
		{
			if (state->changes && next_created(state, &row))
				store_row(state, slot, &row);
			return slot;
		}
		got = next_page_row(state, &row);
		if (got)
		{
			/* what this transaction changed, it sees changed */
			if (state->changes && !overlay_row(state, &row))
				continue;
			store_row(state, slot, &row);
			return slot;
		}
		if (state->v1 ||
			!lfdw_model_page_more(state->page, &state->last_page, &next))
		{
			state->page = NULL;
			/* then the models this transaction created */
			if (state->changes && next_created(state, &row))
			{
				store_row(state, slot, &row);
				return slot;
			}
			return slot;
		}
		fetch_page(state, next);
	}
}

/*
 * The next model of the current page as a row, under the call's context.
 * A model id that an earlier page of the scan listed is an unexpected
 * response, as one listed twice on a page is (lfdw_model_read_page).
 */
static bool
next_page_row(LfdwModelScanState *state, LfdwModelRow *row)
{
	bool		got;

	if (state->base.call_valid)
	{
		state->base.call.errcb.previous = error_context_stack;
		error_context_stack = &state->base.call.errcb;
	}
	got = lfdw_model_next(state->page, state->base.opts, state->base.wanted,
						  row);
	if (got && !state->v1 && row->model_id)
		note_model_id(state, row->model_id);
	if (state->base.call_valid)
		error_context_stack = state->base.call.errcb.previous;
	return got;
}

/*
 * Remember a model id a page of the scan listed (the set lives in
 * scan_cxt, and goes when the scan starts again); one listed already is
 * an unexpected response (HV004).
 */
static void
note_model_id(LfdwModelScanState *state, const char *id)
{
	char	   *key = (char *) id;
	bool		found;

	if (state->seen_ids == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(char *);
		ctl.entrysize = sizeof(char *);
		ctl.hash = id_hash;
		ctl.match = id_match;
		ctl.hcxt = state->base.scan_cxt;
		state->seen_ids = hash_create("litellm_fdw model ids", 64, &ctl,
									  HASH_ELEM | HASH_FUNCTION |
									  HASH_COMPARE | HASH_CONTEXT);
	}
	(void) hash_search(state->seen_ids, &key, HASH_FIND, &found);
	if (found)
		lfdw_unexpected_response(state->base.opts->server_name,
								 "Model \"%s\" is listed more than once.",
								 lfdw_remote_text(&state->base.call, id,
												  strlen(id)),
								 NULL);
	key = MemoryContextStrdup(state->base.scan_cxt, id);
	(void) hash_search(state->seen_ids, &key, HASH_ENTER, NULL);
}

/* Hash and match of the keys of seen_ids: a model id, by its text. */
static uint32
id_hash(const void *key, Size keysize)
{
	const char *id = *(const char *const *) key;

	return hash_bytes((const unsigned char *) id, (int) strlen(id));
}

static int
id_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(const char *const *) key1, *(const char *const *) key2);
}

/*
 * Does this scan feed an UPDATE or DELETE of its own table?  Its range
 * table index is then one of the statement's result relations.
 */
static bool
scan_feeds_modify(ForeignScanState *node)
{
	EState	   *estate = node->ss.ps.state;
	Index		scanrelid = ((Scan *) node->ss.ps.plan)->scanrelid;

	return scanrelid > 0 && estate->es_plannedstmt != NULL &&
		list_member_int(estate->es_plannedstmt->resultRelations,
						(int) scanrelid);
}

/*
 * Read every page of the list, from the first (fetched already), into
 * state->rows: the rows are made in scan_cxt, since the batch context that
 * holds a page is reset for the next.
 */
static void
read_all_pages(LfdwModelScanState *state)
{
	for (;;)
	{
		LfdwModelRow row;
		MemoryContext oldcxt;
		bool		got;
		int			next;

		CHECK_FOR_INTERRUPTS();
		oldcxt = MemoryContextSwitchTo(state->base.scan_cxt);
		got = next_page_row(state, &row);
		if (got)
			state->rows = lappend(state->rows,
								  memcpy(palloc(sizeof(LfdwModelRow)), &row,
										 sizeof(LfdwModelRow)));
		MemoryContextSwitchTo(oldcxt);
		if (got)
			continue;
		if (!lfdw_model_page_more(state->page, &state->last_page, &next))
			break;
		fetch_page(state, next);
	}
	state->page = NULL;
	state->base.call_valid = false;
	MemoryContextReset(state->base.batch_cxt);
	state->read_all = true;
	state->next_row = list_head(state->rows);
}

/*
 * Apply one pending change of a model to a row (as read, or as created by
 * the transaction): the same merge LiteLLM makes of a PATCH.
 */
static void
apply_change(LfdwModelScanState *state, LfdwModelRow *row,
			 const LfdwModelSpec *spec)
{
	Jsonb	   *params = spec->litellm_params;

	if (spec->model_name)
		row->model_name = pstrdup(spec->model_name);
	if (params)
	{
		JsonbValue *v;

		/* the columns that are keys of litellm_params follow it */
		v = getKeyJsonValueFromContainer(&params->root, "model", 5, NULL);
		if (v)
			row->litellm_model = get_string_key(params, "model");
		v = getKeyJsonValueFromContainer(&params->root,
										 "litellm_credential_name", 23, NULL);
		if (v)
			row->credential_name = get_string_key(params,
												  "litellm_credential_name");
		v = getKeyJsonValueFromContainer(&params->root, "api_base", 8, NULL);
		if (v)
			row->api_base = lfdw_model_shown_url(get_string_key(params,
																"api_base"));
		if (state->base.wanted[LFDW_MFIELD_PARAMS])
			row->params = lfdw_model_mask_params(state->base.opts,
												 apply_patch(row->params ? row->params :
															 lfdw_empty_object(),
															 params));
	}
	if (spec->model_info && state->base.wanted[LFDW_MFIELD_INFO])
		row->info = apply_patch(row->info ? row->info : lfdw_empty_object(),
								spec->model_info);
}

/*
 * Lay the transaction's changes over a row of a page: false when it
 * deleted the model.
 */
static bool
overlay_row(LfdwModelScanState *state, LfdwModelRow *row)
{
	ListCell   *cell;
	bool		exists = true;

	foreach(cell, state->changes)
	{
		LfdwModelChange *change = (LfdwModelChange *) lfirst(cell);

		if (row->model_id == NULL ||
			strcmp(change->spec.model_id, row->model_id) != 0)
			continue;
		switch (change->kind)
		{
			case LFDW_MODEL_CREATE:
				/* an id LiteLLM has too: the commit will say so */
				{
					MemoryContext oldcxt = MemoryContextSwitchTo(state->base.scan_cxt);

					state->seen_created = lappend(state->seen_created,
												  (char *) change->spec.model_id);
					MemoryContextSwitchTo(oldcxt);
				}
				exists = true;
				break;
			case LFDW_MODEL_UPDATE:
				if (exists)
					apply_change(state, row, &change->spec);
				break;
			case LFDW_MODEL_DELETE:
				exists = false;
				break;
		}
	}
	return exists;
}

/*
 * The next model the transaction created that no page had, with its later
 * changes applied.
 */
static bool
next_created(LfdwModelScanState *state, LfdwModelRow *row)
{
	if (!state->extras_started)
	{
		state->extra = list_head(state->changes);
		state->extras_started = true;
	}
	while (state->extra)
	{
		LfdwModelChange *change = (LfdwModelChange *) lfirst(state->extra);
		ListCell   *later;
		bool		exists = true;

		state->extra = lnext(state->changes, state->extra);
		if (change->kind != LFDW_MODEL_CREATE ||
			lfdw_string_listed(state->seen_created, change->spec.model_id) ||
			(state->model_id &&
			 strcmp(state->model_id, change->spec.model_id) != 0))
			continue;

		memset(row, 0, sizeof(LfdwModelRow));
		row->model_id = pstrdup(change->spec.model_id);
		if (state->base.wanted[LFDW_MFIELD_INFO])
			row->info = change->spec.model_info ? change->spec.model_info :
				lfdw_empty_object();
		apply_change(state, row, &change->spec);
		for (later = state->extra; later; later = lnext(state->changes, later))
		{
			LfdwModelChange *next = (LfdwModelChange *) lfirst(later);

			if (strcmp(next->spec.model_id, change->spec.model_id) != 0)
				continue;
			if (next->kind == LFDW_MODEL_DELETE)
				exists = false;
			else if (next->kind == LFDW_MODEL_UPDATE && exists)
				apply_change(state, row, &next->spec);
			else if (next->kind == LFDW_MODEL_CREATE)
				break;			/* that one is shown by itself */
		}
		if (exists)
			return true;
	}
	return false;
}

/* Put a model into the scan slot (values in per-tuple memory). */
static void
store_row(LfdwModelScanState *state, TupleTableSlot *slot, LfdwModelRow *row)
{
	LfdwFieldValue fields[LFDW_MODEL_NUM_FIELDS] = {
		[LFDW_MFIELD_ID] = {true, row->model_id, NULL},
		[LFDW_MFIELD_NAME] = {true, row->model_name, NULL},
		[LFDW_MFIELD_LITELLM_MODEL] = {true, row->litellm_model, NULL},
		[LFDW_MFIELD_CREDENTIAL] = {true, row->credential_name, NULL},
		[LFDW_MFIELD_API_BASE] = {true, row->api_base, NULL},
		[LFDW_MFIELD_PARAMS] = {true, NULL, row->params},
		[LFDW_MFIELD_INFO] = {true, NULL, row->info},
	};

	lfdw_store_fields(slot, &state->base.map, LFDW_MODEL_NUM_FIELDS, state->base.wanted,
					  fields);
}

/*
 * model_rescan
 *		Start over (the parameters may have changed); pages fetched before
 *		in this statement come from the statement's responses.
 */
static void
model_rescan(LfdwScanState *state)
{
	((LfdwModelScanState *) state)->page = NULL;
	((LfdwModelScanState *) state)->read_all = false;
}

/*
 * model_check_modify
 *		Refuse what can never work, before any request is made.
 */
static void
model_check_modify(ModifyTable *plan, Relation rel, int updated)
{
	if (plan->onConflictAction != ONCONFLICT_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("INSERT with ON CONFLICT is not supported on foreign table \"%s\"",
						RelationGetRelationName(rel))));
	if (updated & (1 << LFDW_MFIELD_ID))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot change model_id of an existing model"),
				 errdetail("model_id is the identity LiteLLM gives a model."),
				 errhint("Insert a new model and delete the old one instead.")));
}

/*
 * model_exec_insert
 *		Check the row, then POST /model/new.
 */
static TupleTableSlot *
model_exec_insert(EState *estate, ResultRelInfo *rinfo,
				  TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	LfdwModelSpec spec;
	Jsonb	   *params;
	char	   *model;
	char	   *id;
	int			f;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);
	slot_getallattrs(slot);

	memset(&spec, 0, sizeof(spec));
	spec.model_name = lfdw_row_text(&fm->map, LFDW_MFIELD_NAME, slot->tts_values,
									slot->tts_isnull);
	check_not_empty(spec.model_name, "model_name", false);
	spec.model_id = lfdw_row_text(&fm->map, LFDW_MFIELD_ID, slot->tts_values,
								  slot->tts_isnull);
	check_not_empty(spec.model_id, "model_id", true);

	params = lfdw_row_jsonb(&fm->map, LFDW_MFIELD_PARAMS, slot->tts_values,
							slot->tts_isnull);
	if (params == NULL)
		params = lfdw_empty_object();
	check_object(params, "litellm_params");
	/* the columns that are keys of litellm_params override them */
	for (f = LFDW_MFIELD_LITELLM_MODEL; f <= LFDW_MFIELD_API_BASE; f++)
	{
		char	   *value = lfdw_row_text(&fm->map, f, slot->tts_values, slot->tts_isnull);

		if (value == NULL)
			continue;
		check_not_empty(value, model_fields[f].name, true);
		params = set_key(params, model_fields[f].param_key, value);
	}
	model = get_string_key(params, "model");
	if (model == NULL || model[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("model \"%s\" needs litellm_model", spec.model_name),
				 errdetail("LiteLLM requires litellm_params.model, the provider's model such as \"openai/gpt-4o\".")));
	check_no_placeholder(params, spec.model_name);
	spec.litellm_params = params;

	spec.model_info = lfdw_row_jsonb(&fm->map, LFDW_MFIELD_INFO, slot->tts_values,
									 slot->tts_isnull);
	if (spec.model_info)
		check_object(spec.model_info, "model_info");

	/*
	 * LiteLLM stores a model whatever credential it names, and answers a
	 * duplicate id with a bare 500 (doc/litellm-api.md sections 2.7, 3.5):
	 * both are checked first.
	 */
	{
		char	   *cred = get_string_key(params, "litellm_credential_name");

		if (cred)
			check_credential_exists(fm->opts, cred,
									spec.model_id ? spec.model_id : spec.model_name);
	}
	if (spec.model_id)
	{
		int			mine = lfdw_pending_model_state(fm->opts, spec.model_id);

		if (mine == 1 || (mine == -1 && lfdw_model_remote_exists(fm->opts, spec.model_id)))
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("model \"%s\" already exists", spec.model_id),
					 mine == 1 ?
					 errdetail("This transaction created it earlier.") :
					 errdetail("LiteLLM server \"%s\" lists a model of that id.",
							   fm->opts->server_name),
					 errhint("To change the existing model, use UPDATE.")));
	}

	/* held until commit, a new model needs its id now: one is chosen */
	if (spec.model_id == NULL && WRITES(fm)->id_chosen_here)
		spec.model_id = new_model_id();
	if (spec.model_id)
		spec.model_info = set_key(spec.model_info ? spec.model_info :
								  lfdw_empty_object(), "id", spec.model_id);

	id = WRITES(fm)->create(fm, &spec);

	store_result(fm, slot, id ? id : spec.model_id, params);
	MemoryContextSwitchTo(oldcxt);
	return slot;
}

/*
 * model_exec_update
 *		PATCH the model with what the assigned columns change.
 */
static TupleTableSlot *
model_exec_update(EState *estate, ResultRelInfo *rinfo,
				  TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	static const char *const info_skip[] = {"id", "db_model"};
	MemoryContext oldcxt;
	LfdwModelSpec spec;
	Datum	   *old_values = NULL;
	bool	   *old_nulls = NULL;
	bool		have_old;
	Jsonb	   *patch;
	Jsonb	   *old_params = NULL;
	int			updated = fm->updated;
	int			f;

#define ASSIGNED(f) ((updated & (1 << (f))) != 0)

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);

	memset(&spec, 0, sizeof(spec));
	spec.model_id = lfdw_row_key(fm, planSlot);
	have_old = lfdw_old_row(fm, planSlot, &old_values, &old_nulls);
	slot_getallattrs(slot);

	/* a BEFORE ROW trigger may have changed fields that SET did not */
	if (fm->before_row_trigger && have_old)
	{
		updated |= lfdw_changed_fields(fm, slot, old_values, old_nulls);
		if (ASSIGNED(LFDW_MFIELD_ID))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot change model_id of an existing model")));
	}

	if (ASSIGNED(LFDW_MFIELD_NAME))
	{
		spec.model_name = lfdw_row_text(&fm->map, LFDW_MFIELD_NAME, slot->tts_values,
										slot->tts_isnull);
		check_not_empty(spec.model_name, "model_name", false);
	}

	/* litellm_params: what differs from the row read */
	if (have_old)
		old_params = lfdw_row_jsonb(&fm->map, LFDW_MFIELD_PARAMS, old_values, old_nulls);
	patch = lfdw_empty_object();
	if (ASSIGNED(LFDW_MFIELD_PARAMS))
	{
		Jsonb	   *params = lfdw_row_jsonb(&fm->map, LFDW_MFIELD_PARAMS,
											slot->tts_values, slot->tts_isnull);

		if (params == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("litellm_params of model \"%s\" must not be null",
							spec.model_id),
					 errhint("Assign an object without the keys to remove.")));
		check_object(params, "litellm_params");
		patch = object_diff(old_params ? old_params : lfdw_empty_object(),
							params, NULL, 0);
	}
	for (f = LFDW_MFIELD_LITELLM_MODEL; f <= LFDW_MFIELD_API_BASE; f++)
	{
		char	   *value;

		if (!ASSIGNED(f))
			continue;
		value = lfdw_row_text(&fm->map, f, slot->tts_values, slot->tts_isnull);
		/* NULL clears the key (detaches the credential) */
		check_not_empty(value, model_fields[f].name, true);
		patch = set_key(patch, model_fields[f].param_key, value);
	}
	{
		JsonbValue *model = getKeyJsonValueFromContainer(&patch->root,
														 "model", 5, NULL);

		if (model && model->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("model \"%s\" needs litellm_model", spec.model_id),
					 errdetail("LiteLLM requires litellm_params.model, the provider's model such as \"openai/gpt-4o\".")));
	}
	check_no_placeholder(patch, spec.model_id);
	if (!lfdw_jsonb_is_empty_object(patch))
	{
		char	   *cred = get_string_key(patch, "litellm_credential_name");

		refuse_removals(fm->opts, patch, spec.model_id, "litellm_params");
		if (cred)
			check_credential_exists(fm->opts, cred, spec.model_id);
		spec.litellm_params = keep_reset_booleans(patch, old_params);
	}

	if (ASSIGNED(LFDW_MFIELD_INFO))
	{
		Jsonb	   *info = lfdw_row_jsonb(&fm->map, LFDW_MFIELD_INFO, slot->tts_values,
										  slot->tts_isnull);
		Jsonb	   *old_info = have_old ?
		lfdw_row_jsonb(&fm->map, LFDW_MFIELD_INFO, old_values, old_nulls) : NULL;
		Jsonb	   *diff;

		if (info == NULL)
			info = lfdw_empty_object();
		check_object(info, "model_info");
		diff = object_diff(old_info ? old_info : lfdw_empty_object(), info,
						   info_skip, lengthof(info_skip));
		if (!lfdw_jsonb_is_empty_object(diff))
		{
			JsonbValue *db_model = old_info ?
			getKeyJsonValueFromContainer(&old_info->root, "db_model", 8,
										 NULL) : NULL;

			refuse_removals(fm->opts, diff, spec.model_id, "model_info");

			/*
			 * LiteLLM builds a ModelInfo from the patch, whose id defaults to
			 * a new uuid and db_model to false, and stores both: send the
			 * model's own (doc/litellm-api.md section 3.6).
			 */
			diff = set_key(diff, "id", spec.model_id);
			if (db_model && db_model->type == jbvBool)
				diff = set_jsonb_key(diff, "db_model", db_model);
			spec.model_info = diff;
		}
	}

	/* nothing changes: no request */
	if (spec.model_name || spec.litellm_params || spec.model_info)
	{
		if (!WRITES(fm)->update(fm, &spec))
			lfdw_vanished_error(fm->opts, "model", spec.model_id,
								"The statement read it, and LiteLLM answered that it has no model of that id.");
	}

	store_result(fm, slot, spec.model_id,
				 apply_patch(old_params ? old_params : lfdw_empty_object(),
							 patch));
	MemoryContextSwitchTo(oldcxt);
	return slot;
#undef ASSIGNED
}

/*
 * model_exec_delete
 *		POST /model/delete; a model already gone is not counted.
 */
static TupleTableSlot *
model_exec_delete(EState *estate, ResultRelInfo *rinfo,
				  TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	LfdwModelSpec spec;
	bool		found;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);

	memset(&spec, 0, sizeof(spec));
	spec.model_id = lfdw_row_key(fm, planSlot);
	found = WRITES(fm)->delete(fm, &spec);

	if (found)
		lfdw_store_old_row(fm, slot, planSlot);
	MemoryContextSwitchTo(oldcxt);
	return found ? slot : NULL;
}

static char *
immediate_create(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	return lfdw_model_remote_create(fm->opts, spec);
}

static bool
immediate_update(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	return lfdw_model_remote_update(fm->opts, spec);
}

static bool
immediate_delete(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	return lfdw_model_remote_delete(fm->opts, spec);
}

static const ModelWrites immediate_writes = {
	.id_chosen_here = false,
	.create = immediate_create,
	.update = immediate_update,
	.delete = immediate_delete,
};

static char *
commit_create(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	lfdw_pending_model(fm->opts, LFDW_MODEL_CREATE, spec,
					   GetCurrentCommandId(true));
	return NULL;
}

static bool
commit_update(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	lfdw_pending_model(fm->opts, LFDW_MODEL_UPDATE, spec,
					   GetCurrentCommandId(true));
	return true;
}

static bool
commit_delete(LfdwModifyState *fm, const LfdwModelSpec *spec)
{
	lfdw_pending_model(fm->opts, LFDW_MODEL_DELETE, spec,
					   GetCurrentCommandId(true));
	return true;
}

static const ModelWrites commit_writes = {
	.id_chosen_here = true,
	.create = commit_create,
	.update = commit_update,
	.delete = commit_delete,
};

/*
 * model_explain_modify
 *		Show the request each row becomes.
 */
static void
model_explain_modify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
					 int updated, ExplainState *es)
{
	const char *request;

	switch (mtstate->operation)
	{
		case CMD_INSERT:
			request = "POST /model/new";
			break;
		case CMD_UPDATE:
			request = "PATCH /model/{id}/update";
			break;
		case CMD_DELETE:
			request = "POST /model/delete";
			break;
		default:
			request = "?";
			break;
	}
	ExplainPropertyText("LiteLLM Request", request, es);
}

/*
 * model_import_statement
 *		The CREATE FOREIGN TABLE of IMPORT FOREIGN SCHEMA for litellm_model.
 */
static char *
model_import_statement(const char *local_schema, const char *server_name)
{
	return psprintf("CREATE FOREIGN TABLE %s.litellm_model ("
					"model_id text, "
					"model_name text, "
					"litellm_model text, "
					"credential_name text, "
					"api_base text, "
					"litellm_params jsonb, "
					"model_info jsonb) SERVER %s "
					"OPTIONS (resource 'models')",
					quote_identifier(local_schema),
					quote_identifier(server_name));
}

/* A name or id must be non-empty, and present unless nullable. */
static void
check_not_empty(const char *value, const char *column, bool nullable)
{
	if (value == NULL && !nullable)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("%s must not be null", column)));
	if (value && value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", column),
				 strcmp(column, "credential_name") == 0 ?
				 errhint("Set credential_name to NULL to detach the stored credential.") : 0));
}

static void
check_object(Jsonb *jb, const char *column)
{
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", column)));
}

/*
 * Refuse litellm_params holding a masked read-back anywhere: a value read
 * from the table must never be stored as a secret.
 */
static void
check_no_placeholder(Jsonb *params, const char *model)
{
	lfdw_refuse_placeholder(params, "litellm_params", "model",
							model ? model : "(new)",
							"Secret values of litellm_params are write-only: write the real value, or leave the key as it was read.");
}

/*
 * A copy of obj with key set to the string value (NULL: JSON null).
 */
static Jsonb *
set_key(Jsonb *obj, const char *key, const char *value)
{
	JsonbValue	v;

	if (value)
	{
		v.type = jbvString;
		v.val.string.val = (char *) value;
		v.val.string.len = strlen(value);
	}
	else
		v.type = jbvNull;
	return set_jsonb_key(obj, key, &v);
}

/* The string value of a top-level key, or NULL. */
static char *
get_string_key(Jsonb *obj, const char *key)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&obj->root, key,
												 strlen(key), NULL);

	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* Is a key (a jbvString) one of the list? */
static bool
key_listed(const JsonbValue *key, const char *const *list, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (key->val.string.len == (int) strlen(list[i]) &&
			memcmp(key->val.string.val, list[i], key->val.string.len) == 0)
			return true;
	return false;
}

/*
 * What turns old into new, as a partial object: the keys of new whose
 * value differs from old's, and a JSON null for each key of old that new
 * lacks.  Keys listed in skip are left out.
 */
static Jsonb *
object_diff(Jsonb *old, Jsonb *new, const char *const *skip, int nskip)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbValue	key;
	JsonbIteratorToken tok;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);

	it = JsonbIteratorInit(&new->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = v;
		else if (tok == WJB_VALUE)
		{
			JsonbValue *was = getKeyJsonValueFromContainer(&old->root,
														   key.val.string.val,
														   key.val.string.len,
														   NULL);
			bool		same = false;

			if (key_listed(&key, skip, nskip))
				continue;
			if (was && was->type == v.type)
				same = DatumGetBool(DirectFunctionCall2(jsonb_eq,
														JsonbPGetDatum(JsonbValueToJsonb(was)),
														JsonbPGetDatum(JsonbValueToJsonb(&v))));
			if (!same)
			{
				pushJsonbValue(&state, WJB_KEY, &key);
				pushJsonbValue(&state, WJB_VALUE, &v);
			}
		}
	}

	it = JsonbIteratorInit(&old->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_KEY || key_listed(&v, skip, nskip))
			continue;
		if (getKeyJsonValueFromContainer(&new->root, v.val.string.val,
										 v.val.string.len, NULL) == NULL)
		{
			JsonbValue	null;

			null.type = jbvNull;
			pushJsonbValue(&state, WJB_KEY, &v);
			pushJsonbValue(&state, WJB_VALUE, &null);
		}
	}
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

/*
 * base with a partial object applied: a key of patch replaces base's, and
 * a JSON null removes it.
 */
static Jsonb *
apply_patch(Jsonb *base, Jsonb *patch)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbValue	key;
	JsonbIteratorToken tok;
	bool		skip = false;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	it = JsonbIteratorInit(&base->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			skip = getKeyJsonValueFromContainer(&patch->root,
												v.val.string.val,
												v.val.string.len,
												NULL) != NULL;
			if (!skip)
				pushJsonbValue(&state, WJB_KEY, &v);
		}
		else if (tok == WJB_VALUE && !skip)
			pushJsonbValue(&state, WJB_VALUE, &v);
	}
	it = JsonbIteratorInit(&patch->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = v;
		else if (tok == WJB_VALUE && v.type != jbvNull)
		{
			pushJsonbValue(&state, WJB_KEY, &key);
			pushJsonbValue(&state, WJB_VALUE, &v);
		}
	}
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

/*
 * Store the row a write returns (RETURNING, triggers): the row as given,
 * with model_id as LiteLLM gave it, and litellm_params (the value sent, or
 * the row read with the change applied) masked; the columns that are keys
 * of litellm_params follow it.
 */
static void
store_result(LfdwModifyState *fm, TupleTableSlot *slot,
			 const char *model_id, Jsonb *params)
{
	LfdwFieldValue fields[LFDW_MODEL_NUM_FIELDS] = {
		[LFDW_MFIELD_ID] = {true, model_id, NULL},
	};
	AttrNumber	att;
	int			f;

	/* without a litellm_params column, the row as given is right already */
	if (fm->map.field_att[LFDW_MFIELD_PARAMS])
	{
		for (f = LFDW_MFIELD_LITELLM_MODEL; f <= LFDW_MFIELD_API_BASE; f++)
		{
			fields[f].set = true;
			fields[f].text = get_string_key(params, model_fields[f].param_key);
		}
		fields[LFDW_MFIELD_PARAMS].set = true;
		fields[LFDW_MFIELD_PARAMS].jsonb = lfdw_model_mask_params(fm->opts,
																  params);
	}
	/* api_base is shown as a read shows it, without its secret parts */
	if ((att = fm->map.field_att[LFDW_MFIELD_API_BASE]) != 0)
	{
		const char *url = fields[LFDW_MFIELD_API_BASE].set ?
		fields[LFDW_MFIELD_API_BASE].text :
		(slot->tts_isnull[att - 1] ? NULL :
		 TextDatumGetCString(slot->tts_values[att - 1]));

		fields[LFDW_MFIELD_API_BASE].set = true;
		fields[LFDW_MFIELD_API_BASE].text = url ? lfdw_model_shown_url(url) : NULL;
	}
	lfdw_store_result(fm, slot, fields);
}

/*
 * A new model id (a random UUID, as LiteLLM makes them), for a model
 * created at commit: the transaction must be able to name it before.
 */
static char *
new_model_id(void)
{
	return DatumGetCString(DirectFunctionCall1(uuid_out,
											   DirectFunctionCall1(gen_random_uuid,
																   (Datum) 0)));
}

/*
 * A credential a model is to use must exist: LiteLLM does not check on
 * create (nor, before its newest line, on update).  The transaction's own
 * changes count (write_mode 'commit').
 */
static void
check_credential_exists(const LfdwOptions *opts, const char *name,
						const char *model)
{
	Jsonb	   *info;
	Jsonb	   *values;
	bool		gone;
	bool		exists;

	if (lfdw_pending_known(opts, name, &info, &values, &gone))
		exists = true;
	else if (gone)
		exists = false;
	else
		exists = lfdw_remote_exists_in_statement(opts, name);
	if (!exists)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("credential_name of model \"%s\" names no credential of LiteLLM server \"%s\"",
						model ? model : "?", opts->server_name),
				 errdetail("There is no credential \"%s\"; LiteLLM would store the model with it all the same.",
						   name),
				 errhint("Create the credential first.")));
}

/*
 * A patch of litellm_params or model_info that removes keys (a JSON null,
 * from a key the new value lacks or a column set to NULL): LiteLLM drops
 * nulls (model_dump(exclude_none=True)) and never removes a key, so the key
 * would stay.  The one exception: its newest line detaches a credential on
 * a null litellm_credential_name.
 */
static void
refuse_removals(const LfdwOptions *opts, Jsonb *patch, const char *model,
				const char *column)
{
	List	   *nulls = lfdw_jsonb_null_keys(patch);
	ListCell   *cell;
	bool		detach = false;

	foreach(cell, nulls)
	{
		if (strcmp(column, "litellm_params") == 0 &&
			strcmp((char *) lfirst(cell), "litellm_credential_name") == 0)
		{
			detach = true;
			nulls = foreach_delete_current(nulls, cell);
		}
	}
	if (nulls != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot remove keys of %s of model \"%s\" with UPDATE",
						column, model),
				 errdetail("The UPDATE removes %s. LiteLLM's model update ignores null values and never removes a key, so the keys would stay.",
						   lfdw_key_list_text(opts, nulls)),
				 errhint("Delete the model and insert it again with the %s to keep.",
						 column)));
	if (detach && lfdw_release(opts)->line != LFDW_LINE_NEWEST)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot detach the credential of model \"%s\" with UPDATE", model),
				 errdetail("%s Only LiteLLM's newest release line detaches a credential on a null litellm_credential_name; older ones ignore it.",
						   lfdw_release_text(opts)),
				 errhint("Delete the model and insert it again without credential_name, or set credential_name to another credential.")));
}

/*
 * A PATCH of litellm_params makes LiteLLM write false into each boolean of
 * its update type that the patch does not set (defaults kept by
 * model_dump(exclude_none=True)): three on mid-2025 lines, five on the
 * newest (types/router.py, doc/litellm-api.md section 3.6).  The patch
 * carries the current value of each one the model has, so that it stays.
 */
static Jsonb *
keep_reset_booleans(Jsonb *patch, Jsonb *old_params)
{
	static const char *const reset[] = {
		"use_in_pass_through", "use_litellm_proxy",
		"merge_reasoning_content_in_choices",
		"allow_client_keepalive_override", "use_xai_oauth"
	};
	int			i;

	if (old_params == NULL)
		return patch;
	for (i = 0; i < lengthof(reset); i++)
	{
		JsonbValue *was = getKeyJsonValueFromContainer(&old_params->root,
													   reset[i], strlen(reset[i]),
													   NULL);

		if (was == NULL || was->type != jbvBool ||
			getKeyJsonValueFromContainer(&patch->root, reset[i],
										 strlen(reset[i]), NULL) != NULL)
			continue;
		patch = set_jsonb_key(patch, reset[i], was);
	}
	return patch;
}

/* A copy of obj with key set to a scalar value. */
static Jsonb *
set_jsonb_key(Jsonb *obj, const char *key, JsonbValue *value)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it = JsonbIteratorInit(&obj->root);
	JsonbValue	v;
	JsonbValue	k;
	JsonbValue	copy = *value;
	JsonbIteratorToken tok;
	bool		skip = false;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			skip = (v.val.string.len == (int) strlen(key) &&
					memcmp(v.val.string.val, key, v.val.string.len) == 0);
			if (!skip)
				pushJsonbValue(&state, WJB_KEY, &v);
		}
		else if (tok == WJB_VALUE && !skip)
			pushJsonbValue(&state, WJB_VALUE, &v);
	}
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(&state, WJB_KEY, &k);
	pushJsonbValue(&state, WJB_VALUE, &copy);
	return JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL));
}

/*
 * The descriptor: what litellm_fdw.c calls for a models table.  Models are
 * written one row at a time (no batch_size).
 */
const LfdwResource lfdw_model_resource = {
	.name = LFDW_RESOURCE_MODELS,
	.noun = "model",
	.nfields = LFDW_MODEL_NUM_FIELDS,
	.key_field = LFDW_MFIELD_ID,
	.key_column = "model_id",
	.key_detail = "UPDATE and DELETE identify models by model_id.",
	.column_map = lfdw_model_build_column_map,
	.rel_info_size = sizeof(LfdwModelRelInfo),
	.plan_read = model_plan_read,
	.row_cost = 6,
	.get_plan = model_get_plan,
	.scan_state_size = sizeof(LfdwModelScanState),
	.begin_scan = model_begin_scan,
	.iterate_scan = model_iterate_scan,
	.rescan = model_rescan,
	.check_modify = model_check_modify,
	.exec_insert = model_exec_insert,
	.exec_update = model_exec_update,
	.exec_delete = model_exec_delete,
	.explain_modify = model_explain_modify,
	.immediate_writes = &immediate_writes,
	.commit_writes = &commit_writes,
	.import_statement = model_import_statement,
};
