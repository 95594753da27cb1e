/*-------------------------------------------------------------------------
 *
 * release.c
 *		  What a LiteLLM server's release does, from evidence, and what
 *		  follows from it.
 *
 * LiteLLM's credential and model routes behave differently from release
 * line to release line (doc/litellm-api.md, section 1.2 names the lines and
 * section 5 tabulates the differences).  Some writes do what SQL asked on
 * one line and silently something else on another: removing a key of
 * credential_values by PATCH works only on the newest line, a null value
 * is stored as null before it and dropped on it, a DELETE of a name ending
 * in "/user_connection" reaches another handler on it, a DELETE of a
 * missing name answers success before 2026-09.  The writes that depend on
 * the release ask here, and the answer decides whether the request is sent
 * or refused before anything is sent.
 *
 * Each such decision (LfdwDecision) is yes, no or unknown, and keeps the
 * evidence it rests on, which EXPLAIN VERBOSE shows (doc/litellm-api.md
 * section 4).  The evidence, strongest first:
 *
 *	1. the server option litellm_version, when set: a line name (the line's
 *	   answers, line_answers) or a version number (as in 3);
 *	2. what the server declares in GET /openapi.json: whether the body of
 *	   PATCH /credentials/{credential_name} has credential_values_to_delete,
 *	   and whether DELETE /credentials/{credential_name}/user_connection is
 *	   a route;
 *	3. its version (GET /health/readiness without the key, else GET
 *	   /health/readiness/details with it: from v1.84.0 on the version is
 *	   only there), used only on the side of a boundary that LiteLLM's
 *	   history establishes (VERSION_* below);
 *	4. nothing: unknown, and the conservative choice.
 *
 * The discovery (2 and 3) happens once per server and backend, and only
 * when a write needs it.  What was found is kept for the life of the
 * backend; a discovery whose request failed (transport error, HTTP 429 or
 * 5xx) only for the statement.  /openapi.json is large (several MB on a
 * real proxy): it is read once, within OPENAPI_MAX_BYTES, and only the few
 * members above are looked at (lfdw_wire_openapi).
 *
 * Layering: release.c resolves no options (option.c, whose validator asks
 * here whether a litellm_version is valid, and whose EXPLAIN lines of the
 * release ask lfdw_release_explain_lines); it may call the request layer
 * (statement.c), the transport's call context (connection.c), request.c
 * and the wire files.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/release.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "litellm_fdw.h"
#include "secret.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "wire.h"

/*
 * Version boundaries LiteLLM's history establishes (doc/litellm-api.md
 * section 4.1):
 *
 * - from v1.84.0 on, litellm_version is on /health/readiness/details only
 *   (BerriAI/litellm PR #26912; PR #27868: "v1.84.0rc2 contains #26912");
 * - v1.81.7 (upstream main, 2026-02-03) still answers a DELETE of a missing
 *   name with success (issue 22; PR #36260 made it 404 later), so every
 *   version up to it predates the 2026-09 and newest lines, and with them
 *   credential_values_to_delete and the user_connection route;
 * - v1.70.1 still has the {credential_name} routes of 2025-03 (issue
 *   #10975); up to 1.70 is taken as that line.
 *
 * Nothing tells what a version after 1.81.7 does: such a version decides
 * nothing.
 */
#define VERSION_LAST_OLD_DELETE	{1, 81, 7}
#define VERSION_LAST_2025_03	{1, 70, 99999}

/* the most of GET /openapi.json read (LiteLLM's is a few MB) */
#define OPENAPI_MAX_BYTES	(INT64CONST(32) * 1024 * 1024)

/* What the backend found out about one server. */
typedef struct KnownRelease
{
	Oid			serverid;
	char	   *url;			/* the url it was found at */
	LfdwRelease rel;
	bool		failed;			/* a request failed: kept for this statement
								 * only (stmt) */
	TimestampTz stmt;
} KnownRelease;

static List *known = NIL;		/* of KnownRelease, in TopMemoryContext */

/*
 * In a PG_CATCH block: the error being handled, copied into cxt and
 * cleared; a cancel is rethrown (lfdw_caught_message).
 */
static ErrorData *
caught_error(MemoryContext cxt)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	FlushErrorState();
	if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
		ReThrowError(edata);
	return edata;
}

/*
 * lfdw_caught_message
 *		In a PG_CATCH block: the message of the error being handled, which
 *		is cleared, for a release that stays unknown (discovery, and the
 *		EXPLAIN line of option.c).  A cancel is rethrown: it is no failed
 *		discovery.  (The HTTP layer has released its handles and
 * cleaned the server's text before the error reached here.)
 */
char *
lfdw_caught_message(MemoryContext cxt)
{
	return caught_error(cxt)->message;
}

/*
 * The lines the option names, and each line's answers (values_to_delete,
 * delete_checked, user_connection), from the sources of doc/litellm-api.md
 * section 5: only the newest removes listed keys and has the user_connection
 * route (C2, C3); a DELETE of a missing name answers 404 from 2026-09 on
 * (C9), and 2026-08 (v1.95.0, August 2026) predates or not the change that
 * made it so (PR #36260, in review in September 2026): not known.
 */
static const struct
{
	const char *name;
	LfdwLine	line;
	LfdwAnswer	values_to_delete;
	LfdwAnswer	delete_checked;
	LfdwAnswer	user_connection;
}			line_names[] = {
	{"2025-03", LFDW_LINE_2025_03, LFDW_ANSWER_NO, LFDW_ANSWER_NO, LFDW_ANSWER_NO},
	{"2025-05", LFDW_LINE_2025_05, LFDW_ANSWER_NO, LFDW_ANSWER_NO, LFDW_ANSWER_NO},
	{"team-admin", LFDW_LINE_TEAM_ADMIN, LFDW_ANSWER_NO, LFDW_ANSWER_NO, LFDW_ANSWER_NO},
	{"2026-08", LFDW_LINE_1_95, LFDW_ANSWER_NO, LFDW_ANSWER_UNKNOWN, LFDW_ANSWER_NO},
	{"2026-09", LFDW_LINE_2026_09, LFDW_ANSWER_NO, LFDW_ANSWER_YES, LFDW_ANSWER_NO},
	{"newest", LFDW_LINE_NEWEST, LFDW_ANSWER_YES, LFDW_ANSWER_YES, LFDW_ANSWER_YES},
	{NULL, LFDW_LINE_UNKNOWN}
};

static bool parse_version(const char *text, int *major, int *minor,
						  int *patch);
static bool version_at_most(const char *text, const int *bound);
static void add_evidence(LfdwDecision *d, const char *why);
static void decide_line(LfdwRelease *rel, int i, const char *evidence);
static void decide_version(LfdwRelease *rel, const char *version,
						   const char *source);
static void decide(LfdwDecision *d, LfdwAnswer answer, const char *fmt,...)
			pg_attribute_printf(3, 4);
static bool discover(const LfdwOptions *opts, LfdwRelease *rel);
static bool server_word_clean(const LfdwOptions *opts, const char *path,
							  const char *word);
static bool probe_version(const LfdwOptions *opts, const char *path,
						  bool with_key, char *version, size_t size,
						  long *status);
static bool probe_openapi(const LfdwOptions *opts, LfdwRelease *rel);
static const char *lfdw_line_name(LfdwLine line);
static char *lfdw_release_describe(const LfdwOptions *opts);

/*
 * lfdw_line_name
 *		The name of a line, as doc/litellm-api.md and the option use it.
 */
static const char *
lfdw_line_name(LfdwLine line)
{
	int			i;

	for (i = 0; line_names[i].name; i++)
		if (line_names[i].line == line)
			return line_names[i].name;
	return "unknown";
}

/* "1.74.0", "v1.79.0-stable": major, minor, patch (0 when absent) */
static bool
parse_version(const char *text, int *major, int *minor, int *patch)
{
	const char *p = text;
	char	   *end;
	long		a,
				b,
				c = 0;

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
	if (*end == '.' && isdigit((unsigned char) end[1]))
	{
		c = strtol(end + 1, &end, 10);
		if (errno || c > 100000)
			return false;
	}
	/* the rest: a suffix such as "-stable", "rc2" or ".post1" */
	for (p = end; *p; p++)
		if (!isalnum((unsigned char) *p) && *p != '.' && *p != '-' &&
			*p != '_' && *p != '+')
			return false;
	*major = (int) a;
	*minor = (int) b;
	*patch = (int) c;
	return true;
}

/* Is the version text at most bound (major, minor, patch)? */
static bool
version_at_most(const char *text, const int *bound)
{
	int			v[3];

	if (!parse_version(text, &v[0], &v[1], &v[2]))
		return false;
	if (v[0] != bound[0])
		return v[0] < bound[0];
	if (v[1] != bound[1])
		return v[1] < bound[1];
	return v[2] <= bound[2];
}

/* Set one decision, with its evidence (cut to fit). */
static void
decide(LfdwDecision *d, LfdwAnswer answer, const char *fmt,...)
{
	va_list		args;

	d->answer = answer;
	va_start(args, fmt);
	vsnprintf(d->evidence, sizeof(d->evidence), fmt, args);
	va_end(args);
}

/* Put why before the evidence a decision has. */
static void
add_evidence(LfdwDecision *d, const char *why)
{
	char		was[sizeof(d->evidence)];

	memcpy(was, d->evidence, sizeof(was));
	decide(d, d->answer, "%s%s%s", why, was[0] ? "; " : "", was);
}

/* The answers of line i of line_names, all resting on evidence. */
static void
decide_line(LfdwRelease *rel, int i, const char *evidence)
{
	rel->line = line_names[i].line;
	decide(&rel->values_to_delete, line_names[i].values_to_delete, "%s", evidence);
	decide(&rel->delete_checked, line_names[i].delete_checked, "%s", evidence);
	decide(&rel->user_connection, line_names[i].user_connection, "%s", evidence);
}

/*
 * What a version tells (the boundaries above), from source (the option or
 * the route that gave it): up to 1.81.7, the answers of 2025-03 or 2025-05
 * (team-admin answers the same); after it, nothing.
 */
static void
decide_version(LfdwRelease *rel, const char *version, const char *source)
{
	static const int last_old_delete[3] = VERSION_LAST_OLD_DELETE;
	static const int last_2025_03[3] = VERSION_LAST_2025_03;
	char		evidence[256];
	int			i;

	snprintf(rel->version, sizeof(rel->version), "%s", version);
	if (!version_at_most(version, last_old_delete))
	{
		snprintf(evidence, sizeof(evidence),
				 "version %s (%s) is after 1.81.7: it tells nothing",
				 version, source);
		rel->line = LFDW_LINE_UNKNOWN;
		decide(&rel->values_to_delete, LFDW_ANSWER_UNKNOWN, "%s", evidence);
		decide(&rel->delete_checked, LFDW_ANSWER_UNKNOWN, "%s", evidence);
		decide(&rel->user_connection, LFDW_ANSWER_UNKNOWN, "%s", evidence);
		return;
	}
	for (i = 0; line_names[i].name; i++)
		if (line_names[i].line == (version_at_most(version, last_2025_03) ?
								   LFDW_LINE_2025_03 : LFDW_LINE_2025_05))
			break;
	snprintf(evidence, sizeof(evidence),
			 "version %s (%s) is not after 1.81.7",
			 version, source);
	decide_line(rel, i, evidence);
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
				minor,
				patch;

	for (i = 0; line_names[i].name; i++)
		if (strcmp(text, line_names[i].name) == 0)
			return true;
	return parse_version(text, &major, &minor, &patch);
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
 * Is a word of the server (a version, a schema name) free of the mapping's
 * key in every form the cleaner knows?  It is kept for EXPLAIN and for
 * messages (the evidence of a decision), so it must be text the cleaner
 * would leave as it is; a word that is not is not believed.
 */
static bool
server_word_clean(const LfdwOptions *opts, const char *path, const char *word)
{
	LfdwCall	call;

	lfdw_call_prepare(&call, opts, "GET", path, NULL);
	return strcmp(lfdw_shown(lfdw_remote_text(&call, word, strlen(word))),
				  word) == 0;
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

	if (!with_key)
		o.api_key = NULL;		/* a public route: no key is sent */
	o.max_retries = 0;
	lfdw_call_begin(&call, &o, "GET", path, NULL);
	resp = lfdw_http_request(&call, NULL, 0);
	lfdw_call_end(&call);
	*status = resp->status;
	if (resp->status != 200)
		return false;
	if (lfdw_wire_top_string(resp->body.data, resp->body.len,
							 "litellm_version", version, size) &&
		lfdw_release_option_valid(version) &&
		server_word_clean(opts, path, version))
		return true;
	version[0] = '\0';
	return false;
}

/*
 * GET /openapi.json (public, FastAPI's own route), read within
 * OPENAPI_MAX_BYTES: what it declares decides values_to_delete and
 * user_connection, and a body with credential_values_to_delete (the newest
 * line's shape: every copy with it tests the DELETE's result) decides
 * delete_checked.  Where it tells nothing, the decisions are left as they
 * are and the evidence says why.  False when a request failed (not kept).
 */
static bool
probe_openapi(const LfdwOptions *opts, LfdwRelease *rel)
{
	MemoryContext cxt = CurrentMemoryContext;
	LfdwOptions o = *opts;
	LfdwCall	call;
	LfdwHttpResponse *volatile resp = NULL;
	char	   *volatile why = NULL;
	volatile bool answered = true;
	LfdwWireOpenapi api;
	const char *body;

	o.api_key = NULL;			/* a public route: no key is sent */
	o.max_retries = 0;
	o.max_response_bytes = Min(opts->max_response_bytes, OPENAPI_MAX_BYTES);
	PG_TRY();
	{
		lfdw_call_begin(&call, &o, "GET", "/openapi.json", NULL);
		resp = lfdw_http_request(&call, NULL, 0);
		lfdw_call_end(&call);
	}
	PG_CATCH();
	{
		ErrorData  *edata = caught_error(cxt);

		/* too big stays too big: kept; anything else is asked again */
		answered = edata->sqlerrcode == ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		why = psprintf("GET /openapi.json failed: %s", edata->message);
	}
	PG_END_TRY();

	if (resp && resp->status != 200)
	{
		why = psprintf("GET /openapi.json answered HTTP %ld", resp->status);
		if (resp->status >= 500 || resp->status == 429)
			answered = false;
	}
	if (why == NULL)
	{
		lfdw_wire_openapi(resp->body.data, resp->body.len, &api);
		/* a few MB: not kept until the statement ends */
		if (resp->body.data)
			pfree(resp->body.data);
		resp->body.data = NULL;
		if (!api.document)
			why = pstrdup("GET /openapi.json is no OpenAPI document");
		else if (!api.patch_route || !api.patch_body_found)
			why = pstrdup("GET /openapi.json declares no body of PATCH /credentials/{credential_name}");
	}
	if (why)
	{
		/* the version's answers stay; the evidence says what failed too */
		add_evidence(&rel->values_to_delete, why);
		add_evidence(&rel->delete_checked, why);
		add_evidence(&rel->user_connection, why);
		return answered;
	}

	body = api.patch_body[0] &&
		server_word_clean(opts, "/openapi.json", api.patch_body) ?
		api.patch_body : "(unnamed)";
	if (api.values_to_delete)
	{
		decide(&rel->values_to_delete, LFDW_ANSWER_YES,
			   "GET /openapi.json: PATCH body %s has credential_values_to_delete",
			   body);
		decide(&rel->delete_checked, LFDW_ANSWER_YES,
			   "GET /openapi.json: PATCH body %s has credential_values_to_delete, the newest line",
			   body);
		if (rel->line != LFDW_LINE_NEWEST)
		{
			char		was[sizeof(rel->how)];

			memcpy(was, rel->how, sizeof(was));
			snprintf(rel->how, sizeof(rel->how), "GET /openapi.json; %s", was);
		}
		rel->line = LFDW_LINE_NEWEST;
	}
	else
	{
		decide(&rel->values_to_delete, LFDW_ANSWER_NO,
			   "GET /openapi.json: PATCH body %s lacks credential_values_to_delete",
			   body);
		if (rel->line == LFDW_LINE_NEWEST)
			rel->line = LFDW_LINE_UNKNOWN;
	}
	decide(&rel->user_connection, api.user_connection ? LFDW_ANSWER_YES : LFDW_ANSWER_NO,
		   "GET /openapi.json: route DELETE /credentials/{credential_name}/user_connection %s",
		   api.user_connection ? "declared" : "not declared");
	return answered;
}

/*
 * Find what the server's release does (the steps in the header comment).
 * False when a request failed (a transport error, a timeout, HTTP 429 or
 * 5xx): that answer is not kept, and the next write asks again.
 */
static bool
discover(const LfdwOptions *opts, LfdwRelease *rel)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *volatile why = NULL;
	volatile bool answered = true;
	long		status = 0;

	PG_TRY();
	{
		if (probe_version(opts, "/health/readiness", false, rel->version,
						  sizeof(rel->version), &status))
		{
			snprintf(rel->how, sizeof(rel->how), "GET /health/readiness");
			decide_version(rel, pstrdup(rel->version), rel->how);
		}
		else if (status == 200 && opts->api_key &&
				 probe_version(opts, "/health/readiness/details", true,
							   rel->version, sizeof(rel->version), &status))
		{
			snprintf(rel->how, sizeof(rel->how),
					 "GET /health/readiness/details");
			decide_version(rel, pstrdup(rel->version), rel->how);
		}
		else
		{
			why = psprintf("no litellm_version on /health/readiness%s (HTTP %ld)",
						   opts->api_key ? " or /health/readiness/details" : "",
						   status);
			/* a server error or overload is no answer to keep */
			if (status >= 500 || status == 429)
				answered = false;
		}
	}
	PG_CATCH();
	{
		why = psprintf("discovery failed: %s", lfdw_caught_message(cxt));
		answered = false;
	}
	PG_END_TRY();

	if (why)
	{
		rel->line = LFDW_LINE_UNKNOWN;
		rel->version[0] = '\0';
		snprintf(rel->how, sizeof(rel->how), "%s", why);
		decide(&rel->values_to_delete, LFDW_ANSWER_UNKNOWN, "%s", why);
		decide(&rel->delete_checked, LFDW_ANSWER_UNKNOWN, "%s", why);
		decide(&rel->user_connection, LFDW_ANSWER_UNKNOWN, "%s", why);
	}
	/* what the server declares wins over what its version tells */
	if (!probe_openapi(opts, rel))
		answered = false;
	return answered;
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
	bool		failed;
	MemoryContext oldcxt;

	if (opts->litellm_version)
	{
		int			i;

		memset(&from_option, 0, sizeof(from_option));
		snprintf(from_option.how, sizeof(from_option.how),
				 "server option litellm_version '%s'", opts->litellm_version);
		for (i = 0; line_names[i].name; i++)
			if (strcmp(opts->litellm_version, line_names[i].name) == 0)
				break;
		if (line_names[i].name)
			decide_line(&from_option, i, from_option.how);
		else
			decide_version(&from_option, opts->litellm_version,
						   "server option");
		return &from_option;
	}

	foreach(cell, known)
	{
		k = (KnownRelease *) lfirst(cell);
		if (k->serverid == opts->serverid && strcmp(k->url, opts->url) == 0 &&
			(!k->failed || k->stmt == GetCurrentStatementStartTimestamp()))
			return &k->rel;
	}

	memset(&rel, 0, sizeof(rel));
	failed = !discover(opts, &rel);

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
	k->failed = failed;
	k->stmt = GetCurrentStatementStartTimestamp();
	known = lappend(known, k);
	MemoryContextSwitchTo(oldcxt);
	return &k->rel;
}

/*
 * lfdw_release_describe
 *		The release for EXPLAIN VERBOSE: line, version and how it was
 *		found, or that the line is not known.
 */
static char *
lfdw_release_describe(const LfdwOptions *opts)
{
	const LfdwRelease *rel = lfdw_release(opts);

	if (rel->line == LFDW_LINE_UNKNOWN)
		return psprintf("line not known%s%s (%s)",
						rel->version[0] ? ", version " : "", rel->version,
						rel->how);
	return psprintf("line %s%s%s (%s)", lfdw_line_name(rel->line),
					rel->version[0] ? ", version " : "", rel->version,
					rel->how);
}

/*
 * lfdw_release_explain_lines
 *		EXPLAIN VERBOSE of a write: (label, text) pairs, one after the
 *		other in the list: the release, then each decision with what it
 *		does and the evidence it rests on.
 */
List *
lfdw_release_explain_lines(const LfdwOptions *opts)
{
	const LfdwRelease *rel = lfdw_release(opts);
	const LfdwDecision *d;
	const char *what;
	List	   *out = NIL;

	out = lappend(out, "LiteLLM Release");
	out = lappend(out, lfdw_release_describe(opts));

	d = &rel->values_to_delete;
	what = d->answer == LFDW_ANSWER_YES ?
		"keys and nulls sent as credential_values_to_delete" :
		d->answer == LFDW_ANSWER_NO ?
		"key removal refused, nulls sent" :
		"key removal and nulls refused";
	out = lappend(out, "LiteLLM Values Removal");
	out = lappend(out, psprintf("%s (%s)", what, d->evidence));

	d = &rel->delete_checked;
	what = d->answer == LFDW_ANSWER_YES ?
		"its 404 trusted" :
		"checked first with a PATCH that changes nothing";
	out = lappend(out, "LiteLLM Delete");
	out = lappend(out, psprintf("%s (%s)", what, d->evidence));

	d = &rel->user_connection;
	what = d->answer == LFDW_ANSWER_NO ? "sent" : "refused";
	out = lappend(out, "LiteLLM Delete Of .../user_connection");
	out = lappend(out, psprintf("%s (%s)", what, d->evidence));
	return out;
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
		return psprintf("The release line of LiteLLM server \"%s\" is not known (%s).",
						opts->server_name, rel->how);
	return psprintf("LiteLLM server \"%s\" runs release line %s (%s).",
					opts->server_name, lfdw_line_name(rel->line), rel->how);
}

/* ------------------------------------------------------------------------
 * Decisions: what a write may send to the server's release
 * ------------------------------------------------------------------------
 */

/*
 * One sentence for a DETAIL: the evidence a decision rests on, or that
 * nothing tells.
 */
static char *
evidence_text(const LfdwOptions *opts, const LfdwDecision *d)
{
	if (d->answer == LFDW_ANSWER_UNKNOWN)
		return psprintf("Nothing tells what the release of LiteLLM server \"%s\" does (%s).",
						opts->server_name, d->evidence);
	return psprintf("For LiteLLM server \"%s\" this rests on: %s.",
					opts->server_name, d->evidence);
}

/*
 * lfdw_release_plan_values
 *		An UPDATE of credential_values, sent as one PATCH: spec->values is
 *		the whole new set but for spec->values_kept (keys whose masked value
 *		was written back unchanged: they stay), before the set LiteLLM has
 *		(keys only matter).
 *
 * Every release's PATCH merges values (update_db_credential, dict.update).
 * Only the newest removes the keys listed in credential_values_to_delete,
 * and it drops null values: there (values_to_delete yes), keys that go and
 * keys set to null are both sent for deletion.  Elsewhere a key that goes
 * would stay: refused.  A null value is stored as null before the newest
 * line: sent as it is, unless the evidence does not tell which.
 */
void
lfdw_release_plan_values(const LfdwOptions *opts, const char *name,
						 Jsonb *before, LfdwCredentialSpec *spec)
{
	List	   *removed = NIL;
	List	   *nulls = lfdw_jsonb_null_keys(spec->values);
	const LfdwRelease *rel;
	ListCell   *cell;

	/* a key kept by its masked value written back unchanged does not go */
	foreach(cell, lfdw_jsonb_keys_missing(before, spec->values))
	{
		if (!lfdw_string_listed(spec->values_kept, (char *) lfirst(cell)))
			removed = lappend(removed, lfirst(cell));
	}
	spec->values_to_delete = NIL;
	if (removed == NIL && nulls == NIL)
		return;
	rel = lfdw_release(opts);
	if (rel->values_to_delete.answer == LFDW_ANSWER_YES)
	{
		spec->values_to_delete = list_concat(removed, nulls);
		spec->values = lfdw_jsonb_without_keys(spec->values, nulls);
		return;
	}
	if (removed != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot remove keys of credential_values of credential \"%s\" with UPDATE",
						name),
				 errdetail("The UPDATE drops %s. LiteLLM before its newest release line merges the values of an update and ignores credential_values_to_delete, so the keys would stay. %s",
						   lfdw_key_list_text(opts, removed),
						   evidence_text(opts, &rel->values_to_delete)),
				 errhint("Delete the credential and insert it again with the values to keep, in one transaction (BEGIN; DELETE ...; INSERT ...; COMMIT).")));
	if (rel->values_to_delete.answer == LFDW_ANSWER_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot set values of credential_values of credential \"%s\" to null",
						name),
				 errdetail("The UPDATE sets %s to null. LiteLLM's newest release line drops null values (the old value stays), older lines store them. %s",
						   lfdw_key_list_text(opts, nulls),
						   evidence_text(opts, &rel->values_to_delete)),
				 errhint("Set the server option litellm_version to the release LiteLLM runs.")));
}

/*
 * lfdw_release_check_info
 *		An UPDATE of credential_info, sent as one PATCH with the whole new
 *		info: refused when it drops keys.  No release applies that as asked:
 *		an empty credential_info is ignored by every release ("if
 *		credential_info:"), the team-admin line merges it, and from 2026-09 on
 *		the database replaces it while the list that reads are served from
 *		merges it; on 2025-03 and 2025-05..11 the database replaces it but
 *		reads keep the old info until LiteLLM reloads (doc/litellm-api.md
 *		section 3).
 */
void
lfdw_release_check_info(const LfdwOptions *opts, const char *name,
						Jsonb *before, Jsonb *after)
{
	List	   *removed = lfdw_jsonb_keys_missing(before, after);

	if (removed == NIL)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot remove keys of credential_info of credential \"%s\" with UPDATE",
					name),
			 errdetail("The UPDATE drops %s. No LiteLLM release applies that as asked: an empty credential_info is ignored, and the keys that go stay in what LiteLLM serves (merged, or stale until it reloads).",
					   lfdw_key_list_text(opts, removed)),
			 errhint("Delete the credential and insert it again with the credential_info and credential_values to keep, in one transaction (BEGIN; DELETE ...; INSERT ...; COMMIT).")));
}

/*
 * lfdw_release_check_delete
 *		A DELETE of this name reaches LiteLLM's handler for it?  On the
 *		newest line DELETE /credentials/{name}/user_connection is a route of
 *		its own, registered first and matched on the decoded path
 *		(doc/litellm-api.md section 3.4): a name ending in "/user_connection"
 *		never reaches the credential handler.  Refused there (user_connection
 *		yes), and where the evidence does not tell.
 */
void
lfdw_release_check_delete(const LfdwOptions *opts, const char *name)
{
	static const char suffix[] = "/user_connection";
	size_t		len = strlen(name);
	const LfdwRelease *rel;

	if (len < sizeof(suffix) || strcmp(name + len - (sizeof(suffix) - 1), suffix) != 0)
		return;
	rel = lfdw_release(opts);
	if (rel->user_connection.answer == LFDW_ANSWER_NO)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot delete credential \"%s\" through LiteLLM's API", name),
			 errdetail("On LiteLLM's newest release line a DELETE of a name ending in \"/user_connection\" is routed to the handler of per-user connections, which does not delete the credential. %s",
					   evidence_text(opts, &rel->user_connection)),
			 errhint("Delete it in LiteLLM's database or user interface; if the server runs an older release, set the server option litellm_version.")));
}

/*
 * lfdw_release_patch_replaces
 *		Does one PATCH make a credential exactly the new one (a DELETE and
 *		an INSERT of one name in a transaction)?  Only when it drops no key
 *		of credential_info and, before the newest line, no key of
 *		credential_values; otherwise the replacement is sent as a DELETE
 *		then a POST.
 */
bool
lfdw_release_patch_replaces(const LfdwOptions *opts, Jsonb *before_values,
							Jsonb *after_values, Jsonb *before_info,
							Jsonb *after_info)
{
	if (lfdw_jsonb_keys_missing(before_info, after_info) != NIL)
		return false;
	if (lfdw_jsonb_keys_missing(before_values, after_values) == NIL &&
		lfdw_jsonb_null_keys(after_values) == NIL)
		return true;
	return lfdw_release(opts)->values_to_delete.answer == LFDW_ANSWER_YES;
}

/*
 * lfdw_release_delete_unreliable
 *		May a DELETE of a missing name answer success?  Before PR #36260
 *		(2025-03 to 2026-08 and 1.81.7 among them) LiteLLM ignores Prisma's
 *		result (doc/litellm-api.md footnote 15); so it may wherever the
 *		evidence does not say otherwise (delete_checked).
 */
bool
lfdw_release_delete_unreliable(const LfdwOptions *opts)
{
	return lfdw_release(opts)->delete_checked.answer != LFDW_ANSWER_YES;
}

/*
 * lfdw_release_plan_insert_values
 *		A POST with null values: the newest line drops them (so they are
 *		not sent: the row is what LiteLLM stores), older lines store them as
 *		null; refused where the release does not tell which.
 */
Jsonb *
lfdw_release_plan_insert_values(const LfdwOptions *opts, const char *name,
								Jsonb *values)
{
	List	   *nulls = lfdw_jsonb_null_keys(values);
	const LfdwRelease *rel;

	if (nulls == NIL)
		return values;
	rel = lfdw_release(opts);
	if (rel->values_to_delete.answer == LFDW_ANSWER_YES)
		return lfdw_jsonb_without_keys(values, nulls);
	if (rel->values_to_delete.answer == LFDW_ANSWER_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot set values of credential_values of credential \"%s\" to null",
						name),
				 errdetail("The INSERT sets %s to null. LiteLLM's newest release line drops null values, older lines store them. %s",
						   lfdw_key_list_text(opts, nulls),
						   evidence_text(opts, &rel->values_to_delete)),
				 errhint("Leave the keys out, or set the server option litellm_version to the release LiteLLM runs.")));
	return values;
}

/*
 * lfdw_release_check_create
 *		A credential created with a name holding "/" on the 2025-03 line
 *		could never be read, changed or deleted through the API again: its
 *		routes take {credential_name}, which matches no "/" (doc/litellm-api.md
 *		C1).  Refused there before sending.
 */
void
lfdw_release_check_create(const LfdwOptions *opts, const char *name)
{
	if (strchr(name, '/') == NULL ||
		lfdw_release(opts)->line != LFDW_LINE_2025_03)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot create credential \"%s\": its name holds \"/\"", name),
			 errdetail("%s That release has no route for a name holding \"/\": the credential could not be read, changed or deleted again.",
					   lfdw_release_text(opts)),
			 errhint("Choose a name without \"/\".")));
}
