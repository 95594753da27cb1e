/*-------------------------------------------------------------------------
 *
 * json.c
 *		  JSON from LiteLLM into jsonb: straight from the bytes of a checked
 *		  body (the strict lexer of wire.c) or from a cJSON tree, strings
 *		  converted to the server encoding.
 *
 * Owns: the conversion of response JSON to JsonbValue / Jsonb, in both of
 * the shapes the responses are read in (streamed text, cJSON tree).  It
 * decides nothing about what is shown: the maskers (secret.c) and the
 * readers (response.c, model_response.c) build on it.
 *
 * Also the tie of memory that is not palloc'd (a cJSON tree, a list
 * index) to a memory context (lfdw_free_on_reset), which every reader
 * needs.
 *
 * May call: wire.c (the lexer), cJSON, PostgreSQL.  Nothing else of
 * litellm_fdw.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/json.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include <cJSON.h>
#include "json.h"
#include "wire.h"

/* numeric_in refuses an exponent beyond NUMERIC_MAX_PRECISION (1000) */
#define LFDW_JSON_MAX_EXPONENT	1000

/* Helper functions */
static void number_value(LfdwWireLexer *lx, JsonbValue *v);
static Numeric text_numeric(const char *num);
static Numeric double_numeric(double d);
static int	compare_pairs(const void *a, const void *b);
static void *room_for(void *elems, int n, int *cap, size_t size);
static void free_tree_callback(void *arg);
static JsonbValue *push_scalar(JsonbParseState **state, const cJSON *node,
							   JsonbIteratorToken token);
static void lfdw_json_string_value(LfdwWireLexer *lx, JsonbValue *v);
static void lfdw_json_finish_object(JsonbValue *v, JsonbPair *pairs, int n);
static void lfdw_json_build_value(LfdwWireLexer *lx, LfdwWireToken t,
								  JsonbValue *v);
static JsonbValue *lfdw_json_push_cjson(JsonbParseState **state,
										const struct cJSON *node,
										JsonbIteratorToken token);

/*
 * The UTF-8 text of a string token, palloc'd and NUL-terminated; its
 * length in *outlen if that is not NULL.
 */
char *
lfdw_json_token_string(const char *raw, size_t len, bool escaped, int *outlen)
{
	char	   *buf = palloc(len + 1);
	size_t		n;

	if (escaped)
		n = lfdw_wire_unescape(raw, len, buf);
	else
	{
		memcpy(buf, raw, len);
		buf[len] = '\0';
		n = len;
	}
	if (outlen)
		*outlen = (int) n;
	return buf;
}

/*
 * A string token (key or value) as a jsonb string; it points into the body
 * where it can, since the body outlives the Jsonb built from it.
 */
static void
lfdw_json_string_value(LfdwWireLexer *lx, JsonbValue *v)
{
	v->type = jbvString;
	if (!lx->escaped && GetDatabaseEncoding() == PG_UTF8)
	{
		v->val.string.val = (char *) lx->str;
		v->val.string.len = (int) lx->len;
	}
	else
	{
		char	   *token = lfdw_json_token_string(lx->str, lx->len,
												   lx->escaped, NULL);

		v->val.string.val = lfdw_json_server_string(token);
		v->val.string.len = strlen(v->val.string.val);
	}
}

/*
 * A number token as a jsonb numeric, read exactly from its text as
 * PostgreSQL's own ::jsonb reads it (numeric_in), never through a double.
 */
static void
number_value(LfdwWireLexer *lx, JsonbValue *v)
{
	char		num[LFDW_WIRE_MAX_NUMBER + 1];
	size_t		sign = lx->str[0] == '-' ? 1 : 0;

	memcpy(num, lx->str, lx->len);
	num[lx->len] = '\0';
	v->type = jbvNumeric;
	/* an integer of up to 15 digits fits an int8: no text parse */
	if (lx->len - sign <= 15 &&
		strspn(num + sign, "0123456789") == lx->len - sign)
		v->val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric,
															 Int64GetDatum(strtoll(num, NULL, 10))));
	else
		v->val.numeric = text_numeric(num);
}

/*
 * The text of a JSON number (checked JSON syntax, at most
 * LFDW_WIRE_MAX_NUMBER bytes) as a numeric, exactly: 1e-400 stays 1e-400
 * and 1e400 is read, as jsonb_in reads them.  An exponent beyond what
 * numeric_in accepts is refused here, so that no server text reaches the
 * message.
 */
static Numeric
text_numeric(const char *num)
{
	const char *e = strpbrk(num, "eE");
	long		exponent = e ? strtol(e + 1, NULL, 10) : 0;

	if (exponent > LFDW_JSON_MAX_EXPONENT ||
		exponent < -LFDW_JSON_MAX_EXPONENT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number out of range in a response from LiteLLM"),
				 errdetail("JSON numbers with an exponent beyond %d cannot be read as numeric.",
						   LFDW_JSON_MAX_EXPONENT)));
	return DatumGetNumeric(DirectFunctionCall3(numeric_in,
											   CStringGetDatum(num),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*
 * A number cJSON read as a double, when its text is not known (a body the
 * strict lexer refuses: see lfdw_wire_parse): the shortest text that reads
 * back as the same double.
 */
static Numeric
double_numeric(double d)
{
	/* an error context line names the request and server */
	if (!isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number out of range in a response from LiteLLM"),
				 errdetail("JSON numbers beyond the range of double precision cannot be read.")));
	return DatumGetNumeric(DirectFunctionCall3(numeric_in,
											   CStringGetDatum(float8out_internal(d)),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/*
 * jsonb's order of object keys (shorter first, then bytewise); of two equal
 * keys the later one first, so that it is the one kept, as jsonb_in does.
 */
static int
compare_pairs(const void *a, const void *b)
{
	const JsonbPair *pa = a;
	const JsonbPair *pb = b;
	int			la = pa->key.val.string.len;
	int			lb = pb->key.val.string.len;
	int			c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(pa->key.val.string.val, pb->key.val.string.val, la);
	if (c != 0)
		return c;
	return pa->order > pb->order ? -1 : (pa->order < pb->order ? 1 : 0);
}

/* Sort the members into jsonb's order and drop repeated keys. */
static void
lfdw_json_finish_object(JsonbValue *v, JsonbPair *pairs, int n)
{
	int			i,
				out = 0;

	if (n > 16)
		qsort(pairs, n, sizeof(JsonbPair), compare_pairs);
	else
	{
		/* few members, often nearly sorted: insertion sort */
		for (i = 1; i < n; i++)
		{
			JsonbPair	tmp = pairs[i];
			int			j = i;

			while (j > 0 && compare_pairs(&pairs[j - 1], &tmp) > 0)
			{
				pairs[j] = pairs[j - 1];
				j--;
			}
			pairs[j] = tmp;
		}
	}
	for (i = 0; i < n; i++)
	{
		if (out > 0 &&
			pairs[out - 1].key.val.string.len == pairs[i].key.val.string.len &&
			memcmp(pairs[out - 1].key.val.string.val, pairs[i].key.val.string.val,
				   pairs[i].key.val.string.len) == 0)
			continue;
		pairs[out++] = pairs[i];
	}
	v->type = jbvObject;
	v->val.object.nPairs = out;
	v->val.object.pairs = pairs;
}

/* Room for element n of an array of *cap elements, doubled when full. */
static void *
room_for(void *elems, int n, int *cap, size_t size)
{
	if (n < *cap)
		return elems;
	*cap *= 2;
	return repalloc(elems, *cap * size);
}

/*
 * lfdw_json_build_object
 *		Build the members of the object whose '{' was just read, as
 *		lfdw_json_build_value does.  With shown non-NULL, it says of each key
 *		(in UTF-8, as sent) whether its value is kept: the value of any
 *		other key is skipped and replaced by the string mask.  false when
 *		the object does not end as it should.
 */
bool
lfdw_json_build_object(LfdwWireLexer *lx, JsonbValue *v,
					   LfdwJsonKeyShown shown, const void *arg,
					   const char *mask)
{
	int			n = 0,
				cap = 8;
	JsonbPair  *pairs = palloc(cap * sizeof(JsonbPair));
	LfdwWireToken t;

	check_stack_depth();
	while ((t = lfdw_wire_lex_next(lx)) == LFDW_TOK_KEY)
	{
		bool		keep = true;

		pairs = room_for(pairs, n, &cap, sizeof(JsonbPair));
		if (shown && lx->escaped)
		{
			int			klen;
			char	   *k = lfdw_json_token_string(lx->str, lx->len, true, &klen);

			keep = shown(k, klen, arg);
		}
		else if (shown)
			keep = shown(lx->str, (int) lx->len, arg);
		lfdw_json_string_value(lx, &pairs[n].key);
		pairs[n].order = n;
		t = lfdw_wire_lex_next(lx);
		if (keep)
			lfdw_json_build_value(lx, t, &pairs[n].value);
		else
		{
			if (!lfdw_wire_lex_skip(lx, t))
				elog(ERROR, "unexpected token in a checked response from LiteLLM");
			pairs[n].value.type = jbvString;
			pairs[n].value.val.string.val = (char *) mask;
			pairs[n].value.val.string.len = strlen(mask);
		}
		n++;
	}
	lfdw_json_finish_object(v, pairs, n);
	return t == LFDW_TOK_END_OBJECT;
}

/*
 * Build the value whose first token t was just read (the text was checked
 * before any row was read) as a JsonbValue tree in jsonb's order, for
 * JsonbValueToJsonb: no pushJsonbValue state, and one small sort per object.
 */
static void
lfdw_json_build_value(LfdwWireLexer *lx, LfdwWireToken t, JsonbValue *v)
{
	switch (t)
	{
		case LFDW_TOK_BEGIN_OBJECT:
			if (!lfdw_json_build_object(lx, v, NULL, NULL, NULL))
				break;
			return;
		case LFDW_TOK_BEGIN_ARRAY:
			{
				int			n = 0,
							cap = 8;
				JsonbValue *elems;

				check_stack_depth();
				elems = palloc(cap * sizeof(JsonbValue));
				while ((t = lfdw_wire_lex_next(lx)) > LFDW_TOK_END &&
					   t != LFDW_TOK_END_ARRAY)
				{
					elems = room_for(elems, n, &cap, sizeof(JsonbValue));
					lfdw_json_build_value(lx, t, &elems[n++]);
				}
				if (t != LFDW_TOK_END_ARRAY)
					break;
				v->type = jbvArray;
				v->val.array.nElems = n;
				v->val.array.elems = elems;
				v->val.array.rawScalar = false;
				return;
			}
		case LFDW_TOK_STRING:
			lfdw_json_string_value(lx, v);
			return;
		case LFDW_TOK_NUMBER:
			number_value(lx, v);
			return;
		case LFDW_TOK_TRUE:
		case LFDW_TOK_FALSE:
			v->type = jbvBool;
			v->val.boolean = (t == LFDW_TOK_TRUE);
			return;
		case LFDW_TOK_NULL:
			v->type = jbvNull;
			return;
		default:
			break;
	}
	/* the whole body was checked before any row was read */
	elog(ERROR, "unexpected token in a checked response from LiteLLM");
}

/*
 * jsonb of an object's text in the body; NULL gives an empty object.
 */
Jsonb *
lfdw_json_text_to_jsonb(const char *src, size_t len)
{
	JsonbValue	v;
	LfdwWireLexer lx;

	if (src == NULL)
	{
		v.type = jbvObject;
		v.val.object.nPairs = 0;
		v.val.object.pairs = NULL;
	}
	else
	{
		lfdw_wire_lex_init(&lx, src, len);
		lfdw_json_build_value(&lx, lfdw_wire_lex_next(&lx), &v);
	}
	return JsonbValueToJsonb(&v);
}

/* A string from the (UTF-8, already checked) response, in server encoding. */
char *
lfdw_json_server_string(const char *utf8)
{
	if (GetDatabaseEncoding() == PG_UTF8)
		return pstrdup(utf8);
	return pg_any_to_server(utf8, strlen(utf8), PG_UTF8);
}

/*
 * Convert a cJSON tree to jsonb, straight from the tree (no text round
 * trip).  NULL gives an empty object.
 */
Jsonb *
lfdw_json_to_jsonb(const cJSON *node)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	if (node == NULL)
	{
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	else if (cJSON_IsObject(node) || cJSON_IsArray(node))
	{
		result = lfdw_json_push_cjson(&state, node, WJB_DONE);
	}
	else
	{
		JsonbValue	va;

		/* a bare scalar is stored as a one-element raw-scalar array */
		va.type = jbvArray;
		va.val.array.rawScalar = true;
		va.val.array.nElems = 1;
		pushJsonbValue(&state, WJB_BEGIN_ARRAY, &va);
		push_scalar(&state, node, WJB_ELEM);
		result = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	}
	return JsonbValueToJsonb(result);
}

/*
 * Push a node.  token is the role the node plays in its parent (WJB_VALUE
 * or WJB_ELEM), or WJB_DONE for a container at the top, whose finished
 * value is returned.
 */
static JsonbValue *
lfdw_json_push_cjson(JsonbParseState **state, const cJSON *node,
					 JsonbIteratorToken token)
{
	const cJSON *child;

	check_stack_depth();

	if (cJSON_IsObject(node))
	{
		pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
		cJSON_ArrayForEach(child, node)
		{
			JsonbValue	key;

			key.type = jbvString;
			key.val.string.val = lfdw_json_server_string(child->string ? child->string : "");
			key.val.string.len = strlen(key.val.string.val);
			pushJsonbValue(state, WJB_KEY, &key);
			lfdw_json_push_cjson(state, child, WJB_VALUE);
		}
		return pushJsonbValue(state, WJB_END_OBJECT, NULL);
	}
	if (cJSON_IsArray(node))
	{
		pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
		cJSON_ArrayForEach(child, node)
			lfdw_json_push_cjson(state, child, WJB_ELEM);
		return pushJsonbValue(state, WJB_END_ARRAY, NULL);
	}
	return push_scalar(state, node, token);
}

static JsonbValue *
push_scalar(JsonbParseState **state, const cJSON *node,
			JsonbIteratorToken token)
{
	JsonbValue	v;

	if (cJSON_IsString(node))
	{
		v.type = jbvString;
		v.val.string.val = lfdw_json_server_string(node->valuestring);
		v.val.string.len = strlen(v.val.string.val);
	}
	else if (cJSON_IsNumber(node))
	{
		v.type = jbvNumeric;
		/* the number's text, when lfdw_wire_parse could keep it */
		v.val.numeric = node->valuestring ?
			text_numeric(node->valuestring) :
			double_numeric(node->valuedouble);
	}
	else if (cJSON_IsBool(node))
	{
		v.type = jbvBool;
		v.val.boolean = cJSON_IsTrue(node);
	}
	else
		v.type = jbvNull;

	return pushJsonbValue(state, token, &v);
}

/*
 * lfdw_free_on_reset
 *		Call func(arg) when the current memory context is reset or deleted,
 *		errors included: how memory that is not palloc'd (a cJSON tree, the
 *		index of a list) is tied to the context of its result.
 */
void
lfdw_free_on_reset(void (*func) (void *arg), void *arg)
{
	MemoryContextCallback *cb = palloc(sizeof(MemoryContextCallback));

	cb->func = func;
	cb->arg = arg;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
}

/* lfdw_json_tree_on_reset: free a cJSON tree with the current context */
void
lfdw_json_tree_on_reset(cJSON *tree)
{
	lfdw_free_on_reset(free_tree_callback, tree);
}

static void
free_tree_callback(void *arg)
{
	cJSON_Delete((cJSON *) arg);
}
