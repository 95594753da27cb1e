/*-------------------------------------------------------------------------
 *
 * convert.c
 *		  Row values between PostgreSQL and LiteLLM's fields, shared by the
 *		  credentials and the models tables.
 *
 * A column may be declared with the field's own type (text, jsonb: used as
 * they are) or with another type that can hold it (varchar, json: through
 * that type's input function), as the column maps of each table record.
 *
 * May call: PostgreSQL only (this file is at the bottom of the layers).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/convert.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "litellm_fdw.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/rel.h"

/*
 * lfdw_text_datum
 *		A text field as a Datum of its column's type.
 */
Datum
lfdw_text_datum(const LfdwColumnMap *map, int field, const char *value)
{
	if (map->att_native[field])
		return CStringGetTextDatum(value);
	return OidInputFunctionCall(map->att_input_func[field], (char *) value,
								map->att_input_param[field],
								map->att_typmod[field]);
}

/*
 * lfdw_jsonb_datum
 *		A jsonb field as a Datum of its column's type.
 */
Datum
lfdw_jsonb_datum(const LfdwColumnMap *map, int field, Jsonb *value)
{
	if (map->att_native[field])
		return JsonbPGetDatum(value);
	return OidInputFunctionCall(map->att_input_func[field],
								JsonbToCString(NULL, &value->root,
											   VARSIZE(value)),
								map->att_input_param[field],
								map->att_typmod[field]);
}

/*
 * lfdw_row_text
 *		The text of a field in a deformed row, or NULL (also when the table
 *		has no column for it).
 */
char *
lfdw_row_text(const LfdwColumnMap *map, int field, Datum *values,
			  bool *nulls)
{
	AttrNumber	att = map->field_att[field];

	if (att == 0 || nulls[att - 1])
		return NULL;
	return TextDatumGetCString(values[att - 1]);
}

/*
 * lfdw_row_jsonb
 *		The jsonb of a field in a deformed row (a json column is converted),
 *		or NULL.
 */
Jsonb *
lfdw_row_jsonb(const LfdwColumnMap *map, int field, Datum *values,
			   bool *nulls)
{
	AttrNumber	att = map->field_att[field];
	char	   *text;

	if (map->att_type[field] == JSONBOID && att != 0 && !nulls[att - 1])
		return DatumGetJsonbP(values[att - 1]);
	text = lfdw_row_text(map, field, values, nulls);
	return text ? DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
													 CStringGetDatum(text))) : NULL;
}

/*
 * lfdw_empty_object
 *		A new jsonb '{}'.
 */
Jsonb *
lfdw_empty_object(void)
{
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));
}

/*
 * lfdw_find_junk
 *		The junk columns of an UPDATE or DELETE plan: the row identity
 *		(id_name), and the old row when it was fetched (ours, else the
 *		planner's "wholerow" of an UPDATE); 0 when absent.
 */
void
lfdw_find_junk(Plan *subplan, CmdType operation, const char *id_name,
			   AttrNumber *id_junk, AttrNumber *old_row_junk)
{
	if (operation != CMD_UPDATE && operation != CMD_DELETE)
		return;
	*id_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, id_name);
	if (!AttributeNumberIsValid(*id_junk))
		elog(ERROR, "could not find junk column \"%s\"", id_name);
	*old_row_junk = ExecFindJunkAttributeInTlist(subplan->targetlist,
												 LFDW_JUNK_OLD_ROW);
	if (!AttributeNumberIsValid(*old_row_junk) && operation == CMD_UPDATE)
		*old_row_junk = ExecFindJunkAttributeInTlist(subplan->targetlist,
													 "wholerow");
}

/*
 * lfdw_junk_old_row
 *		The old row of an UPDATE or DELETE, deformed, if the plan fetched it
 *		(the junk column junk holds it as a whole-row value).
 */
bool
lfdw_junk_old_row(Relation rel, AttrNumber junk, TupleTableSlot *planSlot,
				  Datum **values, bool **nulls)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	HeapTupleData tuple;
	HeapTupleHeader td;
	Datum		datum;
	bool		isnull;

	if (!AttributeNumberIsValid(junk))
		return false;
	datum = ExecGetJunkAttribute(planSlot, junk, &isnull);
	if (isnull)
		return false;
	td = DatumGetHeapTupleHeader(datum);
	tuple.t_len = HeapTupleHeaderGetDatumLength(td);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = td;
	*values = palloc(tupdesc->natts * sizeof(Datum));
	*nulls = palloc(tupdesc->natts * sizeof(bool));
	heap_deform_tuple(&tuple, tupdesc, *values, *nulls);
	return true;
}

/*
 * lfdw_string_listed
 *		Is s one of a list of C strings (keys, ids)?
 */
bool
lfdw_string_listed(List *list, const char *s)
{
	ListCell   *cell;

	foreach(cell, list)
	{
		if (strcmp((const char *) lfirst(cell), s) == 0)
			return true;
	}
	return false;
}
