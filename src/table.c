/*-------------------------------------------------------------------------
 *
 * table.c
 *		  What every resource does alike with the rows of its foreign table:
 *		  the rows a list read returns, the fields a scan must convert,
 *		  storing a row read or written (with the column named in a
 *		  conversion error), the key and old row of an UPDATE or DELETE,
 *		  the fields a BEFORE ROW trigger changed, and the write_mode
 *		  choice (lfdw_modify_writes, the one place that reads it).
 *
 * Called by the resources (credential.c, model.c) and litellm_fdw.c; calls
 * convert.c (values of columns) and statement.c (the list size last seen)
 * only.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/table.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "executor/tuptable.h"
#include "model.h"
#include "optimizer/optimizer.h"
#include "resource.h"
#include "executor/executor.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rel.h"

/*
 * lfdw_list_rows
 *		The rows a read of the whole list returns after the local filters:
 *		the list's size as last seen, or the option estimated_rows
 *		(statement.c), times the conditions' selectivity.  Sets fetched.
 */
double
lfdw_list_rows(PlannerInfo *root, RelOptInfo *baserel, LfdwRelInfo *info)
{
	info->fetched = lfdw_estimated_rows(info->opts, info->relid,
										info->hdr.res->name);
	return info->fetched *
		clauselist_selectivity(root, baserel->baserestrictinfo,
							   baserel->relid, JOIN_INNER, NULL);
}

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
 * lfdw_modify_writes
 *		How the resource's writes reach LiteLLM under the table's write_mode:
 *		the one place that looks at it.
 */
const void *
lfdw_modify_writes(const LfdwResource *res, const LfdwOptions *opts)
{
	return opts->write_immediate ? res->immediate_writes : res->commit_writes;
}

/*
 * lfdw_row_key
 *		The key of the row an UPDATE or DELETE changes, from its junk
 *		column (never NULL: a row read from LiteLLM always has one).
 */
char *
lfdw_row_key(LfdwModifyState *fm, TupleTableSlot *planSlot)
{
	bool		isnull;
	Datum		junk = ExecGetJunkAttribute(planSlot, fm->key_junk, &isnull);

	if (isnull)
		elog(ERROR, "%s of the %s to change is NULL",
			 fm->hdr.res->key_column, fm->hdr.res->noun);
	return TextDatumGetCString(junk);
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
 * lfdw_store_old_row
 *		The row a DELETE returns (RETURNING): the old row as read, its
 *		secrets already masked, if the plan fetched it.
 */
void
lfdw_store_old_row(LfdwModifyState *fm, TupleTableSlot *slot,
				   TupleTableSlot *planSlot)
{
	Datum	   *values;
	bool	   *nulls;
	HeapTuple	tuple;
	MemoryContext oldcxt;

	if (!lfdw_old_row(fm, planSlot, &values, &nulls))
		return;
	oldcxt = MemoryContextSwitchTo(slot->tts_mcxt);
	tuple = heap_form_tuple(RelationGetDescr(fm->rel), values, nulls);
	MemoryContextSwitchTo(oldcxt);
	ExecForceStoreHeapTuple(tuple, slot, true);
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

/* Which column a row conversion is at, for its error context. */
typedef struct ConversionLocation
{
	const LfdwColumnMap *map;
	int			field;
} ConversionLocation;

/* Error context callback of a row conversion: names the column. */
static void
conversion_error_callback(void *arg)
{
	ConversionLocation *where = (ConversionLocation *) arg;

	if (where->field >= 0)
		errcontext("column \"%s\" of foreign table \"%s\"",
				   where->map->att_name[where->field], where->map->relname);
}

/*
 * Convert the fields into values[] and nulls[] (a row of the relation):
 * each field whose column exists, is wanted (wanted NULL: all) and is set
 * in fields[] (text, jsonb, or neither for NULL).  A conversion error names
 * the column; no catalog access is needed for that.
 */
static void
convert_fields(const LfdwColumnMap *map, int nfields, const bool *wanted,
			   const LfdwFieldValue *fields, Datum *values, bool *nulls)
{
	ErrorContextCallback errcb;
	ConversionLocation where;
	int			f;

	where.map = map;
	where.field = -1;
	errcb.callback = conversion_error_callback;
	errcb.arg = &where;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	for (f = 0; f < nfields; f++)
	{
		AttrNumber	att = map->field_att[f];

		if (att == 0 || !fields[f].set || (wanted && !wanted[f]))
			continue;
		where.field = f;
		nulls[att - 1] = fields[f].text == NULL && fields[f].jsonb == NULL;
		if (fields[f].text)
			values[att - 1] = lfdw_text_datum(map, f, fields[f].text);
		else if (fields[f].jsonb)
			values[att - 1] = lfdw_jsonb_datum(map, f, fields[f].jsonb);
	}
	error_context_stack = errcb.previous;
}

/*
 * lfdw_store_fields
 *		Store a row read from LiteLLM into the scan's slot: the wanted
 *		fields converted, every other column NULL.
 */
void
lfdw_store_fields(TupleTableSlot *slot, const LfdwColumnMap *map, int nfields,
				  const bool *wanted, const LfdwFieldValue *fields)
{
	memset(slot->tts_isnull, true, map->natts * sizeof(bool));
	convert_fields(map, nfields, wanted, fields, slot->tts_values,
				   slot->tts_isnull);
	ExecStoreVirtualTuple(slot);
}

/*
 * lfdw_store_result
 *		Store the row a write returns (RETURNING, triggers): the row as
 *		given, with the fields set in fields[] replaced.
 */
void
lfdw_store_result(LfdwModifyState *fm, TupleTableSlot *slot,
				  const LfdwFieldValue *fields)
{
	TupleDesc	tupdesc = RelationGetDescr(fm->rel);
	Datum	   *v = palloc(tupdesc->natts * sizeof(Datum));
	bool	   *n = palloc(tupdesc->natts * sizeof(bool));
	HeapTuple	tuple;
	MemoryContext oldcxt;

	slot_getallattrs(slot);
	memcpy(v, slot->tts_values, tupdesc->natts * sizeof(Datum));
	memcpy(n, slot->tts_isnull, tupdesc->natts * sizeof(bool));
	convert_fields(&fm->map, fm->hdr.res->nfields, NULL, fields, v, n);

	oldcxt = MemoryContextSwitchTo(slot->tts_mcxt);
	tuple = heap_form_tuple(tupdesc, v, n);
	MemoryContextSwitchTo(oldcxt);
	ExecForceStoreHeapTuple(tuple, slot, true);
}
