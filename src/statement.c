/*-------------------------------------------------------------------------
 *
 * statement.c
 *		  The request layer above the transport, and what litellm_fdw
 *		  remembers per statement, per transaction and per backend: every
 *		  request goes through lfdw_http_request or lfdw_http_batch here,
 *		  which count it against the statement's ceiling (and forget the
 *		  statement's GET responses before a write), hand it to the
 *		  transport, and count the bytes of a read's answer against the
 *		  statement's ceiling on bytes; the GET responses already received in the statement;
 *		  whether the transaction has written to LiteLLM; and the row counts
 *		  and routes seen for each server.
 *
 * Layering: above the transport (connection.c), which it may call; below
 * everything that sends a request (release.c, remote_write.c,
 * model_write.c, pending.c, commit.c, the FDW callbacks), which call it.
 * It calls nothing else of litellm_fdw.
 *
 * A statement here is a top-level statement, told apart by its start
 * timestamp (GetCurrentStatementStartTimestamp), so that the statements a
 * function runs count together with the one that called it: a runaway
 * fan-out inside a PL/pgSQL loop is stopped as well.
 *
 * Responses to GET are kept until the statement ends (or anything but a
 * GET is sent, which may change what a GET answers), so that rescans of a
 * scan (the inner side of a nested loop, a parameterized lookup repeated
 * for an equal outer value) never send an identical request twice.  They
 * live in a memory context under TopTransactionContext, which goes away
 * with the transaction.  Only masked responses are kept: LiteLLM never
 * returns a secret in clear from a GET.
 *
 * Row counts seen in list responses are kept per server for the life of
 * the backend, for the planner's estimates; so is the fact that a server
 * has no GET /v2/model/info (older LiteLLM), so that each later scan goes
 * to /model/info at once.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/statement.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "common/hashfn.h"
#include "model.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* What a kept response is found by. */
typedef struct CacheKey
{
	Oid			umid;
	const char *path;
} CacheKey;

/* One GET response kept for the rest of the statement. */
typedef struct CachedResponse
{
	CacheKey	key;			/* hash key: must be first */
	LfdwHttpResponse *resp;		/* in cache_cxt, never changed */
	bool		once;			/* a failure read ahead: given out once */
} CachedResponse;

/* What the backend knows of one server and resource. */
typedef struct ServerStats
{
	Oid			serverid;
	char		resource[16];
	double		rows;			/* -1: not seen */
	bool		no_v2;			/* GET /v2/model/info has no route */
} ServerStats;

/* ceiling on the requests of one statement (GUC) */
int			lfdw_max_requests_per_statement = 1000;

/* ceiling on the bytes of the read responses of one statement (GUC, kB) */
int			lfdw_max_bytes_per_statement = 262144;

/* has the current transaction written anything to LiteLLM? */
static bool xact_has_remote_write = false;

static TimestampTz current_statement = 0;
static int	statement_requests = 0;
static int64 statement_bytes = 0;	/* of the read responses received */

/*
 * The responses of one statement.  A scan may read a list's rows straight
 * from its body after the statement has moved on (a cursor fetched by
 * later statements) or after a write made the responses stale: it pins
 * the set, which then goes only when the last pin is released.  The struct
 * is in TopMemoryContext, so that pins outlive its memory safely.
 */
typedef struct ResponseSet
{
	MemoryContext cxt;			/* the responses; NULL once gone */
	HTAB	   *hash;			/* of CachedResponse; NULL once forgotten */
	int			pins;			/* scans still reading from it */
	bool		dropping;		/* being deleted by drop_set */
} ResponseSet;

static ResponseSet *current_set = NULL;
static List *server_stats = NIL;	/* of ServerStats, in TopMemoryContext */

/* Helper functions */
static void enter_statement(void);
static void count_response_bytes(LfdwCall *call, LfdwHttpResponse *resp);
static ResponseSet *current_response_set(void);
static void forget_responses(void);
static void cache_reset_callback(void *arg);
static void drop_set(ResponseSet *set);
static void unpin_callback(void *arg);
static uint32 cache_key_hash(const void *key, Size keysize);
static int	cache_key_match(const void *key1, const void *key2, Size keysize);
static ServerStats *stats_entry(Oid serverid, const char *resource,
								bool create);
static void lfdw_statement_count_request(LfdwCall *call);
static bool lfdw_stats_rows(Oid serverid, const char *resource, double *rows);

/*
 * A new top-level statement starts with no requests and no responses.
 */
static void
enter_statement(void)
{
	TimestampTz now = GetCurrentStatementStartTimestamp();

	if (now != current_statement)
	{
		current_statement = now;
		statement_requests = 0;
		statement_bytes = 0;
		forget_responses();
	}
}

/*
 * The statement's responses are no longer to be found; they go now, or
 * when the last scan reading one lets go.
 */
static void
forget_responses(void)
{
	ResponseSet *set = current_set;

	if (set == NULL)
		return;
	current_set = NULL;
	set->hash = NULL;
	if (set->pins == 0)
		drop_set(set);
}

static void
drop_set(ResponseSet *set)
{
	if (set->cxt)
	{
		set->dropping = true;
		MemoryContextDelete(set->cxt);
	}
	pfree(set);
}

/*
 * The memory went away: by drop_set, or with its transaction (scans are
 * gone by then, but a pin may not have been released on an error path).
 */
static void
cache_reset_callback(void *arg)
{
	ResponseSet *set = (ResponseSet *) arg;

	set->cxt = NULL;
	set->hash = NULL;
	if (current_set == set)
		current_set = NULL;
	if (set->pins == 0 && !set->dropping)
		pfree(set);
}

/* A scan's memory was reset: it reads no more from the set. */
static void
unpin_callback(void *arg)
{
	ResponseSet *set = (ResponseSet *) arg;

	if (--set->pins == 0 && set != current_set)
		drop_set(set);
}

static uint32
cache_key_hash(const void *key, Size keysize)
{
	const CacheKey *k = (const CacheKey *) key;

	return hash_bytes((const unsigned char *) k->path, strlen(k->path)) ^
		(uint32) k->umid;
}

static int
cache_key_match(const void *key1, const void *key2, Size keysize)
{
	const CacheKey *a = (const CacheKey *) key1;
	const CacheKey *b = (const CacheKey *) key2;

	if (a->umid != b->umid)
		return 1;
	return strcmp(a->path, b->path);
}

/*
 * lfdw_statement_count_request
 *		Count one read request (GET) of the current statement, and raise an
 *		error when the statement would go beyond
 *		litellm_fdw.max_requests_per_statement.  Called by lfdw_http_batch
 *		and lfdw_http_request for each request before anything is sent
 *		(retries are the same request).
 *
 * Writes are not counted: there is one per row the statement changes, a
 * number the user chose (and writes deferred to commit must not fail
 * there).  A write forgets the responses kept, since it may change what a
 * GET answers.
 */
static void
lfdw_statement_count_request(LfdwCall *call)
{
	enter_statement();
	if (strcmp(call->method, "GET") != 0)
	{
		forget_responses();
		return;
	}
	if (lfdw_max_requests_per_statement > 0 &&
		statement_requests >= lfdw_max_requests_per_statement)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many requests to LiteLLM in one statement"),
				 errdetail("litellm_fdw.max_requests_per_statement is %d, and the next request would be %s %s to server \"%s\".",
						   lfdw_max_requests_per_statement, call->method,
						   call->path, call->opts->server_name),
				 errhint("A join that looks credentials up one by one can read the list once instead: check the plan with EXPLAIN.  Raise litellm_fdw.max_requests_per_statement if that many requests are intended.")));
	statement_requests++;
}

/*
 * lfdw_http_request
 *		Send one request and return the response, whatever its status
 *		(lfdw_transport_request), after counting it against the statement's
 *		ceiling: the entry point for a single request of every file above
 *		the transport.
 */
LfdwHttpResponse *
lfdw_http_request(LfdwCall *call, const char *body, size_t body_len)
{
	LfdwHttpResponse *resp;

	lfdw_statement_count_request(call);
	resp = lfdw_transport_request(call, body, body_len);
	count_response_bytes(call, resp);
	return resp;
}

/*
 * Count the body of a read response against the statement's ceiling on
 * bytes (litellm_fdw.max_bytes_per_statement), and raise 54000 once the
 * statement has received more.  The responses a statement keeps, and the
 * rows it builds from them (an UPDATE or DELETE of models reads every page
 * before its first row), grow with what it receives: this bounds the
 * memory one statement spends on what a server sends, however many pages
 * or lookups it answers.  Writes are not counted, as in
 * lfdw_statement_count_request: their answers are one row each, and are
 * not kept.
 */
static void
count_response_bytes(LfdwCall *call, LfdwHttpResponse *resp)
{
	if (resp == NULL || strcmp(call->method, "GET") != 0)
		return;
	statement_bytes += resp->body.len;
	if (statement_bytes > (int64) lfdw_max_bytes_per_statement * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("responses from LiteLLM exceed litellm_fdw.max_bytes_per_statement in one statement"),
				 errdetail("litellm_fdw.max_bytes_per_statement is %d kB, and the statement has received %lld bytes, the last from %s %s to server \"%s\".",
						   lfdw_max_bytes_per_statement,
						   (long long) statement_bytes, call->method,
						   call->path, call->opts->server_name),
				 errhint("Raise litellm_fdw.max_bytes_per_statement if a statement is meant to read that much.")));
}

/*
 * lfdw_http_batch
 *		Send many requests concurrently (lfdw_transport_batch), after
 *		counting each against the statement's ceiling, before any is sent:
 *		a batch the ceiling stops sends nothing.  A write forgets the
 *		responses the statement kept.
 */
int
lfdw_http_batch(const LfdwOptions *opts, LfdwBatchItem *items, int n,
				bool stop_on_error, LfdwBatchCheck check, void *arg)
{
	int			i;

	int			failed;

	for (i = 0; i < n; i++)
		lfdw_statement_count_request(&items[i].call);
	failed = lfdw_transport_batch(opts, items, n, stop_on_error, check, arg);
	for (i = 0; i < n; i++)
		count_response_bytes(&items[i].call, items[i].resp);
	return failed;
}

/*
 * lfdw_mark_remote_write
 *		Note that this transaction changed something in LiteLLM, which
 *		PREPARE TRANSACTION cannot cover (commit.c refuses it).  Called
 *		before a write is sent.
 */
void
lfdw_mark_remote_write(void)
{
	xact_has_remote_write = true;
}

/*
 * lfdw_remote_write_marked
 *		Has this transaction sent a write (lfdw_mark_remote_write)?
 */
bool
lfdw_remote_write_marked(void)
{
	return xact_has_remote_write;
}

/*
 * lfdw_remote_write_clear
 *		The transaction ended (commit.c): no write of the next one yet.
 */
void
lfdw_remote_write_clear(void)
{
	xact_has_remote_write = false;
}

/*
 * The response set of the current statement, made on first use.
 */
static ResponseSet *
current_response_set(void)
{
	ResponseSet *set;
	MemoryContextCallback *cb;
	HASHCTL		ctl;

	enter_statement();
	if (current_set != NULL)
		return current_set;

	set = MemoryContextAllocZero(TopMemoryContext, sizeof(ResponseSet));
	set->cxt = AllocSetContextCreate(TopTransactionContext,
									 "litellm_fdw statement responses",
									 ALLOCSET_DEFAULT_SIZES);
	cb = MemoryContextAlloc(set->cxt, sizeof(MemoryContextCallback));
	cb->func = cache_reset_callback;
	cb->arg = set;
	MemoryContextRegisterResetCallback(set->cxt, cb);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(CacheKey);
	ctl.entrysize = sizeof(CachedResponse);
	ctl.hash = cache_key_hash;
	ctl.match = cache_key_match;
	ctl.hcxt = set->cxt;
	set->hash = hash_create("litellm_fdw statement responses", 64, &ctl,
							HASH_ELEM | HASH_FUNCTION | HASH_COMPARE |
							HASH_CONTEXT);
	current_set = set;
	return set;
}

/*
 * lfdw_statement_prefetch
 *		GET these paths now, concurrently (max_concurrency at a time), and
 *		keep the answers for lfdw_statement_get: the lookups of an IN list
 *		then cost one round trip, not one each, and are still read one by
 *		one, in order, as before.
 *
 * An answer that lfdw_statement_get would not keep (an HTTP error after the
 * retries) is kept for one use, so that the read of that path reports it
 * as it would have; a transport failure is not kept, and that read makes
 * the request again (a GET: a retry).
 */
void
lfdw_statement_prefetch(const LfdwOptions *opts, List *paths)
{
	ResponseSet *set = current_response_set();
	LfdwBatchItem *items;
	MemoryContext oldcxt;
	ListCell   *cell;
	int			n = 0;
	int			i;

	if (list_length(paths) < 2)
		return;
	oldcxt = MemoryContextSwitchTo(set->cxt);
	items = palloc0(sizeof(LfdwBatchItem) * list_length(paths));
	foreach(cell, paths)
	{
		CacheKey	key;
		const char *path = (const char *) lfirst(cell);

		key.umid = opts->umid;
		key.path = path;
		if (hash_search(set->hash, &key, HASH_FIND, NULL) != NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(items[i].call.path, path) == 0)
				break;
		if (i < n)
			continue;
		lfdw_call_prepare(&items[n].call, opts, "GET", pstrdup(path), NULL);
		n++;
	}
	if (n < 2)
	{
		MemoryContextSwitchTo(oldcxt);
		return;
	}
	/* lfdw_http_batch counts each; the bodies go straight into the set */
	(void) lfdw_http_batch(opts, items, n, false, NULL, NULL);
	for (i = 0; i < n; i++)
	{
		CacheKey	key;
		CachedResponse *c;
		bool		found;

		if (items[i].resp == NULL || items[i].error != NULL)
			continue;
		key.umid = opts->umid;
		key.path = items[i].call.path;
		c = (CachedResponse *) hash_search(set->hash, &key, HASH_ENTER,
										   &found);
		c->resp = items[i].resp;
		c->once = !((items[i].resp->status >= 200 &&
					 items[i].resp->status < 300) ||
					items[i].resp->status == 404);
	}
	MemoryContextSwitchTo(oldcxt);
}

/*
 * lfdw_statement_get
 *		GET call->path, or return the response already received for the
 *		same path and user mapping in this statement.  Successful responses
 *		and 404 answers are kept, by a hash on the path: a loop of lookups
 *		within one statement does not search a list.
 *
 * A kept response is returned as it is, not copied (a list can be tens of
 * megabytes, and the scan reads its rows straight from the body): the
 * caller must neither change nor free it.  A caller that reads from it
 * after the statement moves on or a write is sent passes the memory
 * context it reads it in (holder): the response then stays until that
 * context is reset or deleted.  Without a holder it stays until the
 * statement ends or a write is sent.
 */
LfdwHttpResponse *
lfdw_statement_get(LfdwCall *call, MemoryContext holder)
{
	LfdwHttpResponse *resp;
	MemoryContext oldcxt;
	CachedResponse *c = NULL;
	CacheKey	key;
	bool		found;
	ResponseSet *set;

	Assert(strcmp(call->method, "GET") == 0);
	set = current_response_set();

	key.umid = call->opts->umid;
	key.path = call->path;
	c = (CachedResponse *) hash_search(set->hash, &key, HASH_FIND, NULL);
	if (c)
	{
		resp = c->resp;
		if (c->once)
			(void) hash_search(set->hash, &key, HASH_REMOVE, NULL);
	}
	else
	{
		/* received straight into the set's memory: no copy */
		oldcxt = MemoryContextSwitchTo(set->cxt);
		resp = lfdw_http_request(call, NULL, 0);
		if ((resp->status >= 200 && resp->status < 300) || resp->status == 404)
		{
			key.path = pstrdup(call->path);
			c = (CachedResponse *) hash_search(set->hash, &key, HASH_ENTER,
											   &found);
			c->resp = resp;
			c->once = false;
		}
		MemoryContextSwitchTo(oldcxt);
	}

	if (holder)
	{
		MemoryContextCallback *cb = MemoryContextAlloc(holder,
													   sizeof(MemoryContextCallback));

		set->pins++;
		cb->func = unpin_callback;
		cb->arg = set;
		MemoryContextRegisterResetCallback(holder, cb);
	}
	return resp;
}

/*
 * lfdw_statement_has
 *		Has the current statement a response kept for this path and user
 *		mapping (lfdw_statement_get would answer without a request)?
 */
bool
lfdw_statement_has(const LfdwOptions *opts, const char *path)
{
	CacheKey	key;

	enter_statement();
	if (current_set == NULL || current_set->hash == NULL)
		return false;
	key.umid = opts->umid;
	key.path = path;
	return hash_search(current_set->hash, &key, HASH_FIND, NULL) != NULL;
}

/*
 * The statistics entry of a server and resource, made on first use.
 */
static ServerStats *
stats_entry(Oid serverid, const char *resource, bool create)
{
	ListCell   *cell;
	ServerStats *s;
	MemoryContext oldcxt;

	foreach(cell, server_stats)
	{
		s = (ServerStats *) lfirst(cell);
		if (s->serverid == serverid && strcmp(s->resource, resource) == 0)
			return s;
	}
	if (!create)
		return NULL;
	oldcxt = MemoryContextSwitchTo(TopMemoryContext);
	s = palloc0(sizeof(ServerStats));
	s->serverid = serverid;
	snprintf(s->resource, sizeof(s->resource), "%s", resource);
	s->rows = -1;
	server_stats = lappend(server_stats, s);
	MemoryContextSwitchTo(oldcxt);
	return s;
}

/*
 * lfdw_stats_note_rows
 *		Remember how many rows a full list of a resource had.
 */
void
lfdw_stats_note_rows(Oid serverid, const char *resource, double rows)
{
	stats_entry(serverid, resource, true)->rows = rows;
}

/*
 * lfdw_stats_rows
 *		The number of rows last seen in a full list, if any.
 */
static bool
lfdw_stats_rows(Oid serverid, const char *resource, double *rows)
{
	ServerStats *s = stats_entry(serverid, resource, false);

	if (s == NULL || s->rows < 0)
		return false;
	*rows = s->rows;
	return true;
}

void
lfdw_stats_note_no_v2(Oid serverid)
{
	stats_entry(serverid, LFDW_RESOURCE_MODELS, true)->no_v2 = true;
}

bool
lfdw_stats_no_v2(Oid serverid)
{
	ServerStats *s = stats_entry(serverid, LFDW_RESOURCE_MODELS, false);

	return s != NULL && s->no_v2;
}

/*
 * lfdw_estimated_rows
 *		The planner's row count for a list of a resource: the table's own
 *		estimated_rows option when it has one, else the count last seen for
 *		the server in this backend, else the server's estimated_rows option
 *		(or its default), which opts holds.
 */
double
lfdw_estimated_rows(const LfdwOptions *opts, Oid foreigntableid,
					const char *resource)
{
	ListCell   *cell;
	double		rows;

	foreach(cell, GetForeignTable(foreigntableid)->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "estimated_rows") == 0)
			return opts->estimated_rows;
	}
	if (lfdw_stats_rows(opts->serverid, resource, &rows))
		return rows;
	return opts->estimated_rows;
}
