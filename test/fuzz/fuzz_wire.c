/*-------------------------------------------------------------------------
 *
 * fuzz_wire.c
 *		  libFuzzer harness for src/wire.c: the code that reads what a LiteLLM
 *		  server sends (response bodies, error envelopes) and percent-encodes
 *		  names, built without PostgreSQL.
 *
 * The first input byte chooses the target (even: a response body, its
 * credentials and the masking decision for each value key; 1 modulo 4: a
 * name to percent-encode; 3 modulo 4: remote text to clean and a URL to
 * strip); the rest is the input.  Besides what the
 * sanitizers catch (memory errors, undefined behaviour, leaks), it checks
 * that encoding only emits unreserved characters and %XX, decodes back to
 * the input and never yields a dot segment; that remote text comes out
 * clean (no control byte, valid UTF-8, capped, no secret) and a URL
 * stripped of user information and query; that the masker of both tables
 * (lfdw_wire_mask_object, on a model's litellm_params and a credential's
 * values) leaves no value of a secret key but the mask; and that the strict streaming reader of lists (the
 * lexer and lfdw_wire_index_list) agrees with cJSON wherever it accepts a
 * body: cJSON accepts it too, with the same credentials, the same verdict on
 * each, the same duplicate name, and the same values token by token.
 *
 * Build and run: test/fuzz_libfuzzer.sh [SECONDS]
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  test/fuzz/fuzz_wire.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "model_wire.h"
#include "wire.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
fuzz_encode(const char *in)
{
	size_t		inlen = strlen(in);
	char	   *out = malloc(3 * inlen + 1);
	size_t		n = lfdw_wire_percent_encode(in, out);
	size_t		i;
	size_t		j = 0;

	CHECK(n == strlen(out));
	for (i = 0; i < n; i++)
	{
		char		c = out[i];

		if (c == '%')
		{
			int			hi,
						lo;

			CHECK(i + 2 < n + 1);
			hi = hex_value(out[i + 1]);
			lo = hex_value(out[i + 2]);
			CHECK(hi >= 0 && lo >= 0);
			CHECK((unsigned char) in[j] == (unsigned char) (hi * 16 + lo));
			i += 2;
		}
		else
		{
			CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				  (c >= '0' && c <= '9') || c == '-' || c == '.' ||
				  c == '_' || c == '~');
			CHECK(in[j] == c);
		}
		j++;
	}
	CHECK(j == inlen);
	/* never a dot segment, which a URL parser would remove */
	CHECK(strcmp(out, ".") != 0 && strcmp(out, "..") != 0);
	free(out);
}

/* is this a scalar, or an array of scalars? */
static int
flat(const cJSON *node)
{
	const cJSON *child;

	if (cJSON_IsObject(node))
		return 0;
	if (cJSON_IsArray(node))
		cJSON_ArrayForEach(child, node)
			if (cJSON_IsObject(child) || cJSON_IsArray(child))
			return 0;
	return 1;
}

/*
 * is a URL as lfdw_wire_strip_url leaves it: nothing of the user information,
 * query or fragment but the mask
 */
static void
check_stripped_url(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *authority = url;
	const char *q;
	size_t		auth_len;
	const char *at;

	if (scheme && strcspn(url, "/?#") == (size_t) (scheme - url) + 1)
		authority = scheme + 3;
	auth_len = strcspn(authority, "/?#");
	at = memchr(authority, '@', auth_len);
	if (at)
		CHECK(at - authority == 8 && memcmp(authority, "********", 8) == 0);
	q = authority + auth_len + strcspn(authority + auth_len, "?#");
	if (*q == '?')
	{
		CHECK(strncmp(q, "?********", 9) == 0);
		q += 9;
	}
	if (*q == '#')
	{
		CHECK(strcmp(q, "#********") == 0);
		q += 9;
	}
	CHECK(*q == '\0');
}

/*
 * after masking (lfdw_wire_mask_object): each value of litellm_params
 * (is_setting) or credential_values is what the rule shows
 */
static void
check_masked(const cJSON *params, bool is_setting, const char *const *shown,
			 int n)
{
	const cJSON *child;

	cJSON_ArrayForEach(child, params)
	{
		const char *key = child->string ? child->string : "";
		int			masked = cJSON_IsString(child) &&
			strcmp(child->valuestring, "********") == 0;

		CHECK(child->string != NULL);
		switch (lfdw_wire_show_rule(key, strlen(key), is_setting, shown, n))
		{
			case LFDW_WIRE_SHOW:
				break;
			case LFDW_WIRE_SHOW_SCALAR:
				CHECK(masked || flat(child));
				break;
			case LFDW_WIRE_SHOW_URL:
				CHECK(cJSON_IsString(child));
				if (!masked)
					check_stripped_url(child->valuestring);
				break;
			case LFDW_WIRE_MASK:
				CHECK(masked);
				break;
		}
	}
}

/*
 * An accepted URL's path, decoded the way a normalising proxy would decode
 * it (%2E to ".", %2F, %5C and a backslash to "/"), holds no "." or ".."
 * segment, and nothing decodes to a slash: lfdw_wire_check_url's promise,
 * checked by another algorithm (decode first, then split).
 */
static bool
path_is_plain(const char *path, size_t len)
{
	char	   *dec = malloc(len + 1);
	size_t		n = 0;
	size_t		i;
	size_t		start = 0;
	bool		ok = true;

	for (i = 0; i < len; i++)
	{
		if (path[i] == '%' && i + 2 < len &&
			path[i + 1] == '2' && (path[i + 2] | 0x20) == 'e')
		{
			dec[n++] = '.';
			i += 2;
		}
		else if (path[i] == '%' && i + 2 < len &&
				 ((path[i + 1] == '2' && (path[i + 2] | 0x20) == 'f') ||
				  (path[i + 1] == '5' && (path[i + 2] | 0x20) == 'c')))
			ok = false;
		else if (path[i] == '\\')
			ok = false;
		else
			dec[n++] = path[i];
	}
	dec[n] = '\0';
	for (i = 0; ok && i <= n; i++)
	{
		if (i == n || dec[i] == '/')
		{
			size_t		seglen = i - start;

			if ((seglen == 1 && dec[start] == '.') ||
				(seglen == 2 && dec[start] == '.' && dec[start + 1] == '.'))
				ok = false;
			start = i + 1;
		}
	}
	free(dec);
	return ok;
}

/*
 * Remote text: the first input byte is the length of a secret (its bytes
 * follow), the rest is the text.  The result must hold no control byte, be
 * valid UTF-8 (ASCII with ascii_only), stay within the cap, and not hold a
 * secret of four letters or more; and a URL must come out of
 * lfdw_wire_strip_url without user information or query.
 */
static void
fuzz_remote_text(const char *in, size_t len)
{
	size_t		slen = len > 0 ? (unsigned char) in[0] % 16 : 0;
	char		secret[17];
	const char *secrets[1] = {secret};
	const char *text;
	size_t		tlen;
	int			pass;
	size_t		i;
	int			alnum = 1;
	char	   *url;

	if (len < 1 + slen)
		return;
	memcpy(secret, in + 1, slen);
	secret[slen] = '\0';
	text = in + 1 + slen;
	tlen = len - 1 - slen;
	/*
	 * Only secrets no escape can spell part of (no hex digit, no escape
	 * letter) are checked: "\\x85" followed by "5555555" spells
	 * "55555555", which is no leak of the text's.
	 */
	for (i = 0; i < slen; i++)
		if (!((secret[i] >= 'g' && secret[i] <= 'z') ||
			  (secret[i] >= 'G' && secret[i] <= 'Z')) ||
			strchr("nrtuxU", secret[i]) != NULL)
			alnum = 0;

	for (pass = 0; pass < 2; pass++)
	{
		char	   *out = lfdw_wire_clean_text(text, tlen, secrets, 1, 200,
											   pass == 1);
		const unsigned char *p;

		CHECK(out != NULL);
		CHECK(strlen(out) <= 203);
		for (p = (const unsigned char *) out; *p; p++)
		{
			CHECK(*p >= 0x20 && *p != 0x7F);
			if (pass == 1)
				CHECK(*p < 0x80);
		}
		if (alnum && slen >= 4)
			CHECK(strstr(out, secret) == NULL);
		lfdw_wire_free_text(out);
	}

	url = malloc(LFDW_WIRE_SHOWN_URL_SIZE(strlen(text)));
	lfdw_wire_strip_url(text, url);
	check_stripped_url(url);
	free(url);

	/* the network policy: a list of prefixes, and a URL under it */
	{
		LfdwWireUrl parsed;
		int			bad = lfdw_wire_allowed_urls_check(text, NULL);

		CHECK(bad >= -1 && (size_t) (bad + 1) <= strlen(text) + 1);
		if (lfdw_wire_parse_url(text, strlen(text), &parsed))
		{
			CHECK(parsed.port > 0 && parsed.port <= 65535);
			CHECK(parsed.host[0] != '\0');
			CHECK(parsed.path >= text && parsed.path <= text + strlen(text));
			/* no dot segment and no encoded slash in an accepted path */
			CHECK(path_is_plain(parsed.path, parsed.path_len));
			/* a URL is under itself */
			CHECK(lfdw_wire_allowed_urls_check(text, text) == 1 ||
				  strpbrk(text, ", \t\r\n") != NULL);
		}
	}
}

static void
fuzz_models(cJSON *root)
{
	static const char *const shown[] = {"max_tokens"};
	LfdwWireModelPage page;
	cJSON	   *item;

	if (!lfdw_wire_model_page(root, &page))
		return;
	CHECK(cJSON_IsArray(page.data));
	cJSON_ArrayForEach(item, page.data)
	{
		LfdwWireModel m;
		LfdwWireModelItem check = lfdw_wire_model(item, &m);

		CHECK((check == LFDW_WIRE_MODEL_NO_ID) == (m.id == NULL));
		if (check != LFDW_WIRE_MODEL_OK || m.params == NULL)
			continue;
		CHECK(cJSON_IsObject(m.params));
		if (lfdw_wire_mask_object(m.params, true, shown, 1, "********") == 0)
			check_masked(m.params, true, shown, 1);
	}
}

/*
 * A cJSON tree built from the lexer's tokens of one value, the way
 * response.c builds jsonb from them (strings through lfdw_wire_unescape,
 * numbers through strtod); NULL on a lexer error.
 */
static cJSON *
tree_from_tokens(const char *text, size_t len)
{
	LfdwWireLexer *lx = malloc(sizeof(LfdwWireLexer));
	cJSON	   *stack[LFDW_WIRE_MAX_DEPTH + 1];
	cJSON	   *root = NULL;
	char	   *key = NULL;
	int			depth = 0;
	LfdwWireToken t;

	lfdw_wire_lex_init(lx, text, len);
	while ((t = lfdw_wire_lex_next(lx)) > LFDW_TOK_END)
	{
		cJSON	   *node = NULL;
		char	   *str;

		switch (t)
		{
			case LFDW_TOK_END_OBJECT:
			case LFDW_TOK_END_ARRAY:
				depth--;
				continue;
			case LFDW_TOK_KEY:
				free(key);
				key = malloc(lx->len + 1);
				CHECK(lfdw_wire_unescape(lx->str, lx->len, key) <= lx->len);
				continue;
			case LFDW_TOK_BEGIN_OBJECT:
				node = cJSON_CreateObject();
				break;
			case LFDW_TOK_BEGIN_ARRAY:
				node = cJSON_CreateArray();
				break;
			case LFDW_TOK_STRING:
				str = malloc(lx->len + 1);
				CHECK(lfdw_wire_unescape(lx->str, lx->len, str) <= lx->len);
				node = cJSON_CreateString(str);
				free(str);
				break;
			case LFDW_TOK_NUMBER:
				{
					char		num[LFDW_WIRE_MAX_NUMBER + 1];

					CHECK(lx->len <= LFDW_WIRE_MAX_NUMBER);
					memcpy(num, lx->str, lx->len);
					num[lx->len] = '\0';
					node = cJSON_CreateNumber(strtod(num, NULL));
					break;
				}
			case LFDW_TOK_TRUE:
				node = cJSON_CreateTrue();
				break;
			case LFDW_TOK_FALSE:
				node = cJSON_CreateFalse();
				break;
			default:
				node = cJSON_CreateNull();
				break;
		}
		CHECK(node != NULL);
		if (depth == 0)
		{
			CHECK(root == NULL);
			root = node;
		}
		else if (cJSON_IsObject(stack[depth - 1]))
		{
			CHECK(key != NULL);
			cJSON_AddItemToObject(stack[depth - 1], key, node);
		}
		else
			cJSON_AddItemToArray(stack[depth - 1], node);
		if (t == LFDW_TOK_BEGIN_OBJECT || t == LFDW_TOK_BEGIN_ARRAY)
		{
			CHECK(depth < LFDW_WIRE_MAX_DEPTH);
			stack[depth++] = node;
		}
	}
	free(key);
	free(lx);
	if (t != LFDW_TOK_END)
	{
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/*
 * Are two trees the same, member by member in order?  (cJSON_Compare finds
 * members by name, so it cannot compare objects that repeat a name.)
 */
static bool
same_tree(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xFF) != (b->type & 0xFF))
		return false;
	if ((a->string == NULL) != (b->string == NULL) ||
		(a->string && strcmp(a->string, b->string) != 0))
		return false;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsNumber(a))
		return a->valuedouble == b->valuedouble ||
			(a->valuedouble != a->valuedouble && b->valuedouble != b->valuedouble);
	for (a = a->child, b = b->child; a && b; a = a->next, b = b->next)
		if (!same_tree(a, b))
			return false;
	return a == NULL && b == NULL;
}

/* An object of the body (offset 0: absent) against cJSON's node. */
static void
check_part(const char *body, size_t off, unsigned int len, const cJSON *node)
{
	cJSON	   *built;
	const cJSON *x,
			   *y;

	CHECK((off == 0) == (node == NULL));
	if (off == 0)
		return;
	built = tree_from_tokens(body + off, len);
	CHECK(built != NULL);
	/* compared below the top: node's own member name is no part of it */
	CHECK((built->type & 0xFF) == (node->type & 0xFF));
	for (x = built->child, y = node->child; x && y; x = x->next, y = y->next)
		CHECK(same_tree(x, y));
	CHECK(x == NULL && y == NULL);
	cJSON_Delete(built);
}

/*
 * The strict streaming reader against cJSON (root: cJSON's tree of the
 * whole body, or NULL).
 */
static void
fuzz_stream(const char *body, size_t len, const cJSON *root)
{
	LfdwWireList l;
	LfdwWireLexer *lx = malloc(sizeof(LfdwWireLexer));
	LfdwWireToken t;
	bool		has_nul = lfdw_wire_has_nul_escape(body, len);
	const cJSON *list;
	const cJSON *item;
	char	   *dup;
	const char *cdup;
	size_t		i = 0;

	/* what the lexer accepts, cJSON accepts */
	lfdw_wire_lex_init(lx, body, len);
	while ((t = lfdw_wire_lex_next(lx)) > LFDW_TOK_END)
		;
	if (t == LFDW_TOK_END)
	{
		CHECK(root != NULL);
		CHECK(lx->saw_nul == has_nul);
	}
	free(lx);

	if (!lfdw_wire_index_list(body, len, &l))
		return;
	CHECK(t == LFDW_TOK_END);
	CHECK(l.has_nul == has_nul);
	if (has_nul)
	{
		/* an error before any row, as with cJSON */
		lfdw_wire_list_free(&l);
		return;
	}
	list = lfdw_wire_credential_list(root);
	CHECK(list != NULL);
	CHECK((size_t) cJSON_GetArraySize(list) == l.n);

	dup = lfdw_wire_list_duplicate(body, &l);
	cdup = lfdw_wire_duplicate_name(list);
	CHECK((dup == NULL) == (cdup == NULL));
	CHECK(dup == NULL || strcmp(dup, cdup) == 0);
	free(dup);

	cJSON_ArrayForEach(item, list)
	{
		const LfdwWireElement *e = &l.elems[i++];
		LfdwWireCredential cred;
		LfdwWireItem check = lfdw_wire_credential(item, &cred);

		CHECK(e->status == (unsigned char) check);
		if (check != LFDW_WIRE_ITEM_NO_NAME)
		{
			char	   *name = malloc((size_t) e->name_len + 1);

			CHECK(e->has_name);
			lfdw_wire_unescape(body + e->name_off, e->name_len, name);
			CHECK(strcmp(name, cred.name) == 0);
			free(name);
		}
		if (check == LFDW_WIRE_ITEM_OK)
		{
			check_part(body, e->info_off, e->info_len, cred.info);
			check_part(body, e->values_off, e->values_len, cred.values);
		}
	}
	lfdw_wire_list_free(&l);
}

static void
fuzz_body(const char *body, size_t len)
{
	cJSON	   *root;
	const cJSON *list;
	const cJSON *item;
	LfdwWireCredential cred;
	char	   *message;

	root = lfdw_wire_parse(body, len);
	fuzz_stream(body, len, root);
	if (root == NULL)
		return;

	list = lfdw_wire_credential_list(root);
	if (list)
	{
		const char *dup = lfdw_wire_duplicate_name(list);
		int			seen = 0;

		/* a name reported twice must be there twice */
		cJSON_ArrayForEach(item, list)
		{
			const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");

			if (dup && cJSON_IsString(name) && strcmp(name->valuestring, dup) == 0)
				seen++;
		}
		CHECK(dup == NULL || seen >= 2);
		cJSON_ArrayForEach(item, list)
		{
			LfdwWireItem check = lfdw_wire_credential(item, &cred);

			/* every outcome but "no name" comes with the name */
			CHECK((check == LFDW_WIRE_ITEM_NO_NAME) == (cred.name == NULL));
			if (check == LFDW_WIRE_ITEM_OK)
			{
				const cJSON *v;

				CHECK(cred.name != NULL);
				CHECK(cred.values == NULL || cJSON_IsObject(cred.values));
				cJSON_ArrayForEach(v, cred.values)
				{
					static const char *const shown[] = {"api_base", "api_version", ""};
					bool		listed;

					CHECK(v->string != NULL);
					/* masking: shown exactly when the key is listed */
					listed = lfdw_wire_key_listed(v->string, strlen(v->string),
												  shown, 3);
					CHECK(listed == (strcmp(v->string, "api_base") == 0 ||
									 strcmp(v->string, "api_version") == 0 ||
									 v->string[0] == '\0'));
					CHECK(!lfdw_wire_key_listed(v->string, strlen(v->string),
												shown, 0));
				}
				/* the masker of both tables, on a copy: no secret is left */
				if (cred.values)
				{
					static const char *const shown[] = {"api_base", "api_version", ""};
					cJSON	   *copy = cJSON_Duplicate(cred.values, 1);

					if (copy &&
						lfdw_wire_mask_object(copy, false, shown, 3, "********") == 0)
						check_masked(copy, false, shown, 3);
					cJSON_Delete(copy);
				}
			}
		}
	}
	if (lfdw_wire_is_credential(root))
		(void) lfdw_wire_credential(root, &cred);
	fuzz_models(root);

	message = lfdw_wire_error_message(root);
	if (message)
		lfdw_wire_free_text(message);
	(void) lfdw_wire_error_code(root);
	(void) lfdw_wire_is_flat_error(root);
	(void) lfdw_wire_is_litellm_error(root);
	(void) lfdw_wire_is_success(root);
	lfdw_wire_free(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *buf;

	if (size == 0)
		return 0;
	/* a body always ends with a NUL after its length (connection.c) */
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';

	if ((data[0] & 3) == 3)
		fuzz_remote_text(buf, size - 1);
	else if (data[0] & 1)
		fuzz_encode(buf);
	else
		fuzz_body(buf, size - 1);

	free(buf);
	return 0;
}
