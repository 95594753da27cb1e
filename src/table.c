/*-------------------------------------------------------------------------
 *
 * table.c
 *		  What every resource does alike with the rows of its foreign table:
 *		  the fields a scan must convert, the old row of an UPDATE or
 *		  DELETE, and the fields a BEFORE ROW trigger changed.
 *
 * Called by the resources (credential.c, model.c) and litellm_fdw.c; calls
 * convert.c only.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/table.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/sysattr.h"
#include "optimizer/optimizer.h"
#include "resource.h"
#include "utils/datum.h"
#include "utils/rel.h"

/*
 * lfdw_wanted_fields
 *		The fields a scan must convert, as a bitmask: those whose column the
 *		query's output or conditions use (all, for a whole-row reference).
 */
int
lfdw_wanted_fields(RelOptInfo *baserel, const LfdwColumnMap *map, int nfields)
{
	Bitmapset  *attrs = NULL;
	int			wanted = 0;
	int			f;
	ListCell   *cell;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(cell, baserel->baserestrictinfo)
		pull_varattnos((Node *) lfirst_node(RestrictInfo, cell)->clause,
					   baserel->relid, &attrs);
	for (f = 0; f < nfields; f++)
	{
		AttrNumber	att = map->field_att[f];

		if (att &&
			(bms_is_member(att - FirstLowInvalidHeapAttributeNumber, attrs) ||
			 bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs)))
			wanted |= 1 << f;
	}
	return wanted;
}

/*
 * lfdw_old_row
 *		The old row of an UPDATE or DELETE, deformed, if the plan fetched it.
 */
bool
lfdw_old_row(LfdwModifyState *fm, TupleTableSlot *planSlot, Datum **values,
			 bool **nulls)
{
	return lfdw_junk_old_row(fm->rel, fm->old_row_junk, planSlot, values,
							 nulls);
}

/*
 * lfdw_changed_fields
 *		The fields whose value in the new row differs from the old row, as a
 *		bitmask like LfdwModifyState.updated.
 */
int
lfdw_changed_fields(LfdwModifyState *fm, TupleTableSlot *slot,
					Datum *old_values, bool *old_nulls)
{
	TupleDesc	tupdesc = RelationGetDescr(fm->rel);
	int			changed = 0;
	int			f;

	for (f = 0; f < fm->hdr.res->nfields; f++)
	{
		AttrNumber	att = fm->map.field_att[f];
		Form_pg_attribute attr;

		if (att == 0)
			continue;
		attr = TupleDescAttr(tupdesc, att - 1);
		if (slot->tts_isnull[att - 1] != old_nulls[att - 1] ||
			(!old_nulls[att - 1] &&
			 !datum_image_eq(slot->tts_values[att - 1], old_values[att - 1],
							 attr->attbyval, attr->attlen)))
			changed |= 1 << f;
	}
	return changed;
}
