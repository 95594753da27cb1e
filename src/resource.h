/*-------------------------------------------------------------------------
 *
 * resource.h
 *		  The resource interface: what the generic FDW callbacks
 *		  (litellm_fdw.c) ask of one kind of LiteLLM object.
 *
 * A foreign table maps one resource, named by its table option resource:
 * credentials (credential.c), models (model.c) or spend_logs
 * (spend_log.c).  The generic callbacks
 * choose the resource once, when a table is planned or a modify begins
 * without a plan (COPY, routed INSERT), and carry it from then on: as the
 * first slot of every fdw_private list, and as the first member
 * (LfdwResourceHeader) of every planner and executor state.  Nothing tests
 * the kind of table again.  A third resource is a file that fills in one
 * LfdwResource and a line in lfdw_resources (litellm_fdw.c).  A resource
 * without exec_insert, exec_update and exec_delete is read-only: the
 * generic layer refuses INSERT, UPDATE, DELETE and COPY FROM on its
 * tables before any request, and leaves the other write members NULL.
 *
 * Each resource file keeps the same section order: planning, the scan, the
 * modify callbacks, the writes of each write_mode, EXPLAIN, IMPORT, its
 * helpers, and the descriptor itself.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/resource.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_RESOURCE_H
#define LITELLM_FDW_RESOURCE_H

#include "commands/explain.h"
#include "foreign/fdwapi.h"
#include "litellm_fdw.h"

/*
 * The slots of the fdw_private list of every ForeignScan: the generic layer
 * puts these first, then the resource's own slots (from LFDW_SCAN_PRIVATE).
 * The fdw_private of a write is the resource's name and the bitmask of the
 * fields SET assigns.
 */
enum LfdwScanPrivateIndex
{
	LfdwScanPrivateResource,	/* the resource's name, as a String */
	LfdwScanPrivateExplain,		/* the request, as EXPLAIN shows it */
	LfdwScanPrivateWanted,		/* bitmask of the fields to convert */
	LFDW_SCAN_PRIVATE			/* the resource's first slot */
};

/*
 * The planner's state of a foreign table (baserel->fdw_private), the first
 * member of each resource's own: what litellm_fdw.c sets up, and what the
 * resource's plan_read says the scan will cost.
 */
typedef struct LfdwRelInfo
{
	LfdwResourceHeader hdr;		/* must be first */
	Oid			relid;			/* the foreign table */
	LfdwColumnMap map;
	LfdwOptions *opts;			/* without the API key */
	double		requests;		/* HTTP requests the scan is expected to make */
	double		startup_requests;	/* of those, made before the first row */
	double		fetched;		/* objects the server is expected to send */
} LfdwRelInfo;

/*
 * The state of a scan, the first member of each resource's own: what
 * litellm_fdw.c sets up, and the request the rows come from.
 */
typedef struct LfdwScanState
{
	LfdwResourceHeader hdr;		/* must be first */
	LfdwColumnMap map;
	LfdwOptions *opts;			/* with the API key of the scan's user */
	bool		wanted[LFDW_MAX_FIELDS];
	ExprState  *value_state;	/* the key(s) the request uses, or NULL */
	MemoryContext scan_cxt;		/* what a (re)scan looks up: reset by each */
	MemoryContext batch_cxt;	/* the response being read */
	bool		started;		/* the first request was made */
	LfdwCall	call;			/* the request rows come from */
	bool		call_valid;
	CommandId	cid;			/* sees the changes of earlier commands */
} LfdwScanState;

/*
 * What a resource does, callback by callback.
 */
typedef struct LfdwResource
{
	const char *name;			/* value of the table option resource */
	const char *noun;			/* "credential", "model": in messages */
	int			nfields;		/* fields a column can map */
	int			key_field;		/* row identity of UPDATE and DELETE */
	const char *key_column;		/* its column name */
	const char *key_detail;		/* DETAIL when a table lacks that column */
	void		(*column_map) (Relation rel, LfdwColumnMap *map);

	/*
	 * planning: baserel->fdw_private is the resource's state, rel_info_size
	 * bytes starting with an LfdwRelInfo that litellm_fdw.c fills in.
	 * plan_read chooses the requests from the conditions, sets requests,
	 * startup_requests and fetched, and returns the rows expected; add_paths
	 * (or NULL) adds paths beyond the one plain scan, such as key lookups for
	 * joins.  row_cost is the CPU cost of turning one object of a response
	 * into a row.
	 */
	Size		rel_info_size;
	double		(*plan_read) (PlannerInfo *root, RelOptInfo *baserel,
							  LfdwRelInfo *info);
	void		(*add_paths) (PlannerInfo *root, RelOptInfo *baserel,
							  LfdwRelInfo *info);
	double		row_cost;		/* in units of cpu_tuple_cost */
	/* also says the request as EXPLAIN shows it, and the fields wanted */
	ForeignScan *(*get_plan) (PlannerInfo *root, RelOptInfo *baserel,
							  Oid foreigntableid, ForeignPath *best_path,
							  List *tlist, List *scan_clauses,
							  Plan *outer_plan, char **explain, int *wanted);

	/*
	 * reading: node->fdw_state is the resource's state, scan_state_size bytes
	 * starting with an LfdwScanState that litellm_fdw.c fills in; begin_scan
	 * and rescan set up and clear the rest.
	 */
	Size		scan_state_size;
	void		(*begin_scan) (LfdwScanState *state, List *fdw_private);
	TupleTableSlot *(*iterate_scan) (ForeignScanState *node);
	void		(*rescan) (LfdwScanState *state);

	/*
	 * writing; ri_FdwState, when set, is an LfdwModifyState.  check_modify
	 * refuses at plan time what can never work (updated: the fields SET
	 * assigns).  A read-only resource leaves every member of this part NULL
	 * (see above).
	 */
	void		(*check_modify) (ModifyTable *plan, Relation rel, int updated);
	int			(*batch_size) (ResultRelInfo *rinfo);	/* NULL: one row */
	TupleTableSlot *(*exec_insert) (EState *estate, ResultRelInfo *rinfo,
									TupleTableSlot *slot,
									TupleTableSlot *planSlot);
	TupleTableSlot **(*exec_batch_insert) (EState *estate,
										   ResultRelInfo *rinfo,
										   TupleTableSlot **slots,
										   TupleTableSlot **planSlots,
										   int *numSlots);
	TupleTableSlot *(*exec_update) (EState *estate, ResultRelInfo *rinfo,
									TupleTableSlot *slot,
									TupleTableSlot *planSlot);
	TupleTableSlot *(*exec_delete) (EState *estate, ResultRelInfo *rinfo,
									TupleTableSlot *slot,
									TupleTableSlot *planSlot);
	void		(*explain_modify) (ModifyTableState *mtstate,
								   ResultRelInfo *rinfo, int updated,
								   ExplainState *es);

	/*
	 * How writes reach LiteLLM, in the resource's own terms: sent now
	 * (write_mode 'immediate') or at commit (write_mode 'commit').
	 * lfdw_modify_writes picks one; the modify state carries it.
	 */
	const void *immediate_writes;
	const void *commit_writes;

	/* IMPORT FOREIGN SCHEMA: the CREATE FOREIGN TABLE of this resource */
	char	   *(*import_statement) (const char *local_schema,
									 const char *server_name);
} LfdwResource;

/*
 * The state of an INSERT, UPDATE or DELETE, the same for every resource
 * (litellm_fdw.c makes it).
 */
typedef struct LfdwModifyState
{
	LfdwResourceHeader hdr;		/* must be first */
	Relation	rel;
	LfdwColumnMap map;
	LfdwOptions *opts;
	CmdType		operation;
	int			updated;		/* bitmask of the fields SET assigns */
	bool		before_row_trigger; /* may change fields SET does not */
	AttrNumber	key_junk;		/* junk column: the key field */
	AttrNumber	old_row_junk;	/* junk column: the old row, if fetched */
	MemoryContext temp_cxt;		/* reset for each row */
	const void *writes;			/* the resource's writes for write_mode */
	bool		skip_existing;	/* INSERT ... ON CONFLICT DO NOTHING */
	LfdwNameProbe probe;		/* reads that catch a duplicate key */
} LfdwModifyState;

/*
 * One field of a row to store: set says whether to store it at all; then
 * text or jsonb is its value, and neither is NULL.
 */
typedef struct LfdwFieldValue
{
	bool		set;
	const char *text;
	Jsonb	   *jsonb;
} LfdwFieldValue;

/* The resources, in the order IMPORT FOREIGN SCHEMA creates their tables. */
extern const LfdwResource lfdw_credential_resource; /* credential.c */
extern const LfdwResource lfdw_model_resource;	/* model.c */
extern const LfdwResource lfdw_spend_log_resource;	/* spend_log.c */

/* in table.c */
extern double lfdw_list_rows(PlannerInfo *root, RelOptInfo *baserel,
							 LfdwRelInfo *info);
extern int	lfdw_wanted_fields(RelOptInfo *baserel, const LfdwColumnMap *map,
							   int nfields);
extern const void *lfdw_modify_writes(const LfdwResource *res,
									  const LfdwOptions *opts);
extern char *lfdw_row_key(LfdwModifyState *fm, TupleTableSlot *planSlot);
extern bool lfdw_old_row(LfdwModifyState *fm, TupleTableSlot *planSlot,
						 Datum **values, bool **nulls);
extern void lfdw_store_old_row(LfdwModifyState *fm, TupleTableSlot *slot,
							   TupleTableSlot *planSlot);
extern int	lfdw_changed_fields(LfdwModifyState *fm, TupleTableSlot *slot,
								Datum *old_values, bool *old_nulls);
extern void lfdw_store_fields(TupleTableSlot *slot, const LfdwColumnMap *map,
							  int nfields, const bool *wanted,
							  const LfdwFieldValue *fields);
extern void lfdw_store_result(LfdwModifyState *fm, TupleTableSlot *slot,
							  const LfdwFieldValue *fields);

#endif							/* LITELLM_FDW_RESOURCE_H */
