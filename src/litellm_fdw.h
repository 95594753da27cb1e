/*-------------------------------------------------------------------------
 *
 * litellm_fdw.h
 *		  Shared declarations of the foreign data wrapper for LiteLLM.
 *
 * The header speaks PostgreSQL types only: libcurl stays inside
 * connection.c and cJSON inside the wire files and json.c, so that the
 * files which see those libraries are few and the rest of the code cannot
 * depend on them.
 *
 * As in postgres_fdw.h, the prototypes are in one section per file that
 * defines them ("in statement.c"); test/check_exports.py checks it.  A
 * header named for one file (json.h, secret.h, wire.h, model_wire.h,
 * spend_wire.h) holds that file's prototypes only.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/litellm_fdw.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LITELLM_FDW_H
#define LITELLM_FDW_H

#include "compat.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "nodes/pathnodes.h"
#include "nodes/plannodes.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"

/* The fixed string that replaces every secret value on read. */
#define LFDW_MASK "********"
/* remote text shown in a message is cut to this many bytes (plus "...") */
#define LFDW_MAX_REMOTE_TEXT 2000

/* Any string holding this is taken for a masked read-back, never a secret. */
#define LFDW_MASK_MARKER "****"

/*
 * The fields of a LiteLLM credential that foreign table columns map to, by
 * column name.
 */
typedef enum LfdwField
{
	LFDW_FIELD_NAME = 0,		/* credential_name */
	LFDW_FIELD_INFO,			/* credential_info */
	LFDW_FIELD_VALUES,			/* credential_values */
	LFDW_FIELD_MODEL_ID,		/* model_id */
	LFDW_NUM_FIELDS
} LfdwField;

/* The request a scan makes, chosen from its conditions (request.c). */
typedef enum LfdwScanKind
{
	LFDW_SCAN_LIST,				/* GET /credentials */
	LFDW_SCAN_BY_NAME,			/* GET /credentials/by_name/{name} */
	LFDW_SCAN_BY_NAMES,			/* by_name per name, or the list beyond a
								 * limit */
	LFDW_SCAN_BY_MODEL			/* GET /credentials/by_model/{id} */
} LfdwScanKind;

/*
 * The most fields a table maps (a spend log has 20); a scan's wanted
 * fields travel as the bits of one int.
 */
#define LFDW_MAX_FIELDS 24

/*
 * A field a column may map to: its name (the column's), whether it is
 * jsonb (else text), and whether a json column may hold it.  json is
 * refused where secrets live: converting a json value that is not valid
 * jsonb raises an error whose context prints the value.
 */
typedef struct LfdwFieldDef
{
	const char *name;
	bool		is_jsonb;
	bool		json_ok;
} LfdwFieldDef;

/*
 * Column mapping of one foreign table (credentials or models): which
 * attribute holds which field, and how to turn a field into the column's
 * declared type.
 */
typedef struct LfdwColumnMap
{
	int			natts;
	char	   *relname;		/* for error messages */
	char	   *att_name[LFDW_MAX_FIELDS];
	AttrNumber	field_att[LFDW_MAX_FIELDS]; /* attnum, or 0 when absent */
	Oid			att_type[LFDW_MAX_FIELDS];	/* declared type of that column */
	int32		att_typmod[LFDW_MAX_FIELDS];
	bool		att_native[LFDW_MAX_FIELDS];	/* type is exactly text/jsonb */
	Oid			att_input_func[LFDW_MAX_FIELDS];	/* otherwise: input
													 * function */
	Oid			att_input_param[LFDW_MAX_FIELDS];
} LfdwColumnMap;

/*
 * Everything needed to talk to one LiteLLM server as one user: the server
 * and user mapping options, resolved and validated.  The api_key is wiped
 * when the memory context holding this struct is reset or deleted.
 */
typedef struct LfdwOptions
{
	Oid			serverid;
	Oid			umid;			/* user mapping OID: key of the handle cache */
	char	   *server_name;
	char	   *url;			/* base URL without a trailing slash */
	int			timeout_ms;
	int			connect_timeout_ms;
	int			max_retries;
	int64		max_response_bytes;
	bool		ssl_verify;
	char	   *ca_file;
	bool		auth_x_litellm; /* send x-litellm-api-key, not Authorization */
	const char **unmasked_keys; /* keys shown unmasked */
	int			n_unmasked_keys;
	char	   *api_key;		/* NULL when the mapping has none */
	double		request_cost;
	double		estimated_rows;
	int			point_lookup_limit;
	bool		write_immediate;	/* write_mode 'immediate' */
	int			max_concurrency;	/* requests in flight at once */
	int			batch_size;		/* rows per batch insert (immediate) */
	char	   *litellm_version;	/* server option: release, or NULL */
} LfdwOptions;

/*
 * LiteLLM release lines (doc/litellm-api.md section 1.2), in order; unknown
 * gets the conservative choice of every line-dependent write.
 */
typedef enum LfdwLine
{
	LFDW_LINE_UNKNOWN = 0,
	LFDW_LINE_2025_03,			/* L1: {name} routes */
	LFDW_LINE_2025_05,			/* L2: {name:path}, stale reads after PATCH */
	LFDW_LINE_TEAM_ADMIN,		/* L3 */
	LFDW_LINE_1_95,				/* L4: v1.95.0, August 2026 */
	LFDW_LINE_2026_09,			/* L5: UpdateCredentialItem, 409 */
	LFDW_LINE_NEWEST			/* L6: credential_values_to_delete honoured */
} LfdwLine;

/*
 * One release-dependent decision (release.c): what the evidence says, and
 * which evidence it is, for EXPLAIN VERBOSE and messages.  Unknown gets the
 * conservative choice.
 */
typedef enum LfdwAnswer
{
	LFDW_ANSWER_UNKNOWN = 0,
	LFDW_ANSWER_NO,
	LFDW_ANSWER_YES
} LfdwAnswer;

typedef struct LfdwDecision
{
	LfdwAnswer	answer;
	char		evidence[256];
} LfdwDecision;

typedef struct LfdwRelease
{
	LfdwLine	line;			/* LFDW_LINE_NEWEST exactly when
								 * values_to_delete is yes */
	char		version[64];	/* "" when not known */
	char		how[256];		/* where it came from, or why unknown */
	LfdwDecision values_to_delete;	/* PATCH removes the keys listed in
									 * credential_values_to_delete, and drops
									 * null values */
	LfdwDecision delete_checked;	/* DELETE of a missing name answers 404 */
	LfdwDecision user_connection;	/* DELETE /credentials/{name}/
									 * user_connection is a route of its own */
} LfdwRelease;

/* A response as received, before any interpretation. */
typedef struct LfdwHttpResponse
{
	long		status;
	StringInfoData body;
	char	   *content_type;	/* NULL when absent */
	char	   *retry_after;	/* NULL when absent */
} LfdwHttpResponse;

/*
 * One logical remote call: identifies the request in error context lines
 * and carries the strings that must never appear in remote text we show.
 */
/*
 * Server text fit to show in a message (secret.c): made only by
 * lfdw_remote_text, which cleans it with the key and the secrets of one
 * call, and read only through lfdw_shown.  Every helper that raises an
 * error with server text takes this type, never a char *, and
 * test/check_messages.py fails on any other server text in a message.
 */
typedef struct LfdwShown LfdwShown;

typedef struct LfdwCall
{
	const LfdwOptions *opts;
	const char *method;
	const char *path;			/* percent-encoded, no query string */
	const char *target_name;	/* credential the call is about, or NULL */
	List	   *secrets;		/* C strings scrubbed from remote text */
	ErrorContextCallback errcb;
} LfdwCall;

/*
 * One request of a batch (lfdw_http_batch): set up call (with
 * lfdw_call_prepare), body and arg; the rest is the outcome.
 */
typedef struct LfdwBatchItem
{
	LfdwCall	call;			/* not on the error stack but while judged */
	const char *body;
	size_t		body_len;
	void	   *arg;			/* the caller's */
	bool		sent;			/* a request left: it may have been applied */
	bool		done;			/* its outcome is known */
	LfdwHttpResponse *resp;		/* the answer, when one came */
	ErrorData  *error;			/* why it failed, or NULL */
} LfdwBatchItem;

/* Judges the answer to one item of a batch; raises an error to fail it. */
typedef void (*LfdwBatchCheck) (LfdwBatchItem *item, void *arg);

/*
 * The first member of every planner and executor state of a foreign table:
 * the resource it maps (resource.h), chosen once when it is planned.
 */
typedef struct LfdwResourceHeader
{
	const struct LfdwResource *res;
} LfdwResourceHeader;

/* A credential as it goes to LiteLLM: the input of every write. */
typedef struct LfdwCredentialSpec
{
	const char *name;
	Jsonb	   *info;			/* an object; never NULL */
	Jsonb	   *values;			/* an object, or NULL to send {} */
	const char *model_id;		/* NULL when not sent */
	List	   *values_to_delete;	/* PATCH only: keys to remove */
	List	   *values_kept;	/* UPDATE only: keys LiteLLM has whose masked
								 * value was written back unchanged: kept as
								 * they are, neither sent nor removed */
	bool		keep_info;		/* PATCH only: credential_info unchanged, sent
								 * as {} (which every release ignores), never
								 * as read: older releases serve stale info */
} LfdwCredentialSpec;

/* A credential as read from LiteLLM, in the shape of one foreign row. */
typedef struct LfdwCredentialRow
{
	char	   *name;
	Jsonb	   *info;			/* NULL when not wanted */
	Jsonb	   *values;			/* masked; NULL when not wanted */
	char	   *model_id;		/* NULL: the endpoint does not say */
} LfdwCredentialRow;

/*
 * The reads an INSERT makes to catch a duplicate name before commit
 * (pending.c): lookups by name, sent together for the rows of a batch, or
 * one list for the rest of the statement when it has more rows than
 * point_lookup_limit (by the planner's estimate, or as it goes).
 */
typedef struct LfdwNameProbe
{
	int			calls;
	double		expected_rows;	/* the planner's estimate, or 0 */
	struct HTAB *listed;		/* names of the list, once read */
	struct HTAB *known;			/* answers of lookups made ahead of rows */
	MemoryContext cxt;			/* the statement's */
} LfdwNameProbe;

/* How a scan sees the transaction's pending changes (pending.c). */
typedef struct LfdwOverlay LfdwOverlay;

/* What the transaction knows of a name before asking LiteLLM. */
typedef enum LfdwPendingKind
{
	LFDW_PENDING_NONE,			/* nothing: ask, then lfdw_overlay_row */
	LFDW_PENDING_GONE,			/* deleted by the transaction */
	LFDW_PENDING_LOCAL			/* created by it: the row is filled in */
} LfdwPendingKind;

/* What a list or point read came back as. */
typedef struct LfdwReadResult LfdwReadResult;

/* the junk column an UPDATE or DELETE plan fetches the old row in */
#define LFDW_JUNK_OLD_ROW	"litellm_oldrow"

/* in convert.c */
extern bool lfdw_string_listed(List *list, const char *s);
extern Datum lfdw_text_datum(const LfdwColumnMap *map, int field,
							 const char *value);
extern Datum lfdw_jsonb_datum(const LfdwColumnMap *map, int field,
							  Jsonb *value);
extern char *lfdw_row_text(const LfdwColumnMap *map, int field,
						   Datum *values, bool *nulls);
extern Jsonb *lfdw_row_jsonb(const LfdwColumnMap *map, int field,
							 Datum *values, bool *nulls);
extern Jsonb *lfdw_empty_object(void);
extern void lfdw_find_junk(Plan *subplan, CmdType operation,
						   const char *id_name, AttrNumber *id_junk,
						   AttrNumber *old_row_junk);
extern bool lfdw_junk_old_row(Relation rel, AttrNumber junk,
							  TupleTableSlot *planSlot, Datum **values,
							  bool **nulls);

/* in option.c */
extern LfdwOptions *lfdw_get_options(Oid serverid, Oid foreigntableid,
									 Oid userid, bool need_key);
extern LfdwOptions *lfdw_copy_options(const LfdwOptions *src);
extern void lfdw_build_column_map(Relation rel, LfdwColumnMap *map);
extern void lfdw_map_columns(Relation rel, const LfdwFieldDef *defs,
							 int nfields, const char *what, const char *hint,
							 LfdwColumnMap *map);
extern void lfdw_map_typed_columns(Relation rel, const LfdwFieldDef *defs,
								   const Oid *types, int nfields,
								   const char *what, const char *hint,
								   LfdwColumnMap *map);
extern const char *lfdw_field_name(LfdwField field);
extern bool (*lfdw_resource_name_valid) (const char *name);
extern const char *(*lfdw_resource_name_list) (void);
struct ExplainState;
extern void lfdw_explain_release(ResultRelInfo *rinfo, EState *estate,
								 struct ExplainState *es);

/* in connection.c */
extern void lfdw_connection_init(void);
extern LfdwHttpResponse *lfdw_transport_request(LfdwCall *call,
												const char *body,
												size_t body_len);
extern int	lfdw_transport_batch(const LfdwOptions *opts,
								 LfdwBatchItem *items, int n,
								 bool stop_on_error, LfdwBatchCheck check,
								 void *arg);
extern void lfdw_call_begin(LfdwCall *call, const LfdwOptions *opts,
							const char *method, const char *path,
							const char *target_name);
extern void lfdw_call_end(LfdwCall *call);
extern void lfdw_call_prepare(LfdwCall *call, const LfdwOptions *opts,
							  const char *method, const char *path,
							  const char *target_name);
extern void lfdw_set_deadline(TimestampTz deadline);
extern char *lfdw_allowed_urls;
extern void lfdw_check_url_allowed(const char *url, const char *server_name);

/* in statement.c */
extern LfdwHttpResponse *lfdw_http_request(LfdwCall *call, const char *body,
										   size_t body_len);
extern int	lfdw_http_batch(const LfdwOptions *opts, LfdwBatchItem *items,
							int n, bool stop_on_error, LfdwBatchCheck check,
							void *arg);
extern void lfdw_mark_remote_write(void);
extern bool lfdw_remote_write_marked(void);
extern void lfdw_remote_write_clear(void);
extern int	lfdw_max_requests_per_statement;
extern int	lfdw_max_bytes_per_statement;
extern bool lfdw_statement_has(const LfdwOptions *opts, const char *path);
extern void lfdw_statement_prefetch(const LfdwOptions *opts, List *paths);
extern LfdwHttpResponse *lfdw_statement_get(LfdwCall *call,
											MemoryContext holder);
extern void lfdw_stats_note_rows(Oid serverid, const char *resource,
								 double rows);
extern void lfdw_stats_note_no_v2(Oid serverid);
extern bool lfdw_stats_no_v2(Oid serverid);
extern double lfdw_estimated_rows(const LfdwOptions *opts, Oid foreigntableid,
								  const char *resource);

/* in release.c */
extern const LfdwRelease *lfdw_release(const LfdwOptions *opts);
extern bool lfdw_release_option_valid(const char *text);
extern char *lfdw_caught_message(MemoryContext cxt);
extern const char *lfdw_release_option_lines(void);
extern List *lfdw_release_explain_lines(const LfdwOptions *opts);
extern char *lfdw_release_text(const LfdwOptions *opts);
extern bool lfdw_release_delete_unreliable(const LfdwOptions *opts);
struct LfdwCredentialSpec;
extern void lfdw_release_plan_values(const LfdwOptions *opts, const char *name,
									 Jsonb *before, struct LfdwCredentialSpec *spec);
extern void lfdw_release_check_info(const LfdwOptions *opts, const char *name,
									Jsonb *before, Jsonb *after);
extern void lfdw_release_check_delete(const LfdwOptions *opts, const char *name);
extern void lfdw_release_check_create(const LfdwOptions *opts, const char *name);
extern Jsonb *lfdw_release_plan_insert_values(const LfdwOptions *opts,
											  const char *name, Jsonb *values);
extern bool lfdw_release_patch_replaces(const LfdwOptions *opts,
										Jsonb *before_values, Jsonb *after_values,
										Jsonb *before_info, Jsonb *after_info);

/* in join.c */
extern void lfdw_add_param_name_paths(PlannerInfo *root, RelOptInfo *baserel,
									  AttrNumber name_att,
									  double request_cost);
extern Expr *lfdw_param_name_value(RelOptInfo *baserel, ForeignPath *path,
								   AttrNumber name_att);

/* in request.c */
extern LfdwScanKind lfdw_classify_quals(RelOptInfo *baserel,
										const LfdwColumnMap *map,
										Expr **value, int *count);
extern Expr *lfdw_strip_relabel(Expr *expr);
extern bool lfdw_is_column(Expr *expr, Index relid, AttrNumber attno);
extern int	lfdw_distinct_names(Datum array, bool isnull, List **names);
extern char *lfdw_encode_path_segment(const char *name);
extern char *lfdw_credential_path(const char *prefix, const char *name);
extern char *lfdw_build_create_body(const LfdwCredentialSpec *spec,
									size_t *len);
extern char *lfdw_build_patch_body(const LfdwCredentialSpec *spec,
								   size_t *len);
extern char *lfdw_finish_body(StringInfo buf, size_t *len);
extern void lfdw_check_json_object(Jsonb *jb, const char *column,
								   const char *name);
extern void lfdw_refuse_placeholder(Jsonb *jb, const char *column,
									const char *what, const char *name,
									const char *hint);
extern List *lfdw_jsonb_object_keys(Jsonb *jb);
extern List *lfdw_jsonb_keys_missing(Jsonb *before, Jsonb *after);
extern List *lfdw_jsonb_null_keys(Jsonb *jb);
extern Jsonb *lfdw_jsonb_without_keys(Jsonb *jb, List *keys);
extern Jsonb *lfdw_jsonb_only_keys(Jsonb *jb, List *keys);
extern Jsonb *lfdw_jsonb_concat(Jsonb *a, Jsonb *b);
extern List *lfdw_jsonb_unchanged_masks(Jsonb *before, Jsonb *after);
extern char *lfdw_key_list_text(const LfdwOptions *opts, List *keys);
extern int	lfdw_string_cmp(const ListCell *a, const ListCell *b);
extern bool lfdw_jsonb_is_empty_object(Jsonb *jb);

/* in response.c */
extern LfdwReadResult *lfdw_read_list(LfdwCall *call, LfdwHttpResponse *resp);
extern LfdwReadResult *lfdw_read_item(LfdwCall *call, LfdwHttpResponse *resp);
extern bool lfdw_read_next(LfdwReadResult *res, const LfdwOptions *opts,
						   const bool *wanted, LfdwCredentialRow *row);
extern void lfdw_check_write_response(LfdwCall *call, LfdwHttpResponse *resp,
									  bool *found);
extern void lfdw_raise_http_error(LfdwCall *call, LfdwHttpResponse *resp,
								  int code, const LfdwShown *message);
extern bool lfdw_response_error(LfdwCall *call, LfdwHttpResponse *resp,
								int *code, const LfdwShown **message);
extern void lfdw_raise_if_error(LfdwCall *call, LfdwHttpResponse *resp);
extern void lfdw_wrong_shape(LfdwCall *call, LfdwHttpResponse *resp,
							 const char *expected);
extern void lfdw_unexpected_response(const char *server, const char *detail,
									 const LfdwShown *arg, const char *hint);
extern void *lfdw_parse_json_body(LfdwCall *call, LfdwHttpResponse *resp,
								  const char *expected);
extern bool lfdw_is_litellm_error(LfdwHttpResponse *resp);
extern void lfdw_unconfirmed_write(LfdwCall *call, LfdwHttpResponse *resp,
								   const char *expected);
extern int	lfdw_read_result_count(LfdwReadResult *res);

/* in remote_write.c */

/* The hint of an error after which a write may have been applied. */
#define LFDW_HINT_MAY_HAVE_BEEN_APPLIED \
	"The change may have been applied on the server; check before retrying."

/* What a write whose answer was lost is: what it sent */
typedef enum LfdwLostKind
{
	LFDW_LOST_CREATE,
	LFDW_LOST_DELETE,
	LFDW_LOST_CHANGE			/* a PATCH: cannot be told by reading */
} LfdwLostKind;

/* ... and what reading LiteLLM back found */
typedef enum LfdwLostOutcome
{
	LFDW_LOST_NOT_LOST,			/* its answer came (or no read was made) */
	LFDW_LOST_APPLIED,
	LFDW_LOST_NOT_APPLIED,
	LFDW_LOST_UNKNOWN			/* the read failed too, or cannot tell */
} LfdwLostOutcome;

extern bool lfdw_answer_lost(const ErrorData *edata,
							 const LfdwHttpResponse *resp);
extern LfdwLostOutcome lfdw_remote_read_back(const LfdwOptions *opts,
											 LfdwLostKind kind, bool is_model,
											 const char *name, Jsonb *info,
											 const ErrorData *edata);
extern LfdwLostOutcome lfdw_remote_last_read_back(void);
extern bool lfdw_model_remote_exists(const LfdwOptions *opts, const char *id);
extern void lfdw_rethrow_with_detail(ErrorData *edata, const char *detail);
extern void lfdw_remote_create(const LfdwOptions *opts,
							   const LfdwCredentialSpec *spec);
extern bool lfdw_remote_patch(const LfdwOptions *opts, const char *name,
							  const LfdwCredentialSpec *spec);
extern bool lfdw_remote_delete(const LfdwOptions *opts, const char *name);
extern bool lfdw_remote_rename(const LfdwOptions *opts, const char *old_name,
							   const LfdwCredentialSpec *spec);
extern Jsonb *lfdw_remote_fetch_info(const LfdwOptions *opts,
									 const char *name, bool *found);
extern void lfdw_vanished_error(const LfdwOptions *opts, const char *what,
								const char *name, const char *detail);
extern bool lfdw_remote_probe(const LfdwOptions *opts, const char *name);
extern void lfdw_remote_probe_many(const LfdwOptions *opts,
								   const char **names, int n, bool *found);
extern Jsonb *lfdw_remote_written_info(const LfdwOptions *opts,
									   const char *name);
extern void lfdw_remote_fetch_row(const LfdwOptions *opts, const char *name,
								  bool *found, Jsonb **info, Jsonb **values);
extern Jsonb *lfdw_remote_fetch_values(const LfdwOptions *opts,
									   const char *name, bool *found);
extern bool lfdw_remote_exists(const LfdwOptions *opts, const char *name);
extern bool lfdw_remote_exists_in_statement(const LfdwOptions *opts,
											const char *name);
extern void lfdw_remote_exists_many(const LfdwOptions *opts,
									const char **names, int n, bool *found);
extern List *lfdw_remote_list_names(const LfdwOptions *opts);
extern bool lfdw_remote_create_if_absent(const LfdwOptions *opts,
										 const LfdwCredentialSpec *spec);
extern void lfdw_remote_create_many(const LfdwOptions *opts,
									LfdwCredentialSpec *specs, int n);

/* in pending.c */

/*
 * The kinds of call a commit makes, in the order it sends them: commit.c's
 * table of phases is indexed by them, and litellm_fdw_pending_changes lists
 * the plan in this order.
 */
typedef enum LfdwCommitOp
{
	LFDW_COMMIT_CREATE,			/* POST a credential */
	LFDW_COMMIT_PATCH,			/* PATCH a credential */
	LFDW_COMMIT_MODEL,			/* a change of a model, in the order made */
	LFDW_COMMIT_DELETE,			/* DELETE a credential */
	LFDW_COMMIT_REPLACE_DELETE, /* a replacement no PATCH can make is */
	LFDW_COMMIT_REPLACE_CREATE, /* deleted, then created anew */
	LFDW_COMMIT_NUM_OPS
} LfdwCommitOp;

/* One call of a commit, as the pending changes plan it (lfdw_pending_plan). */
typedef struct LfdwPlannedCall
{
	LfdwCommitOp op;
	const LfdwOptions *opts;	/* the user mapping's copy, with the key */
	/* a credential call: the request, and what the credential is to be */
	const char *method;
	const char *path;
	const char *name;
	Jsonb	   *info;
	Jsonb	   *values;			/* plaintext, or NULL */
	bool		values_replaced;	/* values are the whole new set */
	List	   *orig_keys;		/* value keys LiteLLM has: PATCH drops others */
	List	   *kept_keys;		/* of orig_keys, those kept as they are */
	bool		check;			/* a look-up before the commit's changes
								 * (lfdw_pending_checks), not a change */
	const char *model_id;
	bool		skip_if_exists; /* ON CONFLICT DO NOTHING */
	int			changed;		/* bitmask of LfdwField */
	/* a model call (model.h), or NULL */
	const struct LfdwModelChange *model;
} LfdwPlannedCall;

extern bool lfdw_pending_is_empty(void);
extern List *lfdw_pending_plan(LfdwCommitOp op);
extern bool lfdw_pending_created(const LfdwOptions *opts, const char *name);
extern int	lfdw_pending_model_state(const LfdwOptions *opts, const char *model_id);
extern bool lfdw_pending_known(const LfdwOptions *opts, const char *name,
							   Jsonb **info, Jsonb **values, bool *gone);
extern bool lfdw_pending_insert(const LfdwOptions *opts, LfdwNameProbe *probe,
								const LfdwCredentialSpec *spec,
								bool skip_if_exists, int changed,
								CommandId cid);
extern void lfdw_pending_update(const LfdwOptions *opts, LfdwNameProbe *probe,
								const char *old_name,
								const LfdwCredentialSpec *spec,
								bool values_assigned, List *old_keys,
								int changed, CommandId cid);
extern void lfdw_pending_delete(const LfdwOptions *opts, const char *name,
								bool check_exists, CommandId cid);
extern List *lfdw_pending_checks(void);
extern LfdwOverlay *lfdw_overlay_begin(const LfdwOptions *opts, CommandId cid);
extern bool lfdw_overlay_row(LfdwOverlay *ov, LfdwCredentialRow *row,
							 const bool *wanted);
extern LfdwPendingKind lfdw_overlay_name(LfdwOverlay *ov, const char *name,
										 LfdwCredentialRow *row,
										 const bool *wanted);
extern bool lfdw_overlay_next_extra(LfdwOverlay *ov, LfdwCredentialRow *row,
									const bool *wanted);
extern void lfdw_pending_subxact_abort(SubTransactionId subid);
extern void lfdw_pending_xact_end(void);
extern void lfdw_probe_prefetch(const LfdwOptions *opts, LfdwNameProbe *probe,
								const char **names, int n);
extern bool lfdw_probe_exists(const LfdwOptions *opts, LfdwNameProbe *probe,
							  const char *name);

/* in commit.c */
extern void lfdw_commit_init(void);

/* in litellm_fdw.c */
extern void _PG_init(void);

#endif							/* LITELLM_FDW_H */
