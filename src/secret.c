/*-------------------------------------------------------------------------
 *
 * secret.c
 *		  Everything litellm_fdw does about secrets on the PostgreSQL side:
 *		  which value is shown, the maskers, the list of a call's secret
 *		  strings, their wiping, and the cleaning of server text.
 *
 * The rule.  Which value is secret is decided in one place, the pure rule
 * of wire.c (lfdw_wire_show_rule, lfdw_wire_strip_url), kept free of
 * PostgreSQL so that the libFuzzer harness (test/fuzz/fuzz_wire.c) can run
 * it; everything here asks that rule and never decides on its own.
 *
 * The maskers, one per representation a value is held in, each driven by
 * that rule:
 *	  cJSON tree		model_wire.c's lfdw_wire_mask_object, in place,
 *						through lfdw_mask_tree: credential_values and
 *						litellm_params read from a parsed body
 *	  streamed text		lfdw_mask_values_text (credential_values read
 *						straight from the bytes of a list, with json.c's
 *						object builder)
 *	  jsonb				lfdw_mask_values (credential_values as written),
 *						lfdw_model_mask_params (litellm_params as written:
 *						the keys and values of lfdw_wire_mask_object, with
 *						the numbers as written)
 *	  a URL				lfdw_model_shown_url (the api_base column)
 *
 * Scrubbing.  lfdw_jsonb_secret_strings lists the strings a call sends
 * that the rule would not show; lfdw_remote_text removes them (and the API
 * key) from any text of the server that is shown; lfdw_wipe_strings wipes
 * them when the call ends, lfdw_wipe_body a body or any text that held a
 * secret.
 *
 * May call: wire.c, model_wire.c (the cJSON masker), json.c (conversion to
 * jsonb) and PostgreSQL; a cJSON tree is an opaque struct cJSON * here.  Nothing above: the transport
 * (connection.c), the readers (response.c, model_response.c) and the
 * writers call in.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/secret.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "litellm_fdw.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"


#include "json.h"
#include "model_wire.h"
#include "wire.h"

/* Server text cleaned for one call (lfdw_remote_text); see litellm_fdw.h */
struct LfdwShown
{
	size_t		len;
	char		text[FLEXIBLE_ARRAY_MEMBER];
};

/* Helper functions */
static int	longest_first(const ListCell *a, const ListCell *b);
static Jsonb *mask_jsonb(const LfdwOptions *opts, Jsonb *jb,
						 bool is_setting);
static bool jsonb_is_flat(JsonbValue *v);
static bool lfdw_key_is_unmasked(const char *key, int keylen,
								 const void *arg);

/*
 * lfdw_key_is_unmasked
 *		Is the value of this key of credential_values shown?  The masking
 *		rule of both tables (lfdw_wire_show_rule): only when the server
 *		option unmasked_keys lists it.  arg is the LfdwOptions (the form
 *		lfdw_json_build_object asks for).
 */
static bool
lfdw_key_is_unmasked(const char *key, int keylen, const void *arg)
{
	const LfdwOptions *opts = (const LfdwOptions *) arg;

	return lfdw_wire_show_rule(key, keylen, false, opts->unmasked_keys,
							   opts->n_unmasked_keys) == LFDW_WIRE_SHOW;
}

/*
 * Maskers
 */

/*
 * lfdw_mask_tree
 *		The cJSON masker (model_wire.c, lfdw_wire_mask_object) with the
 *		options' unmasked_keys, in place: credential_values, or with
 *		is_setting a model's litellm_params.  false when memory ran out:
 *		the caller must then show nothing of the tree.
 */
bool
lfdw_mask_tree(const LfdwOptions *opts, struct cJSON *tree, bool is_setting)
{
	return lfdw_wire_mask_object(tree, is_setting, opts->unmasked_keys,
								 opts->n_unmasked_keys, LFDW_MASK) == 0;
}

/*
 * lfdw_mask_values_text
 *		The streamed masker: credential_values read straight from the text
 *		of the object in the body (NULL: absent), the value of each key the
 *		rule does not show skipped unread and replaced by the mask.
 */
Jsonb *
lfdw_mask_values_text(const LfdwOptions *opts, const char *src, size_t len)
{
	JsonbValue	v;
	LfdwWireLexer lx;

	if (src == NULL)
		return lfdw_json_text_to_jsonb(NULL, 0);
	lfdw_wire_lex_init(&lx, src, len);
	(void) lfdw_wire_lex_next(&lx); /* the object's '{' */
	(void) lfdw_json_build_object(&lx, &v, lfdw_key_is_unmasked, opts,
								  LFDW_MASK);
	return JsonbValueToJsonb(&v);
}

/*
 * lfdw_mask_values
 *		credential_values as shown after a write: the same keys, each value
 *		the fixed mask but for the keys in unmasked_keys.
 */
Jsonb *
lfdw_mask_values(const LfdwOptions *opts, Jsonb *values)
{
	if (values == NULL || !JB_ROOT_IS_OBJECT(values))
		return lfdw_empty_object();
	return mask_jsonb(opts, values, false);
}

/*
 * The Jsonb masker of both tables: a copy of the object jb with each
 * top-level value as the rule (lfdw_wire_show_rule, is_setting for
 * litellm_params) shows it: as it is, as a URL with its secret parts
 * masked, or the fixed mask in its place (a nested value as a whole).
 */
static Jsonb *
mask_jsonb(const LfdwOptions *opts, Jsonb *jb, bool is_setting)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbValue *result = NULL;
	JsonbIteratorToken tok;
	LfdwWireShow show = LFDW_WIRE_SHOW;

	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			show = lfdw_wire_show_rule(v.val.string.val, v.val.string.len,
									   is_setting, opts->unmasked_keys,
									   opts->n_unmasked_keys);
		else if (tok == WJB_VALUE && show == LFDW_WIRE_SHOW_URL &&
				 v.type == jbvString)
		{
			char	   *url = pnstrdup(v.val.string.val, v.val.string.len);
			char	   *shown = palloc(LFDW_WIRE_SHOWN_URL_SIZE(strlen(url)));

			lfdw_wire_strip_url(url, shown);
			explicit_bzero(url, strlen(url));
			pfree(url);
			v.val.string.val = shown;
			v.val.string.len = strlen(shown);
		}
		else if (tok == WJB_VALUE &&
				 (show == LFDW_WIRE_MASK || show == LFDW_WIRE_SHOW_URL ||
				  (show == LFDW_WIRE_SHOW_SCALAR && !jsonb_is_flat(&v))))
		{
			v.type = jbvString;
			v.val.string.val = LFDW_MASK;
			v.val.string.len = strlen(LFDW_MASK);
		}
		result = pushJsonbValue(&state, tok,
								tok < WJB_BEGIN_ARRAY ? &v : NULL);
	}
	return JsonbValueToJsonb(result);
}

/*
 * lfdw_model_shown_url
 *		The api_base column as shown: the URL with its user information,
 *		query and fragment masked (the masking rule of litellm_params).
 */
char *
lfdw_model_shown_url(const char *url)
{
	char	   *out;

	if (url == NULL)
		return NULL;
	out = palloc(LFDW_WIRE_SHOWN_URL_SIZE(strlen(url)));
	lfdw_wire_strip_url(url, out);
	return out;
}

/*
 * lfdw_model_mask_params
 *		litellm_params as shown after a write: what a read shows, by the
 *		same rule as the cJSON masker (lfdw_wire_mask_object) applied to
 *		the keys of the jsonb itself, so that every value shown is the one
 *		written, numbers exact (a round trip through cJSON would make them
 *		doubles).  A value that is not an object is shown as it is.  NULL
 *		gives NULL.
 */
Jsonb *
lfdw_model_mask_params(const LfdwOptions *opts, Jsonb *params)
{
	if (params == NULL || !JB_ROOT_IS_OBJECT(params))
		return params;
	return mask_jsonb(opts, params, true);
}

/* Is this value (of a jsonb object) a scalar, or an array of scalars? */
static bool
jsonb_is_flat(JsonbValue *v)
{
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;

	if (v->type != jbvBinary)
		return true;
	if (!JsonContainerIsArray(v->val.binary.data))
		return false;
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		if (tok == WJB_ELEM && elem.type == jbvBinary)
			return false;
	return true;
}

/*
 * Scrubbing
 */

/*
 * lfdw_jsonb_secret_strings
 *		The strings to scrub from remote text after sending these values
 *		(credential_values, or with is_setting a model's litellm_params):
 *		every string and number that the masking rule (lfdw_wire_show_rule)
 *		would not show, at any depth, in UTF-8 (as remote text is), longest
 *		first so that a secret is never half-matched by a shorter one.
 *		lfdw_remote_text finds each in every encoding it can take on the way
 *		back (JSON escapes, percent-encoding).  unmasked_keys is not
 *		consulted: scrubbing a value that a read shows costs nothing.  The
 *		caller wipes them (lfdw_call_end, lfdw_wipe_strings).
 */
List *
lfdw_jsonb_secret_strings(Jsonb *values, bool is_setting)
{
	List	   *result = NIL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			depth = 0;
	LfdwWireShow show = LFDW_WIRE_MASK;

	if (values == NULL)
		return NIL;
	it = JsonbIteratorInit(&values->root);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		char	   *text = NULL;
		bool		secret;

		if (tok == WJB_BEGIN_OBJECT || tok == WJB_BEGIN_ARRAY)
			depth++;
		else if (tok == WJB_END_OBJECT || tok == WJB_END_ARRAY)
			depth--;
		else if (tok == WJB_KEY && depth == 1)
			show = lfdw_wire_show_rule(v.val.string.val, v.val.string.len,
									   is_setting, NULL, 0);
		if (tok != WJB_VALUE && tok != WJB_ELEM)
			continue;

		if (v.type == jbvString && v.val.string.len > 0)
			text = pnstrdup(v.val.string.val, v.val.string.len);
		else if (v.type == jbvNumeric)
			text = DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v.val.numeric)));
		if (text == NULL)
			continue;

		/* a value the rule shows, at the top or in a flat array */
		secret = depth < 1 || show == LFDW_WIRE_MASK ||
			(show == LFDW_WIRE_SHOW_SCALAR && depth > 2) ||
			(show == LFDW_WIRE_SHOW_URL &&
			 (depth > 1 || strpbrk(text, "@?#") != NULL));
		if (secret)
		{
			char	   *utf8 = pg_server_to_any(text, strlen(text), PG_UTF8);

			if (utf8 != text)
				explicit_bzero(text, strlen(text));
			result = lappend(result, utf8);
		}
		else
			pfree(text);
	}
	list_sort(result, longest_first);
	return result;
}

static int
longest_first(const ListCell *a, const ListCell *b)
{
	size_t		la = strlen((const char *) lfirst(a));
	size_t		lb = strlen((const char *) lfirst(b));

	return (la < lb) - (la > lb);
}

/*
 * lfdw_wipe_strings
 *		Overwrite every C string of a list (secrets no longer needed).
 */
void
lfdw_wipe_strings(List *strings)
{
	ListCell   *cell;

	foreach(cell, strings)
	{
		char	   *s = (char *) lfirst(cell);

		explicit_bzero(s, strlen(s));
	}
}

/*
 * lfdw_wipe_body
 *		Overwrite and free a string that held secrets (a request body, the
 *		text form of a value) once it is no longer needed.
 */
void
lfdw_wipe_body(char *body, size_t len)
{
	if (body == NULL)
		return;
	explicit_bzero(body, len);
	pfree(body);
}

/*
 * lfdw_remote_text
 *		Text that came from the server (a message, a header, a name, or
 *		libcurl's words about the connection), made fit for a message: the
 *		API key and every secret of the call masked in any encoding, control
 *		characters and bytes that are not UTF-8 escaped, cut to
 *		LFDW_MAX_REMOTE_TEXT bytes.  Beyond ASCII only where both the
 *		database and the client use UTF-8, so that a conversion error never
 *		replaces the real one.  Every piece of remote text shown goes
 *		through here, and only what it returns may be shown (lfdw_shown).
 *		call is required: its key and secrets are what is masked.  Returns
 *		a palloc'd LfdwShown.
 */
const LfdwShown *
lfdw_remote_text(const LfdwCall *call, const char *text, size_t len)
{
	int			nsecrets = 0;
	const char **secrets;
	ListCell   *cell;
	char	   *clean;
	LfdwShown  *result;
	bool		ascii_only = GetDatabaseEncoding() != PG_UTF8 ||
	pg_get_client_encoding() != PG_UTF8;

	if (call == NULL || call->opts == NULL)
		elog(ERROR, "server text cleaned without its call");
	secrets = palloc(sizeof(char *) * (1 + list_length(call->secrets)));
	/* the key first: keys are long, and a value may be part of one */
	if (call->opts->api_key)
		secrets[nsecrets++] = call->opts->api_key;
	foreach(cell, call->secrets)
		secrets[nsecrets++] = (const char *) lfirst(cell);
	clean = lfdw_wire_clean_text(text, len, secrets, nsecrets,
								 LFDW_MAX_REMOTE_TEXT, ascii_only);
	pfree(secrets);
	if (clean == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	result = palloc(offsetof(LfdwShown, text) + strlen(clean) + 1);
	result->len = strlen(clean);
	strcpy(result->text, clean);
	lfdw_wire_free_text(clean);
	return result;
}

/*
 * lfdw_shown
 *		The text of a cleaned piece of server text, for a message.
 */
const char *
lfdw_shown(const LfdwShown *shown)
{
	Assert(shown != NULL);
	return shown->text;
}
