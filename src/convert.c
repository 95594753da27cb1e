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
lfdw_text_datum(bool native, Oid input_func, Oid input_param, int32 typmod,
				const char *value)
{
	if (native)
		return CStringGetTextDatum(value);
	return OidInputFunctionCall(input_func, (char *) value, input_param,
								typmod);
}

/*
 * lfdw_jsonb_datum
 *		A jsonb field as a Datum of its column's type.
 */
Datum
lfdw_jsonb_datum(bool native, Oid input_func, Oid input_param, int32 typmod,
				 Jsonb *value)
{
	if (native)
		return JsonbPGetDatum(value);
	return OidInputFunctionCall(input_func,
								JsonbToCString(NULL, &value->root,
											   VARSIZE(value)),
								input_param, typmod);
}

/*
 * lfdw_column_text
 *		The text of column att (1-based, 0 when the table has none) of a
 *		deformed row, or NULL.
 */
char *
lfdw_column_text(AttrNumber att, Datum *values, bool *nulls)
{
	if (att == 0 || nulls[att - 1])
		return NULL;
	return TextDatumGetCString(values[att - 1]);
}

/*
 * lfdw_column_jsonb
 *		The jsonb of column att of a deformed row (a json column is
 *		converted), or NULL.
 */
Jsonb *
lfdw_column_jsonb(AttrNumber att, Oid type, Datum *values, bool *nulls)
{
	if (att == 0 || nulls[att - 1])
		return NULL;
	if (type == JSONBOID)
		return DatumGetJsonbP(values[att - 1]);
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
											  CStringGetDatum(TextDatumGetCString(values[att - 1]))));
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
