/*-------------------------------------------------------------------------
 *
 * option.c
 *		  Options of litellm_fdw: the validator, their resolution for one
 *		  server and user, the column mapping, and the EXPLAIN line of the
 *		  release a write is chosen for (it needs the resolved options).
 *
 * Options live on three kinds of object.  The server holds where and how
 * to connect, the user mapping holds the API key (and nothing else may:
 * pg_foreign_server.srvoptions is readable by anyone with USAGE, while
 * pg_user_mappings hides umoptions from other roles), and the foreign
 * table holds what it maps.  Values are checked when the DDL runs, so that
 * a bad value never gets as far as a request.
 *
 * Layering: below the pending changes (pending.c copies resolved options)
 * and the FDW callbacks; it may call release.c (whether a litellm_version
 * is valid, and the release to describe) and the network policy of the
 * transport (lfdw_check_url_allowed).  _PG_init is in commit.c: it
 * registers the transaction callbacks, which are above this file (pending.c
 * calls this file, commit.c calls pending.c).
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/option.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>

#include "access/htup_details.h"
#include "access/reloptions.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#include "fmgr.h"
#include "foreign/foreign.h"
#include "json.h"
#include "litellm_fdw.h"
#include "miscadmin.h"
#include "model.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/varlena.h"
#include "wire.h"


/* Option names, shared by the table below and the code that reads them. */
#define OPT_URL					"url"
#define OPT_TIMEOUT_MS			"timeout_ms"
#define OPT_CONNECT_TIMEOUT_MS	"connect_timeout_ms"
#define OPT_MAX_RETRIES			"max_retries"
#define OPT_MAX_RESPONSE_BYTES	"max_response_bytes"
#define OPT_SSL_VERIFY			"ssl_verify"
#define OPT_CA_FILE				"ca_file"
#define OPT_AUTH_HEADER			"auth_header"
#define OPT_UNMASKED_KEYS		"unmasked_keys"
#define OPT_REQUEST_COST		"request_cost"
#define OPT_ESTIMATED_ROWS		"estimated_rows"
#define OPT_POINT_LOOKUP_LIMIT	"point_lookup_limit"
#define OPT_RESOURCE			"resource"
#define OPT_PAGE_SIZE			"page_size"
#define OPT_API_KEY				"api_key"
#define OPT_WRITE_MODE			"write_mode"
#define OPT_MAX_CONCURRENCY		"max_concurrency"
#define OPT_BATCH_SIZE			"batch_size"
#define OPT_LITELLM_VERSION		"litellm_version"

/* Defaults, as documented in the README. */
#define DEFAULT_TIMEOUT_MS			30000
#define DEFAULT_CONNECT_TIMEOUT_MS	5000
#define DEFAULT_MAX_RETRIES			2
#define DEFAULT_MAX_RESPONSE_BYTES	(INT64CONST(64) * 1024 * 1024)
/* a response is collected in one StringInfo, which MaxAllocSize bounds */
#define LIMIT_MAX_RESPONSE_BYTES	((int64) MaxAllocSize - 1)
/* planner cost of one HTTP request, in the units of seq_page_cost */
#define DEFAULT_REQUEST_COST		100.0
/* a guess at the number of credentials a list call returns */
#define DEFAULT_ESTIMATED_ROWS		100.0
/* IN lists up to this many names become one point lookup per name */
#define DEFAULT_POINT_LOOKUP_LIMIT	10
/* requests sent at once at commit and by a batch insert */
#define DEFAULT_MAX_CONCURRENCY		16
#define LIMIT_MAX_CONCURRENCY		64
/* rows an immediate-mode INSERT hands over at a time */
#define DEFAULT_BATCH_SIZE			100
#define LIMIT_BATCH_SIZE			10000

typedef struct LfdwValidOption
{
	const char *name;
	Oid			context;		/* catalog where the option may appear */
} LfdwValidOption;

static const LfdwValidOption valid_options[] = {
	{OPT_URL, ForeignServerRelationId},
	{OPT_TIMEOUT_MS, ForeignServerRelationId},
	{OPT_CONNECT_TIMEOUT_MS, ForeignServerRelationId},
	{OPT_MAX_RETRIES, ForeignServerRelationId},
	{OPT_MAX_RESPONSE_BYTES, ForeignServerRelationId},
	{OPT_SSL_VERIFY, ForeignServerRelationId},
	{OPT_CA_FILE, ForeignServerRelationId},
	{OPT_AUTH_HEADER, ForeignServerRelationId},
	{OPT_UNMASKED_KEYS, ForeignServerRelationId},
	{OPT_REQUEST_COST, ForeignServerRelationId},
	{OPT_ESTIMATED_ROWS, ForeignServerRelationId},
	{OPT_POINT_LOOKUP_LIMIT, ForeignServerRelationId},
	{OPT_WRITE_MODE, ForeignServerRelationId},
	{OPT_MAX_CONCURRENCY, ForeignServerRelationId},
	{OPT_BATCH_SIZE, ForeignServerRelationId},
	{OPT_PAGE_SIZE, ForeignServerRelationId},
	{OPT_LITELLM_VERSION, ForeignServerRelationId},
	{OPT_ESTIMATED_ROWS, ForeignTableRelationId},
	{OPT_WRITE_MODE, ForeignTableRelationId},
	{OPT_BATCH_SIZE, ForeignTableRelationId},
	{OPT_REQUEST_COST, ForeignTableRelationId},
	{OPT_PAGE_SIZE, ForeignTableRelationId},
	{OPT_RESOURCE, ForeignTableRelationId},
	{OPT_API_KEY, UserMappingRelationId},
	{NULL, InvalidOid}
};

/*
 * The credential fields, in LfdwField order, with their SQL types; the
 * secrets (credential_values) only in jsonb.
 */
static const LfdwFieldDef field_defs[LFDW_NUM_FIELDS] = {
	{"credential_name", false, false},
	{"credential_info", true, true},
	{"credential_values", true, false},
	{"model_id", false, false},
};

/*
 * The names of the resources, for the validator of the table option
 * resource: the list of resources is in litellm_fdw.c, above this file,
 * whose _PG_init sets these.
 */
bool		(*lfdw_resource_name_valid) (const char *name);
const char *(*lfdw_resource_name_list) (void);

PG_FUNCTION_INFO_V1(litellm_fdw_validator);

/* Helper functions */
static void validate_option_value(DefElem *def);
static void check_no_control_char(DefElem *def);
static void check_url_option(DefElem *def, bool check_allowed);
static void check_file_option(DefElem *def);
static int	int_option(DefElem *def, int min, int max);
static int64 int64_option(DefElem *def, int64 min, int64 max);
static double real_option(DefElem *def);
static const char *valid_options_list(Oid context);
static void wipe_key_callback(void *arg);
static List *split_key_list(const char *value);

/*
 * litellm_fdw_validator
 *		Check the options of a CREATE or ALTER of a server, user mapping or
 *		foreign table (or of the wrapper itself, which has none).
 */
Datum
litellm_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	bool		has_url = false;

	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const LfdwValidOption *opt;
		bool		known_elsewhere = false;

		for (opt = valid_options; opt->name; opt++)
		{
			if (strcmp(opt->name, def->defname) == 0)
			{
				if (opt->context == catalog)
					break;
				known_elsewhere = true;
			}
		}

		if (opt->name == NULL)
		{
			/* The key must never be stored where others can read it. */
			if (strcmp(def->defname, OPT_API_KEY) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("option \"%s\" is allowed only on a user mapping",
								OPT_API_KEY),
						 errdetail("Options of servers and foreign tables are readable by other roles."),
						 errhint("Use CREATE USER MAPPING ... SERVER ... OPTIONS (api_key '...').")));
			if (catalog == ForeignDataWrapperRelationId)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid option \"%s\"", def->defname),
						 errhint("The foreign data wrapper litellm_fdw takes no options.")));
			if (known_elsewhere)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
						 errmsg("invalid option \"%s\" for this object", def->defname),
						 errhint("Valid options in this context are: %s.",
								 valid_options_list(catalog))));
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\"", def->defname),
					 errhint("Valid options in this context are: %s.",
							 valid_options_list(catalog))));
		}

		validate_option_value(def);
		if (strcmp(def->defname, OPT_URL) == 0)
			has_url = true;
	}

	/*
	 * A server is nothing without its URL: refused now (CREATE SERVER, or
	 * ALTER SERVER ... DROP url), not at its first query.  The validator is
	 * given every option of the object, old and new.
	 */
	if (catalog == ForeignServerRelationId && !has_url)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("a server of litellm_fdw needs option \"%s\"", OPT_URL),
				 errhint("Give the URL of the LiteLLM proxy, e.g. OPTIONS (url 'http://127.0.0.1:4000').")));

	PG_RETURN_VOID();
}

/*
 * Check the value of one option whose name and place are valid.
 */
static void
validate_option_value(DefElem *def)
{
	const char *name = def->defname;

	check_no_control_char(def);
	if (strcmp(name, OPT_URL) == 0)
		check_url_option(def, true);
	else if (strcmp(name, OPT_TIMEOUT_MS) == 0 ||
			 strcmp(name, OPT_CONNECT_TIMEOUT_MS) == 0)
		(void) int_option(def, 1, INT_MAX);
	else if (strcmp(name, OPT_MAX_RETRIES) == 0)
		(void) int_option(def, 0, 10);
	else if (strcmp(name, OPT_POINT_LOOKUP_LIMIT) == 0)
		(void) int_option(def, 0, 1000);
	else if (strcmp(name, OPT_MAX_CONCURRENCY) == 0)
		(void) int_option(def, 1, LIMIT_MAX_CONCURRENCY);
	else if (strcmp(name, OPT_BATCH_SIZE) == 0)
		(void) int_option(def, 1, LIMIT_BATCH_SIZE);
	else if (strcmp(name, OPT_WRITE_MODE) == 0)
	{
		const char *value = defGetString(def);

		if (strcmp(value, "commit") != 0 && strcmp(value, "immediate") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"",
							OPT_WRITE_MODE, value),
					 errhint("Valid values are \"commit\" and \"immediate\".")));
	}
	else if (strcmp(name, OPT_LITELLM_VERSION) == 0)
	{
		const char *value = defGetString(def);

		if (!lfdw_release_option_valid(value))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"",
							OPT_LITELLM_VERSION, value),
					 errhint("Give a LiteLLM version such as '1.74.0', or a release line: %s.",
							 lfdw_release_option_lines())));
	}
	else if (strcmp(name, OPT_PAGE_SIZE) == 0)
		(void) int_option(def, 1, 10000);
	else if (strcmp(name, OPT_MAX_RESPONSE_BYTES) == 0)
		(void) int64_option(def, 1, LIMIT_MAX_RESPONSE_BYTES);
	else if (strcmp(name, OPT_REQUEST_COST) == 0 ||
			 strcmp(name, OPT_ESTIMATED_ROWS) == 0)
		(void) real_option(def);
	else if (strcmp(name, OPT_SSL_VERIFY) == 0)
	{
		if (!defGetBoolean(def) && !superuser())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only superuser can set option \"%s\" to false",
							OPT_SSL_VERIFY),
					 errdetail("Without certificate verification anyone on the network path can read the API key."),
					 errhint("A superuser can set option \"%s\" to trust a private certificate authority instead.",
							 OPT_CA_FILE)));
	}
	else if (strcmp(name, OPT_CA_FILE) == 0)
	{
		check_file_option(def);
		if (defGetString(def)[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not be empty", OPT_CA_FILE)));
	}
	else if (strcmp(name, OPT_AUTH_HEADER) == 0)
	{
		const char *value = defGetString(def);

		if (pg_strcasecmp(value, "authorization") != 0 &&
			pg_strcasecmp(value, "x-litellm-api-key") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"",
							OPT_AUTH_HEADER, value),
					 errhint("Valid values are \"authorization\" and \"x-litellm-api-key\".")));
	}
	else if (strcmp(name, OPT_RESOURCE) == 0)
	{
		const char *value = defGetString(def);

		/* the names come from the resources themselves (litellm_fdw.c) */
		if (!lfdw_resource_name_valid(value))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"",
							OPT_RESOURCE, value),
					 errhint("Valid values are %s.", lfdw_resource_name_list())));
	}
	else if (strcmp(name, OPT_API_KEY) == 0)
	{
		/* never print the value, not even in this error */
		if (defGetString(def)[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not be empty", OPT_API_KEY)));
	}
	/* unmasked_keys takes any list of key names */
}

/*
 * A control character (CR and LF above all) in any option would reach an
 * HTTP request line or header, where it could add a header or a whole
 * second request.  No option has a use for one.  Checked when the DDL runs
 * and again whenever options are read (a catalog written by an older
 * release, or by hand).  The value is never printed: it may be the key.
 */
static void
check_no_control_char(DefElem *def)
{
	const unsigned char *p = (const unsigned char *) defGetString(def);

	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not contain control characters",
							def->defname),
					 errdetail("No option of litellm_fdw may contain a character below 0x20 or 0x7F.")));
}

/*
 * The url option: an http:// or https:// URL with a host, as the transport
 * and litellm_fdw.allowed_urls read it (one grammar: lfdw_wire_check_url).
 * Its path may hold no dot segment and no encoded slash or backslash,
 * raw or percent-encoded: a front end that normalises paths would
 * otherwise route "/v1/../admin" outside the prefix that allowed_urls
 * checked, with the mapping's key.  The URL may carry a password: it is
 * never echoed.  With check_allowed, it must also fall under
 * litellm_fdw.allowed_urls (the transport checks that again before each
 * request, naming the server).
 */
static void
check_url_option(DefElem *def, bool check_allowed)
{
	const char *url = defGetString(def);
	LfdwWireUrl parsed;

	switch (lfdw_wire_check_url(url, strlen(url), &parsed))
	{
		case LFDW_WIRE_URL_OK:
			break;
		case LFDW_WIRE_URL_SCHEME:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must be an http:// or https:// URL",
							OPT_URL),
					 errhint("For example: url 'http://127.0.0.1:4000'.")));
			break;
		case LFDW_WIRE_URL_USERINFO:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not contain user credentials",
							OPT_URL),
					 errhint("Put the API key in the api_key option of a user mapping.")));
			break;
		case LFDW_WIRE_URL_QUERY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not contain a query, a fragment or white space",
							OPT_URL)));
			break;
		case LFDW_WIRE_URL_DOT_SEGMENT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not contain a \".\" or \"..\" path segment",
							OPT_URL),
					 errdetail("Dot segments are refused raw and percent-encoded (%%2E), since a proxy in front of LiteLLM may resolve them to another path."),
					 errhint("Write the path without dot segments.")));
			break;
		case LFDW_WIRE_URL_ENCODED_SLASH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must not contain an encoded slash or a backslash",
							OPT_URL),
					 errdetail("%%2F, %%5C and \"\\\" are refused in the path, since a proxy in front of LiteLLM may read them as \"/\".")));
			break;
		case LFDW_WIRE_URL_PORT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" has an invalid port", OPT_URL),
					 errhint("A port is a number between 1 and 65535.")));
			break;
		case LFDW_WIRE_URL_HOST:
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" must name a host", OPT_URL)));
			break;
	}
	if (check_allowed)
		lfdw_check_url_allowed(url, NULL);
}

/*
 * An option that names a file (ca_file, the only one) makes the backend
 * read that file with the operating system rights of the database server:
 * the decision of a superuser, or of a role with the privileges of
 * pg_read_server_files, as for COPY FROM a file.  Whoever may set one could
 * otherwise point it at a pipe or device and hang the backend, or probe
 * the server's files.  The transport reads it itself, refusing anything
 * but a small regular file (connection.c).
 */
static void
check_file_option(DefElem *def)
{
	if (!superuser() &&
		!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to set option \"%s\"", def->defname),
				 errdetail("Only superusers and roles with privileges of the \"%s\" role may set an option that names a file on the database server.",
						   "pg_read_server_files")));
}

/*
 * Parse an integer option in [min, max], or raise an error naming it.
 */
static int
int_option(DefElem *def, int min, int max)
{
	int64		value = int64_option(def, min, max);

	return (int) value;
}

static int64
int64_option(DefElem *def, int64 min, int64 max)
{
	const char *str = defGetString(def);
	char	   *end;
	long long	value;

	errno = 0;
	value = strtoll(str, &end, 10);
	while (*end == ' ')
		end++;
	if (errno != 0 || end == str || *end != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for integer option \"%s\": %s",
						def->defname, str)));
	if (value < min || value > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" must be an integer value between %lld and %lld",
						def->defname, (long long) min, (long long) max)));
	return (int64) value;
}

static double
real_option(DefElem *def)
{
	const char *str = defGetString(def);
	double		value;

	if (!parse_real(str, &value, 0, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for floating point option \"%s\": %s",
						def->defname, str)));
	if (value < 0 || isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" must be a finite value greater than or equal to zero",
						def->defname)));
	return value;
}

/*
 * The comma-separated names of the options valid in a catalog.
 */
static const char *
valid_options_list(Oid context)
{
	StringInfoData buf;
	const LfdwValidOption *opt;

	initStringInfo(&buf);
	for (opt = valid_options; opt->name; opt++)
	{
		if (opt->context != context)
			continue;
		if (buf.len > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, opt->name);
	}
	return buf.len > 0 ? buf.data : "(none)";
}

/*
 * Split "a, b,c" into a List of trimmed, non-empty C strings.
 */
static List *
split_key_list(const char *value)
{
	List	   *result = NIL;
	const char *p = value;

	while (*p)
	{
		const char *start;
		const char *end;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > start)
			result = lappend(result, pnstrdup(start, end - start));
	}
	return result;
}

/*
 * Reset callback: wipe the API key before its memory is given back.
 */
static void
wipe_key_callback(void *arg)
{
	LfdwOptions *opts = (LfdwOptions *) arg;

	if (opts->api_key)
	{
		explicit_bzero(opts->api_key, strlen(opts->api_key));
		opts->api_key = NULL;
	}
}

/*
 * lfdw_get_options
 *		Resolve the options that apply to one server (and foreign table, if
 *		foreigntableid is valid) for one user.
 *
 * Table options override server options.  With need_key, the user
 * mapping is read as well (an error if there is none) and its api_key is
 * copied; the copy is wiped when the current memory context is reset or
 * deleted.  The result is palloc'd in the current memory context.
 */
LfdwOptions *
lfdw_get_options(Oid serverid, Oid foreigntableid, Oid userid, bool need_key)
{
	LfdwOptions *opts = palloc0(sizeof(LfdwOptions));
	ForeignServer *server = GetForeignServer(serverid);
	List	   *options = list_copy(server->options);
	ListCell   *cell;

	opts->serverid = serverid;
	opts->server_name = pstrdup(server->servername);
	opts->timeout_ms = DEFAULT_TIMEOUT_MS;
	opts->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	opts->max_retries = DEFAULT_MAX_RETRIES;
	opts->max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES;
	opts->ssl_verify = true;
	opts->request_cost = DEFAULT_REQUEST_COST;
	opts->estimated_rows = DEFAULT_ESTIMATED_ROWS;
	opts->point_lookup_limit = DEFAULT_POINT_LOOKUP_LIMIT;
	opts->max_concurrency = DEFAULT_MAX_CONCURRENCY;
	opts->batch_size = DEFAULT_BATCH_SIZE;

	if (OidIsValid(foreigntableid))
		options = list_concat(options, GetForeignTable(foreigntableid)->options);

	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const char *name = def->defname;

		check_no_control_char(def);
		if (strcmp(name, OPT_URL) == 0)
		{
			char	   *url = pstrdup(defGetString(def));
			size_t		len = strlen(url);

			/* a catalog written by an older release, or by hand */
			check_url_option(def, false);
			while (len > 0 && url[len - 1] == '/')
				url[--len] = '\0';
			opts->url = url;
		}
		else if (strcmp(name, OPT_TIMEOUT_MS) == 0)
			opts->timeout_ms = int_option(def, 1, INT_MAX);
		else if (strcmp(name, OPT_CONNECT_TIMEOUT_MS) == 0)
			opts->connect_timeout_ms = int_option(def, 1, INT_MAX);
		else if (strcmp(name, OPT_MAX_RETRIES) == 0)
			opts->max_retries = int_option(def, 0, 10);
		else if (strcmp(name, OPT_MAX_RESPONSE_BYTES) == 0)
			opts->max_response_bytes = int64_option(def, 1, LIMIT_MAX_RESPONSE_BYTES);
		else if (strcmp(name, OPT_SSL_VERIFY) == 0)
			opts->ssl_verify = defGetBoolean(def);
		else if (strcmp(name, OPT_CA_FILE) == 0)
			opts->ca_file = pstrdup(defGetString(def));
		else if (strcmp(name, OPT_AUTH_HEADER) == 0)
			opts->auth_x_litellm =
				(pg_strcasecmp(defGetString(def), "x-litellm-api-key") == 0);
		else if (strcmp(name, OPT_UNMASKED_KEYS) == 0)
		{
			List	   *keys = split_key_list(defGetString(def));
			ListCell   *kc;
			int			i = 0;

			opts->unmasked_keys = palloc(sizeof(char *) * (list_length(keys) + 1));
			foreach(kc, keys)
				opts->unmasked_keys[i++] = (const char *) lfirst(kc);
			opts->n_unmasked_keys = i;
		}
		else if (strcmp(name, OPT_REQUEST_COST) == 0)
			opts->request_cost = real_option(def);
		else if (strcmp(name, OPT_ESTIMATED_ROWS) == 0)
			opts->estimated_rows = real_option(def);
		else if (strcmp(name, OPT_POINT_LOOKUP_LIMIT) == 0)
			opts->point_lookup_limit = int_option(def, 0, 1000);
		else if (strcmp(name, OPT_WRITE_MODE) == 0)
			opts->write_immediate =
				(strcmp(defGetString(def), "immediate") == 0);
		else if (strcmp(name, OPT_MAX_CONCURRENCY) == 0)
			opts->max_concurrency = int_option(def, 1, LIMIT_MAX_CONCURRENCY);
		else if (strcmp(name, OPT_BATCH_SIZE) == 0)
			opts->batch_size = int_option(def, 1, LIMIT_BATCH_SIZE);
		else if (strcmp(name, OPT_LITELLM_VERSION) == 0)
			opts->litellm_version = pstrdup(defGetString(def));
	}

	if (opts->url == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("server \"%s\" has no option \"%s\"",
						server->servername, OPT_URL),
				 errhint("Use ALTER SERVER %s OPTIONS (ADD url 'http://host:4000').",
						 quote_identifier(server->servername))));

	if (need_key)
	{
		UserMapping *um = GetUserMapping(userid, serverid);

		opts->umid = um->umid;
		foreach(cell, um->options)
		{
			DefElem    *def = (DefElem *) lfirst(cell);

			if (strcmp(def->defname, OPT_API_KEY) == 0)
			{
				char	   *key = defGetString(def);

				check_no_control_char(def);

				opts->api_key = pstrdup(key);
				explicit_bzero(key, strlen(key));
			}
		}
		lfdw_free_on_reset(wipe_key_callback, opts);
	}

	return opts;
}

/*
 * lfdw_copy_options
 *		A deep copy of resolved options in the current memory context, for
 *		state that outlives the query (the pending changes of a
 *		transaction).  The copied api_key is wiped when that context is
 *		reset or deleted, like the original.
 */
LfdwOptions *
lfdw_copy_options(const LfdwOptions *src)
{
	LfdwOptions *opts = palloc(sizeof(LfdwOptions));
	int			i;

	memcpy(opts, src, sizeof(LfdwOptions));
	opts->server_name = pstrdup(src->server_name);
	opts->url = pstrdup(src->url);
	opts->ca_file = src->ca_file ? pstrdup(src->ca_file) : NULL;
	opts->litellm_version = src->litellm_version ?
		pstrdup(src->litellm_version) : NULL;
	opts->unmasked_keys = palloc(sizeof(char *) * (src->n_unmasked_keys + 1));
	for (i = 0; i < src->n_unmasked_keys; i++)
		opts->unmasked_keys[i] = pstrdup(src->unmasked_keys[i]);
	opts->api_key = src->api_key ? pstrdup(src->api_key) : NULL;
	lfdw_free_on_reset(wipe_key_callback, opts);
	return opts;
}

/*
 * lfdw_field_name
 *		The LiteLLM field (and column) name of a field.
 */
const char *
lfdw_field_name(LfdwField field)
{
	return field_defs[field].name;
}

/*
 * lfdw_build_column_map
 *		Match the columns of a credentials table to credential fields.
 */
void
lfdw_build_column_map(Relation rel, LfdwColumnMap *map)
{
	lfdw_map_columns(rel, field_defs, LFDW_NUM_FIELDS, "credential",
					 "Valid columns are credential_name (text), credential_info (jsonb), credential_values (jsonb) and model_id (text).",
					 map);
}

/*
 * lfdw_map_columns
 *		Match the columns of a foreign table to the fields defs by name,
 *		and check their types.
 *
 * Any column that matches no field, or has a type that cannot hold its
 * field, is an error with the hint (which lists the valid columns).  text
 * fields may be declared text or varchar, jsonb fields jsonb (or json where
 * the field allows); other than text and jsonb, values go through the
 * type's input function.  what names the resource in messages.
 */
void
lfdw_map_columns(Relation rel, const LfdwFieldDef *defs, int nfields,
				 const char *what, const char *hint, LfdwColumnMap *map)
{
	lfdw_map_typed_columns(rel, defs, NULL, nfields, what, hint, map);
}

/*
 * lfdw_map_typed_columns
 *		lfdw_map_columns, where types (when not NULL) gives the type of each
 *		field that is neither text nor jsonb (a number, a time), or
 *		InvalidOid: such a column has that type, or text or varchar, and
 *		the resource hands over its value as text the type's input function
 *		takes.
 */
void
lfdw_map_typed_columns(Relation rel, const LfdwFieldDef *defs,
					   const Oid *types, int nfields, const char *what,
					   const char *hint, LfdwColumnMap *map)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			i;

	Assert(nfields <= LFDW_MAX_FIELDS);
	memset(map, 0, sizeof(LfdwColumnMap));
	map->natts = tupdesc->natts;
	map->relname = pstrdup(RelationGetRelationName(rel));

	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		const char *attname = NameStr(att->attname);
		int			f;
		bool		type_ok;
		bool		native;

		if (att->attisdropped)
			continue;

		for (f = 0; f < nfields; f++)
			if (strcmp(attname, defs[f].name) == 0)
				break;
		if (f == nfields)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
					 errmsg("column \"%s\" of foreign table \"%s\" does not match any LiteLLM %s field",
							attname, RelationGetRelationName(rel), what),
					 errhint("%s", hint)));

		if (!defs[f].is_jsonb)
		{
			native = (att->atttypid == TEXTOID);
			type_ok = native || att->atttypid == VARCHAROID ||
				(types && OidIsValid(types[f]) && att->atttypid == types[f]);
		}
		else
		{
			native = (att->atttypid == JSONBOID);
			type_ok = native || (att->atttypid == JSONOID && defs[f].json_ok);
		}
		if (!type_ok)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" has type %s, but LiteLLM field \"%s\" needs type %s",
							attname, RelationGetRelationName(rel),
							format_type_be(att->atttypid),
							defs[f].name,
							types && OidIsValid(types[f]) ?
							format_type_be(types[f]) :
							defs[f].is_jsonb ? "jsonb" : "text"),
					 errhint("%s", hint)));

		map->field_att[f] = att->attnum;
		map->att_name[f] = pstrdup(attname);
		map->att_type[f] = att->atttypid;
		map->att_typmod[f] = att->atttypmod;
		map->att_native[f] = native && att->atttypmod < 0;
		if (!map->att_native[f])
			getTypeInputInfo(att->atttypid, &map->att_input_func[f],
							 &map->att_input_param[f]);
	}
}

/*
 * lfdw_explain_release
 *		EXPLAIN VERBOSE of a write: the release its requests are chosen
 *		for (found now, if this backend has not asked yet), through the
 *		user mapping the write would use, and each release-dependent
 *		decision with the evidence it rests on.
 */
void
lfdw_explain_release(ResultRelInfo *rinfo, EState *estate, ExplainState *es)
{
	Relation	rel = rinfo->ri_RelationDesc;
	Oid			relid = RelationGetRelid(rel);
	MemoryContext cxt = CurrentMemoryContext;
	List	   *volatile lines = NIL;
	ListCell   *cell;

	if (!es->verbose)
		return;
	PG_TRY();
	{
		LfdwOptions *opts = lfdw_get_options(GetForeignTable(relid)->serverid,
											 relid,
											 lfdw_modify_user(rinfo, estate),
											 true);

		lines = lfdw_release_explain_lines(opts);
	}
	PG_CATCH();
	{
		lines = list_make2("LiteLLM Release",
						   psprintf("not known (%s)", lfdw_caught_message(cxt)));
	}
	PG_END_TRY();
	/* (label, text) pairs: the release, then each decision and its evidence */
	for (cell = list_head(lines); cell; cell = lnext(lines, lnext(lines, cell)))
		ExplainPropertyText((char *) lfirst(cell),
							(char *) lfirst(lnext(lines, cell)), es);
}
