/*-------------------------------------------------------------------------
 *
 * fuzz_wire.c
 *		  libFuzzer harness for src/wire.c: the code that reads what a LiteLLM
 *		  server sends (response bodies, error envelopes) and percent-encodes
 *		  names, built without PostgreSQL.
 *
 * The first input byte chooses the target (0, 4 and 6 modulo 8: a response
 * body, its credentials and the masking decision for each value key; 1
 * modulo 4: a name to percent-encode; 3 modulo 4: remote text to clean and a
 * URL to strip; 2 modulo 8: a random secret echoed in every form, see
 * fuzz_echo_forms); the rest is the input.  Besides what the
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
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
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

/*
 * Echo forms: a random secret (drawn from the input) rendered in every form
 * in which a server may echo it (doc/security.md: as sent, percent-encoded
 * in either case with "+" or "%20" for a space, every byte percent-encoded,
 * JSON-escaped with \/ or /, characters beyond ASCII as themselves or as
 * \uXXXX in either case, surrogate pairs beyond the BMP; and each of these
 * cut short after four bytes or more, even inside an escape, followed by
 * "...", an ellipsis or its escape), several times, inside random filler.
 * The cleaned text must hold no four-byte run of any form of the secret.
 *
 * The alphabets keep filler, marks and mask from spelling such a run by
 * themselves: the filler is made of letters no form uses ("G" to "Z" but
 * "U", and ":;,"), the secret has no "*", ".", "2" nor a character whose
 * escape begins "\u20" (the escaped ellipsis), and is at least four bytes.
 */
typedef struct EchoRng
{
	const uint8_t *data;
	size_t		len;
	size_t		pos;
	uint64_t	state;
} EchoRng;

static unsigned int
echo_next(EchoRng *r, unsigned int bound)
{
	uint64_t	x;

	if (r->pos < r->len)
		return r->data[r->pos++] % bound;
	x = r->state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->state = x;
	return (unsigned int) (x % bound);
}

/* the characters of a secret, in UTF-8 */
static const char *const echo_chars[] = {
	"a", "b", "k", "s", "z", "q", "0", "1", "3", "7", "9", "-", "_", "~",
	" ", "\"", "\\", "%", "+", "/", "&", "=", "?", "#", "@", "'", "<",
	"\n", "\t", "\x01",
	"\xC3\xBC", "\xC3\xA9", "\xC3\x9F", "\xD0\x96", "\xE4\xB8\xAD",
	"\xF0\x9F\x98\x80", "\xF0\x9F\x94\x91"
};
#define N_ECHO_CHARS (sizeof(echo_chars) / sizeof(echo_chars[0]))

/* a code point from UTF-8 known to be valid */
static uint32_t
echo_code_point(const unsigned char *c, int *n)
{
	if (c[0] < 0x80)
		return *n = 1, c[0];
	if (c[0] < 0xE0)
		return *n = 2, ((uint32_t) (c[0] & 0x1F) << 6) | (c[1] & 0x3F);
	if (c[0] < 0xF0)
		return *n = 3, ((uint32_t) (c[0] & 0x0F) << 12) |
			((uint32_t) (c[1] & 0x3F) << 6) | (c[2] & 0x3F);
	return *n = 4, ((uint32_t) (c[0] & 0x07) << 18) |
		((uint32_t) (c[1] & 0x3F) << 12) | ((uint32_t) (c[2] & 0x3F) << 6) |
		(c[3] & 0x3F);
}

/*
 * The forms: 0 as sent; 1 percent-encoded, upper case, "+" for a space;
 * 2 the same, lower case, "%20"; 3, 4 every byte percent-encoded, upper
 * and lower case; JSON-escaped with characters beyond ASCII as UTF-8
 * (5: lower case, "/"; 6: upper case, "\/") or as \uXXXX (7, 8 alike).
 */
#define ECHO_FORMS	9

/*
 * Render one character of the secret (n bytes at c) in a form; returns
 * the number of pieces written to pieces[] (each NUL-terminated, one per
 * unit a cut may break).
 */
static int
echo_render_char(const unsigned char *c, int n, int form,
				 char pieces[][16])
{
	int			upper = form == 1 || form == 3 || form == 6 || form == 8;
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int			np = 0;
	int			i;

	if (form == 0)
	{
		for (i = 0; i < n; i++)
			pieces[np][0] = (char) c[i], pieces[np++][1] = '\0';
		return np;
	}
	if (form <= 4)
	{
		for (i = 0; i < n; i++)
		{
			unsigned char b = c[i];

			if (form <= 2 && ((b >= 'a' && b <= 'z') ||
							  (b >= '0' && b <= '9') ||
							  b == '-' || b == '_' || b == '~'))
				snprintf(pieces[np++], 16, "%c", b);
			else if (form == 1 && b == ' ')
				snprintf(pieces[np++], 16, "+");
			else
				snprintf(pieces[np++], 16, "%%%c%c", hex[b >> 4],
						 hex[b & 15]);
		}
		return np;
	}
	else
	{
		int			cpn;
		uint32_t	cp = echo_code_point(c, &cpn);
		const char *fmt = upper ? "\\u%04X" : "\\u%04x";

		if (cp == '"' || cp == '\\')
			snprintf(pieces[np++], 16, "\\%c", (char) cp);
		else if (cp == '/')
			snprintf(pieces[np++], 16, upper ? "\\/" : "/");
		else if (cp == '\n')
			snprintf(pieces[np++], 16, "\\n");
		else if (cp == '\t')
			snprintf(pieces[np++], 16, "\\t");
		else if (cp < 0x20)
			snprintf(pieces[np++], 16, fmt, (unsigned int) cp);
		else if (cp < 0x80 || form < 7)
		{
			memcpy(pieces[np], c, n);
			pieces[np++][n] = '\0';
		}
		else if (cp > 0xFFFF)
		{
			snprintf(pieces[np], 16, fmt,
					 (unsigned int) (0xD800 + ((cp - 0x10000) >> 10)));
			snprintf(pieces[np] + 6, 10, fmt,
					 (unsigned int) (0xDC00 + ((cp - 0x10000) & 0x3FF)));
			np++;
		}
		else
			snprintf(pieces[np++], 16, fmt, (unsigned int) cp);
		return np;
	}
}

/* append to a buffer of cap bytes; false when full */
static int
echo_append(char *buf, size_t *len, size_t cap, const char *s, size_t n)
{
	if (*len + n >= cap)
		return 0;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
	return 1;
}

/*
 * Render the whole secret in a form; with cut >= 0, only the first cut
 * bytes' characters (whole characters covering at least four bytes), then
 * part of the next unit (up to part bytes), then a mark.
 */
static void
echo_render(const char *secret, int form, int cut, unsigned int part,
			int mark, char *buf, size_t *len, size_t cap)
{
	static const char *const marks[3] = {"...", "\xE2\x80\xA6", "\\u2026"};
	const unsigned char *s = (const unsigned char *) secret;
	size_t		slen = strlen(secret);
	size_t		i = 0;

	while (i < slen)
	{
		char		pieces[4][16];
		int			n;
		int			np;
		int			k;

		echo_code_point(s + i, &n);
		np = echo_render_char(s + i, n, form, pieces);
		if (cut >= 0 && (int) i >= cut)
		{
			/* a prefix of its first unit, at most 6 bytes, then a mark */
			size_t		plen = strlen(pieces[0]);
			size_t		take = part % ((plen < 6 ? plen : 6) + 1);

			echo_append(buf, len, cap, pieces[0], take);
			echo_append(buf, len, cap, marks[mark % 3],
						strlen(marks[mark % 3]));
			return;
		}
		for (k = 0; k < np; k++)
			echo_append(buf, len, cap, pieces[k], strlen(pieces[k]));
		i += n;
	}
}

static void
fuzz_echo_forms(const uint8_t *data, size_t size)
{
	static const char filler_chars[] = "GHIJKLMNOPQRSTVWXYZ:;,";
	EchoRng		r = {data, size, 0, 0x9E3779B97F4A7C15ULL};
	char		secret[128];
	size_t		slen = 0;
	const char *secrets[1] = {secret};
	size_t		cap = 16384;
	char	   *text = malloc(cap);
	size_t		tlen = 0;
	unsigned int nchars = 2 + echo_next(&r, 20);
	unsigned int echoes = 1 + echo_next(&r, 6);
	unsigned int e;
	int			pass;
	int			form;
	size_t		i;

	for (i = 0; i < size; i++)
		r.state = (r.state ^ data[i]) * 0x100000001B3ULL;
	if (r.state == 0)
		r.state = 1;
	for (i = 0; i < nchars || slen < 4; i++)
	{
		const char *c = echo_chars[echo_next(&r, N_ECHO_CHARS)];

		memcpy(secret + slen, c, strlen(c));
		slen += strlen(c);
	}
	secret[slen] = '\0';
	text[0] = '\0';

	for (e = 0; e < echoes; e++)
	{
		unsigned int nfill = echo_next(&r, 8);
		int			cut = -1;

		while (nfill-- > 0)
			echo_append(text, &tlen, cap,
						&filler_chars[echo_next(&r, sizeof(filler_chars) - 1)], 1);
		form = (int) echo_next(&r, ECHO_FORMS);
		if (echo_next(&r, 2))
		{
			/* cut after whole characters covering four bytes or more */
			const unsigned char *s = (const unsigned char *) secret;
			int			want = 4 + (int) echo_next(&r, (unsigned int) slen);
			int			n;

			cut = 0;
			while (cut < 4 || (cut < want && (size_t) cut < slen))
			{
				echo_code_point(s + cut, &n);
				cut += n;
			}
		}
		echo_render(secret, form, cut, echo_next(&r, 7), (int) echo_next(&r, 3),
					text, &tlen, cap);
	}
	echo_append(text, &tlen, cap, "Z", echo_next(&r, 2));

	for (pass = 0; pass < 2; pass++)
	{
		char	   *out = lfdw_wire_clean_text(text, tlen, secrets, 1, 1 << 20,
											   pass == 1);

		CHECK(out != NULL);
		for (form = 0; form < ECHO_FORMS; form++)
		{
			char		full[2048];
			size_t		flen = 0;
			size_t		j;

			full[0] = '\0';
			echo_render(secret, form, -1, 0, 0, full, &flen, sizeof(full));
			for (j = 0; j + 4 <= flen; j++)
			{
				char		run[5];

				memcpy(run, full + j, 4);
				run[4] = '\0';
				if (strstr(out, run) != NULL)
				{
					/* a run of the secret's form shows */
					fprintf(stderr, "form %d run \"%s\" of \"%s\"\n"
							"text \"%s\"\nclean \"%s\"\n",
							form, run, full, text, out);
					abort();
				}
			}
		}
		lfdw_wire_free_text(out);
	}
	explicit_bzero(secret, sizeof(secret));
	free(text);
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

	/* the /openapi.json reader (release.c): a kept schema name is printable */
	{
		LfdwWireOpenapi api;
		size_t		i;

		lfdw_wire_openapi(body, len, &api);
		CHECK(api.document || (!api.patch_route && !api.user_connection));
		CHECK(api.patch_body_found || !api.values_to_delete);
		CHECK(strlen(api.patch_body) < sizeof(api.patch_body));
		for (i = 0; api.patch_body[i]; i++)
			CHECK(isalnum((unsigned char) api.patch_body[i]) ||
				  strchr("_-.", api.patch_body[i]) != NULL);
	}
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
	else if ((data[0] & 7) == 2)
		fuzz_echo_forms(data + 1, size - 1);
	else if (data[0] & 1)
		fuzz_encode(buf);
	else
		fuzz_body(buf, size - 1);

	free(buf);
	return 0;
}
