/*-------------------------------------------------------------------------
 *
 * join.c
 *		  Parameterized paths of the credentials table: one by_name lookup
 *		  per outer row of a join on credential_name.
 *
 * A join such as "local_table t JOIN litellm_credential c ON
 * c.credential_name = t.name" can read the credential list once (and hash
 * it), or look each name up with GET /credentials/by_name/{name} from the
 * inner side of a nested loop.  Both paths are offered, and the planner
 * picks the cheaper by cost: the lookups win only when the outer side has
 * few rows against a long list.  Equal names of the outer side cost one
 * request, since the responses of a statement are kept (statement.c).
 *
 * The join condition usually lives in an equivalence class rather than in
 * joininfo, so both are searched, as postgres_fdw does.
 *
 * Called by credential.c (a key lookup is that resource's capability);
 * calls request.c (the encoded path of a name) and PostgreSQL's planner.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/join.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_operator.h"
#include "model.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "utils/lsyscache.h"

/* per-row CPU cost of turning a credential of the response into a row */
#define ROW_PARSE_COST		(cpu_tuple_cost * 4)

/* What ec_member_matches_name looks for. */
typedef struct EcMatchArg
{
	Index		relid;
	AttrNumber	name_att;
} EcMatchArg;

/* Helper functions */
static Expr *outer_value(RestrictInfo *ri, Index relid, AttrNumber name_att);
static bool ec_member_matches_name(PlannerInfo *root, RelOptInfo *rel,
								   EquivalenceClass *ec,
								   EquivalenceMember *em, void *arg);

/*
 * If the clause is "credential_name = expr" (either way round) with text
 * equality under a deterministic collation, where expr references other
 * relations only and is not volatile, return expr.
 */
static Expr *
outer_value(RestrictInfo *ri, Index relid, AttrNumber name_att)
{
	Expr	   *clause = ri->clause;
	OpExpr	   *op;
	Expr	   *left;
	Expr	   *right;
	Expr	   *other;
	Relids		relids;

	if (!IsA(clause, OpExpr))
		return NULL;
	op = (OpExpr *) clause;
	if (op->opno != TextEqualOperator || list_length(op->args) != 2)
		return NULL;
	if (OidIsValid(op->inputcollid) &&
		!get_collation_isdeterministic(op->inputcollid))
		return NULL;
	left = linitial(op->args);
	right = lsecond(op->args);
	if (lfdw_is_column(left, relid, name_att))
	{
		other = right;
		relids = ri->right_relids;
	}
	else if (lfdw_is_column(right, relid, name_att))
	{
		other = left;
		relids = ri->left_relids;
	}
	else
		return NULL;
	if (bms_is_empty(relids) || bms_is_member(relid, relids) ||
		contain_volatile_functions((Node *) other) ||
		contain_subplans((Node *) other))
		return NULL;
	return lfdw_strip_relabel(other);
}

static bool
ec_member_matches_name(PlannerInfo *root, RelOptInfo *rel,
					   EquivalenceClass *ec, EquivalenceMember *em, void *arg)
{
	EcMatchArg *match = (EcMatchArg *) arg;

	return lfdw_is_column(em->em_expr, match->relid, match->name_att);
}

/*
 * lfdw_add_param_name_paths
 *		Offer, for each set of outer relations a join on credential_name
 *		can take its value from, a path that makes one by_name request per
 *		outer row.
 */
void
lfdw_add_param_name_paths(PlannerInfo *root, RelOptInfo *baserel,
						  AttrNumber name_att, double request_cost)
{
	List	   *clauses = NIL;
	List	   *done = NIL;
	ListCell   *cell;
	EcMatchArg	arg;

	if (name_att == 0)
		return;

	foreach(cell, baserel->joininfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);

		if (!join_clause_is_movable_to(ri, baserel))
			continue;
		if (outer_value(ri, baserel->relid, name_att))
			clauses = lappend(clauses, ri);
	}

	if (baserel->has_eclass_joins)
	{
		arg.relid = baserel->relid;
		arg.name_att = name_att;
		foreach(cell, generate_implied_equalities_for_column(root, baserel,
															 ec_member_matches_name,
															 (void *) &arg,
															 baserel->lateral_referencers))
		{
			RestrictInfo *ri = lfirst_node(RestrictInfo, cell);

			if (outer_value(ri, baserel->relid, name_att))
				clauses = lappend(clauses, ri);
		}
	}

	foreach(cell, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);
		Relids		required_outer;
		Cost		startup;
		Cost		total;
		ListCell   *dc;
		bool		seen = false;

		required_outer = bms_union(ri->clause_relids,
								   baserel->lateral_relids);
		required_outer = bms_del_member(required_outer, baserel->relid);
		if (bms_is_empty(required_outer))
			continue;
		foreach(dc, done)
		{
			if (bms_equal((Relids) lfirst(dc), required_outer))
				seen = true;
		}
		if (seen)
			continue;
		done = lappend(done, required_outer);

		(void) get_baserel_parampathinfo(root, baserel, required_outer);
		/* a name is unique: one row at most per lookup */
		startup = request_cost;
		total = startup + ROW_PARSE_COST + cpu_tuple_cost;
		add_path(baserel, (Path *)
				 lfdw_create_foreignscan_path(root, baserel, NULL,
											  1.0,
											  startup, total, NIL,
											  required_outer, NULL, NIL));
	}
}

/*
 * lfdw_param_name_value
 *		The outer expression that a parameterized path looks names up with
 *		(its Vars become nestloop parameters when the plan is made).
 */
Expr *
lfdw_param_name_value(RelOptInfo *baserel, ForeignPath *path,
					  AttrNumber name_att)
{
	ListCell   *cell;

	if (path->path.param_info == NULL)
		return NULL;
	foreach(cell, path->path.param_info->ppi_clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);
		Expr	   *value = outer_value(ri, baserel->relid, name_att);

		if (value)
			return value;
	}
	return NULL;
}
