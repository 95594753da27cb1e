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
 * What was found is kept for the life of the backend; a discovery whose
 * request failed (transport error, HTTP 429 or 5xx) only for the statement.
 *
 * A version maps onto a line by the boundaries doc/litellm-api.md gives
 * (approximate: no tag-to-commit map was available); a version after 1.95
 * is 2026-09 or newer, which the version alone does not tell apart: it gets
 * what both lines do alike, and the conservative choice where they differ
 * (maybe_newest).  When nothing answers usefully the line is unknown, and an
 * unknown line gets the conservative choice everywhere: whatever some line
 * would silently not do is refused.
 *
 * Layering: release.c resolves no options (option.c, whose validator asks
 * here whether a litellm_version is valid, and whose EXPLAIN line of the
 * release asks lfdw_release_describe); it may call the request layer
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
#include "miscadmin.h"
#include "utils/memutils.h"
#include "wire.h"

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
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	FlushErrorState();
	if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
		ReThrowError(edata);
	return edata->message;
}

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
static LfdwLine line_of_version(const char *text, bool *maybe_newest);
static bool discover(const LfdwOptions *opts, LfdwRelease *rel);
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
line_of_version(const char *text, bool *maybe_newest)
{
	int			major,
				minor;

	*maybe_newest = false;
	if (!parse_version(text, &major, &minor))
		return LFDW_LINE_UNKNOWN;
	if (major < 1 || (major == 1 && minor <= 70))
		return LFDW_LINE_2025_03;
	if (major == 1 && minor <= 79)
		return LFDW_LINE_2025_05;
	if (major == 1 && minor <= 95)
		return LFDW_LINE_1_95;
	*maybe_newest = true;
	return LFDW_LINE_2026_09;
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
		lfdw_release_option_valid(version))
		return true;
	version[0] = '\0';
	return false;
}

/*
 * Find the line of a server (the steps in the header comment).  False when
 * a request failed (a transport error, a timeout): that answer is not kept,
 * and the next write asks again.
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
			rel->line = line_of_version(rel->version, &rel->maybe_newest);
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
	}
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
		from_option.line = LFDW_LINE_UNKNOWN;
		for (i = 0; line_names[i].name; i++)
			if (strcmp(opts->litellm_version, line_names[i].name) == 0)
				from_option.line = line_names[i].line;
		if (from_option.line == LFDW_LINE_UNKNOWN)
		{
			from_option.line = line_of_version(opts->litellm_version,
											   &from_option.maybe_newest);
			snprintf(from_option.version, sizeof(from_option.version), "%s",
					 opts->litellm_version);
		}
		snprintf(from_option.how, sizeof(from_option.how),
				 "server option litellm_version '%s'", opts->litellm_version);
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
	if (rel->maybe_newest)
		return psprintf("line 2026-09 or newer, version %s (%s): writes that the newest line would not apply as asked are refused",
						rel->version, rel->how);
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
	if (rel->maybe_newest)
		return psprintf("LiteLLM server \"%s\" runs release line 2026-09 or newer (%s), which its version does not tell apart.",
						opts->server_name, rel->how);
	return psprintf("LiteLLM server \"%s\" runs release line %s (%s).",
					opts->server_name, lfdw_line_name(rel->line), rel->how);
}

/* ------------------------------------------------------------------------
 * Decisions: what a write may send to the server's release
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_release_plan_values
 *		An UPDATE of credential_values, sent as one PATCH: spec->values is
 *		the whole new set but for spec->values_kept (keys whose masked value
 *		was written back unchanged: they stay), before the set LiteLLM has
 *		(keys only matter).
 *
 * Every release's PATCH merges values (update_db_credential, dict.update).
 * Only the newest removes the keys listed in credential_values_to_delete,
 * and it drops null values: there, keys that go and keys set to null are
 * both sent for deletion.  Before it, a key that goes would stay: refused.
 * A null value is stored as null before the newest line: sent as it is,
 * unless the release is not known.
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
		if (!lfdw_string_listed(spec->values_kept, (char *) lfirst(cell)))
			removed = lappend(removed, lfirst(cell));
	spec->values_to_delete = NIL;
	if (removed == NIL && nulls == NIL)
		return;
	rel = lfdw_release(opts);
	if (rel->line == LFDW_LINE_NEWEST)
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
				 errdetail("The UPDATE drops %s. %s LiteLLM before its newest release line merges the values of an update and ignores credential_values_to_delete, so the keys would stay.",
						   lfdw_key_list_text(opts, removed),
						   lfdw_release_text(opts)),
				 errhint("Delete the credential and insert it again with the values to keep, in one transaction (BEGIN; DELETE ...; INSERT ...; COMMIT).")));
	if (rel->line == LFDW_LINE_UNKNOWN || rel->maybe_newest)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot set values of credential_values of credential \"%s\" to null",
						name),
				 errdetail("The UPDATE sets %s to null. %s LiteLLM's newest release line drops null values (the old value stays), older lines store them.",
						   lfdw_key_list_text(opts, nulls),
						   lfdw_release_text(opts)),
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
 *		never reaches the credential handler.  Refused there, and where the
 *		release is not known.
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
	if (rel->line != LFDW_LINE_NEWEST && rel->line != LFDW_LINE_UNKNOWN &&
		!rel->maybe_newest)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot delete credential \"%s\" through LiteLLM's API", name),
			 errdetail("%s On LiteLLM's newest release line a DELETE of a name ending in \"/user_connection\" is routed to the handler of per-user connections, which does not delete the credential.",
					   lfdw_release_text(opts)),
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
	return lfdw_release(opts)->line == LFDW_LINE_NEWEST;
}

/*
 * lfdw_release_delete_unreliable
 *		Does a DELETE of a missing name answer success?  Before August 2026
 *		(2025-03, 2025-05..11, team-admin) LiteLLM ignores Prisma's result
 *		(doc/litellm-api.md footnote 15); so it may where the release is not
 *		known.
 */
bool
lfdw_release_delete_unreliable(const LfdwOptions *opts)
{
	LfdwLine	line = lfdw_release(opts)->line;

	return line == LFDW_LINE_UNKNOWN || line == LFDW_LINE_2025_03 ||
		line == LFDW_LINE_2025_05 || line == LFDW_LINE_TEAM_ADMIN;
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
	if (rel->line == LFDW_LINE_NEWEST)
		return lfdw_jsonb_without_keys(values, nulls);
	if (rel->line == LFDW_LINE_UNKNOWN || rel->maybe_newest)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot set values of credential_values of credential \"%s\" to null",
						name),
				 errdetail("The INSERT sets %s to null. %s LiteLLM's newest release line drops null values, older lines store them.",
						   lfdw_key_list_text(opts, nulls),
						   lfdw_release_text(opts)),
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
