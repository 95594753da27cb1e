/*-------------------------------------------------------------------------
 *
 * credential.c
 *		  The credentials resource (table option resource 'credentials',
 *		  the default): planning, the scan, INSERT, UPDATE and DELETE of
 *		  LiteLLM credentials, as the LfdwResource lfdw_credential_resource.
 *
 * A scan makes one request, or one per name of an IN list (request.c says
 * which), checks the response once and hands out rows one at a time, each
 * converted from its own part of the response (response.c).  Every
 * condition is also checked locally.
 *
 * Row identity for UPDATE and DELETE is credential_name, fetched as a junk
 * column.  UPDATE also sees the old row (the planner adds a whole-row junk
 * column for foreign tables), so that it knows the current credential_info
 * to send and which value keys an assignment removes.  Only the columns
 * assigned in SET are changed.  Writes of write_mode 'immediate' go through
 * remote_write.c, those of write_mode 'commit' to pending.c.
 *
 * Rows returned from a write (RETURNING, triggers) carry credential_values
 * masked, built from what was sent: the secret never comes back out.
 *
 * Sections, in the same order as model.c: planning, scan, modify, the
 * writes of each write_mode, EXPLAIN, IMPORT, helpers, the descriptor.
 * Called by litellm_fdw.c only, through the descriptor; calls table.c, the
 * write layers (remote_write.c, pending.c), release.c, option.c,
 * statement.c, join.c, request.c, response.c, secret.c, convert.c and the
 * transport's call context (connection.c).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/credential.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "funcapi.h"
#include "litellm_fdw.h"
#include "model.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/appendinfo.h"
#include "optimizer/cost.h"
#include "optimizer/inherit.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "resource.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"

/* Slots of the fdw_private list of a ForeignScan. */
enum FdwScanPrivateIndex
{
	FdwScanPrivateKind = LFDW_SCAN_PRIVATE	/* LfdwScanKind, as an Integer */
};

/* Planner state of a foreign table, in baserel->fdw_private. */
typedef struct CredentialRelInfo
{
	LfdwRelInfo base;			/* must be first */
	LfdwScanKind kind;
	Expr	   *value;			/* the name, id or array the request uses */
	int			count;			/* names, when known at plan time */
} CredentialRelInfo;

/* Execution state of a scan. */
typedef struct CredentialScanState
{
	LfdwScanState base;			/* must be first */
	LfdwScanKind kind;
	List	   *pending_names;	/* names still to look up, by_name */
	char	   *model_id;		/* the id asked for, by_model */
	LfdwReadResult *result;		/* the response rows come from */
	bool		listed;			/* the list was read: add created rows */
	LfdwOverlay *overlay;		/* the transaction's pending changes */
} CredentialScanState;

/*
 * How the writes of a statement reach LiteLLM: sent row by row as the
 * executor hands them over (write_mode 'immediate', remote_write.c), or
 * recorded and sent when the transaction commits (write_mode 'commit',
 * pending.c).  lfdw_modify_writes (table.c) chose one of the two tables,
 * immediate_writes or commit_writes, when the modify began; nothing else
 * looks at write_mode.
 */
typedef struct CredentialWrites
{
	const char *explain;		/* LiteLLM Write Mode, as EXPLAIN shows it */
	bool		sent_in_batches;	/* batch_size is how many are sent at once */

	/* rows per ExecForeignBatchInsert (fm is NULL for EXPLAIN) */
	int			(*batch_size) (const LfdwOptions *opts, LfdwModifyState *fm);
	/* create; false: skipped by ON CONFLICT DO NOTHING */
	bool		(*insert) (LfdwModifyState *fm, const LfdwCredentialSpec *spec);
	/* check and create a batch of rows; returns the rows created */
	TupleTableSlot **(*insert_batch) (LfdwModifyState *fm,
									  TupleTableSlot **slots, int *numSlots);

	/*
	 * What the transaction's own writes say of a credential before LiteLLM is
	 * asked: its info and values (values NULL: not known), whether it exists
	 * only by them, and the info an earlier PATCH wrote.
	 */
	bool		(*known) (LfdwModifyState *fm, const char *name, Jsonb **info,
						  Jsonb **values);
	bool		(*created) (LfdwModifyState *fm, const char *name);
	Jsonb	   *(*written_info) (LfdwModifyState *fm, const char *name);

	/* PATCH or rename; raise the vanished error if LiteLLM has none */
	void		(*update) (LfdwModifyState *fm, const char *old_name,
						   const LfdwCredentialSpec *spec, bool rename,
						   bool values_set, List *old_keys, int updated);
	void		(*delete) (LfdwModifyState *fm, const char *name);
} CredentialWrites;

#define WRITES(fm)	((const CredentialWrites *) (fm)->writes)

/* An UPDATE of one row, as its parts work it out. */
typedef struct CredentialUpdate
{
	char	   *old_name;
	bool		have_old;		/* the old row was fetched */
	Datum	   *old_values;
	bool	   *old_nulls;
	int			updated;		/* fields SET, or a trigger, changes */
	bool		rename;
	bool		values_carried; /* values from this transaction's writes */
	LfdwCredentialSpec spec;	/* what is sent */
} CredentialUpdate;

#define ASSIGNED(u, f) (((u)->updated & (1 << (f))) != 0)

/* The callbacks of the descriptor (resource.h) */
static double credential_plan_read(PlannerInfo *root, RelOptInfo *baserel,
								   LfdwRelInfo *base);
static void credential_add_paths(PlannerInfo *root, RelOptInfo *baserel,
								 LfdwRelInfo *base);
static ForeignScan *credential_get_plan(PlannerInfo *root,
										RelOptInfo *baserel,
										Oid foreigntableid,
										ForeignPath *best_path,
										List *tlist, List *scan_clauses,
										Plan *outer_plan, char **explain,
										int *wanted);
static void credential_begin_scan(LfdwScanState *state, List *fdw_private);
static TupleTableSlot *credential_iterate_scan(ForeignScanState *node);
static void credential_rescan(LfdwScanState *state);
static void credential_check_modify(ModifyTable *plan, Relation rel,
									int updated);
static int	credential_batch_size(ResultRelInfo *rinfo);
static TupleTableSlot *credential_exec_insert(EState *estate,
											  ResultRelInfo *rinfo,
											  TupleTableSlot *slot,
											  TupleTableSlot *planSlot);
static TupleTableSlot **credential_exec_batch_insert(EState *estate,
													 ResultRelInfo *rinfo,
													 TupleTableSlot **slots,
													 TupleTableSlot **planSlots,
													 int *numSlots);
static TupleTableSlot *credential_exec_update(EState *estate,
											  ResultRelInfo *rinfo,
											  TupleTableSlot *slot,
											  TupleTableSlot *planSlot);
static TupleTableSlot *credential_exec_delete(EState *estate,
											  ResultRelInfo *rinfo,
											  TupleTableSlot *slot,
											  TupleTableSlot *planSlot);
static void credential_explain_modify(ModifyTableState *mtstate,
									  ResultRelInfo *rinfo, int updated,
									  ExplainState *es);
static char *credential_import_statement(const char *local_schema,
										 const char *server_name);

/* Helper functions */
static char *explain_request(CredentialRelInfo *info);
static char *value_text(Expr *expr);
static void start_scan(ForeignScanState *node, CredentialScanState *state);
static void fetch(CredentialScanState *state, const char *prefix,
				  const char *key);
static void store_row(CredentialScanState *state, TupleTableSlot *slot,
					  LfdwCredentialRow *row);
static void check_name(const char *name, const char *column);
static void check_values(Jsonb *values, const char *name);
static void store_result(LfdwModifyState *fm, TupleTableSlot *slot,
						 const LfdwCredentialSpec *spec, bool values_known);
static void build_insert_spec(LfdwModifyState *fm, TupleTableSlot *slot,
							  LfdwCredentialSpec *spec);
static void build_update_spec(LfdwModifyState *fm, TupleTableSlot *slot,
							  CredentialUpdate *u);
static void update_info(LfdwModifyState *fm, TupleTableSlot *slot,
						CredentialUpdate *u);
static void check_update(LfdwModifyState *fm, CredentialUpdate *u);

/*
 * credential_plan_read
 *		Choose the request from the conditions, and estimate the rows.
 */
static double
credential_plan_read(PlannerInfo *root, RelOptInfo *baserel,
					 LfdwRelInfo *base)
{
	CredentialRelInfo *info = (CredentialRelInfo *) base;
	LfdwOptions *opts = base->opts;
	double		rows;

	info->kind = lfdw_classify_quals(baserel, &base->map, &info->value,
									 &info->count);

	/* an IN list known to be too long is one list call */
	if (info->kind == LFDW_SCAN_BY_NAMES &&
		info->count > opts->point_lookup_limit)
	{
		info->kind = LFDW_SCAN_LIST;
		info->value = NULL;
	}

	switch (info->kind)
	{
		case LFDW_SCAN_BY_NAME:
		case LFDW_SCAN_BY_MODEL:
			base->requests = 1;
			base->fetched = 1;
			rows = 1;
			break;
		case LFDW_SCAN_BY_NAMES:
			rows = info->count >= 0 ? info->count :
				Min(opts->point_lookup_limit, opts->estimated_rows);
			base->requests = Max(rows, 1);
			base->fetched = rows;
			break;
		default:
			base->requests = 1;
			rows = lfdw_list_rows(root, baserel, base);
			break;
	}
	/* the lookups of an IN list are all made before the first row */
	base->startup_requests = base->requests;
	return rows;
}

/*
 * credential_add_paths
 *		For a list, the parameterized paths of joins on credential_name
 *		(join.c): a lookup per outer row.
 */
static void
credential_add_paths(PlannerInfo *root, RelOptInfo *baserel,
					 LfdwRelInfo *base)
{
	if (((CredentialRelInfo *) base)->kind == LFDW_SCAN_LIST)
		lfdw_add_param_name_paths(root, baserel,
								  base->map.field_att[LFDW_FIELD_NAME],
								  base->opts->request_cost);
}

/*
 * credential_get_plan
 *		Every condition stays a local filter; the request is in
 *		fdw_private, its value expression in fdw_exprs.
 */
static ForeignScan *
credential_get_plan(PlannerInfo *root, RelOptInfo *baserel,
					Oid foreigntableid, ForeignPath *best_path,
					List *tlist, List *scan_clauses, Plan *outer_plan,
					char **explain, int *wanted)
{
	CredentialRelInfo *info;
	List	   *fdw_exprs = NIL;

	info = (CredentialRelInfo *) baserel->fdw_private;

	/* a parameterized path: one by_name lookup per outer row (join.c) */
	if (best_path->path.param_info)
	{
		CredentialRelInfo *param = palloc(sizeof(CredentialRelInfo));

		*param = *info;
		param->kind = LFDW_SCAN_BY_NAME;
		param->value = lfdw_param_name_value(baserel, best_path,
											 info->base.map.field_att[LFDW_FIELD_NAME]);
		if (param->value == NULL)
			elog(ERROR, "litellm_fdw: no join clause for a parameterized path");
		info = param;
		*explain = pstrdup("GET /credentials/by_name/{name} for each outer row");
	}
	else
		*explain = explain_request(info);

	scan_clauses = extract_actual_clauses(scan_clauses, false);

	/* convert only the fields the query uses */
	*wanted = lfdw_wanted_fields(baserel, &info->base.map, LFDW_NUM_FIELDS);

	if (info->value)
		fdw_exprs = list_make1(info->value);

	return make_foreignscan(tlist, scan_clauses, baserel->relid, fdw_exprs,
							list_make1(makeInteger(info->kind)),
							NIL, NIL, outer_plan);
}

/*
 * The request as EXPLAIN shows it: constants are shown encoded, parameters
 * as $n.
 */
static char *
explain_request(CredentialRelInfo *info)
{
	switch (info->kind)
	{
		case LFDW_SCAN_BY_NAME:
			return psprintf("GET /credentials/by_name/%s",
							value_text(info->value));
		case LFDW_SCAN_BY_MODEL:
			return psprintf("GET /credentials/by_model/%s",
							value_text(info->value));
		case LFDW_SCAN_BY_NAMES:
			if (info->count >= 0)
				return psprintf("GET /credentials/by_name/{name} for each of %d names",
								info->count);
			return psprintf("GET /credentials/by_name/{name} for each name (GET /credentials beyond %d names)",
							info->base.opts->point_lookup_limit);
		default:
			return pstrdup("GET /credentials");
	}
}

static char *
value_text(Expr *expr)
{
	if (IsA(expr, Param))
		return psprintf("$%d", ((Param *) expr)->paramid);
	if (IsA(expr, Const))
	{
		Const	   *c = (Const *) expr;

		if (c->constisnull)
			return pstrdup("NULL");
		return lfdw_encode_path_segment(TextDatumGetCString(c->constvalue));
	}
	/* an expression evaluated when the scan starts */
	return psprintf("{%s}", deparse_expression((Node *) expr, NIL, false, false));
}

/*
 * credential_begin_scan
 *		The request is chosen and made with the first row.
 */
static void
credential_begin_scan(LfdwScanState *state, List *fdw_private)
{
	((CredentialScanState *) state)->kind =
		intVal(list_nth(fdw_private, FdwScanPrivateKind));
}

/*
 * credential_iterate_scan
 *		Return the next credential as a row, making requests as needed.
 */
static TupleTableSlot *
credential_iterate_scan(ForeignScanState *node)
{
	CredentialScanState *state = (CredentialScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	LfdwCredentialRow row;

	ExecClearTuple(slot);
	if (!state->base.started)
		start_scan(node, state);

	for (;;)
	{
		bool		got;

		CHECK_FOR_INTERRUPTS();
		/* conversion errors name the request the rows came from */
		if (state->base.call_valid)
		{
			state->base.call.errcb.previous = error_context_stack;
			error_context_stack = &state->base.call.errcb;
		}
		got = lfdw_read_next(state->result, state->base.opts, state->base.wanted, &row);
		if (state->base.call_valid)
			error_context_stack = state->base.call.errcb.previous;

		if (got)
		{
			if (state->kind == LFDW_SCAN_BY_MODEL)
				row.model_id = state->model_id;
			/* what this transaction changed, it sees changed */
			else if (state->overlay &&
					 !lfdw_overlay_row(state->overlay, &row, state->base.wanted))
				continue;
			store_row(state, slot, &row);
			return slot;
		}

		if (state->pending_names != NIL)
		{
			/* next name of an IN list */
			char	   *name = linitial(state->pending_names);

			state->pending_names = list_delete_first(state->pending_names);
			if (state->overlay)
			{
				switch (lfdw_overlay_name(state->overlay, name, &row,
										  state->base.wanted))
				{
					case LFDW_PENDING_GONE:
						continue;
					case LFDW_PENDING_LOCAL:
						store_row(state, slot, &row);
						return slot;
					case LFDW_PENDING_NONE:
						break;
				}
			}
			fetch(state, "/credentials/by_name/", name);
			continue;
		}

		/* after a list: the credentials this transaction created */
		if (state->overlay && state->listed &&
			lfdw_overlay_next_extra(state->overlay, &row, state->base.wanted))
		{
			store_row(state, slot, &row);
			return slot;
		}
		return slot;
	}
}

/*
 * Work out, from the values of the parameters, which requests to make, and
 * make the first.  The names to look up live in scan_cxt, each response in
 * batch_cxt, which is reset for the next one.
 */
static void
start_scan(ForeignScanState *node, CredentialScanState *state)
{
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	MemoryContext oldcxt;
	Datum		value = (Datum) 0;
	bool		isnull = true;

	state->base.started = true;
	state->result = NULL;
	state->base.call_valid = false;
	state->pending_names = NIL;
	state->model_id = NULL;
	state->listed = false;
	MemoryContextReset(state->base.batch_cxt);
	MemoryContextReset(state->base.scan_cxt);

	if (state->base.value_state)
		value = ExecEvalExpr(state->base.value_state, econtext, &isnull);

	oldcxt = MemoryContextSwitchTo(state->base.scan_cxt);
	state->overlay = lfdw_overlay_begin(state->base.opts, state->base.cid);
	switch (state->kind)
	{
		case LFDW_SCAN_LIST:
			fetch(state, "/credentials", NULL);
			break;
		case LFDW_SCAN_BY_NAME:
			/* = NULL matches nothing, and no credential has an empty name */
			if (!isnull && VARSIZE_ANY_EXHDR(DatumGetPointer(value)) > 0)
				state->pending_names = list_make1(TextDatumGetCString(value));
			break;
		case LFDW_SCAN_BY_NAMES:
			{
				List	   *names;
				int			n = lfdw_distinct_names(value, isnull, &names);

				if (n > state->base.opts->point_lookup_limit)
					fetch(state, "/credentials", NULL);
				else
				{
					ListCell   *cell;
					List	   *paths = NIL;

					foreach(cell, names)
					{
						char	   *name = (char *) lfirst(cell);
						LfdwCredentialRow row;

						if (name[0] == '\0')
							continue;
						state->pending_names = lappend(state->pending_names,
													   name);
						/* what the transaction made or deleted needs no GET */
						if (state->overlay == NULL ||
							lfdw_overlay_name(state->overlay, name, &row,
											  state->base.wanted) == LFDW_PENDING_NONE)
							paths = lappend(paths,
											lfdw_credential_path("/credentials/by_name/",
																 name));
					}
					/* all sent at once; still read one by one, in order */
					lfdw_statement_prefetch(state->base.opts, paths);
				}
				break;
			}
		case LFDW_SCAN_BY_MODEL:
			if (!isnull && VARSIZE_ANY_EXHDR(DatumGetPointer(value)) > 0)
			{
				state->model_id = TextDatumGetCString(value);
				fetch(state, "/credentials/by_model/", state->model_id);
			}
			break;
	}
	MemoryContextSwitchTo(oldcxt);
}

/*
 * GET the list (key NULL) or prefix + key, into the batch context, which is
 * reset first: the previous response is done with.  key must not live in
 * the batch context.
 */
static void
fetch(CredentialScanState *state, const char *prefix, const char *key)
{
	MemoryContext oldcxt;
	LfdwHttpResponse *resp;
	char	   *path;

	MemoryContextReset(state->base.batch_cxt);
	oldcxt = MemoryContextSwitchTo(state->base.batch_cxt);
	path = key ? lfdw_credential_path(prefix, key) : pstrdup(prefix);
	lfdw_call_begin(&state->base.call, state->base.opts, "GET", path, key);

	/*
	 * A response already received in this statement is used again.  The rows
	 * of a list are read from its body, which must stay while this scan reads
	 * it: until batch_cxt is reset.
	 */
	resp = lfdw_statement_get(&state->base.call, key ? NULL : state->base.batch_cxt);
	if (key)
		state->result = lfdw_read_item(&state->base.call, resp);
	else
	{
		state->result = lfdw_read_list(&state->base.call, resp);
		state->listed = true;
		lfdw_stats_note_rows(state->base.opts->serverid, LFDW_RESOURCE_CREDENTIALS,
							 lfdw_read_result_count(state->result));
	}
	/* rows are read from the body itself: it lives until the next fetch */
	lfdw_call_end(&state->base.call);
	state->base.call_valid = true;
	MemoryContextSwitchTo(oldcxt);
}

/*
 * Put a credential into the scan slot (values in per-tuple memory).
 */
static void
store_row(CredentialScanState *state, TupleTableSlot *slot, LfdwCredentialRow *row)
{
	LfdwFieldValue fields[LFDW_NUM_FIELDS] = {
		[LFDW_FIELD_NAME] = {true, row->name, NULL},
		[LFDW_FIELD_INFO] = {true, NULL, row->info},
		/* unknown when made from a model in this transaction */
		[LFDW_FIELD_VALUES] = {true, NULL, row->values},
		[LFDW_FIELD_MODEL_ID] = {true, row->model_id, NULL},
	};

	lfdw_store_fields(slot, &state->base.map, LFDW_NUM_FIELDS, state->base.wanted,
					  fields);
}

/*
 * credential_rescan
 *		Start over; parameters may have changed.
 */
static void
credential_rescan(LfdwScanState *scan)
{
	CredentialScanState *state = (CredentialScanState *) scan;

	state->result = NULL;
	state->pending_names = NIL;
	state->model_id = NULL;
	state->overlay = NULL;
	state->listed = false;
}

/*
 * credential_check_modify
 *		Refuse what can never work, before any request is made.
 */
static void
credential_check_modify(ModifyTable *plan, Relation rel, int updated)
{
	/* DO NOTHING skips the names LiteLLM has; nothing else can work */
	if (plan->onConflictAction == ONCONFLICT_UPDATE ||
		(plan->onConflictAction == ONCONFLICT_NOTHING &&
		 plan->arbiterIndexes != NIL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("only ON CONFLICT DO NOTHING without a conflict target is supported on foreign table \"%s\"",
						RelationGetRelationName(rel)),
				 errhint("Write INSERT ... ON CONFLICT DO NOTHING to skip credentials that exist already.")));

	if ((updated & (1 << LFDW_FIELD_MODEL_ID)) &&
		!(updated & (1 << LFDW_FIELD_NAME)))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot change model_id of an existing credential"),
				 errdetail("LiteLLM copies the values of a model into a credential only when the credential is created."),
				 errhint("Assign a new credential_name in the same UPDATE to create the credential anew from the model.")));
}

/*
 * credential_exec_insert
 *		Check the row, then create the credential.
 */
static TupleTableSlot *
credential_exec_insert(EState *estate, ResultRelInfo *rinfo,
					   TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	LfdwCredentialSpec spec;
	bool		inserted;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);
	build_insert_spec(fm, slot, &spec);
	inserted = WRITES(fm)->insert(fm, &spec);
	if (inserted)
		store_result(fm, slot, &spec, spec.values != NULL);
	MemoryContextSwitchTo(oldcxt);
	return inserted ? slot : NULL;
}

/*
 * The credential a row of an INSERT asks for, after every check that needs
 * no request.
 */
static void
build_insert_spec(LfdwModifyState *fm, TupleTableSlot *slot,
				  LfdwCredentialSpec *spec)
{
	slot_getallattrs(slot);
	memset(spec, 0, sizeof(LfdwCredentialSpec));
	spec->name = lfdw_row_text(&fm->map, LFDW_FIELD_NAME, slot->tts_values,
							   slot->tts_isnull);
	check_name(spec->name, "credential_name");
	spec->info = lfdw_row_jsonb(&fm->map, LFDW_FIELD_INFO, slot->tts_values,
								slot->tts_isnull);
	if (spec->info == NULL)
		spec->info = lfdw_empty_object();
	lfdw_check_json_object(spec->info, "credential_info", spec->name);
	spec->values = lfdw_row_jsonb(&fm->map, LFDW_FIELD_VALUES,
								  slot->tts_values, slot->tts_isnull);
	check_values(spec->values, spec->name);
	lfdw_release_check_create(fm->opts, spec->name);
	if (spec->values)
		spec->values = lfdw_release_plan_insert_values(fm->opts, spec->name,
													   spec->values);
	spec->model_id = lfdw_row_text(&fm->map, LFDW_FIELD_MODEL_ID,
								   slot->tts_values, slot->tts_isnull);
	if (spec->model_id)
		check_name(spec->model_id, "model_id");
	if (lfdw_jsonb_is_empty_object(spec->values) && spec->model_id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("credential \"%s\" needs credential_values or a model_id",
						spec->name),
				 errdetail("LiteLLM requires a non-empty credential_values object, or the id of a model to copy the values from.")));
}

/*
 * credential_batch_size
 *		Rows come one at a time when they must come back one at a time
 *		(RETURNING, row triggers); otherwise the write mode says.
 */
static int
credential_batch_size(ResultRelInfo *rinfo)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	Relation	rel = rinfo->ri_RelationDesc;
	const LfdwOptions *opts;

	/* EXPLAIN without ANALYZE began no modify state */
	opts = fm ? fm->opts :
		lfdw_get_options(GetForeignTable(RelationGetRelid(rel))->serverid,
						 RelationGetRelid(rel), InvalidOid, false);
	if (rinfo->ri_projectReturning != NULL ||
		(rinfo->ri_TrigDesc &&
		 (rinfo->ri_TrigDesc->trig_insert_before_row ||
		  rinfo->ri_TrigDesc->trig_insert_after_row)))
		return 1;
	return ((const CredentialWrites *)
			lfdw_modify_writes(&lfdw_credential_resource, opts))->batch_size(opts, fm);
}

/*
 * credential_exec_batch_insert
 *		Check every row of the batch, then create them together.
 */
static TupleTableSlot **
credential_exec_batch_insert(EState *estate, ResultRelInfo *rinfo,
							 TupleTableSlot **slots,
							 TupleTableSlot **planSlots, int *numSlots)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	TupleTableSlot **inserted;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);
	inserted = WRITES(fm)->insert_batch(fm, slots, numSlots);
	MemoryContextSwitchTo(oldcxt);
	return inserted;
}

/*
 * credential_exec_update
 *		PATCH the credential, or rename it (create, then delete).
 */
static TupleTableSlot *
credential_exec_update(EState *estate, ResultRelInfo *rinfo,
					   TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	CredentialUpdate u;
	List	   *old_keys = NIL;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);

	memset(&u, 0, sizeof(u));
	u.old_name = lfdw_row_key(fm, planSlot);
	u.have_old = lfdw_old_row(fm, planSlot, &u.old_values, &u.old_nulls);
	slot_getallattrs(slot);
	u.updated = fm->updated;
	/* a BEFORE ROW trigger may have changed fields that SET did not */
	if (fm->before_row_trigger && u.have_old)
		u.updated |= lfdw_changed_fields(fm, slot, u.old_values, u.old_nulls);

	build_update_spec(fm, slot, &u);
	update_info(fm, slot, &u);
	check_update(fm, &u);

	/* the keys an assignment removes, for a commit that folds writes */
	if (u.have_old && ASSIGNED(&u, LFDW_FIELD_VALUES))
	{
		Jsonb	   *before = lfdw_row_jsonb(&fm->map, LFDW_FIELD_VALUES,
											u.old_values, u.old_nulls);

		if (before)
			old_keys = lfdw_jsonb_object_keys(before);
	}
	WRITES(fm)->update(fm, u.old_name, &u.spec, u.rename,
					   ASSIGNED(&u, LFDW_FIELD_VALUES) || u.values_carried,
					   old_keys, u.updated);

	/* a rename from a model has the values of that model: unknown here */
	store_result(fm, slot, &u.spec,
				 ASSIGNED(&u, LFDW_FIELD_VALUES) || u.values_carried ||
				 (u.rename && u.spec.model_id));
	MemoryContextSwitchTo(oldcxt);
	return slot;
}

/*
 * The name, values and model_id an UPDATE sends, checked: a rename creates
 * the new name and deletes the old one, so it needs the values (assigned,
 * from a model, or known to this transaction).
 */
static void
build_update_spec(LfdwModifyState *fm, TupleTableSlot *slot,
				  CredentialUpdate *u)
{
	LfdwCredentialSpec *spec = &u->spec;
	Jsonb	   *known_info;
	Jsonb	   *known_values;

	spec->name = u->old_name;
	if (ASSIGNED(u, LFDW_FIELD_NAME))
	{
		spec->name = lfdw_row_text(&fm->map, LFDW_FIELD_NAME,
								   slot->tts_values, slot->tts_isnull);
		check_name(spec->name, "credential_name");
		u->rename = strcmp(spec->name, u->old_name) != 0;
		if (u->rename)
		{
			lfdw_release_check_create(fm->opts, spec->name);
			lfdw_release_check_delete(fm->opts, u->old_name);
		}
	}
	if (ASSIGNED(u, LFDW_FIELD_VALUES))
	{
		spec->values = lfdw_row_jsonb(&fm->map, LFDW_FIELD_VALUES,
									  slot->tts_values, slot->tts_isnull);
		if (spec->values == NULL)
			spec->values = lfdw_empty_object();

		/*
		 * A key whose value is still exactly the mask the row was read with
		 * (credential_values || '{"api_key": "sk-new"}') keeps what LiteLLM
		 * has: it is neither sent nor removed.  Not for a rename, which sends
		 * every value anew: the placeholder guard refuses it there.
		 */
		if (!u->rename && u->have_old)
		{
			spec->values_kept =
				lfdw_jsonb_unchanged_masks(lfdw_row_jsonb(&fm->map,
														  LFDW_FIELD_VALUES,
														  u->old_values,
														  u->old_nulls),
										   spec->values);
			spec->values = lfdw_jsonb_without_keys(spec->values,
												   spec->values_kept);
		}
		check_values(spec->values, u->old_name);
	}
	if (ASSIGNED(u, LFDW_FIELD_MODEL_ID))
	{
		spec->model_id = lfdw_row_text(&fm->map, LFDW_FIELD_MODEL_ID,
									   slot->tts_values, slot->tts_isnull);
		if (spec->model_id)
			check_name(spec->model_id, "model_id");
		if (!u->rename)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot change model_id of an existing credential"),
					 errdetail("LiteLLM copies the values of a model into a credential only when the credential is created."),
					 errhint("Assign a new credential_name in the same UPDATE to create the credential anew from the model.")));
	}
	/* a credential this transaction made: its values are known here */
	if (u->rename && !ASSIGNED(u, LFDW_FIELD_VALUES) &&
		spec->model_id == NULL &&
		WRITES(fm)->known(fm, u->old_name, &known_info, &known_values) &&
		known_values)
	{
		spec->values = known_values;
		u->values_carried = true;
	}
	if (u->rename && lfdw_jsonb_is_empty_object(spec->values) &&
		spec->model_id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot rename credential \"%s\" without its credential_values",
						u->old_name),
				 errdetail("A rename creates a new credential and deletes the old one, and LiteLLM never returns stored secret values."),
				 errhint("Set credential_values (or model_id) in the same UPDATE as credential_name.")));
}

/*
 * The credential_info an UPDATE sends: the new value.  A PATCH that leaves
 * it sends {}, which every release ignores (a read may be stale: older
 * releases serve the old info until they reload); a rename sends the
 * current one, from the old row, this transaction's writes, or a read.
 */
static void
update_info(LfdwModifyState *fm, TupleTableSlot *slot, CredentialUpdate *u)
{
	LfdwCredentialSpec *spec = &u->spec;
	Jsonb	   *known_values;
	Jsonb	   *written;
	bool		found;

	if (ASSIGNED(u, LFDW_FIELD_INFO))
		spec->info = lfdw_row_jsonb(&fm->map, LFDW_FIELD_INFO,
									slot->tts_values, slot->tts_isnull);
	else if (fm->map.field_att[LFDW_FIELD_INFO] && u->have_old)
	{
		spec->keep_info = !u->rename;
		spec->info = lfdw_row_jsonb(&fm->map, LFDW_FIELD_INFO, u->old_values,
									u->old_nulls);
	}
	else if (!u->rename)
		spec->keep_info = true;
	else if (!WRITES(fm)->known(fm, u->old_name, &spec->info, &known_values))
	{
		spec->info = lfdw_remote_fetch_info(fm->opts, u->old_name, &found);
		if (!found)
			lfdw_vanished_error(fm->opts, "credential", u->old_name, NULL);
	}

	/*
	 * What an immediate PATCH of this transaction wrote wins over what a read
	 * returned: older LiteLLM serves the old info until it reloads.
	 */
	if (!ASSIGNED(u, LFDW_FIELD_INFO) &&
		(written = WRITES(fm)->written_info(fm, u->old_name)) != NULL)
		spec->info = written;
	if (spec->info == NULL)
		spec->info = lfdw_empty_object();
	lfdw_check_json_object(spec->info, "credential_info", spec->name);
}

/*
 * A PATCH: what the release can do with the keys that go (release.c),
 * refused before anything is sent when it would not do what SQL asks.  A
 * rename sends the whole credential anew instead, and so does the commit
 * for a credential this transaction created (what goes is simply not
 * sent): only null values matter there.
 */
static void
check_update(LfdwModifyState *fm, CredentialUpdate *u)
{
	LfdwCredentialSpec *spec = &u->spec;
	bool		created = WRITES(fm)->created(fm, u->old_name);
	bool		found;
	Jsonb	   *before;

	if ((u->rename || created) && ASSIGNED(u, LFDW_FIELD_VALUES))
		spec->values = lfdw_release_plan_insert_values(fm->opts, spec->name,
													   spec->values);
	if (u->rename || created)
		return;
	if (ASSIGNED(u, LFDW_FIELD_VALUES))
	{
		if (u->have_old)
			before = lfdw_row_jsonb(&fm->map, LFDW_FIELD_VALUES,
									u->old_values, u->old_nulls);
		else
			before = lfdw_remote_fetch_values(fm->opts, u->old_name, &found);
		lfdw_release_plan_values(fm->opts, u->old_name, before, spec);
	}
	if (ASSIGNED(u, LFDW_FIELD_INFO))
	{
		if (u->have_old)
			before = lfdw_row_jsonb(&fm->map, LFDW_FIELD_INFO, u->old_values,
									u->old_nulls);
		else
			before = lfdw_remote_fetch_info(fm->opts, u->old_name, &found);
		lfdw_release_check_info(fm->opts, u->old_name, before, spec->info);
	}
}

/*
 * credential_exec_delete
 *		DELETE the credential; a credential already gone is not counted.
 */
static TupleTableSlot *
credential_exec_delete(EState *estate, ResultRelInfo *rinfo,
					   TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	LfdwModifyState *fm = (LfdwModifyState *) rinfo->ri_FdwState;
	MemoryContext oldcxt;
	char	   *name;

	MemoryContextReset(fm->temp_cxt);
	oldcxt = MemoryContextSwitchTo(fm->temp_cxt);

	name = lfdw_row_key(fm, planSlot);
	lfdw_release_check_delete(fm->opts, name);
	WRITES(fm)->delete(fm, name);

	lfdw_store_old_row(fm, slot, planSlot);
	MemoryContextSwitchTo(oldcxt);
	return slot;
}

/*
 * The writes of write_mode 'immediate': each row is sent as it comes
 * (remote_write.c), a batch of rows concurrently.
 */
static int
immediate_batch_size(const LfdwOptions *opts, LfdwModifyState *fm)
{
	/* rows of ON CONFLICT DO NOTHING are looked up one by one first */
	return (fm && fm->skip_existing) ? 1 : opts->batch_size;
}

static bool
immediate_insert(LfdwModifyState *fm, const LfdwCredentialSpec *spec)
{
	if (fm->skip_existing)
		return !lfdw_probe_exists(fm->opts, &fm->probe, spec->name) &&
			lfdw_remote_create_if_absent(fm->opts, spec);
	lfdw_remote_create(fm->opts, spec);
	return true;
}

static TupleTableSlot **
immediate_insert_batch(LfdwModifyState *fm, TupleTableSlot **slots,
					   int *numSlots)
{
	LfdwCredentialSpec *specs = palloc(sizeof(LfdwCredentialSpec) * *numSlots);
	int			i;
	int			j;

	for (i = 0; i < *numSlots; i++)
	{
		build_insert_spec(fm, slots[i], &specs[i]);
		/* a name twice in one batch would be sent twice at once */
		for (j = 0; j < i; j++)
			if (strcmp(specs[j].name, specs[i].name) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("credential \"%s\" is inserted twice by the same statement",
								specs[i].name)));
	}
	lfdw_remote_create_many(fm->opts, specs, *numSlots);
	return slots;
}

static bool
immediate_known(LfdwModifyState *fm, const char *name, Jsonb **info,
				Jsonb **values)
{
	return false;				/* nothing is held back */
}

static bool
immediate_created(LfdwModifyState *fm, const char *name)
{
	return false;
}

static Jsonb *
immediate_written_info(LfdwModifyState *fm, const char *name)
{
	return lfdw_remote_written_info(fm->opts, name);
}

static void
immediate_update(LfdwModifyState *fm, const char *old_name,
				 const LfdwCredentialSpec *spec, bool rename, bool values_set,
				 List *old_keys, int updated)
{
	if (!rename)
	{
		if (!lfdw_remote_patch(fm->opts, old_name, spec))
			lfdw_vanished_error(fm->opts, "credential", old_name, NULL);
	}
	else if (!lfdw_remote_rename(fm->opts, old_name, spec))
		lfdw_vanished_error(fm->opts, "credential", old_name,
							psprintf("The statement read it, and LiteLLM answered that it has none of that name; \"%s\" was deleted again, nothing changed.",
									 spec->name));
}

static void
immediate_delete(LfdwModifyState *fm, const char *name)
{
	/*
	 * Where a DELETE succeeds for any name, the name is looked up first, by a
	 * PATCH that changes nothing (lfdw_remote_probe): itself a write.
	 */
	if (lfdw_release_delete_unreliable(fm->opts) &&
		!lfdw_remote_probe(fm->opts, name))
		lfdw_vanished_error(fm->opts, "credential", name, NULL);
	if (!lfdw_remote_delete(fm->opts, name))
		lfdw_vanished_error(fm->opts, "credential", name, NULL);
}

static const CredentialWrites immediate_writes = {
	.explain = "immediate (sent per row)",
	.sent_in_batches = true,
	.batch_size = immediate_batch_size,
	.insert = immediate_insert,
	.insert_batch = immediate_insert_batch,
	.known = immediate_known,
	.created = immediate_created,
	.written_info = immediate_written_info,
	.update = immediate_update,
	.delete = immediate_delete,
};

/*
 * The writes of write_mode 'commit': recorded in pending.c and sent when
 * the transaction commits.  Within BEGIN ... COMMIT a duplicate is caught
 * now, by a read; a lone statement commits at once, and its POST says so
 * as before.
 */
static int
commit_batch_size(const LfdwOptions *opts, LfdwModifyState *fm)
{
	/*
	 * Nothing is sent now, but the rows of a batch have their duplicate
	 * checks read together (one round trip) when there are checks to make:
	 * inside BEGIN ... COMMIT, or with ON CONFLICT DO NOTHING.
	 */
	if (fm && (IsTransactionBlock() || fm->skip_existing))
		return opts->batch_size;
	return 1;
}

static bool
commit_insert(LfdwModifyState *fm, const LfdwCredentialSpec *spec)
{
	return lfdw_pending_insert(fm->opts,
							   (IsTransactionBlock() || fm->skip_existing) ?
							   &fm->probe : NULL,
							   spec, fm->skip_existing, 0,
							   GetCurrentCommandId(true));
}

static TupleTableSlot **
commit_insert_batch(LfdwModifyState *fm, TupleTableSlot **slots,
					int *numSlots)
{
	LfdwCredentialSpec *specs = palloc(sizeof(LfdwCredentialSpec) * *numSlots);
	const char **names = palloc(sizeof(char *) * *numSlots);

	/* the executor's own array holds its slots for the next batch */
	TupleTableSlot **inserted = palloc(sizeof(TupleTableSlot *) * *numSlots);
	int			kept = 0;
	int			i;

	for (i = 0; i < *numSlots; i++)
	{
		build_insert_spec(fm, slots[i], &specs[i]);
		names[i] = specs[i].name;
	}
	/* the checks of the whole batch are read at once */
	lfdw_probe_prefetch(fm->opts, &fm->probe, names, *numSlots);
	for (i = 0; i < *numSlots; i++)
	{
		if (!lfdw_pending_insert(fm->opts, &fm->probe, &specs[i],
								 fm->skip_existing, 0,
								 GetCurrentCommandId(true)))
			continue;			/* ON CONFLICT DO NOTHING */
		store_result(fm, slots[i], &specs[i], specs[i].values != NULL);
		inserted[kept++] = slots[i];
	}
	*numSlots = kept;
	return inserted;
}

static bool
commit_known(LfdwModifyState *fm, const char *name, Jsonb **info,
			 Jsonb **values)
{
	bool		gone;

	return lfdw_pending_known(fm->opts, name, info, values, &gone);
}

static bool
commit_created(LfdwModifyState *fm, const char *name)
{
	return lfdw_pending_created(fm->opts, name);
}

static Jsonb *
commit_written_info(LfdwModifyState *fm, const char *name)
{
	return NULL;				/* nothing was sent */
}

static void
commit_update(LfdwModifyState *fm, const char *old_name,
			  const LfdwCredentialSpec *spec, bool rename, bool values_set,
			  List *old_keys, int updated)
{
	lfdw_pending_update(fm->opts, IsTransactionBlock() ? &fm->probe : NULL,
						old_name, spec, values_set, old_keys, updated,
						GetCurrentCommandId(true));
}

static void
commit_delete(LfdwModifyState *fm, const char *name)
{
	/*
	 * Where a DELETE succeeds for any name, the look-up that tells a name
	 * gone is a PATCH that changes nothing (lfdw_remote_probe): a write, so
	 * it is not sent now but at COMMIT, before anything else
	 * (lfdw_pending_checks).
	 */
	lfdw_pending_delete(fm->opts, name,
						!lfdw_pending_created(fm->opts, name) &&
						lfdw_release_delete_unreliable(fm->opts),
						GetCurrentCommandId(true));
}

static const CredentialWrites commit_writes = {
	.explain = "commit (sent when the transaction commits)",
	.sent_in_batches = false,
	.batch_size = commit_batch_size,
	.insert = commit_insert,
	.insert_batch = commit_insert_batch,
	.known = commit_known,
	.created = commit_created,
	.written_info = commit_written_info,
	.update = commit_update,
	.delete = commit_delete,
};

/*
 * credential_explain_modify
 *		Show the request each row becomes.
 */
static void
credential_explain_modify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
						  int updated, ExplainState *es)
{
	const char *request;
	Relation	rel = rinfo->ri_RelationDesc;
	LfdwOptions *opts;
	const CredentialWrites *writes;

	opts = lfdw_get_options(GetForeignTable(RelationGetRelid(rel))->serverid,
							RelationGetRelid(rel), InvalidOid, false);
	writes = lfdw_modify_writes(&lfdw_credential_resource, opts);
	switch (mtstate->operation)
	{
		case CMD_INSERT:
			request = "POST /credentials";
			break;
		case CMD_UPDATE:
			request = (updated & (1 << LFDW_FIELD_NAME)) ?
				"PATCH /credentials/{name}, or POST /credentials then DELETE /credentials/{name} for a rename" :
				"PATCH /credentials/{name}";
			break;
		case CMD_DELETE:
			request = "DELETE /credentials/{name}";
			break;
		default:
			request = "?";
			break;
	}
	ExplainPropertyText("LiteLLM Request", request, es);
	ExplainPropertyText("LiteLLM Write Mode", writes->explain, es);
	if (lfdw_batch_size(rinfo) > 1 && writes->sent_in_batches)
		ExplainPropertyInteger("LiteLLM Batch Size", NULL, lfdw_batch_size(rinfo),
							   es);
}

/*
 * credential_import_statement
 *		The table IMPORT FOREIGN SCHEMA creates: litellm_credential.
 */
static char *
credential_import_statement(const char *local_schema, const char *server_name)
{
	return psprintf("CREATE FOREIGN TABLE %s.litellm_credential ("
					"credential_name text NOT NULL, "
					"credential_info jsonb, "
					"credential_values jsonb, "
					"model_id text) SERVER %s "
					"OPTIONS (resource 'credentials')",
					quote_identifier(local_schema),
					quote_identifier(server_name));
}

/* A name or id must be present and non-empty. */
static void
check_name(const char *name, const char *column)
{
	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("%s must not be null", column)));
	if (name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", column)));
}

/* credential_values, when given, is an object and holds no mask. */
static void
check_values(Jsonb *values, const char *name)
{
	if (values == NULL)
		return;
	lfdw_check_json_object(values, "credential_values", name);
	lfdw_refuse_placeholder(values, "credential_values", "credential", name,
							"credential_values is write-only: write the real secret values, not values read back from the table.");
}

/*
 * Store the row a write returns (for RETURNING and triggers) into slot,
 * built from what was sent: the name and credential_info sent, and
 * credential_values masked.  When values_known, the keys shown are those
 * of spec->values (NULL: unknown, shown as NULL); otherwise the row's own
 * (already masked) value stays.
 */
static void
store_result(LfdwModifyState *fm, TupleTableSlot *slot,
			 const LfdwCredentialSpec *spec, bool values_known)
{
	LfdwFieldValue fields[LFDW_NUM_FIELDS] = {
		[LFDW_FIELD_NAME] = {true, spec->name, NULL},
		[LFDW_FIELD_INFO] = {true, NULL, spec->info},
	};
	AttrNumber	att = fm->map.field_att[LFDW_FIELD_VALUES];

	if (att != 0)
	{
		Jsonb	   *shown;
		Jsonb	   *kept = NULL;

		if (values_known)
		{
			shown = spec->values;
			/* the keys kept show the masks they were read (and assigned) with */
			if (spec->values_kept != NIL && !slot->tts_isnull[att - 1])
				kept = lfdw_jsonb_only_keys(lfdw_row_jsonb(&fm->map,
														   LFDW_FIELD_VALUES,
														   slot->tts_values,
														   slot->tts_isnull),
											spec->values_kept);
		}
		else
			shown = slot->tts_isnull[att - 1] ? NULL :
				lfdw_row_jsonb(&fm->map, LFDW_FIELD_VALUES, slot->tts_values,
							   slot->tts_isnull);
		fields[LFDW_FIELD_VALUES].set = true;
		if (shown)
			fields[LFDW_FIELD_VALUES].jsonb =
				lfdw_jsonb_concat(kept, lfdw_mask_values(fm->opts, shown));
	}
	lfdw_store_result(fm, slot, fields);
}

/*
 * The descriptor: what litellm_fdw.c calls for a credentials table.
 */
const LfdwResource lfdw_credential_resource = {
	.name = LFDW_RESOURCE_CREDENTIALS,
	.noun = "credential",
	.nfields = LFDW_NUM_FIELDS,
	.key_field = LFDW_FIELD_NAME,
	.key_column = "credential_name",
	.key_detail = "UPDATE and DELETE identify credentials by name.",
	.column_map = lfdw_build_column_map,
	.rel_info_size = sizeof(CredentialRelInfo),
	.plan_read = credential_plan_read,
	.add_paths = credential_add_paths,
	.row_cost = 4,
	.get_plan = credential_get_plan,
	.scan_state_size = sizeof(CredentialScanState),
	.begin_scan = credential_begin_scan,
	.iterate_scan = credential_iterate_scan,
	.rescan = credential_rescan,
	.check_modify = credential_check_modify,
	.batch_size = credential_batch_size,
	.exec_insert = credential_exec_insert,
	.exec_batch_insert = credential_exec_batch_insert,
	.exec_update = credential_exec_update,
	.exec_delete = credential_exec_delete,
	.explain_modify = credential_explain_modify,
	.immediate_writes = &immediate_writes,
	.commit_writes = &commit_writes,
	.import_statement = credential_import_statement,
};
