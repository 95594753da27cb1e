/*-------------------------------------------------------------------------
 *
 * wire.h
 *		  The parts of litellm_fdw that read bytes from the network, with no
 *		  dependency on PostgreSQL.
 *
 * Everything declared here is plain C over cJSON and libc, so that it can
 * be compiled into libFuzzer harnesses (test/fuzz/) as well as into the
 * extension.  Memory is malloc'd (cJSON's own allocator) and freed by the
 * caller with the function named for it; nothing here longjmps.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/wire.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_WIRE_H
#define LITELLM_FDW_WIRE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

/* What a credential of a response turned out to be. */
typedef enum LfdwWireItem
{
	LFDW_WIRE_ITEM_OK,
	LFDW_WIRE_ITEM_NO_NAME,		/* not an object with a non-empty string name */
	LFDW_WIRE_ITEM_DUPLICATE_KEY,	/* a field of the credential given twice */
	LFDW_WIRE_ITEM_BAD_INFO,	/* credential_info neither object nor null */
	LFDW_WIRE_ITEM_BAD_VALUES	/* credential_values neither object nor null */
} LfdwWireItem;

/*
 * A credential of a response, as pointers into the parsed tree.  name is
 * set whenever the result is not LFDW_WIRE_ITEM_NO_NAME.
 */
typedef struct LfdwWireCredential
{
	const char *name;			/* UTF-8 */
	const struct cJSON *info;	/* NULL when absent or null */
	const struct cJSON *values; /* an object, or NULL when absent or null */
} LfdwWireCredential;

extern struct cJSON *lfdw_wire_parse(const char *data, size_t len);
extern void lfdw_wire_free(struct cJSON *root);
extern bool lfdw_wire_top_string(const char *data, size_t len,
								 const char *key, char *out, size_t size);

/* What GET /openapi.json declares (lfdw_wire_openapi, release.c). */
typedef struct LfdwWireOpenapi
{
	bool		document;		/* an object with "openapi" and "paths" */
	bool		patch_route;	/* PATCH /credentials/{credential_name} */
	bool		patch_body_found;	/* its body schema, with properties */
	bool		values_to_delete;	/* ...among them
									 * credential_values_to_delete */
	bool		user_connection;	/* DELETE
									 * .../{credential_name}/user_connection */
	char		patch_body[64]; /* the schema's component name, or "" */
} LfdwWireOpenapi;

extern void lfdw_wire_openapi(const char *data, size_t len,
							  LfdwWireOpenapi *out);
extern bool lfdw_wire_has_nul_escape(const char *data, size_t len);
extern bool lfdw_wire_is_flat_error(const struct cJSON *root);
extern bool lfdw_wire_is_litellm_error(const struct cJSON *root);
extern int	lfdw_wire_error_code(const struct cJSON *root);
extern char *lfdw_wire_error_message(const struct cJSON *root);
extern void lfdw_wire_free_text(char *text);
extern const struct cJSON *lfdw_wire_credential_list(const struct cJSON *root);
extern const char *lfdw_wire_duplicate_name(const struct cJSON *list);
extern const char *lfdw_wire_first_duplicate(const char **keys, size_t n);
extern const struct cJSON *lfdw_wire_first(const struct cJSON *array);
extern const struct cJSON *lfdw_wire_next(const struct cJSON *item);
extern int	lfdw_wire_count(const struct cJSON *array);
extern bool lfdw_wire_is_credential(const struct cJSON *root);
extern LfdwWireItem lfdw_wire_credential(const struct cJSON *item,
										 LfdwWireCredential *out);
extern int	lfdw_wire_count_members(const struct cJSON *object,
									const char *name);
extern bool lfdw_wire_is_success(const struct cJSON *root);
extern bool lfdw_wire_key_listed(const char *key, size_t keylen,
								 const char *const *list, int n);

/* What masking shows of a value (lfdw_wire_show_rule). */
typedef enum LfdwWireShow
{
	LFDW_WIRE_MASK,				/* the mask, whatever the value */
	LFDW_WIRE_SHOW,				/* the value as stored */
	LFDW_WIRE_SHOW_SCALAR,		/* a scalar or an array of scalars, as stored;
								 * anything else masked */
	LFDW_WIRE_SHOW_URL			/* a string without user information and query
								 * (lfdw_wire_strip_url); anything else masked */
} LfdwWireShow;

extern LfdwWireShow lfdw_wire_show_rule(const char *key, size_t keylen,
										bool is_setting,
										const char *const *unmasked, int n);

/* room lfdw_wire_strip_url needs for an input of len bytes */
#define LFDW_WIRE_SHOWN_URL_SIZE(len) ((len) + 28)
extern size_t lfdw_wire_strip_url(const char *in, char *out);

/* An http(s) URL taken apart (lfdw_wire_parse_url). */
typedef struct LfdwWireUrl
{
	char		scheme[8];		/* "http" or "https" */
	char		host[256];		/* lower case, IPv6 without brackets */
	int			port;
	const char *path;			/* into the URL: from the first "/" on */
	size_t		path_len;
} LfdwWireUrl;

/* Why a URL is not one (lfdw_wire_check_url). */
typedef enum LfdwWireUrlCheck
{
	LFDW_WIRE_URL_OK,
	LFDW_WIRE_URL_SCHEME,		/* not http:// or https:// */
	LFDW_WIRE_URL_USERINFO,		/* user information ("user:pw@") */
	LFDW_WIRE_URL_HOST,			/* no host, or one that does not fit */
	LFDW_WIRE_URL_PORT,			/* a port that is not 1 to 65535 */
	LFDW_WIRE_URL_QUERY,		/* a query, a fragment or white space */
	LFDW_WIRE_URL_DOT_SEGMENT,	/* a "." or ".." path segment */
	LFDW_WIRE_URL_ENCODED_SLASH /* %2F, %5C or a backslash in the path */
} LfdwWireUrlCheck;

extern LfdwWireUrlCheck lfdw_wire_check_url(const char *url, size_t len,
											LfdwWireUrl *out);
extern bool lfdw_wire_parse_url(const char *url, size_t len,
								LfdwWireUrl *out);
extern int	lfdw_wire_allowed_urls_check(const char *list, const char *url);
extern size_t lfdw_wire_percent_encode(const char *in, char *out);
extern char *lfdw_wire_clean_text(const char *text, size_t len,
								  const char *const *secrets, int nsecrets,
								  size_t max_bytes, bool ascii_only);


/*
 * The strict, streaming side: a pull lexer over JSON text (RFC 8259, no
 * extensions) that hands out tokens without building a tree, and an index of
 * the credentials of a GET /credentials body made with it.  Everything the
 * lexer accepts, cJSON accepts too (test/fuzz/ checks it); what it refuses
 * (including nesting deeper than LFDW_WIRE_MAX_DEPTH and numbers longer than
 * LFDW_WIRE_MAX_NUMBER bytes, which cJSON treats differently) is read the
 * old way, with cJSON, so that nothing changes for such bodies.
 */
#define LFDW_WIRE_MAX_DEPTH		256
#define LFDW_WIRE_MAX_NUMBER	63

typedef enum LfdwWireToken
{
	LFDW_TOK_ERROR = 0,			/* not strict JSON (sticky) */
	LFDW_TOK_END,				/* the value is complete and nothing follows */
	LFDW_TOK_BEGIN_OBJECT,
	LFDW_TOK_END_OBJECT,
	LFDW_TOK_BEGIN_ARRAY,
	LFDW_TOK_END_ARRAY,
	LFDW_TOK_KEY,				/* str/len: a member name (':' consumed) */
	LFDW_TOK_STRING,			/* str/len: raw content between the quotes */
	LFDW_TOK_NUMBER,			/* str/len: the number's text */
	LFDW_TOK_TRUE,
	LFDW_TOK_FALSE,
	LFDW_TOK_NULL
} LfdwWireToken;

typedef struct LfdwWireLexer
{
	const char *p;				/* next byte to read */
	const char *end;			/* end of the text */
	const char *start;			/* first byte of the last token */
	const char *str;			/* KEY, STRING, NUMBER: its text */
	size_t		len;
	bool		escaped;		/* KEY, STRING: holds a backslash escape */
	bool		saw_nul;		/* some string so far held \u0000 */
	int			state;
	int			depth;			/* containers open */
	char		stack[LFDW_WIRE_MAX_DEPTH]; /* 'o' or 'a' per open container */
} LfdwWireLexer;

/* A credential of a list body, as offsets into the body (0: absent). */
typedef struct LfdwWireElement
{
	size_t		name_off;		/* raw content of credential_name's string */
	size_t		info_off;		/* credential_info's object text */
	size_t		values_off;		/* credential_values' object text */
	unsigned int name_len;
	unsigned int info_len;
	unsigned int values_len;
	unsigned char status;		/* an LfdwWireItem */
	bool		has_name;		/* the first credential_name is a string */
	bool		name_escaped;
} LfdwWireElement;

typedef struct LfdwWireList
{
	LfdwWireElement *elems;		/* malloc'd; free with lfdw_wire_list_free */
	size_t		n;
	size_t		cap;
	bool		has_nul;		/* a string holds \u0000 */
} LfdwWireList;

extern void lfdw_wire_lex_init(LfdwWireLexer *lx, const char *data,
							   size_t len);
extern LfdwWireToken lfdw_wire_lex_next(LfdwWireLexer *lx);
extern bool lfdw_wire_lex_skip(LfdwWireLexer *lx, LfdwWireToken first);
extern size_t lfdw_wire_unescape(const char *raw, size_t len, char *out);
extern bool lfdw_wire_index_list(const char *data, size_t len,
								 LfdwWireList *out);
extern void lfdw_wire_list_free(LfdwWireList *list);
extern char *lfdw_wire_list_duplicate(const char *data,
									  const LfdwWireList *list);

#endif							/* LITELLM_FDW_WIRE_H */
