/*-------------------------------------------------------------------------
 *
 * compat.h
 *		  Every difference between PostgreSQL (and libcurl) releases that
 *		  litellm_fdw has to bridge, and nothing else.
 *
 * No other file tests PG_VERSION_NUM: a difference is hidden here behind a
 * macro or an inline function, each commented with the release that
 * introduced it.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_COMPAT_H
#define LITELLM_FDW_COMPAT_H

#include "commands/explain.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/makefuncs.h"
#include "nodes/plannodes.h"
#include "optimizer/appendinfo.h"
#include "optimizer/inherit.h"
#include "optimizer/pathnode.h"
#include "parser/parsetree.h"
#include "pgstat.h"

/*
 * The role whose user mapping a scan uses.  PostgreSQL 16 moved
 * checkAsUser from the range table entry to the ForeignScan plan node.
 */
static inline Oid
lfdw_scan_user(ForeignScanState *node, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;

	return OidIsValid(fsplan->checkAsUser) ? fsplan->checkAsUser : GetUserId();
#else
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	int			rtindex = fsplan->scan.scanrelid;
	RangeTblEntry *rte;

	if (rtindex == 0)
		rtindex = bms_next_member(fsplan->fs_relids, -1);
	rte = exec_rt_fetch(rtindex, estate);
	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

/*
 * The role whose user mapping a modification uses.  PostgreSQL 16 added
 * ExecGetResultRelCheckAsUser (RTEPermissionInfo).  Before that, a
 * partition that a row was routed into (COPY or INSERT through a
 * partitioned table) has no range table entry of its own on 14 and 15
 * (ri_RangeTableIndex 0): its checkAsUser is the root's, as in
 * postgres_fdw's postgresBeginForeignInsert.  On 13 a routed partition
 * carries the root's index.
 */
static inline Oid
lfdw_modify_user(ResultRelInfo *rinfo, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	return ExecGetResultRelCheckAsUser(rinfo, estate);
#else
	Index		rtindex = rinfo->ri_RangeTableIndex;
	RangeTblEntry *rte;

#if PG_VERSION_NUM >= 140000
	if (rtindex == 0 && rinfo->ri_RootResultRelInfo != NULL)
		rtindex = rinfo->ri_RootResultRelInfo->ri_RangeTableIndex;
#endif
	if (rtindex == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot determine the role of this modification of a LiteLLM table")));
	rte = exec_rt_fetch(rtindex, estate);
	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

/*
 * create_foreignscan_path gained a fdw_restrictinfo argument in
 * PostgreSQL 17, and a disabled_nodes count (after rows) in 18.
 */
#if PG_VERSION_NUM >= 180000
#define lfdw_create_foreignscan_path(root, rel, target, rows, startup, total, \
									 pathkeys, required_outer, fdw_outerpath, \
									 fdw_private) \
	create_foreignscan_path(root, rel, target, rows, 0, startup, total, \
							pathkeys, required_outer, fdw_outerpath, NIL, \
							fdw_private)
#elif PG_VERSION_NUM >= 170000
#define lfdw_create_foreignscan_path(root, rel, target, rows, startup, total, \
									 pathkeys, required_outer, fdw_outerpath, \
									 fdw_private) \
	create_foreignscan_path(root, rel, target, rows, startup, total, \
							pathkeys, required_outer, fdw_outerpath, NIL, \
							fdw_private)
#else
#define lfdw_create_foreignscan_path(root, rel, target, rows, startup, total, \
									 pathkeys, required_outer, fdw_outerpath, \
									 fdw_private) \
	create_foreignscan_path(root, rel, target, rows, startup, total, \
							pathkeys, required_outer, fdw_outerpath, \
							fdw_private)
#endif

/*
 * Junk columns of UPDATE and DELETE.  PostgreSQL 14 reworked
 * AddForeignUpdateTargets: it receives the PlannerInfo and the range table
 * index, a junk column is added with add_row_identity_var, and the planner
 * adds a whole-row Var of the old row ("wholerow") to every UPDATE of a
 * foreign table.  PostgreSQL 13 passes the Query instead, a junk column is a
 * resjunk entry appended to its target list, and no old row is fetched for
 * UPDATE unless a row trigger asks for it.
 *
 * LFDW_ADD_FOREIGN_UPDATE_TARGETS(callback, impl) defines the callback with
 * the release's signature (LFDW_ADD_FOREIGN_UPDATE_TARGETS_DECL(callback)
 * declares it), calling
 *		impl(LfdwJunkTargets *junk, Query *parse, Index rtindex, Relation rel)
 * where impl adds each junk Var with lfdw_add_junk_var(junk, var, name).
 * LFDW_PLANNER_FETCHES_OLD_ROW says whether UPDATE gets "wholerow" anyway.
 */
#if PG_VERSION_NUM >= 140000
typedef struct LfdwJunkTargets
{
	PlannerInfo *root;
	Index		rtindex;
} LfdwJunkTargets;

static inline void
lfdw_add_junk_var(LfdwJunkTargets *junk, Var *var, const char *name)
{
	add_row_identity_var(junk->root, var, junk->rtindex, name);
}

#define LFDW_ADD_FOREIGN_UPDATE_TARGETS_DECL(callback) \
static void callback(PlannerInfo *root, Index rtindex, \
					 RangeTblEntry *target_rte, Relation target_relation)
#define LFDW_ADD_FOREIGN_UPDATE_TARGETS(callback, impl) \
static void \
callback(PlannerInfo *root, Index rtindex, RangeTblEntry *target_rte, \
		 Relation target_relation) \
{ \
	LfdwJunkTargets junk = {root, rtindex}; \
\
	impl(&junk, root->parse, rtindex, target_relation); \
}
#define LFDW_PLANNER_FETCHES_OLD_ROW true
#else
typedef struct LfdwJunkTargets
{
	Query	   *parse;
} LfdwJunkTargets;

static inline void
lfdw_add_junk_var(LfdwJunkTargets *junk, Var *var, const char *name)
{
	TargetEntry *tle = makeTargetEntry((Expr *) var,
									   list_length(junk->parse->targetList) + 1,
									   pstrdup(name), true);

	junk->parse->targetList = lappend(junk->parse->targetList, tle);
}

#define LFDW_ADD_FOREIGN_UPDATE_TARGETS_DECL(callback) \
static void callback(Query *parsetree, RangeTblEntry *target_rte, \
					 Relation target_relation)
#define LFDW_ADD_FOREIGN_UPDATE_TARGETS(callback, impl) \
static void \
callback(Query *parsetree, RangeTblEntry *target_rte, \
		 Relation target_relation) \
{ \
	LfdwJunkTargets junk = {parsetree}; \
\
	impl(&junk, parsetree, parsetree->resultRelation, target_relation); \
}
#define LFDW_PLANNER_FETCHES_OLD_ROW false
#endif

/*
 * The columns an UPDATE assigns, as attribute numbers offset by
 * FirstLowInvalidHeapAttributeNumber.  get_rel_all_updated_cols arrived in
 * PostgreSQL 14 (and hides 16's move of updatedCols to RTEPermissionInfo);
 * before, they are in the range table entry.
 */
static inline Bitmapset *
lfdw_updated_cols(PlannerInfo *root, Index rtindex)
{
#if PG_VERSION_NUM >= 140000
	return get_rel_all_updated_cols(root, find_base_rel(root, rtindex));
#else
	RangeTblEntry *rte = planner_rt_fetch(rtindex, root);

	return bms_union(rte->updatedCols, rte->extraUpdatedCols);
#endif
}

/*
 * The plan under a ModifyTable.  PostgreSQL 14 made it a single outer plan;
 * before, there was one per result relation, in mt_plans.
 */
static inline Plan *
lfdw_modify_subplan(ModifyTableState *mtstate, int subplan_index)
{
#if PG_VERSION_NUM >= 140000
	return outerPlanState(mtstate)->plan;
#else
	return mtstate->mt_plans[subplan_index]->plan;
#endif
}

/* PostgreSQL 14 renamed the default roles (pg_read_server_files). */
#if PG_VERSION_NUM < 140000
#define ROLE_PG_READ_SERVER_FILES DEFAULT_ROLE_READ_SERVER_FILES
#endif

/* errhint_plural arrived in PostgreSQL 14. */
#if PG_VERSION_NUM < 140000
#define errhint_plural(fmt_singular, fmt_plural, n, ...) \
	errhint((n) == 1 ? (fmt_singular) : (fmt_plural), __VA_ARGS__)
#endif

/*
 * PostgreSQL 18 moved ExplainPropertyText and friends to their own header,
 * and ExplainState to another.
 */
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#endif

/*
 * Batch insert arrived in PostgreSQL 14: the callbacks
 * GetForeignModifyBatchSize and ExecForeignBatchInsert, and the batch size
 * the executor chose (ResultRelInfo.ri_BatchSize).  Before, the callbacks
 * are compiled but not installed, and every batch is of one row.
 */
#if PG_VERSION_NUM >= 140000
#define lfdw_set_batch_insert(routine, size_callback, insert_callback) \
	((routine)->GetForeignModifyBatchSize = (size_callback), \
	 (routine)->ExecForeignBatchInsert = (insert_callback))
#define lfdw_batch_size(rinfo) ((rinfo)->ri_BatchSize)
#else
#define lfdw_set_batch_insert(routine, size_callback, insert_callback) \
	((void) (routine), (void) (size_callback), (void) (insert_callback))
#define lfdw_batch_size(rinfo) ((void) (rinfo), 1)
#endif

/* PostgreSQL 18 asks for a name and version in the module magic block. */
#if PG_VERSION_NUM >= 180000
#define LFDW_MODULE_MAGIC PG_MODULE_MAGIC_EXT(.name = "litellm_fdw", .version = "1.0")
#else
#define LFDW_MODULE_MAGIC PG_MODULE_MAGIC
#endif

/* MarkGUCPrefixReserved arrived in PostgreSQL 15. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * The wait event of a backend waiting for LiteLLM.  PostgreSQL 17 lets an
 * extension name its own ("LiteLLMRequest", of type Extension); before, all
 * extensions share PG_WAIT_EXTENSION ("Extension").
 */
static inline uint32
lfdw_wait_event(void)
{
#if PG_VERSION_NUM >= 170000
	static uint32 event = 0;

	if (event == 0)
		event = WaitEventExtensionNew("LiteLLMRequest");
	return event;
#else
	return PG_WAIT_EXTENSION;
#endif
}

#endif							/* LITELLM_FDW_COMPAT_H */

/*
 * libcurl: CURLOPT_PROTOCOLS_STR (7.85) replaced the bitmask option, which
 * later releases deprecate.  Only connection.c includes curl.h, so this
 * part is seen there alone: it sits outside the include guard and is
 * read when compat.h is included again after curl.h.
 */
#if defined(LIBCURL_VERSION_NUM) && !defined(LITELLM_FDW_COMPAT_CURL)
#define LITELLM_FDW_COMPAT_CURL
#if LIBCURL_VERSION_NUM >= 0x075500
#define lfdw_curl_http_only(h) \
	curl_easy_setopt((h), CURLOPT_PROTOCOLS_STR, "http,https")
#else
#define lfdw_curl_http_only(h) \
	curl_easy_setopt((h), CURLOPT_PROTOCOLS, \
					 (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS))
#endif

/*
 * CURLOPT_PREREQFUNCTION (libcurl 7.80) is called before each time a
 * request is sent, libcurl's own silent resends included: it lets a write
 * reuse a connection and still never go out twice.  Older libcurl: a write
 * opens a connection of its own.
 */
#if LIBCURL_VERSION_NUM >= 0x075000
#define LFDW_WRITES_REUSE_CONNECTIONS 1
#endif

/*
 * CURLOPT_CAINFO_BLOB (libcurl 7.77) hands libcurl the certificate
 * authorities of ca_file as bytes that litellm_fdw read itself, so that no
 * path is ever opened by libcurl (connection.c, set_ca_file).  Older
 * libcurl: a server with ca_file is refused at its first https request.
 */
#if LIBCURL_VERSION_NUM >= 0x074d00
#define LFDW_HAVE_CAINFO_BLOB 1
#endif

/*
 * The case labels of a certificate that could not be verified: before
 * libcurl 7.62 an untrusted one was CURLE_SSL_CACERT, which later releases
 * fold into CURLE_PEER_FAILED_VERIFICATION.
 */
#if LIBCURL_VERSION_NUM < 0x073e00
#define LFDW_CASE_CERT_NOT_VERIFIED \
	case CURLE_PEER_FAILED_VERIFICATION: \
	case CURLE_SSL_CACERT
#else
#define LFDW_CASE_CERT_NOT_VERIFIED \
	case CURLE_PEER_FAILED_VERIFICATION
#endif
#endif							/* LIBCURL_VERSION_NUM */
