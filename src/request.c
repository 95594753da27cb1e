/*-------------------------------------------------------------------------
 *
 * request.c
 *		  What litellm_fdw asks LiteLLM for: which conditions become which
 *		  request, paths with percent-encoded names, and request bodies.
 *
 * Pushdown.  LiteLLM's credential API has no filtering; it has a list call
 * and two point reads.  So three shapes of condition are worth a request of
 * their own, where <value> is anything the same for every row (constants,
 * parameters, and stable expressions over them, evaluated once):
 *	  model_id = <value>						  GET /credentials/by_model/{id}
 *	  credential_name = <value>					  GET /credentials/by_name/{name}
 *	  credential_name = ANY(<array>) / IN (...)   one by_name call per name
 * and everything else is one GET /credentials.  model_id comes first because
 * only by_model returns rows with a model_id; the others never match it.
 * Only text equality under a deterministic collation is pushed: a
 * case-insensitive collation would match names the exact lookup misses.
 * Every condition is still checked locally on the rows that come back.
 *
 * Bodies.  They are written as JSON text straight from the column values
 * (jsonb prints itself exactly, numerics included) into one buffer sized in
 * advance to an upper bound of their length (JsonbToCString is told to
 * reserve nothing more), so that the secrets they hold are in one place
 * that is wiped after the request, not scattered over reallocated copies.
 * lfdw_finish_body serves the model bodies (model_write.c) too.
 *
 * Also the jsonb helpers of both tables' writes: the top-level keys of an
 * object, and the placeholder guard (lfdw_refuse_placeholder).
 *
 * May call: secret.c (wiping, remote text), wire.c (percent-encoding),
 * PostgreSQL.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/request.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "litellm_fdw.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "secret.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/pg_locale.h"
#include "wire.h"

/* Helper functions */
static bool is_value(Expr *expr);
static bool pushable_collation(Oid collid);
static Expr *match_equality(Expr *clause, Index relid, AttrNumber attno);
static Expr *match_any(Expr *clause, Index relid, AttrNumber attno);
static char *build_body(const LfdwCredentialSpec *spec, bool patch,
						size_t *len);
static size_t body_estimate(const LfdwCredentialSpec *spec);
static size_t jsonb_text_bound(Jsonb *jb);
static List *top_level_keys(Jsonb *jb, bool only_null);
static bool lfdw_find_placeholder(Jsonb *jb, const char **key);

/*
 * lfdw_classify_quals
 *		Choose the request for a scan of baserel from its conditions.
 *
 * Returns the kind of scan; *value is the expression that gives the name
 * or id (for LFDW_SCAN_BY_NAMES, an array of names), and *count the number
 * of names when known at plan time (-1 otherwise).
 */
LfdwScanKind
lfdw_classify_quals(RelOptInfo *baserel, const LfdwColumnMap *map,
					Expr **value, int *count)
{
	Index		relid = baserel->relid;
	AttrNumber	name_att = map->field_att[LFDW_FIELD_NAME];
	AttrNumber	model_att = map->field_att[LFDW_FIELD_MODEL_ID];
	Expr	   *name_eq = NULL;
	Expr	   *name_any = NULL;
	ListCell   *cell;

	*value = NULL;
	*count = -1;

	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);
		Expr	   *e;

		if (model_att &&
			(e = match_equality(ri->clause, relid, model_att)) != NULL)
		{
			*value = e;
			*count = 1;
			return LFDW_SCAN_BY_MODEL;
		}
		if (name_att && name_eq == NULL)
			name_eq = match_equality(ri->clause, relid, name_att);
		if (name_att && name_any == NULL)
			name_any = match_any(ri->clause, relid, name_att);
	}

	if (name_eq)
	{
		*value = name_eq;
		*count = 1;
		return LFDW_SCAN_BY_NAME;
	}
	if (name_any)
	{
		*value = name_any;
		if (IsA(name_any, Const))
			*count = lfdw_distinct_names(((Const *) name_any)->constisnull ?
										 (Datum) 0 :
										 ((Const *) name_any)->constvalue,
										 ((Const *) name_any)->constisnull,
										 NULL);
		else if (IsA(name_any, ArrayExpr))
			*count = list_length(((ArrayExpr *) name_any)->elements);
		return LFDW_SCAN_BY_NAMES;
	}
	return LFDW_SCAN_LIST;
}

/*
 * lfdw_distinct_names
 *		The distinct non-null elements of a text array, in order; their
 *		number is returned and, with names non-NULL, the list of C strings.
 */
int
lfdw_distinct_names(Datum array, bool isnull, List **names)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *result = NIL;

	if (names)
		*names = NIL;
	if (isnull)
		return 0;
	deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		char	   *s;
		ListCell   *cell;
		bool		seen = false;

		if (nulls[i])
			continue;
		s = TextDatumGetCString(elems[i]);
		foreach(cell, result)
		{
			if (strcmp((char *) lfirst(cell), s) == 0)
			{
				seen = true;
				break;
			}
		}
		if (!seen)
			result = lappend(result, s);
	}
	if (names)
		*names = result;
	return list_length(result);
}

/*
 * lfdw_strip_relabel
 *		The expression under any binary-compatible casts (varchar to text).
 */
Expr *
lfdw_strip_relabel(Expr *expr)
{
	while (expr && IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	return expr;
}

/*
 * lfdw_is_column
 *		Is the expression (under casts) column attno of relation relid?
 */
bool
lfdw_is_column(Expr *expr, Index relid, AttrNumber attno)
{
	expr = lfdw_strip_relabel(expr);
	return expr && IsA(expr, Var) &&
		((Var *) expr)->varno == relid &&
		((Var *) expr)->varattno == attno &&
		((Var *) expr)->varlevelsup == 0;
}

/*
 * A value known before the scan starts, and the same for every row: a
 * constant, a parameter, or an expression over those (such as 'a-' || $1 in
 * PL/pgSQL) that references no column, calls no volatile function and holds
 * no subquery.  It is evaluated once, when the scan starts.
 */
static bool
is_value(Expr *expr)
{
	expr = lfdw_strip_relabel(expr);
	if (expr == NULL)
		return false;
	if (IsA(expr, Const) || IsA(expr, Param))
		return true;
	return !contain_var_clause((Node *) expr) &&
		!contain_volatile_functions((Node *) expr) &&
		!contain_subplans((Node *) expr);
}

static bool
pushable_collation(Oid collid)
{
	return !OidIsValid(collid) || get_collation_isdeterministic(collid);
}

/* column = value (either way round) with text equality. */
static Expr *
match_equality(Expr *clause, Index relid, AttrNumber attno)
{
	OpExpr	   *op;
	Expr	   *left;
	Expr	   *right;

	if (!IsA(clause, OpExpr))
		return NULL;
	op = (OpExpr *) clause;
	if (op->opno != TextEqualOperator || list_length(op->args) != 2 ||
		!pushable_collation(op->inputcollid))
		return NULL;
	left = linitial(op->args);
	right = lsecond(op->args);
	if (lfdw_is_column(left, relid, attno) && is_value(right))
		return lfdw_strip_relabel(right);
	if (lfdw_is_column(right, relid, attno) && is_value(left))
		return lfdw_strip_relabel(left);
	return NULL;
}

/* column = ANY(array of values), which is also what IN (...) becomes. */
static Expr *
match_any(Expr *clause, Index relid, AttrNumber attno)
{
	ScalarArrayOpExpr *op;
	Expr	   *array;

	if (!IsA(clause, ScalarArrayOpExpr))
		return NULL;
	op = (ScalarArrayOpExpr *) clause;
	if (!op->useOr || op->opno != TextEqualOperator ||
		list_length(op->args) != 2 || !pushable_collation(op->inputcollid) ||
		!lfdw_is_column(linitial(op->args), relid, attno))
		return NULL;
	array = lfdw_strip_relabel(lsecond(op->args));
	return is_value(array) ? array : NULL;
}

/*
 * lfdw_encode_path_segment
 *		Percent-encode every byte outside RFC 3986's unreserved set, after
 *		conversion to UTF-8.  Returns a palloc'd string.
 */
char *
lfdw_encode_path_segment(const char *name)
{
	char	   *utf8 = pg_server_to_any(name, strlen(name), PG_UTF8);
	char	   *out = palloc(3 * strlen(utf8) + 1);

	lfdw_wire_percent_encode(utf8, out);
	return out;
}

/*
 * lfdw_credential_path
 *		prefix + the encoded name, e.g. "/credentials/by_name/" + "a%2Fb".
 */
char *
lfdw_credential_path(const char *prefix, const char *name)
{
	return psprintf("%s%s", prefix, lfdw_encode_path_segment(name));
}

/*
 * lfdw_build_create_body
 *		The JSON body of POST /credentials.  Returns a palloc'd string the
 *		caller must pass to lfdw_wipe_body.
 */
char *
lfdw_build_create_body(const LfdwCredentialSpec *spec, size_t *len)
{
	return build_body(spec, false, len);
}

/*
 * lfdw_build_patch_body
 *		The JSON body of PATCH /credentials/{name}: all three fields, which
 *		LiteLLM up to 1.95 requires, and credential_values_to_delete when
 *		keys are to go.
 */
char *
lfdw_build_patch_body(const LfdwCredentialSpec *spec, size_t *len)
{
	return build_body(spec, true, len);
}

/*
 * The body of a create, or with patch of a PATCH (credential_values always,
 * the keys to delete, no model_id), in one buffer sized in advance.
 */
static char *
build_body(const LfdwCredentialSpec *spec, bool patch, size_t *len)
{
	StringInfoData buf;
	char	   *start PG_USED_FOR_ASSERTS_ONLY;

	initStringInfo(&buf);
	enlargeStringInfo(&buf, body_estimate(spec));
	start = buf.data;
	appendStringInfoString(&buf, "{\"credential_name\":");
	escape_json(&buf, spec->name);
	appendStringInfoString(&buf, ",\"credential_info\":");
	if (spec->keep_info)
		appendStringInfoString(&buf, "{}");
	else
		(void) JsonbToCString(&buf, &spec->info->root, 0);
	if (patch || spec->values)
	{
		appendStringInfoString(&buf, ",\"credential_values\":");
		if (spec->values)
			(void) JsonbToCString(&buf, &spec->values->root, 0);
		else
			appendStringInfoString(&buf, "{}");
	}
	if (!patch && spec->model_id)
	{
		appendStringInfoString(&buf, ",\"model_id\":");
		escape_json(&buf, spec->model_id);
	}
	if (patch && spec->values_to_delete)
	{
		ListCell   *cell;
		bool		first = true;

		appendStringInfoString(&buf, ",\"credential_values_to_delete\":[");
		foreach(cell, spec->values_to_delete)
		{
			if (!first)
				appendStringInfoChar(&buf, ',');
			first = false;
			escape_json(&buf, (const char *) lfirst(cell));
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	Assert(buf.data == start);	/* never reallocated */
	return lfdw_finish_body(&buf, len);
}

/*
 * Room for the whole body, so that it is never reallocated (which would
 * leave copies of secrets behind in freed memory): an upper bound of its
 * length, with jsonb_text_bound for the JSON values.
 */
static size_t
body_estimate(const LfdwCredentialSpec *spec)
{
	size_t		n = 256 + 6 * strlen(spec->name);
	ListCell   *cell;

	n += jsonb_text_bound(spec->info);
	if (spec->values)
		n += jsonb_text_bound(spec->values);
	if (spec->model_id)
		n += 6 * strlen(spec->model_id);
	foreach(cell, spec->values_to_delete)
		n += 6 * strlen((const char *) lfirst(cell)) + 4;
	return n;
}

/*
 * An upper bound of the length of JsonbToCString's text of a value: every
 * string escaped at six bytes a byte at most, numbers at their printed
 * length (the printed copy is wiped: a number may be a secret), and the
 * punctuation ("{", ", ", ": ") around each token.
 */
static size_t
jsonb_text_bound(Jsonb *jb)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	size_t		n = 2;

	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		n += 4;
		if (tok != WJB_KEY && tok != WJB_VALUE && tok != WJB_ELEM)
			continue;
		switch (v.type)
		{
			case jbvString:
				n += 6 * (size_t) v.val.string.len + 2;
				break;
			case jbvNumeric:
				{
					char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out,
																		   NumericGetDatum(v.val.numeric)));

					n += strlen(text);
					lfdw_wipe_body(text, strlen(text));
					break;
				}
			default:
				n += 5;			/* true, false, null */
				break;
		}
	}
	return n;
}

/*
 * lfdw_finish_body
 *		A finished body (of either table), in UTF-8 whatever the server
 *		encoding; a converted copy leaves the original wiped.  Returns a
 *		palloc'd string the caller must pass to lfdw_wipe_body.
 */
char *
lfdw_finish_body(StringInfo buf, size_t *len)
{
	char	   *utf8;

	if (GetDatabaseEncoding() == PG_UTF8 ||
		GetDatabaseEncoding() == PG_SQL_ASCII)
	{
		*len = buf->len;
		return buf->data;
	}
	utf8 = pg_server_to_any(buf->data, buf->len, PG_UTF8);
	if (utf8 != buf->data)
	{
		char	   *copy = pstrdup(utf8);

		lfdw_wipe_body(buf->data, buf->len);
		lfdw_wipe_body(utf8, strlen(utf8));
		utf8 = copy;
	}
	*len = strlen(utf8);
	return utf8;
}

/*
 * lfdw_check_json_object
 *		Raise an error unless jb is a JSON object.
 */
void
lfdw_check_json_object(Jsonb *jb, const char *column, const char *name)
{
	if (JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", column),
				 errdetail("The value given for credential \"%s\" is a JSON scalar.",
						   name)));
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a JSON object", column),
				 errdetail("The value given for credential \"%s\" is a JSON array.",
						   name)));
}

/*
 * lfdw_refuse_placeholder
 *		The placeholder guard of both tables: refuse a value to be written
 *		(column of the thing called what name) that holds a masked
 *		read-back anywhere.  A value read from the table (or from LiteLLM,
 *		which masks with "****" inside the string) must never be stored as
 *		a secret.
 */
void
lfdw_refuse_placeholder(Jsonb *jb, const char *column, const char *what,
						const char *name, const char *hint)
{
	const char *key;

	if (lfdw_find_placeholder(jb, &key))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of %s \"%s\" holds a masked placeholder",
						column, what, name),
				 errdetail("The value of key \"%s\" contains \"%s\", the way secrets are masked when they are read.",
						   key, LFDW_MASK_MARKER),
				 errhint("%s", hint)));
}

/*
 * lfdw_find_placeholder
 *		Does any string of a JSON value (nested too) contain the mask
 *		marker?  *key is then the key it stands under ("?" in an array at
 *		the top).
 */
static bool
lfdw_find_placeholder(Jsonb *jb, const char **key)
{
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	*key = "?";
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			*key = pnstrdup(v.val.string.val, v.val.string.len);
		else if ((tok == WJB_VALUE || tok == WJB_ELEM) &&
				 v.type == jbvString &&
				 v.val.string.len >= (int) strlen(LFDW_MASK_MARKER) &&
				 memmem(v.val.string.val, v.val.string.len,
						LFDW_MASK_MARKER, strlen(LFDW_MASK_MARKER)) != NULL)
			return true;
	}
	return false;
}

/*
 * lfdw_jsonb_object_keys
 *		The top-level keys of a JSON object, as a List of C strings.
 */
List *
lfdw_jsonb_object_keys(Jsonb *jb)
{
	return top_level_keys(jb, false);
}

/*
 * The top-level keys of an object (only_null: those whose value is JSON
 * null), as a List of C strings; NIL for anything but an object.
 */
static List *
top_level_keys(Jsonb *jb, bool only_null)
{
	List	   *keys = NIL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb))
		return NIL;
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE && (!only_null || v.type == jbvNull))
			keys = lappend(keys, key);
	}
	return keys;
}

/*
 * lfdw_jsonb_is_empty_object
 *		Is jb NULL or an object without keys?
 */
bool
lfdw_jsonb_is_empty_object(Jsonb *jb)
{
	return jb == NULL ||
		(JB_ROOT_IS_OBJECT(jb) && JB_ROOT_COUNT(jb) == 0);
}

/*
 * lfdw_jsonb_keys_missing
 *		The top-level keys of before that after lacks (after NULL: all).
 */
List *
lfdw_jsonb_keys_missing(Jsonb *before, Jsonb *after)
{
	List	   *now = lfdw_jsonb_object_keys(after);
	List	   *missing = NIL;
	ListCell   *cell;

	foreach(cell, lfdw_jsonb_object_keys(before))
	{
		char	   *key = (char *) lfirst(cell);
		ListCell   *c2;
		bool		kept = false;

		foreach(c2, now)
		{
			if (strcmp(key, (char *) lfirst(c2)) == 0)
				kept = true;
		}
		if (!kept)
			missing = lappend(missing, key);
	}
	return missing;
}

/*
 * lfdw_jsonb_null_keys
 *		The top-level keys of an object whose value is JSON null.
 */
List *
lfdw_jsonb_null_keys(Jsonb *jb)
{
	return top_level_keys(jb, true);
}

/*
 * lfdw_jsonb_without_keys
 *		An object without the given top-level keys.
 */
Jsonb *
lfdw_jsonb_without_keys(Jsonb *jb, List *keys)
{
	ListCell   *cell;

	foreach(cell, keys)
		jb = DatumGetJsonbP(DirectFunctionCall2(jsonb_delete,
												JsonbPGetDatum(jb),
												CStringGetTextDatum((char *) lfirst(cell))));
	return jb;
}

/*
 * lfdw_jsonb_only_keys
 *		An object with only the given top-level keys (those it has).
 */
Jsonb *
lfdw_jsonb_only_keys(Jsonb *jb, List *keys)
{
	List	   *others = NIL;
	ListCell   *cell;

	foreach(cell, lfdw_jsonb_object_keys(jb))
	{
		if (!lfdw_string_listed(keys, (const char *) lfirst(cell)))
			others = lappend(others, lfirst(cell));
	}
	return lfdw_jsonb_without_keys(jb, others);
}

/*
 * lfdw_jsonb_concat
 *		a || b (b's keys win); either may be NULL.
 */
Jsonb *
lfdw_jsonb_concat(Jsonb *a, Jsonb *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	return DatumGetJsonbP(DirectFunctionCall2(jsonb_concat,
											  JsonbPGetDatum(a),
											  JsonbPGetDatum(b)));
}

/*
 * lfdw_jsonb_unchanged_masks
 *		The top-level keys of after whose value is exactly before's value
 *		of that key, where that value holds the mask marker: a masked value
 *		read back and written again unchanged (SET credential_values =
 *		credential_values || '{"api_key": "sk-new"}').  Such a key means
 *		"keep what LiteLLM has"; any other value holding the marker is
 *		still refused by the placeholder guard.
 */
List *
lfdw_jsonb_unchanged_masks(Jsonb *before, Jsonb *after)
{
	List	   *kept = NIL;
	ListCell   *cell;

	if (before == NULL || after == NULL ||
		!JB_ROOT_IS_OBJECT(before) || !JB_ROOT_IS_OBJECT(after))
		return NIL;
	foreach(cell, lfdw_jsonb_object_keys(after))
	{
		char	   *key = (char *) lfirst(cell);
		Jsonb	   *was;
		Jsonb	   *now;
		const char *where;

		if (getKeyJsonValueFromContainer(&before->root, key, strlen(key),
										 NULL) == NULL)
			continue;
		was = DatumGetJsonbP(DirectFunctionCall2(jsonb_object_field,
												 JsonbPGetDatum(before),
												 CStringGetTextDatum(key)));
		now = DatumGetJsonbP(DirectFunctionCall2(jsonb_object_field,
												 JsonbPGetDatum(after),
												 CStringGetTextDatum(key)));
		if (lfdw_find_placeholder(was, &where) &&
			DatumGetBool(DirectFunctionCall2(jsonb_eq, JsonbPGetDatum(was),
											 JsonbPGetDatum(now))))
			kept = lappend(kept, key);
	}
	return kept;
}

/*
 * lfdw_key_list_text
 *		Keys for a message: "a", "b" (sorted, each quoted).  Keys may come
 *		from LiteLLM (the row as read): each goes through lfdw_remote_text.
 */
char *
lfdw_key_list_text(const LfdwOptions *opts, List *keys)
{
	StringInfoData buf;
	List	   *sorted = list_copy(keys);
	ListCell   *cell;
	LfdwCall	call;

	memset(&call, 0, sizeof(call));
	call.opts = opts;
	list_sort(sorted, lfdw_string_cmp);
	initStringInfo(&buf);
	foreach(cell, sorted)
	{
		const char *key = (const char *) lfirst(cell);

		appendStringInfo(&buf, "%s\"%s\"", buf.len ? ", " : "",
						 lfdw_shown(lfdw_remote_text(&call, key, strlen(key))));
	}
	return buf.data;
}

int
lfdw_string_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp((const char *) lfirst(a), (const char *) lfirst(b));
}
