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
#include "nodes/plannodes.h"
#include "optimizer/pathnode.h"
#include "parser/parsetree.h"

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
 * ExecGetResultRelCheckAsUser (RTEPermissionInfo).
 */
static inline Oid
lfdw_modify_user(ResultRelInfo *rinfo, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	return ExecGetResultRelCheckAsUser(rinfo, estate);
#else
	RangeTblEntry *rte = exec_rt_fetch(rinfo->ri_RangeTableIndex, estate);

	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

/*
 * create_foreignscan_path gained a fdw_restrictinfo argument in
 * PostgreSQL 17.
 */
#if PG_VERSION_NUM >= 170000
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

/* PostgreSQL 18 moved ExplainPropertyText and friends to their own header. */
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
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
#endif							/* LIBCURL_VERSION_NUM */
