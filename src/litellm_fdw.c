/*-------------------------------------------------------------------------
 *
 * litellm_fdw.c
 *		  Foreign-data wrapper for the credentials and models of a LiteLLM
 *		  proxy: the handler and the generic FdwRoutine callbacks.
 *
 * Each foreign table maps one resource (resource.h): credentials
 * (credential.c), models (model.c) or spend logs (spend_log.c, read-only),
 * chosen by its table option resource.
 * The callbacks here choose it once, when the table is planned (or when a
 * COPY or a routed INSERT begins without a plan), put its name first in
 * every fdw_private list and its descriptor first in every state, and from
 * then on hand each call to the descriptor without testing the table again.
 * IMPORT FOREIGN SCHEMA asks every resource for its table.  _PG_init
 * defines the GUCs and sets up the transport and the transaction callbacks
 * (commit.c).
 *
 * Calls the resources (credential.c, model.c, spend_log.c), table.c, option.c,
 * connection.c and commit.c; nothing below calls back here.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/litellm_fdw.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/sysattr.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "model.h"
#include "nodes/makefuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "parser/parsetree.h"
#include "utils/snapshot.h"
#include "resource.h"
#include "wire.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/rel.h"

/* Every resource, in the order IMPORT FOREIGN SCHEMA creates its tables. */
static const LfdwResource *const lfdw_resources[] = {
	&lfdw_credential_resource,
	&lfdw_model_resource,
	&lfdw_spend_log_resource,
};

LFDW_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(litellm_fdw_handler);

/* FDW callback routines */
static void litellmGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
									 Oid foreigntableid);
static void litellmGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid);
static ForeignScan *litellmGetForeignPlan(PlannerInfo *root,
										  RelOptInfo *baserel,
										  Oid foreigntableid,
										  ForeignPath *best_path,
										  List *tlist, List *scan_clauses,
										  Plan *outer_plan);
static void litellmBeginForeignScan(ForeignScanState *node, int eflags);
static TupleTableSlot *litellmIterateForeignScan(ForeignScanState *node);
static void litellmReScanForeignScan(ForeignScanState *node);
static void litellmEndForeignScan(ForeignScanState *node);
static void litellmExplainForeignScan(ForeignScanState *node,
									  ExplainState *es);

LFDW_ADD_FOREIGN_UPDATE_TARGETS_DECL(litellmAddForeignUpdateTargets);
static List *litellmPlanForeignModify(PlannerInfo *root, ModifyTable *plan,
									  Index resultRelation,
									  int subplan_index);
static void litellmBeginForeignModify(ModifyTableState *mtstate,
									  ResultRelInfo *rinfo,
									  List *fdw_private, int subplan_index,
									  int eflags);
static TupleTableSlot *litellmExecForeignInsert(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static TupleTableSlot *litellmExecForeignUpdate(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static TupleTableSlot *litellmExecForeignDelete(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static void litellmEndForeignModify(EState *estate, ResultRelInfo *rinfo);
static void litellmBeginForeignInsert(ModifyTableState *mtstate,
									  ResultRelInfo *rinfo);
static void litellmEndForeignInsert(EState *estate, ResultRelInfo *rinfo);
static int	litellmIsForeignRelUpdatable(Relation rel);
static void litellmExplainForeignModify(ModifyTableState *mtstate,
										ResultRelInfo *rinfo,
										List *fdw_private, int subplan_index,
										ExplainState *es);
static List *litellmImportForeignSchema(ImportForeignSchemaStmt *stmt,
										Oid serverOid);

/* the batch-insert callbacks (PostgreSQL 14; compat.h) */
static int	litellmGetForeignModifyBatchSize(ResultRelInfo *rinfo);
static TupleTableSlot **litellmExecForeignBatchInsert(EState *estate,
													  ResultRelInfo *rinfo,
													  TupleTableSlot **slots,
													  TupleTableSlot **planSlots,
													  int *numSlots);

static bool check_allowed_urls(char **newval, void **extra, GucSource source);
static bool resource_name_valid(const char *name);
static const char *resource_name_list(void);

/* Helper functions */
static void add_update_targets(LfdwJunkTargets *junk, Query *parse,
							   Index rtindex, Relation target_relation);
static const LfdwResource *plan_resource(List *fdw_private);
static LfdwModifyState *create_modify_state(const LfdwResource *res,
											ModifyTableState *mtstate,
											ResultRelInfo *rinfo,
											CmdType operation, int updated);
static const char *junk_name(const LfdwResource *res);
static void check_writable(const LfdwResource *res, Relation rel,
						   CmdType operation);
static const LfdwResource *lfdw_table_resource(Oid foreigntableid);

/* The resource a state carries: its first member (resource.h). */
#define STATE_RESOURCE(state)	(((LfdwResourceHeader *) (state))->res)

/*
 * _PG_init
 *		Library load: the GUCs (and their prefix), libcurl, and the
 *		transaction callbacks.
 */
void
_PG_init(void)
{
	DefineCustomIntVariable("litellm_fdw.max_requests_per_statement",
							"Largest number of read requests one statement may send to LiteLLM.",
							"A statement that would send more GET requests is stopped with an error; writes are not counted; 0 means no limit.",
							&lfdw_max_requests_per_statement,
							1000, 0, INT_MAX,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("litellm_fdw.max_bytes_per_statement",
							"Largest size of the read responses one statement may receive from LiteLLM.",
							"A statement that has received more bytes of GET responses (the pages, lists and lookups it keeps and makes rows of) is stopped with an error.",
							&lfdw_max_bytes_per_statement,
							262144, 1, INT_MAX,
							PGC_USERSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	DefineCustomStringVariable("litellm_fdw.allowed_urls",
							   "URL prefixes that LiteLLM servers may point at.",
							   "A comma-separated list such as 'https://litellm.internal:4000/'; a server's url must fall under one, and every connection must reach an address its host resolves to.  Empty: no restriction.",
							   &lfdw_allowed_urls,
							   "",
							   PGC_SUSET, 0,
							   check_allowed_urls, NULL, NULL);
	MarkGUCPrefixReserved("litellm_fdw");
	/* the validator (option.c) knows the resources' names through these */
	lfdw_resource_name_valid = resource_name_valid;
	lfdw_resource_name_list = resource_name_list;
	lfdw_connection_init();
	lfdw_commit_init();
}

/*
 * GUC check hook of litellm_fdw.allowed_urls: every entry an http:// or
 * https:// URL without user information, query, fragment, dot segment or
 * encoded slash (lfdw_wire_check_url).
 */
static bool
check_allowed_urls(char **newval, void **extra, GucSource source)
{
	int			bad = lfdw_wire_allowed_urls_check(*newval, NULL);

	if (bad >= 0)
	{
		GUC_check_errdetail("Entry at character %d is not an http:// or https:// URL with a host and no user information, query, fragment, dot segment or encoded slash.",
							bad + 1);
		return false;
	}
	return true;
}

/*
 * litellm_fdw_handler
 *		The FdwRoutine of litellm_fdw.
 */
Datum
litellm_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = litellmGetForeignRelSize;
	routine->GetForeignPaths = litellmGetForeignPaths;
	routine->GetForeignPlan = litellmGetForeignPlan;
	routine->BeginForeignScan = litellmBeginForeignScan;
	routine->IterateForeignScan = litellmIterateForeignScan;
	routine->ReScanForeignScan = litellmReScanForeignScan;
	routine->EndForeignScan = litellmEndForeignScan;
	routine->ExplainForeignScan = litellmExplainForeignScan;

	routine->AddForeignUpdateTargets = litellmAddForeignUpdateTargets;
	routine->PlanForeignModify = litellmPlanForeignModify;
	routine->BeginForeignModify = litellmBeginForeignModify;
	routine->ExecForeignInsert = litellmExecForeignInsert;
	lfdw_set_batch_insert(routine, litellmGetForeignModifyBatchSize,
						  litellmExecForeignBatchInsert);
	routine->ExecForeignUpdate = litellmExecForeignUpdate;
	routine->ExecForeignDelete = litellmExecForeignDelete;
	routine->EndForeignModify = litellmEndForeignModify;
	routine->BeginForeignInsert = litellmBeginForeignInsert;
	routine->EndForeignInsert = litellmEndForeignInsert;
	routine->IsForeignRelUpdatable = litellmIsForeignRelUpdatable;
	routine->ExplainForeignModify = litellmExplainForeignModify;

	routine->ImportForeignSchema = litellmImportForeignSchema;

	PG_RETURN_POINTER(routine);
}

/*
 * lfdw_table_resource
 *		The resource a foreign table maps: its option resource, credentials
 *		when absent (the validator accepts no other value).
 */
static const LfdwResource *
lfdw_table_resource(Oid foreigntableid)
{
	const char *name = LFDW_RESOURCE_CREDENTIALS;
	ListCell   *cell;
	int			i;

	foreach(cell, GetForeignTable(foreigntableid)->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "resource") == 0)
			name = defGetString(def);
	}
	for (i = 0; i < lengthof(lfdw_resources); i++)
		if (strcmp(lfdw_resources[i]->name, name) == 0)
			return lfdw_resources[i];
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
			 errmsg("invalid value for option \"resource\"")));
	return NULL;				/* keep the compiler quiet */
}

/*
 * resource_name_valid
 *		Is there a resource of that name?  The validator's test of the
 *		table option resource (option.c, through lfdw_resource_name_valid).
 */
static bool
resource_name_valid(const char *name)
{
	int			i;

	for (i = 0; i < lengthof(lfdw_resources); i++)
		if (strcmp(lfdw_resources[i]->name, name) == 0)
			return true;
	return false;
}

/*
 * resource_name_list
 *		The names of the resources for a HINT: "a", "b" and "c".
 */
static const char *
resource_name_list(void)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < lengthof(lfdw_resources); i++)
		appendStringInfo(&buf, "%s\"%s\"",
						 i == 0 ? "" : i == lengthof(lfdw_resources) - 1 ?
						 " and " : ", ",
						 lfdw_resources[i]->name);
	return buf.data;
}

/* The resource a plan was made for: the first slot of its fdw_private. */
static const LfdwResource *
plan_resource(List *fdw_private)
{
	const char *name = strVal(linitial(fdw_private));
	int			i;

	for (i = 0; i < lengthof(lfdw_resources); i++)
		if (strcmp(lfdw_resources[i]->name, name) == 0)
			return lfdw_resources[i];
	elog(ERROR, "litellm_fdw: plan of unknown resource \"%s\"", name);
	return NULL;				/* keep the compiler quiet */
}

/*
 * litellmGetForeignRelSize
 *		Choose the table's resource, map the columns and resolve the
 *		options; the resource chooses the requests and estimates the rows.
 */
static void
litellmGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
						 Oid foreigntableid)
{
	const LfdwResource *res = lfdw_table_resource(foreigntableid);
	LfdwRelInfo *info = palloc0(res->rel_info_size);
	Relation	rel = table_open(foreigntableid, NoLock);

	info->hdr.res = res;
	info->relid = foreigntableid;
	res->column_map(rel, &info->map);
	table_close(rel, NoLock);
	info->opts = lfdw_get_options(baserel->serverid, foreigntableid,
								  InvalidOid, false);
	baserel->fdw_private = info;
	baserel->rows = clamp_row_est(res->plan_read(root, baserel, info));
}

/*
 * litellmGetForeignPaths
 *		One path, costed by the HTTP requests it makes and the objects it
 *		turns into rows; and the resource's own, if any.
 */
static void
litellmGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
					   Oid foreigntableid)
{
	LfdwRelInfo *info = (LfdwRelInfo *) baserel->fdw_private;
	const LfdwResource *res = info->hdr.res;
	Cost		startup = info->opts->request_cost * info->startup_requests;
	Cost		total = info->opts->request_cost * info->requests +
	info->fetched * res->row_cost * cpu_tuple_cost +
	baserel->rows * cpu_tuple_cost;

	add_path(baserel, (Path *)
			 lfdw_create_foreignscan_path(root, baserel, NULL, baserel->rows,
										  startup, total, NIL, NULL, NULL,
										  NIL));
	if (res->add_paths)
		res->add_paths(root, baserel, info);
}

/*
 * litellmGetForeignPlan
 *		The resource's plan; fdw_private starts with the resource's name,
 *		the request as EXPLAIN shows it and the fields to convert.
 */
static ForeignScan *
litellmGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel,
					  Oid foreigntableid, ForeignPath *best_path,
					  List *tlist, List *scan_clauses, Plan *outer_plan)
{
	const LfdwResource *res = STATE_RESOURCE(baserel->fdw_private);
	ForeignScan *scan;
	char	   *explain;
	int			wanted;

	scan = res->get_plan(root, baserel, foreigntableid, best_path, tlist,
						 scan_clauses, outer_plan, &explain, &wanted);
	scan->fdw_private = list_concat(list_make3(makeString(pstrdup(res->name)),
											   makeString(explain),
											   makeInteger(wanted)),
									scan->fdw_private);
	return scan;
}

/*
 * litellmBeginForeignScan
 *		Resolve the options (with the API key of the scan's user) and
 *		prepare the state; the resource makes its request on the first row.
 */
static void
litellmBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	const LfdwResource *res = plan_resource(fsplan->fdw_private);
	EState	   *estate = node->ss.ps.state;
	Relation	rel = node->ss.ss_currentRelation;
	LfdwScanState *state;
	int			wanted;
	int			f;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	state = palloc0(res->scan_state_size);
	state->hdr.res = res;
	res->column_map(rel, &state->map);
	state->opts = lfdw_get_options(GetForeignTable(RelationGetRelid(rel))->serverid,
								   RelationGetRelid(rel),
								   lfdw_scan_user(node, estate), true);
	wanted = intVal(list_nth(fsplan->fdw_private, LfdwScanPrivateWanted));
	for (f = 0; f < res->nfields; f++)
		state->wanted[f] = (wanted & (1 << f)) != 0;
	if (fsplan->fdw_exprs)
		state->value_state = ExecInitExpr(linitial(fsplan->fdw_exprs),
										  (PlanState *) node);
	state->scan_cxt = AllocSetContextCreate(estate->es_query_cxt,
											"litellm_fdw scan data",
											ALLOCSET_SMALL_SIZES);
	state->batch_cxt = AllocSetContextCreate(estate->es_query_cxt,
											 "litellm_fdw tuple data",
											 ALLOCSET_DEFAULT_SIZES);
	/* the transaction's changes made by earlier commands are seen */
	state->cid = estate->es_snapshot->curcid;
	res->begin_scan(state, fsplan->fdw_private);
	node->fdw_state = state;
}

static TupleTableSlot *
litellmIterateForeignScan(ForeignScanState *node)
{
	return STATE_RESOURCE(node->fdw_state)->iterate_scan(node);
}

/*
 * litellmReScanForeignScan
 *		Start over; parameters may have changed.
 */
static void
litellmReScanForeignScan(ForeignScanState *node)
{
	LfdwScanState *state = (LfdwScanState *) node->fdw_state;

	state->started = false;
	state->call_valid = false;
	MemoryContextReset(state->batch_cxt);
	MemoryContextReset(state->scan_cxt);
	state->hdr.res->rescan(state);
}

/*
 * litellmEndForeignScan
 *		Free the parsed response now rather than at the end of the query.
 */
static void
litellmEndForeignScan(ForeignScanState *node)
{
	LfdwScanState *state = (LfdwScanState *) node->fdw_state;

	/* EXPLAIN without ANALYZE began no scan state */
	if (state)
		MemoryContextReset(state->batch_cxt);
}

/*
 * litellmExplainForeignScan
 *		Show the planned request.
 */
static void
litellmExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	List	   *fdw_private = ((ForeignScan *) node->ss.ps.plan)->fdw_private;

	ExplainPropertyText("LiteLLM Request",
						strVal(list_nth(fdw_private, LfdwScanPrivateExplain)),
						es);
}

/*
 * litellmAddForeignUpdateTargets
 *		The junk columns the resource identifies rows by.  compat.h gives
 *		the callback the release's signature.
 */
LFDW_ADD_FOREIGN_UPDATE_TARGETS(litellmAddForeignUpdateTargets,
								add_update_targets)

static void
add_update_targets(LfdwJunkTargets *junk, Query *parse, Index rtindex,
				   Relation target_relation)
{
	const LfdwResource *res =
	lfdw_table_resource(RelationGetRelid(target_relation));
	LfdwColumnMap map;
	AttrNumber	att;
	Form_pg_attribute attr;
	Var		   *var;

	check_writable(res, target_relation, parse->commandType);
	res->column_map(target_relation, &map);
	att = map.field_att[res->key_field];
	if (att == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
				 errmsg("foreign table \"%s\" has no %s column",
						RelationGetRelationName(target_relation),
						res->key_column),
				 errdetail("%s", res->key_detail)));

	attr = TupleDescAttr(RelationGetDescr(target_relation), att - 1);
	var = makeVar(rtindex, att, attr->atttypid, attr->atttypmod,
				  attr->attcollation, 0);
	lfdw_add_junk_var(junk, var, junk_name(res));

	/* the planner adds the old row of an UPDATE itself ("wholerow") */
	if ((parse->commandType == CMD_DELETE && parse->returningList != NIL) ||
		(parse->commandType == CMD_UPDATE && !LFDW_PLANNER_FETCHES_OLD_ROW))
	{
		var = makeVar(rtindex, InvalidAttrNumber, RECORDOID, -1, InvalidOid, 0);
		lfdw_add_junk_var(junk, var, LFDW_JUNK_OLD_ROW);
	}
}

/*
 * litellmPlanForeignModify
 *		Note which fields an UPDATE assigns, and have the resource refuse
 *		what can never work before any request is made.  fdw_private is the
 *		resource's name and that bitmask.
 */
static List *
litellmPlanForeignModify(PlannerInfo *root, ModifyTable *plan,
						 Index resultRelation, int subplan_index)
{
	RangeTblEntry *rte = planner_rt_fetch(resultRelation, root);
	const LfdwResource *res = lfdw_table_resource(rte->relid);
	Relation	rel = table_open(rte->relid, NoLock);
	LfdwColumnMap map;
	int			updated = 0;

	check_writable(res, rel, plan->operation);
	res->column_map(rel, &map);
	if (plan->operation == CMD_UPDATE)
	{
		Bitmapset  *cols = lfdw_updated_cols(root, resultRelation);
		int			col = -1;

		while ((col = bms_next_member(cols, col)) >= 0)
		{
			AttrNumber	att = col + FirstLowInvalidHeapAttributeNumber;
			int			f;

			for (f = 0; f < res->nfields; f++)
				if (map.field_att[f] == att)
					updated |= 1 << f;
		}
	}
	res->check_modify(plan, rel, updated);
	table_close(rel, NoLock);
	return list_make2(makeString(pstrdup(res->name)), makeInteger(updated));
}

/*
 * litellmBeginForeignModify
 *		Prepare an INSERT, UPDATE or DELETE.
 */
static void
litellmBeginForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
						  List *fdw_private, int subplan_index, int eflags)
{
	const LfdwResource *res = plan_resource(fdw_private);
	LfdwModifyState *fm;
	CmdType		operation = mtstate->operation;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	fm = create_modify_state(res, mtstate, rinfo, operation,
							 intVal(lsecond(fdw_private)));
	lfdw_find_junk(lfdw_modify_subplan(mtstate, subplan_index), operation,
				   junk_name(res), &fm->key_junk, &fm->old_row_junk);
	fm->before_row_trigger = operation == CMD_UPDATE && rinfo->ri_TrigDesc &&
		rinfo->ri_TrigDesc->trig_update_before_row;
	rinfo->ri_FdwState = fm;
}

/*
 * litellmBeginForeignInsert
 *		COPY FROM or a routed INSERT: no plan, so the table says which
 *		resource.
 */
static void
litellmBeginForeignInsert(ModifyTableState *mtstate, ResultRelInfo *rinfo)
{
	const LfdwResource *res =
	lfdw_table_resource(RelationGetRelid(rinfo->ri_RelationDesc));

	check_writable(res, rinfo->ri_RelationDesc, CMD_INSERT);
	rinfo->ri_FdwState = create_modify_state(res, mtstate, rinfo, CMD_INSERT,
											 0);
}

static void
litellmEndForeignInsert(EState *estate, ResultRelInfo *rinfo)
{
}

/*
 * The state of a write, in the query's memory: the options with the key of
 * the user the write runs as (compat.h), and a context per row.
 */
static LfdwModifyState *
create_modify_state(const LfdwResource *res, ModifyTableState *mtstate,
					ResultRelInfo *rinfo, CmdType operation, int updated)
{
	EState	   *estate = mtstate->ps.state;
	Relation	rel = rinfo->ri_RelationDesc;
	LfdwModifyState *fm = palloc0(sizeof(LfdwModifyState));
	MemoryContext oldcxt = MemoryContextSwitchTo(estate->es_query_cxt);

	fm->hdr.res = res;
	fm->rel = rel;
	fm->operation = operation;
	fm->updated = updated;
	res->column_map(rel, &fm->map);
	fm->opts = lfdw_get_options(GetForeignTable(RelationGetRelid(rel))->serverid,
								RelationGetRelid(rel),
								lfdw_modify_user(rinfo, estate), true);
	fm->writes = lfdw_modify_writes(res, fm->opts);
	fm->temp_cxt = AllocSetContextCreate(estate->es_query_cxt,
										 "litellm_fdw temporary data",
										 ALLOCSET_SMALL_SIZES);
	fm->probe.cxt = AllocSetContextCreate(estate->es_query_cxt,
										  "litellm_fdw names read",
										  ALLOCSET_DEFAULT_SIZES);
	/* COPY passes a ModifyTableState without a plan */
	fm->skip_existing = operation == CMD_INSERT && mtstate->ps.plan &&
		((ModifyTable *) mtstate->ps.plan)->onConflictAction ==
		ONCONFLICT_NOTHING;

	/*
	 * How many rows an INSERT, or an UPDATE that changes the key, expects: it
	 * decides between lookups of the new keys and one list.
	 */
	if ((operation == CMD_INSERT ||
		 (operation == CMD_UPDATE && (updated & (1 << res->key_field)))) &&
		mtstate->ps.plan && outerPlanState(mtstate) != NULL)
		fm->probe.expected_rows = outerPlanState(mtstate)->plan->plan_rows;
	MemoryContextSwitchTo(oldcxt);
	return fm;
}

/*
 * Refuse a write to the table of a read-only resource (one without write
 * callbacks, resource.h), before any request: when the planner asks for
 * its row identity or plans the write, or a COPY FROM begins.
 */
static void
check_writable(const LfdwResource *res, Relation rel, CmdType operation)
{
	if (res->exec_insert != NULL || res->exec_update != NULL ||
		res->exec_delete != NULL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot %s foreign table \"%s\"",
					operation == CMD_INSERT ? "insert into" :
					operation == CMD_UPDATE ? "update" : "delete from",
					RelationGetRelationName(rel)),
			 errdetail("LiteLLM %ss are read-only.", res->noun)));
}

/* The junk column that carries a row's key: litellm_<key column>. */
static const char *
junk_name(const LfdwResource *res)
{
	return psprintf("litellm_%s", res->key_column);
}

/*
 * litellmGetForeignModifyBatchSize
 *		How many rows the resource takes at once (one, unless it says).
 */
static int
litellmGetForeignModifyBatchSize(ResultRelInfo *rinfo)
{
	const LfdwResource *res;

	/* EXPLAIN without ANALYZE began no modify state */
	res = rinfo->ri_FdwState ? STATE_RESOURCE(rinfo->ri_FdwState) :
		lfdw_table_resource(RelationGetRelid(rinfo->ri_RelationDesc));
	return res->batch_size ? res->batch_size(rinfo) : 1;
}

static TupleTableSlot *
litellmExecForeignInsert(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	return STATE_RESOURCE(rinfo->ri_FdwState)->exec_insert(estate, rinfo,
														   slot, planSlot);
}

static TupleTableSlot **
litellmExecForeignBatchInsert(EState *estate, ResultRelInfo *rinfo,
							  TupleTableSlot **slots,
							  TupleTableSlot **planSlots, int *numSlots)
{
	return STATE_RESOURCE(rinfo->ri_FdwState)->
		exec_batch_insert(estate, rinfo, slots, planSlots, numSlots);
}

static TupleTableSlot *
litellmExecForeignUpdate(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	return STATE_RESOURCE(rinfo->ri_FdwState)->exec_update(estate, rinfo,
														   slot, planSlot);
}

static TupleTableSlot *
litellmExecForeignDelete(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	return STATE_RESOURCE(rinfo->ri_FdwState)->exec_delete(estate, rinfo,
														   slot, planSlot);
}

/*
 * litellmEndForeignModify
 *		Nothing to do: the state dies with the query.
 */
static void
litellmEndForeignModify(EState *estate, ResultRelInfo *rinfo)
{
}

/*
 * litellmIsForeignRelUpdatable
 *		Every table takes INSERT, UPDATE and DELETE, but that of a read-only
 *		resource.
 */
static int
litellmIsForeignRelUpdatable(Relation rel)
{
	const LfdwResource *res = lfdw_table_resource(RelationGetRelid(rel));

	if (res->exec_insert == NULL && res->exec_update == NULL &&
		res->exec_delete == NULL)
		return 0;
	return (1 << CMD_INSERT) | (1 << CMD_UPDATE) | (1 << CMD_DELETE);
}

/*
 * litellmExplainForeignModify
 *		The requests each row becomes (the resource), then the release.
 */
static void
litellmExplainForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
							List *fdw_private, int subplan_index,
							ExplainState *es)
{
	plan_resource(fdw_private)->explain_modify(mtstate, rinfo,
											   intVal(lsecond(fdw_private)), es);
	lfdw_explain_release(rinfo, mtstate->ps.state, es);
}

/*
 * litellmImportForeignSchema
 *		The remote schema "litellm" holds one table per resource.
 */
static List *
litellmImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	List	   *commands = NIL;
	ListCell   *cell;
	int			i;

	if (strcmp(stmt->remote_schema, "litellm") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("schema \"%s\" is not present on LiteLLM server \"%s\"",
						stmt->remote_schema, server->servername),
				 errhint("The only remote schema is \"litellm\".")));

	foreach(cell, stmt->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("invalid option \"%s\"", def->defname),
				 errhint("IMPORT FOREIGN SCHEMA takes no options from litellm_fdw.")));
	}

	/* LIMIT TO and EXCEPT are applied by PostgreSQL to what we return */
	for (i = 0; i < lengthof(lfdw_resources); i++)
		commands = lappend(commands,
						   lfdw_resources[i]->import_statement(stmt->local_schema,
															   server->servername));
	return commands;
}
