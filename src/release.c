/*-------------------------------------------------------------------------
 *
 * release.c
 *		  Which LiteLLM release a server runs, and what follows from it.
 *
 * LiteLLM's credential and model routes behave differently from release
 * line to release line (doc/litellm-api.md, section 1.2 names the lines and
 * section 5 tabulates the differences).  Some writes do what SQL asked on
 * one line and silently something else on another: removing a key of
 * credential_values by PATCH works only on the newest line, a null value
 * is stored as null before it and dropped on it, a DELETE of a name ending
 * in "/user_connection" reaches another handler on it.  The writes that
 * depend on the line ask here, and the answer decides whether the request
 * is sent or refused before anything is sent.
 *
 * The line is found once per server and backend, and only when a write
 * needs it (doc/litellm-api.md section 4):
 *
 *	1. the server option litellm_version, when set (a version or a line
 *	   name), wins;
 *	2. GET /health/readiness, without the key: older lines put
 *	   "litellm_version" in its body;
 *	3. otherwise GET /health/readiness/details, with the key: only the
 *	   newest line has this route, and it carries "litellm_version".
 *
 * A version maps onto a line by the boundaries doc/litellm-api.md gives
 * (approximate: no tag-to-commit map was available); a version after 1.95
 * found on the readiness route could be 2026-09 or newer, and is treated as
 * unknown.  When nothing answers usefully the line is unknown, and an
 * unknown line gets the conservative choice everywhere: whatever some line
 * would silently not do is refused.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/release.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <cJSON.h>

#include "commands/explain.h"
#include "foreign/foreign.h"
#include "litellm_fdw.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "wire.h"

/* What the backend found out about one server. */
typedef struct KnownRelease
{
	Oid			serverid;
	char	   *url;			/* the url it was found at */
	LfdwRelease rel;
} KnownRelease;

static List *known = NIL;		/* of KnownRelease, in TopMemoryContext */

static const struct
{
	const char *name;
	LfdwLine	line;
}			line_names[] = {
	{"2025-03", LFDW_LINE_2025_03},
	{"2025-05", LFDW_LINE_2025_05},
	{"team-admin", LFDW_LINE_TEAM_ADMIN},
	{"2026-08", LFDW_LINE_1_95},
	{"2026-09", LFDW_LINE_2026_09},
	{"newest", LFDW_LINE_NEWEST},
	{NULL, LFDW_LINE_UNKNOWN}
};

static bool parse_version(const char *text, int *major, int *minor);
static LfdwLine line_of_version(const char *text);
static void discover(const LfdwOptions *opts, LfdwRelease *rel);
static bool probe_version(const LfdwOptions *opts, const char *path,
						  bool with_key, char *version, size_t size,
						  long *status);

/*
 * lfdw_line_name
 *		The name of a line, as doc/litellm-api.md and the option use it.
 */
const char *
lfdw_line_name(LfdwLine line)
{
	int			i;

	if (line == LFDW_LINE_1_95)
		return "1.95";
	for (i = 0; line_names[i].name; i++)
		if (line_names[i].line == line)
			return line_names[i].name;
	return "unknown";
}

/* "1.74.0", "v1.79.0-stable": major and minor; false if not a version */
static bool
parse_version(const char *text, int *major, int *minor)
{
	const char *p = text;
	char	   *end;
	long		a,
				b;

	if (*p == 'v' || *p == 'V')
		p++;
	if (!isdigit((unsigned char) *p))
		return false;
	errno = 0;
	a = strtol(p, &end, 10);
	if (errno || *end != '.' || a > 1000)
		return false;
	p = end + 1;
	if (!isdigit((unsigned char) *p))
		return false;
	b = strtol(p, &end, 10);
	if (errno || b > 100000)
		return false;
	/* the rest: ".patch", a suffix such as "-stable" or ".post1" */
	for (p = end; *p; p++)
		if (!isalnum((unsigned char) *p) && *p != '.' && *p != '-' &&
			*p != '_' && *p != '+')
			return false;
	*major = (int) a;
	*minor = (int) b;
	return true;
}

/*
 * The line of a version number (doc/litellm-api.md section 1.2): v1.70.1
 * still has the 2025-03 shape, v1.79.0-stable is 2025-05..11, v1.95.0 is
 * the August 2026 line; what comes after 1.95 is 2026-09 or newer, which
 * the version alone does not tell apart.
 */
static LfdwLine
line_of_version(const char *text)
{
	int			major,
				minor;

	if (!parse_version(text, &major, &minor))
		return LFDW_LINE_UNKNOWN;
	if (major < 1 || (major == 1 && minor <= 70))
		return LFDW_LINE_2025_03;
	if (major == 1 && minor <= 79)
		return LFDW_LINE_2025_05;
	if (major == 1 && minor <= 95)
		return LFDW_LINE_1_95;
	return LFDW_LINE_UNKNOWN;
}

/*
 * lfdw_release_option_valid
 *		Is this a valid value of the server option litellm_version: a line
 *		name or a version number?
 */
bool
lfdw_release_option_valid(const char *text)
{
	int			i,
				major,
				minor;

	for (i = 0; line_names[i].name; i++)
		if (strcmp(text, line_names[i].name) == 0)
			return true;
	return parse_version(text, &major, &minor);
}

/*
 * lfdw_release_option_lines
 *		The line names the option takes, for messages.
 */
const char *
lfdw_release_option_lines(void)
{
	return "2025-03, 2025-05, team-admin, 2026-08, 2026-09, newest";
}

/*
 * Send one GET of discovery; true with the litellm_version of a 200 body.
 * *status is the HTTP status (0 when nothing came).
 */
static bool
probe_version(const LfdwOptions *opts, const char *path, bool with_key,
			  char *version, size_t size, long *status)
{
	LfdwOptions o = *opts;
	LfdwCall	call;
	LfdwHttpResponse *resp;
	cJSON	   *root;
	cJSON	   *v;
	bool		ok = false;

	if (!with_key)
		o.api_key = NULL;		/* a public route: no key is sent */
	o.max_retries = 0;
	lfdw_call_begin(&call, &o, "GET", path, NULL);
	resp = lfdw_http_request(&call, NULL, 0);
	lfdw_call_end(&call);
	*status = resp->status;
	if (resp->status != 200)
		return false;
	root = lfdw_wire_parse(resp->body.data, resp->body.len);
	if (root == NULL)
		return false;
	v = cJSON_GetObjectItemCaseSensitive(root, "litellm_version");
	if (cJSON_IsString(v) && v->valuestring &&
		strlen(v->valuestring) < size &&
		lfdw_release_option_valid(v->valuestring))
	{
		strlcpy(version, v->valuestring, size);
		ok = true;
	}
	lfdw_wire_free(root);
	return ok;
}

/* Find the line of a server (the steps in the header comment). */
static void
discover(const LfdwOptions *opts, LfdwRelease *rel)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *volatile why = NULL;
	long		status = 0;

	PG_TRY();
	{
		if (probe_version(opts, "/health/readiness", false, rel->version,
						  sizeof(rel->version), &status))
		{
			rel->line = line_of_version(rel->version);
			snprintf(rel->how, sizeof(rel->how), "GET /health/readiness");
		}
		else if (status == 200 && opts->api_key &&
				 probe_version(opts, "/health/readiness/details", true,
							   rel->version, sizeof(rel->version), &status))
		{
			/* only the newest line has this route */
			rel->line = LFDW_LINE_NEWEST;
			snprintf(rel->how, sizeof(rel->how),
					 "GET /health/readiness/details");
		}
		else
			why = psprintf("no litellm_version on /health/readiness%s (HTTP %ld)",
						   opts->api_key ? " or /health/readiness/details" : "",
						   status);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		/* a cancel is not a failed discovery */
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
			ReThrowError(edata);
		why = psprintf("discovery failed: %s", edata->message);
	}
	PG_END_TRY();

	if (why)
	{
		rel->line = LFDW_LINE_UNKNOWN;
		rel->version[0] = '\0';
		strlcpy(rel->how, why, sizeof(rel->how));
	}
}

/*
 * lfdw_release
 *		The release of the server of opts: from the option litellm_version,
 *		or found once per backend (and url) and kept.
 */
const LfdwRelease *
lfdw_release(const LfdwOptions *opts)
{
	static LfdwRelease from_option;
	ListCell   *cell;
	KnownRelease *k;
	LfdwRelease rel;
	MemoryContext oldcxt;

	if (opts->litellm_version)
	{
		int			i;

		memset(&from_option, 0, sizeof(from_option));
		from_option.line = LFDW_LINE_UNKNOWN;
		for (i = 0; line_names[i].name; i++)
			if (strcmp(opts->litellm_version, line_names[i].name) == 0)
				from_option.line = line_names[i].line;
		if (from_option.line == LFDW_LINE_UNKNOWN)
		{
			from_option.line = line_of_version(opts->litellm_version);
			strlcpy(from_option.version, opts->litellm_version,
					sizeof(from_option.version));
		}
		snprintf(from_option.how, sizeof(from_option.how),
				 "server option litellm_version '%s'", opts->litellm_version);
		return &from_option;
	}

	foreach(cell, known)
	{
		k = (KnownRelease *) lfirst(cell);
		if (k->serverid == opts->serverid && strcmp(k->url, opts->url) == 0)
			return &k->rel;
	}

	memset(&rel, 0, sizeof(rel));
	discover(opts, &rel);

	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	/* a server whose url changed: forget what was found at the old one */
	foreach(cell, known)
	{
		k = (KnownRelease *) lfirst(cell);
		if (k->serverid == opts->serverid)
		{
			known = foreach_delete_current(known, cell);
			pfree(k->url);
			pfree(k);
		}
	}
	k = palloc0(sizeof(KnownRelease));
	k->serverid = opts->serverid;
	k->url = pstrdup(opts->url);
	k->rel = rel;
	known = lappend(known, k);
	MemoryContextSwitchTo(oldcxt);
	return &k->rel;
}

/*
 * lfdw_release_describe
 *		The release for EXPLAIN VERBOSE: line, version and how it was
 *		found, or that it is unknown and the conservative choices apply.
 */
char *
lfdw_release_describe(const LfdwOptions *opts)
{
	const LfdwRelease *rel = lfdw_release(opts);

	if (rel->line == LFDW_LINE_UNKNOWN)
		return psprintf("unknown%s%s (%s): writes that some release would not apply as asked are refused",
						rel->version[0] ? ", version " : "", rel->version,
						rel->how);
	return psprintf("line %s%s%s (%s)", lfdw_line_name(rel->line),
					rel->version[0] ? ", version " : "", rel->version,
					rel->how);
}

/*
 * lfdw_release_text
 *		One phrase for a DETAIL: "LiteLLM server "s" runs release line X".
 */
char *
lfdw_release_text(const LfdwOptions *opts)
{
	const LfdwRelease *rel = lfdw_release(opts);

	if (rel->line == LFDW_LINE_UNKNOWN)
		return psprintf("The release of LiteLLM server \"%s\" is not known (%s).",
						opts->server_name, rel->how);
	return psprintf("LiteLLM server \"%s\" runs release line %s (%s).",
					opts->server_name, lfdw_line_name(rel->line), rel->how);
}

/*
 * lfdw_explain_release
 *		EXPLAIN VERBOSE of a write: the release its requests are chosen
 *		for (found now, if this backend has not asked yet).
 */
void
lfdw_explain_release(Relation rel, ExplainState *es)
{
	Oid			relid = RelationGetRelid(rel);
	LfdwOptions *opts;

	if (!es->verbose)
		return;
	opts = lfdw_get_options(GetForeignTable(relid)->serverid, relid,
							GetUserId(), true);
	ExplainPropertyText("LiteLLM Release", lfdw_release_describe(opts), es);
}
