/*-------------------------------------------------------------------------
 *
 * spend_log.c
 *		  The litellm_spend_log table (table option resource 'spend_logs'):
 *		  LiteLLM's spend logs, one row per request the proxy served,
 *		  read-only.
 *
 * Sections, in the same order as credential.c and model.c: planning, the
 * scan, EXPLAIN, IMPORT, helpers, the descriptor.  There are no modify
 * callbacks: the descriptor leaves them NULL, and the generic layer
 * (litellm_fdw.c) refuses INSERT, UPDATE, DELETE and COPY FROM before any
 * request.  Called by litellm_fdw.c only, through lfdw_spend_log_resource;
 * calls table.c, statement.c (the statement's GET cache and request
 * ceiling), response.c, json.c, secret.c, spend_wire.c (the shape of a
 * page), wire.c and the transport's call context (connection.c).
 *
 * Reads.  GET /spend/logs/v2 (doc/litellm-api.md section 8) serves the
 * logs of one window of "startTime", both ends inclusive and given to the
 * second in UTC ("YYYY-MM-DD HH:MM:SS"), a page at a time, newest first.
 * The window comes from the conditions on "startTime" (>, >=, =, <=, <,
 * BETWEEN against a value known when the scan starts), widened to whole
 * seconds; a scan without a lower bound is refused at plan time (the
 * upper bound defaults to the end of time).  column = value on request_id,
 * api_key, user, team_id, model and model_id become the route's filters.
 * Every condition is still checked locally, so that a widened window, a
 * filter the release ignores or a server that sends too much changes
 * nothing.  Pages are read until one is empty (LiteLLM's "total" stops
 * counting at 10,000); a page whose rows were all on earlier pages stops
 * the scan with an error (a server that repeats pages), and every page is a
 * request under litellm_fdw.max_requests_per_statement.  A server without
 * the v2 route (404 that is not LiteLLM's own: LiteLLM before November
 * 2025) is read at /spend/logs/ui, the same handler under its older name,
 * and remembered for the rest of the backend.
 *
 * What is shown.  The request and response bodies (messages, response,
 * proxy_server_request) are never read.  api_key is the key's hash, shown
 * only when it looks like one (64 hexadecimal digits, or LiteLLM's name of
 * the master key); anything else in it is masked.  metadata is masked like
 * litellm_params; api_base loses user information and query.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/spend_log.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "foreign/foreign.h"
#include "json.h"
#include "miscadmin.h"
#include "model.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parse_coerce.h"
#include "resource.h"
#include "secret.h"
#include "spend_wire.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/ruleutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "wire.h"

#define LFDW_RESOURCE_SPEND_LOGS	"spend_logs"

/* rows per page: the most every release takes (later ones take 1000) */
#define SPEND_PAGE_SIZE		100

/* pages one scan reads at most, whatever the request ceiling */
#define SPEND_MAX_PAGES		10000

/* longest request_id accepted (LiteLLM's are about 40 bytes) */
#define SPEND_MAX_ID_LEN	255

/* The spend log fields, in the order of spend_fields. */
typedef enum SpendField
{
	SF_REQUEST_ID,
	SF_CALL_TYPE,
	SF_API_KEY,
	SF_SPEND,
	SF_TOTAL_TOKENS,
	SF_PROMPT_TOKENS,
	SF_COMPLETION_TOKENS,
	SF_START_TIME,
	SF_END_TIME,
	SF_MODEL,
	SF_MODEL_ID,
	SF_MODEL_GROUP,
	SF_PROVIDER,
	SF_API_BASE,
	SF_USER,
	SF_TEAM_ID,
	SF_END_USER,
	SF_STATUS,
	SF_REQUEST_TAGS,
	SF_METADATA,
	SPEND_NUM_FIELDS
} SpendField;

/*
 * Each field: its column (LfdwFieldDef), its type when neither text nor
 * jsonb, and the query parameter that column = value becomes, or NULL.
 */
static const struct
{
	LfdwFieldDef def;
	Oid			type;
	const char *filter;
}			spend_fields[SPEND_NUM_FIELDS] = {
	[SF_REQUEST_ID] = {{"request_id", false, false}, InvalidOid, "request_id"},
	[SF_CALL_TYPE] = {{"call_type", false, false}, InvalidOid, NULL},
	[SF_API_KEY] = {{"api_key", false, false}, InvalidOid, "api_key"},
	[SF_SPEND] = {{"spend", false, false}, FLOAT8OID, NULL},
	[SF_TOTAL_TOKENS] = {{"total_tokens", false, false}, INT8OID, NULL},
	[SF_PROMPT_TOKENS] = {{"prompt_tokens", false, false}, INT8OID, NULL},
	[SF_COMPLETION_TOKENS] = {{"completion_tokens", false, false}, INT8OID, NULL},
	[SF_START_TIME] = {{"startTime", false, false}, TIMESTAMPTZOID, NULL},
	[SF_END_TIME] = {{"endTime", false, false}, TIMESTAMPTZOID, NULL},
	[SF_MODEL] = {{"model", false, false}, InvalidOid, "model"},
	[SF_MODEL_ID] = {{"model_id", false, false}, InvalidOid, "model_id"},
	[SF_MODEL_GROUP] = {{"model_group", false, false}, InvalidOid, NULL},
	[SF_PROVIDER] = {{"custom_llm_provider", false, false}, InvalidOid, NULL},
	[SF_API_BASE] = {{"api_base", false, false}, InvalidOid, NULL},
	[SF_USER] = {{"user", false, false}, InvalidOid, "user_id"},
	[SF_TEAM_ID] = {{"team_id", false, false}, InvalidOid, "team_id"},
	[SF_END_USER] = {{"end_user", false, false}, InvalidOid, NULL},
	[SF_STATUS] = {{"status", false, false}, InvalidOid, NULL},
	[SF_REQUEST_TAGS] = {{"request_tags", true, false}, InvalidOid, NULL},
	[SF_METADATA] = {{"metadata", true, false}, InvalidOid, NULL},
};

#define VALID_COLUMNS_HINT "Valid columns are request_id, call_type, api_key, model, model_id, model_group, custom_llm_provider, api_base, \"user\", team_id, end_user, status (text), spend (double precision), total_tokens, prompt_tokens, completion_tokens (bigint), \"startTime\", \"endTime\" (timestamp with time zone), request_tags and metadata (jsonb)."

/* What a bound of the window is. */
#define BOUND_LOWER		1
#define BOUND_UPPER		2

/* Slots of the fdw_private list of a spend log ForeignScan. */
enum FdwSpendScanPrivateIndex
{
	FdwSpendScanBoundKinds = LFDW_SCAN_PRIVATE, /* IntList, per bound */
	FdwSpendScanFilterFields	/* IntList, per filter */
};

/*
 * Planner state of a spend log table: the bounds of the window and the
 * filters, each an expression whose value is known when the scan starts.
 * fdw_exprs holds the bounds, then the filters.
 */
typedef struct SpendRelInfo
{
	LfdwRelInfo base;			/* must be first */
	List	   *bounds;			/* of Expr */
	List	   *bound_kinds;	/* IntList: BOUND_LOWER and/or BOUND_UPPER */
	List	   *filters;		/* of Expr */
	List	   *filter_fields;	/* IntList: the SpendField of each */
} SpendRelInfo;

/* Execution state of a spend log scan. */
typedef struct SpendScanState
{
	LfdwScanState base;			/* must be first */
	List	   *bound_kinds;
	List	   *filter_fields;
	List	   *expr_states;	/* of ExprState: bounds, then filters */
	bool		ui_route;		/* reading GET /spend/logs/ui */
	char	   *query;			/* window and filters, encoded (scan_cxt) */
	int			page_no;		/* the page last fetched */
	int			total_pages;	/* as page 1 says, or -1 */
	const struct cJSON *next;	/* next log of the page, or NULL */
	int			page_rows;		/* logs on the page */
	int			page_new;		/* of those, not on an earlier page */
	HTAB	   *seen;			/* request_ids read so far (scan_cxt) */
	bool		done;
} SpendScanState;

/* An entry of the set of request_ids read (the id zero-padded). */
typedef struct SeenId
{
	char		id[SPEND_MAX_ID_LEN + 1];
} SeenId;

/* servers without GET /spend/logs/v2, found in this backend */
static List *servers_without_v2 = NIL;

/* callbacks */
static void spend_column_map(Relation rel, LfdwColumnMap *map);
static double spend_plan_read(PlannerInfo *root, RelOptInfo *baserel,
							  LfdwRelInfo *info);
static ForeignScan *spend_get_plan(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid, ForeignPath *best_path,
								   List *tlist, List *scan_clauses,
								   Plan *outer_plan, char **explain,
								   int *wanted);
static void spend_begin_scan(LfdwScanState *state, List *fdw_private);
static TupleTableSlot *spend_iterate_scan(ForeignScanState *node);
static void spend_rescan(LfdwScanState *state);
static char *spend_import_statement(const char *local_schema,
									const char *server_name);

/* helpers */
static bool pushable_value(Expr *expr);
static bool window_condition(Expr *clause, Index relid, AttrNumber att,
							 Expr **value, int *kind);
static bool filter_condition(Expr *clause, Index relid, AttrNumber att,
							 Expr **value);
static char *explain_value(Expr *expr, bool is_bound, int kind);
static bool start_scan(SpendScanState *state, ForeignScanState *node);
static char *window_text(TimestampTz t, bool upper);
static char *page_path(SpendScanState *state);
static void fetch_page(SpendScanState *state);
static void prefetch_pages(SpendScanState *state);
static bool no_v2(Oid serverid);
static void push_call_context(SpendScanState *state);
static void pop_call_context(SpendScanState *state);
static void store_log(SpendScanState *state, TupleTableSlot *slot,
					  const struct cJSON *item, const char *request_id);
static char *log_text(SpendScanState *state, const struct cJSON *item,
					  SpendField f, const char *request_id);
static char *log_number(SpendScanState *state, const struct cJSON *item,
						SpendField f, const char *request_id, bool integer);
static char *log_time(SpendScanState *state, const struct cJSON *item,
					  SpendField f, const char *request_id);
static char *shown_key_hash(const char *value);
static void bad_field(SpendScanState *state, SpendField f,
					  const char *request_id, const char *expected);

/*
 * spend_column_map
 *		Match the columns of a spend log table to its fields by name.
 */
static void
spend_column_map(Relation rel, LfdwColumnMap *map)
{
	LfdwFieldDef defs[SPEND_NUM_FIELDS];
	Oid			types[SPEND_NUM_FIELDS];
	int			f;

	for (f = 0; f < SPEND_NUM_FIELDS; f++)
	{
		defs[f] = spend_fields[f].def;
		types[f] = spend_fields[f].type;
	}
	lfdw_map_typed_columns(rel, defs, types, SPEND_NUM_FIELDS, "spend log",
						   VALID_COLUMNS_HINT, map);
}

/*
 * spend_plan_read
 *		Find the window and the filters among the conditions, refuse a scan
 *		without a lower bound on "startTime", and estimate the rows and the
 *		pages.
 */
static double
spend_plan_read(PlannerInfo *root, RelOptInfo *baserel, LfdwRelInfo *base)
{
	SpendRelInfo *info = (SpendRelInfo *) base;
	AttrNumber	start_att = base->map.field_att[SF_START_TIME];
	bool		has_lower = false;
	List	   *pushed = NIL;	/* the filters' conditions */
	List	   *local = NIL;	/* conditions only checked here */
	ListCell   *cell;

	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, cell);
		Expr	   *clause = ri->clause;
		Expr	   *value;
		int			kind;
		int			f;

		if (start_att &&
			window_condition(clause, baserel->relid, start_att, &value, &kind))
		{
			info->bounds = lappend(info->bounds, value);
			info->bound_kinds = lappend_int(info->bound_kinds, kind);
			has_lower |= (kind & BOUND_LOWER) != 0;
			continue;
		}
		local = lappend(local, ri);
		for (f = 0; f < SPEND_NUM_FIELDS; f++)
		{
			AttrNumber	att = base->map.field_att[f];

			/* one value per filter: the others stay local conditions */
			if (spend_fields[f].filter == NULL || att == 0 ||
				list_member_int(info->filter_fields, f))
				continue;
			if (filter_condition(clause, baserel->relid, att, &value))
			{
				info->filters = lappend(info->filters, value);
				info->filter_fields = lappend_int(info->filter_fields, f);
				local = list_delete_last(local);
				pushed = lappend(pushed, ri);
				break;
			}
		}
	}

	if (!has_lower)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a scan of foreign table \"%s\" needs a lower bound on \"startTime\"",
						base->map.relname),
				 errdetail("LiteLLM serves spend logs only for a window of \"startTime\"."),
				 start_att ?
				 errhint("Add a condition such as \"startTime\" >= now() - interval '7 days'.") :
				 errhint("Add a column \"startTime\" of type timestamp with time zone, and a condition on it.")));

	/*
	 * The logs of a window: the table's estimated_rows, else the count of the
	 * last window read in full, else the server's estimated_rows; the window
	 * is what is fetched, not a selectivity.  The filters narrow what the
	 * server sends, the other conditions what is kept.  The last page read is
	 * empty.
	 */
	base->fetched = lfdw_estimated_rows(base->opts, base->relid,
										LFDW_RESOURCE_SPEND_LOGS) *
		clauselist_selectivity(root, pushed, baserel->relid, JOIN_INNER, NULL);
	base->requests = ceil(base->fetched / SPEND_PAGE_SIZE) + 1;
	base->startup_requests = 1;
	return base->fetched *
		clauselist_selectivity(root, local, baserel->relid, JOIN_INNER, NULL);
}

/*
 * spend_get_plan
 *		Every condition stays a local filter; fdw_exprs holds the bounds of
 *		the window and the filters' values.
 */
static ForeignScan *
spend_get_plan(PlannerInfo *root, RelOptInfo *baserel,
			   Oid foreigntableid, ForeignPath *best_path, List *tlist,
			   List *scan_clauses, Plan *outer_plan, char **explain,
			   int *wanted)
{
	SpendRelInfo *info = (SpendRelInfo *) baserel->fdw_private;
	StringInfoData buf;
	ListCell   *lc;
	ListCell   *kc;
	char	   *lower = NULL;
	char	   *upper = NULL;

	scan_clauses = extract_actual_clauses(scan_clauses, false);
	*wanted = lfdw_wanted_fields(baserel, &info->base.map, SPEND_NUM_FIELDS);

	/* the window: the latest lower bound and the earliest upper bound */
	forboth(lc, info->bounds, kc, info->bound_kinds)
	{
		int			kind = lfirst_int(kc);

		if (kind & BOUND_LOWER)
			lower = lower ? psprintf("%s, %s", lower,
									 explain_value(lfirst(lc), true, BOUND_LOWER)) :
				explain_value(lfirst(lc), true, BOUND_LOWER);
		if (kind & BOUND_UPPER)
			upper = upper ? psprintf("%s, %s", upper,
									 explain_value(lfirst(lc), true, BOUND_UPPER)) :
				explain_value(lfirst(lc), true, BOUND_UPPER);
	}
	initStringInfo(&buf);
	appendStringInfo(&buf, "GET %s?start_date=%s%s%s&end_date=%s%s%s",
					 no_v2(baserel->serverid) ? "/spend/logs/ui" :
					 "/spend/logs/v2",
					 lower && strchr(lower, ',') ? "greatest(" : "", lower,
					 lower && strchr(lower, ',') ? ")" : "",
					 upper && strchr(upper, ',') ? "least(" : "",
					 upper ? upper : window_text(DT_NOEND, true),
					 upper && strchr(upper, ',') ? ")" : "");
	forboth(lc, info->filters, kc, info->filter_fields)
		appendStringInfo(&buf, "&%s=%s", spend_fields[lfirst_int(kc)].filter,
						 explain_value(lfirst(lc), false, 0));
	appendStringInfo(&buf, "&page={n}&page_size=%d, until an empty page",
					 SPEND_PAGE_SIZE);
	*explain = buf.data;

	return make_foreignscan(tlist, scan_clauses, baserel->relid,
							list_concat_copy(info->bounds, info->filters),
							list_make2(list_copy(info->bound_kinds),
									   list_copy(info->filter_fields)),
							NIL, NIL, outer_plan);
}

/*
 * spend_begin_scan
 *		The first page is fetched with the first row.
 */
static void
spend_begin_scan(LfdwScanState *state, List *fdw_private)
{
	SpendScanState *s = (SpendScanState *) state;

	s->bound_kinds = list_nth(fdw_private, FdwSpendScanBoundKinds);
	s->filter_fields = list_nth(fdw_private, FdwSpendScanFilterFields);
}

/*
 * spend_iterate_scan
 *		Return the next spend log as a row, fetching pages as rows are
 *		consumed, until an empty page.
 */
static TupleTableSlot *
spend_iterate_scan(ForeignScanState *node)
{
	SpendScanState *state = (SpendScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;

	ExecClearTuple(slot);
	if (!state->base.started)
	{
		state->base.started = true;
		if (!start_scan(state, node))
			state->done = true;
		else
			fetch_page(state);
	}

	while (!state->done)
	{
		const struct cJSON *item = state->next;
		const char *id;
		SeenId		key;
		bool		found;

		CHECK_FOR_INTERRUPTS();
		if (item == NULL)
		{
			/* the end of a page: an empty one ends the scan */
			if (state->page_rows == 0)
			{
				state->done = true;
				/* the logs of a whole window, for the planner */
				if (state->filter_fields == NIL)
					lfdw_stats_note_rows(state->base.opts->serverid,
										 LFDW_RESOURCE_SPEND_LOGS,
										 hash_get_num_entries(state->seen));
				break;
			}
			/* progress: a page must bring a log not seen before */
			if (state->page_new == 0)
			{
				push_call_context(state);
				lfdw_unexpected_response(state->base.opts->server_name,
										 psprintf("Page %d of the spend logs has only logs of earlier pages.",
												  state->page_no),
										 NULL,
										 "The server may ignore the page parameter.");
			}
			fetch_page(state);
			continue;
		}
		push_call_context(state);
		state->next = lfdw_wire_next(item);
		state->page_rows++;

		id = lfdw_wire_spend_id(item);
		if (id == NULL)
			lfdw_unexpected_response(state->base.opts->server_name,
									 "Expected every spend log to be a JSON object with a non-empty string \"request_id\".",
									 NULL, NULL);
		if (strlen(id) > SPEND_MAX_ID_LEN)
			lfdw_unexpected_response(state->base.opts->server_name,
									 "A spend log has a request_id longer than "
									 CppAsString2(SPEND_MAX_ID_LEN) " bytes.",
									 NULL, NULL);

		/*
		 * A log seen on an earlier page is skipped: new logs push the older
		 * ones down the pages (newest first) while the scan reads them.
		 */
		memset(&key, 0, sizeof(key));
		memcpy(key.id, id, strlen(id) + 1); /* its length was checked */
		(void) hash_search(state->seen, &key, HASH_ENTER, &found);
		if (!found)
		{
			state->page_new++;
			store_log(state, slot, item, id);
		}
		pop_call_context(state);
		if (!found)
			return slot;
	}
	return slot;
}

/*
 * spend_rescan
 *		Start over (the window may have changed); pages fetched before in
 *		this statement come from the statement's responses.
 */
static void
spend_rescan(LfdwScanState *state)
{
	SpendScanState *s = (SpendScanState *) state;

	s->next = NULL;
	s->done = false;
	s->seen = NULL;				/* in scan_cxt, reset by the caller */
	s->query = NULL;
}

/*
 * spend_import_statement
 *		The CREATE FOREIGN TABLE of IMPORT FOREIGN SCHEMA for
 *		litellm_spend_log.
 */
static char *
spend_import_statement(const char *local_schema, const char *server_name)
{
	return psprintf("CREATE FOREIGN TABLE %s.litellm_spend_log ("
					"request_id text, "
					"call_type text, "
					"api_key text, "
					"spend double precision, "
					"total_tokens bigint, "
					"prompt_tokens bigint, "
					"completion_tokens bigint, "
					"\"startTime\" timestamp with time zone, "
					"\"endTime\" timestamp with time zone, "
					"model text, "
					"model_id text, "
					"model_group text, "
					"custom_llm_provider text, "
					"api_base text, "
					"\"user\" text, "
					"team_id text, "
					"end_user text, "
					"status text, "
					"request_tags jsonb, "
					"metadata jsonb) SERVER %s "
					"OPTIONS (resource '" LFDW_RESOURCE_SPEND_LOGS "')",
					quote_identifier(local_schema),
					quote_identifier(server_name));
}

/*
 * A value the scan can compute when it starts: no column of any table, no
 * volatile function.
 */
static bool
pushable_value(Expr *expr)
{
	return !contain_var_clause((Node *) expr) &&
		!contain_volatile_functions((Node *) expr);
}

/*
 * Is clause a comparison of column att (timestamptz) with a pushable
 * timestamptz value?  *kind says which bound(s) of the window it gives.
 */
static bool
window_condition(Expr *clause, Index relid, AttrNumber att, Expr **value,
				 int *kind)
{
	OpExpr	   *op;
	Expr	   *left;
	Expr	   *right;
	int			strategy;
	bool		column_left;
	Oid			other_type;
	TypeCacheEntry *tce;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return false;
	op = (OpExpr *) clause;
	left = lfdw_strip_relabel(linitial(op->args));
	right = lfdw_strip_relabel(lsecond(op->args));
	if (lfdw_is_column(left, relid, att) && pushable_value(right))
		column_left = true;
	else if (lfdw_is_column(right, relid, att) && pushable_value(left))
		column_left = false;
	else
		return false;
	/* timestamptz, or a date or timestamp compared with it */
	other_type = exprType((Node *) (column_left ? right : left));
	if (exprType((Node *) (column_left ? left : right)) != TIMESTAMPTZOID ||
		(other_type != TIMESTAMPTZOID && other_type != DATEOID &&
		 other_type != TIMESTAMPOID))
		return false;

	tce = lookup_type_cache(TIMESTAMPTZOID, TYPECACHE_BTREE_OPFAMILY);
	strategy = get_op_opfamily_strategy(op->opno, tce->btree_opf);
	switch (strategy)
	{
		case BTLessStrategyNumber:
		case BTLessEqualStrategyNumber:
			*kind = column_left ? BOUND_UPPER : BOUND_LOWER;
			break;
		case BTGreaterStrategyNumber:
		case BTGreaterEqualStrategyNumber:
			*kind = column_left ? BOUND_LOWER : BOUND_UPPER;
			break;
		case BTEqualStrategyNumber:
			*kind = BOUND_LOWER | BOUND_UPPER;
			break;
		default:
			return false;
	}
	*value = column_left ? right : left;

	/*
	 * A date or timestamp becomes the timestamptz the comparison uses (in the
	 * session's time zone), by its cast, when the scan starts.
	 */
	if (other_type != TIMESTAMPTZOID)
	{
		Oid			funcid;

		if (find_coercion_pathway(TIMESTAMPTZOID, other_type,
								  COERCION_EXPLICIT, &funcid) !=
			COERCION_PATH_FUNC)
			return false;
		*value = (Expr *) makeFuncExpr(funcid, TIMESTAMPTZOID,
									   list_make1(*value), InvalidOid,
									   InvalidOid, COERCE_EXPLICIT_CAST);
	}
	return true;
}

/* Is clause column att = a pushable text value? */
static bool
filter_condition(Expr *clause, Index relid, AttrNumber att, Expr **value)
{
	OpExpr	   *op;
	Expr	   *left;
	Expr	   *right;

	if (!IsA(clause, OpExpr) || ((OpExpr *) clause)->opno != TextEqualOperator ||
		list_length(((OpExpr *) clause)->args) != 2)
		return false;
	op = (OpExpr *) clause;
	left = lfdw_strip_relabel(linitial(op->args));
	right = lfdw_strip_relabel(lsecond(op->args));
	if (lfdw_is_column(left, relid, att) && pushable_value(right))
		*value = (Expr *) lsecond(op->args);
	else if (lfdw_is_column(right, relid, att) && pushable_value(left))
		*value = (Expr *) linitial(op->args);
	else
		return false;
	return true;
}

/*
 * A value as EXPLAIN shows it in the request: a constant as sent (a bound
 * widened to the second), a parameter as $n, anything else as {expression}.
 */
static char *
explain_value(Expr *expr, bool is_bound, int kind)
{
	Expr	   *e = lfdw_strip_relabel(expr);

	if (IsA(e, Const))
	{
		Const	   *c = (Const *) e;

		if (c->constisnull)
			return pstrdup("NULL");
		if (is_bound)
			return window_text(DatumGetTimestampTz(c->constvalue),
							   kind == BOUND_UPPER);
		return lfdw_encode_path_segment(TextDatumGetCString(c->constvalue));
	}
	if (IsA(e, Param))
		return psprintf("$%d", ((Param *) e)->paramid);
	return psprintf("{%s}", deparse_expression((Node *) e, NIL, false, false));
}

/*
 * Compute the window and the filters of a (re)scan into state->query.
 * false when no row can match (a NULL value, an empty window): no request
 * is made then.
 */
static bool
start_scan(SpendScanState *state, ForeignScanState *node)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	TimestampTz lower = DT_NOBEGIN;
	TimestampTz upper = DT_NOEND;
	MemoryContext oldcxt;
	StringInfoData buf;
	ListCell   *lc;
	int			i = 0;
	int			nbounds = list_length(state->bound_kinds);
	HASHCTL		ctl;

	if (state->expr_states == NIL && fsplan->fdw_exprs != NIL)
	{
		oldcxt = MemoryContextSwitchTo(node->ss.ps.state->es_query_cxt);
		state->expr_states = ExecInitExprList(fsplan->fdw_exprs,
											  (PlanState *) node);
		MemoryContextSwitchTo(oldcxt);
	}

	state->ui_route = no_v2(state->base.opts->serverid);
	state->page_no = 0;
	state->total_pages = -1;
	state->next = NULL;
	state->page_rows = 0;
	state->page_new = 0;
	state->done = false;

	oldcxt = MemoryContextSwitchTo(state->base.scan_cxt);
	initStringInfo(&buf);
	foreach(lc, state->expr_states)
	{
		bool		isnull;
		Datum		value = ExecEvalExpr((ExprState *) lfirst(lc), econtext,
										 &isnull);

		/* a comparison with NULL is never true */
		if (isnull)
		{
			MemoryContextSwitchTo(oldcxt);
			return false;
		}
		if (i < nbounds)
		{
			TimestampTz t = DatumGetTimestampTz(value);
			int			kind = list_nth_int(state->bound_kinds, i);

			if ((kind & BOUND_LOWER) && t > lower)
				lower = t;
			if ((kind & BOUND_UPPER) && t < upper)
				upper = t;
		}
		else
		{
			int			f = list_nth_int(state->filter_fields, i - nbounds);

			appendStringInfo(&buf, "&%s=%s", spend_fields[f].filter,
							 lfdw_encode_path_segment(TextDatumGetCString(value)));
		}
		i++;
	}
	if (lower > upper)
	{
		MemoryContextSwitchTo(oldcxt);
		return false;
	}
	state->query = psprintf("start_date=%s&end_date=%s%s",
							lfdw_encode_path_segment(window_text(lower, false)),
							lfdw_encode_path_segment(window_text(upper, true)),
							buf.data);

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = SPEND_MAX_ID_LEN + 1;
	ctl.entrysize = sizeof(SeenId);
	ctl.hcxt = state->base.scan_cxt;
	state->seen = hash_create("litellm_fdw spend log ids", 256, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	MemoryContextSwitchTo(oldcxt);
	return true;
}

/*
 * A bound of the window as LiteLLM takes it: "YYYY-MM-DD HH:MM:SS" in UTC,
 * the lower bound rounded down and the upper bound up to the second, so
 * that the window holds every row the condition may keep.  Beyond the
 * years 1 to 9999 (what LiteLLM parses), the first or last second of them.
 */
static char *
window_text(TimestampTz t, bool upper)
{
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz sec;

	if (TIMESTAMP_NOT_FINITE(t))
		return pstrdup(TIMESTAMP_IS_NOBEGIN(t) ? "0001-01-01 00:00:00" :
					   "9999-12-31 23:59:59");
	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0 || tm.tm_year < 1)
		return pstrdup("0001-01-01 00:00:00");
	if (tm.tm_year > 9999)
		return pstrdup("9999-12-31 23:59:59");

	sec = t - ((t % USECS_PER_SEC) + USECS_PER_SEC) % USECS_PER_SEC;
	if (upper && sec != t)
	{
		sec += USECS_PER_SEC;
		if (timestamp2tm(sec, NULL, &tm, &fsec, NULL, NULL) != 0 ||
			tm.tm_year > 9999)
			return pstrdup("9999-12-31 23:59:59");
	}
	else if (timestamp2tm(sec, NULL, &tm, &fsec, NULL, NULL) != 0)
		return pstrdup("0001-01-01 00:00:00");
	return psprintf("%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year, tm.tm_mon,
					tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The path (with its query) of the next page. */
static char *
page_path(SpendScanState *state)
{
	return psprintf("%s?%s&page=%d&page_size=%d",
					state->ui_route ? "/spend/logs/ui" : "/spend/logs/v2",
					state->query, state->page_no, SPEND_PAGE_SIZE);
}

/*
 * GET the next page into the batch context, which is reset first: the
 * previous page is done with.  Falls back to /spend/logs/ui when the
 * server has no /spend/logs/v2.
 */
static void
fetch_page(SpendScanState *state)
{
	MemoryContext oldcxt;
	LfdwHttpResponse *resp;
	LfdwCall   *call = &state->base.call;
	struct cJSON *root;
	int			total_pages;

	CHECK_FOR_INTERRUPTS();
	if (state->page_no >= SPEND_MAX_PAGES)
		lfdw_unexpected_response(state->base.opts->server_name,
								 "The spend logs did not end within "
								 CppAsString2(SPEND_MAX_PAGES) " pages.",
								 NULL, "Narrow the window of \"startTime\".");
	state->page_no++;
	state->next = NULL;
	state->page_rows = 0;
	state->page_new = 0;
	state->base.call_valid = false;
	MemoryContextReset(state->base.batch_cxt);
	oldcxt = MemoryContextSwitchTo(state->base.batch_cxt);
	prefetch_pages(state);
	lfdw_call_begin(call, state->base.opts, "GET", page_path(state), NULL);
	resp = lfdw_statement_get(call, NULL);
	if (resp->status == 404 && !state->ui_route &&
		!lfdw_is_litellm_error(resp))
	{
		/* LiteLLM before /spend/logs/v2: the same handler, older name */
		lfdw_call_end(call);
		MemoryContextSwitchTo(oldcxt);
		if (!no_v2(state->base.opts->serverid))
		{
			MemoryContext top = MemoryContextSwitchTo(TopMemoryContext);

			servers_without_v2 = lappend_oid(servers_without_v2,
											 state->base.opts->serverid);
			MemoryContextSwitchTo(top);
		}
		state->ui_route = true;
		state->page_no = 0;
		state->total_pages = -1;
		fetch_page(state);
		return;
	}
	if (resp->status < 200 || resp->status >= 300)
		lfdw_wrong_shape(call, resp, "a JSON object with a \"data\" array");
	/* (the statement keeps the response: not freed here) */
	root = lfdw_parse_json_body(call, resp,
								"a JSON object with a \"data\" array");
	if (!lfdw_wire_spend_page(root, &state->next, &total_pages))
		lfdw_wrong_shape(call, resp, "a JSON object with a \"data\" array");
	if (state->page_no == 1)
		state->total_pages = total_pages;
	lfdw_call_end(call);
	MemoryContextSwitchTo(oldcxt);
	state->base.call_valid = true;
}

/*
 * From the second page on, with max_concurrency above 1: GET this page and
 * the next ones, max_concurrency in all, at once, into the statement's
 * responses (statement.c), which fetch_page then reads one by one.  The
 * first page comes alone (it says whether the route exists, and how many
 * pages there are); no batch goes past the page after the last one the
 * first page counts (the empty one), unless that count is missing or
 * capped (LiteLLM's stops at 10,000 logs): then the last batch may read up
 * to max_concurrency - 1 pages past the empty one.  A LIMIT may read as
 * many past what it needs.  A count that lies only changes how many pages
 * are read at once: the scan still ends at the first empty page.
 */
static void
prefetch_pages(SpendScanState *state)
{
	int			ahead = state->base.opts->max_concurrency;
	int			first = state->page_no;
	List	   *paths = NIL;
	int			i;

	if (state->total_pages >= 0 &&
		state->total_pages * SPEND_PAGE_SIZE < 10000)
		ahead = Min(ahead, state->total_pages + 2 - first);

	if (first < 2 || ahead < 2 ||
		lfdw_statement_has(state->base.opts, page_path(state)))
		return;
	for (i = 0; i < ahead && first + i <= SPEND_MAX_PAGES; i++)
	{
		state->page_no = first + i;
		paths = lappend(paths, page_path(state));
	}
	state->page_no = first;
	lfdw_statement_prefetch(state->base.opts, paths);
}

/* Has this backend found that the server lacks GET /spend/logs/v2? */
static bool
no_v2(Oid serverid)
{
	return list_member_oid(servers_without_v2, serverid);
}

/*
 * Put a spend log into the scan slot (values in per-tuple memory), under
 * the context line of the request it came from.
 */
static void
store_log(SpendScanState *state, TupleTableSlot *slot, const struct cJSON *item,
		  const char *request_id)
{
	const LfdwOptions *opts = state->base.opts;
	const bool *wanted = state->base.wanted;
	LfdwFieldValue fields[SPEND_NUM_FIELDS];
	int			f;

	memset(fields, 0, sizeof(fields));
	for (f = 0; f < SPEND_NUM_FIELDS; f++)
	{
		char	   *text = NULL;
		Jsonb	   *jsonb = NULL;

		if (!wanted[f])
			continue;
		switch ((SpendField) f)
		{
			case SF_SPEND:
				text = log_number(state, item, f, request_id, false);
				break;
			case SF_TOTAL_TOKENS:
			case SF_PROMPT_TOKENS:
			case SF_COMPLETION_TOKENS:
				text = log_number(state, item, f, request_id, true);
				break;
			case SF_START_TIME:
			case SF_END_TIME:
				text = log_time(state, item, f, request_id);
				break;
			case SF_API_KEY:
				text = log_text(state, item, f, request_id);
				if (text)
					text = shown_key_hash(text);
				break;
			case SF_API_BASE:
				text = log_text(state, item, f, request_id);
				if (text)
					text = lfdw_model_shown_url(text);
				break;
			case SF_REQUEST_TAGS:
			case SF_METADATA:
				{
					LfdwWireSpendValue v;

					lfdw_wire_spend_field(item, spend_fields[f].def.name, &v);
					if (v.kind == LFDW_WIRE_SPEND_ABSENT)
						break;
					if (f == SF_METADATA)
					{
						if (v.kind != LFDW_WIRE_SPEND_OBJECT)
							bad_field(state, f, request_id, "a JSON object");
						/* the page's own tree, masked in place */
						if (!lfdw_mask_tree(opts, v.node, true))
							lfdw_unexpected_response(opts->server_name,
													 "Could not mask \"metadata\" of spend log \"%s\": it is nested too deeply, or memory ran out.",
													 lfdw_remote_text(&state->base.call,
																	  request_id,
																	  strlen(request_id)),
													 NULL);
					}
					jsonb = lfdw_json_to_jsonb(v.node);
				}
				break;
			default:
				text = log_text(state, item, f, request_id);
				break;
		}
		fields[f].set = text != NULL || jsonb != NULL;
		fields[f].text = text;
		fields[f].jsonb = jsonb;
	}
	lfdw_store_fields(slot, &state->base.map, SPEND_NUM_FIELDS, wanted,
					  fields);
}

/*
 * The context line of the request the current page came from, around what
 * is done with its logs (the call itself has ended).
 */
static void
push_call_context(SpendScanState *state)
{
	if (!state->base.call_valid)
		return;
	state->base.call.errcb.previous = error_context_stack;
	error_context_stack = &state->base.call.errcb;
}

static void
pop_call_context(SpendScanState *state)
{
	if (state->base.call_valid)
		error_context_stack = state->base.call.errcb.previous;
}

/* A string field, in server encoding; NULL when absent or null. */
static char *
log_text(SpendScanState *state, const struct cJSON *item, SpendField f,
		 const char *request_id)
{
	LfdwWireSpendValue v;

	lfdw_wire_spend_field(item, spend_fields[f].def.name, &v);
	if (v.kind == LFDW_WIRE_SPEND_ABSENT)
		return NULL;
	if (v.kind != LFDW_WIRE_SPEND_STRING)
		bad_field(state, f, request_id, "a string");
	return lfdw_json_server_string(v.string);
}

/*
 * A number field as text its column's input function takes: finite, and
 * for a count a whole number within the range a double holds exactly.
 */
static char *
log_number(SpendScanState *state, const struct cJSON *item, SpendField f,
		   const char *request_id, bool integer)
{
	LfdwWireSpendValue v;
	double		d;

	lfdw_wire_spend_field(item, spend_fields[f].def.name, &v);
	if (v.kind == LFDW_WIRE_SPEND_ABSENT)
		return NULL;
	if (v.kind != LFDW_WIRE_SPEND_NUMBER || !isfinite(v.number))
		bad_field(state, f, request_id, integer ? "a whole number" : "a number");
	d = v.number;
	if (integer)
	{
		if (d != floor(d) || fabs(d) > 9007199254740992.0)
			bad_field(state, f, request_id, "a whole number");
		return psprintf("%.0f", d);
	}
	return psprintf("%.17g", d);
}

/*
 * A time field as text timestamptz_in takes: strictly
 * YYYY-MM-DD[T ]HH:MM:SS[.ffffff][Z|+HH:MM|+HHMM|+HH] (UTC when no zone is
 * given, as LiteLLM stores it), so that nothing else of the server's text
 * reaches the input function.
 */
static char *
log_time(SpendScanState *state, const struct cJSON *item, SpendField f,
		 const char *request_id)
{
	LfdwWireSpendValue v;
	const char *pattern = "dddd-dd-dd?dd:dd:dd";
	const char *s;
	const char *p;
	int			i;

	lfdw_wire_spend_field(item, spend_fields[f].def.name, &v);
	if (v.kind == LFDW_WIRE_SPEND_ABSENT)
		return NULL;
	if (v.kind != LFDW_WIRE_SPEND_STRING)
		bad_field(state, f, request_id, "a time as a string");
	s = v.string;
	for (i = 0; pattern[i]; i++)
	{
		char		c = s[i];

		if (pattern[i] == 'd' ? !(c >= '0' && c <= '9') :
			pattern[i] == '?' ? (c != 'T' && c != ' ') : c != pattern[i])
			bad_field(state, f, request_id, "a time such as \"2026-12-01T10:00:00.123Z\"");
	}
	p = s + i;
	if (*p == '.')
	{
		int			n = 0;

		for (p++; *p >= '0' && *p <= '9'; p++)
			n++;
		if (n < 1 || n > 6)
			bad_field(state, f, request_id, "a time such as \"2026-12-01T10:00:00.123Z\"");
	}
	if (*p == '\0')
		return psprintf("%s+00", s);
	if (strcmp(p, "Z") == 0)
		return pstrdup(s);
	if ((*p == '+' || *p == '-') &&
		isdigit((unsigned char) p[1]) && isdigit((unsigned char) p[2]) &&
		(p[3] == '\0' ||
		 (p[3] == ':' && isdigit((unsigned char) p[4]) &&
		  isdigit((unsigned char) p[5]) && p[6] == '\0') ||
		 (isdigit((unsigned char) p[3]) && isdigit((unsigned char) p[4]) &&
		  p[5] == '\0')))
		return pstrdup(s);
	bad_field(state, f, request_id, "a time such as \"2026-12-01T10:00:00.123Z\"");
	return NULL;				/* keep the compiler quiet */
}

/*
 * api_key as shown: the key's hash (64 hexadecimal digits) or LiteLLM's
 * name of the master key; anything else may be a key itself, and is
 * masked.  An empty one (LiteLLM's default) is NULL.
 */
static char *
shown_key_hash(const char *value)
{
	int			i;

	if (value[0] == '\0')
		return NULL;
	if (strcmp(value, "litellm_proxy_master_key") == 0)
		return pstrdup(value);
	for (i = 0; value[i]; i++)
		if (!((value[i] >= '0' && value[i] <= '9') ||
			  (value[i] >= 'a' && value[i] <= 'f') ||
			  (value[i] >= 'A' && value[i] <= 'F')))
			return pstrdup(LFDW_MASK);
	return i == 64 ? pstrdup(value) : pstrdup(LFDW_MASK);
}

/* A field of a spend log that is not what it should be. */
static void
bad_field(SpendScanState *state, SpendField f, const char *request_id,
		  const char *expected)
{
	lfdw_unexpected_response(state->base.opts->server_name,
							 psprintf("Expected \"%s\" of spend log \"%%s\" to be %s.",
									  spend_fields[f].def.name, expected),
							 lfdw_remote_text(&state->base.call, request_id,
											  strlen(request_id)),
							 NULL);
}

/*
 * The descriptor: what litellm_fdw.c calls for a spend log table.  No
 * write callbacks: the table is read-only (resource.h).
 */
const LfdwResource lfdw_spend_log_resource = {
	.name = LFDW_RESOURCE_SPEND_LOGS,
	.noun = "spend log",
	.nfields = SPEND_NUM_FIELDS,
	.key_field = SF_REQUEST_ID,
	.key_column = "request_id",
	.key_detail = "Spend logs are identified by request_id.",
	.column_map = spend_column_map,
	.rel_info_size = sizeof(SpendRelInfo),
	.plan_read = spend_plan_read,
	.row_cost = 4,
	.get_plan = spend_get_plan,
	.scan_state_size = sizeof(SpendScanState),
	.begin_scan = spend_begin_scan,
	.iterate_scan = spend_iterate_scan,
	.rescan = spend_rescan,
	.import_statement = spend_import_statement,
};
