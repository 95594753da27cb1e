/*-------------------------------------------------------------------------
 *
 * pending.c
 *		  The changes of a transaction, held until it commits
 *		  (write_mode 'commit').
 *
 * INSERT, UPDATE and DELETE are checked when the row is handed over, but
 * only recorded here: one entry per credential name and user mapping,
 * holding what the transaction wants that credential to be.  Later changes
 * to the same name fold into the entry, so that at commit each credential
 * costs at most one call: created (POST), changed (PATCH) or deleted
 * (DELETE).  Scans lay the entries over what LiteLLM answers, so that a
 * transaction reads its own writes; a scan sees only the changes of
 * earlier commands (the command id of each change is kept), which is what
 * stops an UPDATE from meeting the rows it has just created.
 *
 * Savepoints: every change first saves the entry as it was, tagged with the
 * subtransaction; rolling a subtransaction back restores those states.
 *
 * At XACT_EVENT_PRE_COMMIT the calls go out, creates first, then patches,
 * then the changes of models (in the order made: they may use credentials
 * created here, and stop using credentials deleted here), deletes last (a
 * deleted credential cannot be restored: its values are unreadable); the
 * credential phases concurrently (max_concurrency).  If a call fails,
 * no further call starts, those in flight are waited for, the credentials
 * this commit created are deleted again, and the error says exactly what
 * was applied.
 *
 * Everything lives in PendingCxt, a child of TopMemoryContext deleted when
 * the transaction ends, whichever way; the credential values it holds are
 * wiped first (explicit_bzero), and so is the API key of the options copy.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/pending.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "litellm_fdw.h"
#include "miscadmin.h"
#include "model.h"
#include "secret.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* What a transaction wants one credential to be. */
typedef struct PendingState
{
	bool		touched;		/* false: as LiteLLM has it */
	bool		exists;
	Jsonb	   *info;			/* the whole credential_info to send */
	Jsonb	   *values;			/* plaintext values to send, or NULL */
	bool		values_replaced;	/* values are the whole new set */
	List	   *orig_keys;		/* value keys LiteLLM has: PATCH drops others */
	bool		recreate;		/* a replacement no PATCH can make: sent as
								 * DELETE then POST */
	char	   *model_id;		/* create from this model */
	bool		skip_if_exists; /* ON CONFLICT DO NOTHING */
	int			changed;		/* bitmask of LfdwField: for the plan */
} PendingState;

typedef struct PendingEntry
{
	char	   *name;			/* hash key: must be first */
	bool		remote_exists;	/* LiteLLM had it when it was first touched */
	PendingState cur;
	PendingState prev;			/* as it was before command cur_cid */
	CommandId	cur_cid;
	uint64		seen_scan;		/* last scan whose response had it */
	bool		listed;			/* in its server's order list */
} PendingEntry;

/* The entries of one user mapping. */
typedef struct PendingServer
{
	Oid			umid;
	LfdwOptions *opts;			/* a copy, with the key */
	HTAB	   *entries;
	List	   *order;			/* entries, in the order first touched */
	List	   *model_ops;		/* PendingModelOp, in the order made */
} PendingServer;

/*
 * A change of a model, kept as the request it will be: models are few and
 * their changes partial (a PATCH is a diff), so they are not folded like
 * credentials, but sent in the order made.  An id created and deleted by
 * the transaction costs nothing.
 */
typedef struct PendingModelOp
{
	LfdwModelChange change;		/* kind and the whole request */
	SubTransactionId subid;
	CommandId	cid;
} PendingModelOp;

/* An entry as it was before a change, for ROLLBACK TO SAVEPOINT. */
typedef struct UndoRecord
{
	SubTransactionId subid;
	PendingServer *server;
	PendingEntry *entry;
	bool		created;		/* the entry did not exist before */
	PendingEntry saved;
} UndoRecord;

/* How a scan sees the pending changes of one user mapping. */
struct LfdwOverlay
{
	PendingServer *server;
	const LfdwOptions *opts;	/* the scan's, for masking */
	CommandId	cid;			/* changes of commands before this are seen */
	uint64		scan_id;
	ListCell   *extra;			/* next entry for lfdw_overlay_next_extra */
	bool		extra_started;
};

/* The calls of a commit, one per credential. */
typedef enum CommitPhase
{
	PHASE_CREATE,
	PHASE_PATCH,
	PHASE_MODEL,				/* model changes, in order: after the creates
								 * and patches of the credentials they may
								 * use, before the deletes of those they may
								 * stop using */
	PHASE_DELETE,
	PHASE_RECREATE_DELETE,		/* replacements no PATCH can make: */
	PHASE_RECREATE_CREATE,		/* deleted, then created anew, last */
	NUM_PHASES
} CommitPhase;

typedef enum ItemOutcome
{
	OUTCOME_NOT_SENT,
	OUTCOME_APPLIED,
	OUTCOME_SKIPPED,			/* ON CONFLICT DO NOTHING met a duplicate */
	OUTCOME_FAILED,
	OUTCOME_UNKNOWN,			/* sent, answer not waited for */
	OUTCOME_UNDONE,				/* created, then deleted again */
	OUTCOME_UNDO_FAILED			/* created, and deleting it again failed */
} ItemOutcome;

typedef struct CommitCall
{
	PendingServer *server;
	PendingEntry *entry;		/* NULL for a model */
	PendingModelOp *model;		/* a model change, or NULL */
	CommitPhase phase;
	LfdwBatchItem item;
	ItemOutcome outcome;
	char	   *body;			/* wiped after the call */
	size_t		body_len;
} CommitCall;

static MemoryContext PendingCxt = NULL;
static List *PendingServers = NIL;
static List *UndoLog = NIL;
static List *SecretValues = NIL;	/* every Jsonb of values we hold */
static uint64 scan_counter = 0;

static const char *const phase_method[NUM_PHASES] = {"POST", "PATCH", "?", "DELETE",
"DELETE", "POST"};

/* Helper functions */
static PendingServer *get_server(const LfdwOptions *opts, bool create);
static PendingEntry *find_entry(PendingServer *server, const char *name);
static PendingEntry *touch_entry(PendingServer *server, const char *name,
								 bool remote_exists, CommandId cid);
static Jsonb *keep_values(Jsonb *values);
static List *keep_keys(List *keys);
static const PendingState *visible_state(PendingEntry *entry, CommandId cid);
static bool key_in(List *keys, const char *key);
static void fill_row(LfdwOverlay *ov, const PendingState *st,
					 LfdwCredentialRow *row, const bool *wanted,
					 bool replace_values);
static void wipe_and_forget(void);
static void apply_all(void);
static int	run_phase(List *calls, List *all);
static void check_commit_call(LfdwBatchItem *item, void *arg);
static void check_create(LfdwBatchItem *item, CommitCall *cc);
static void undo_creates(List *calls);
static void report_commit_failure(List *calls, CommitCall *failed,
								  ErrorData *edata);
static void append_names(StringInfo buf, List *calls, ItemOutcome outcome,
						 bool with_method, const char *label);
static bool model_op_sent(PendingServer *server, PendingModelOp *op);
static void send_model_call(CommitCall *cc);
static int	run_model_phase(List *calls, List *all);
static void undo_model_creates(List *calls);
static char *call_label(CommitCall *cc, bool with_method);
static Jsonb *keep_jsonb(Jsonb *jb);
static char *keep_string(const char *s);
static uint32 name_hash(const void *key, Size keysize);
static int	name_match(const void *key1, const void *key2, Size keysize);

PG_FUNCTION_INFO_V1(litellm_fdw_pending_changes);

/* ------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------
 */

static uint32
name_hash(const void *key, Size keysize)
{
	const char *name = *(char *const *) key;

	return hash_bytes((const unsigned char *) name, strlen(name));
}

static int
name_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(char *const *) key1, *(char *const *) key2);
}

/*
 * The pending changes of a user mapping, created on first use when asked.
 */
static PendingServer *
get_server(const LfdwOptions *opts, bool create)
{
	ListCell   *cell;
	PendingServer *server;
	MemoryContext oldcxt;
	HASHCTL		ctl;

	foreach(cell, PendingServers)
	{
		server = (PendingServer *) lfirst(cell);
		if (server->umid == opts->umid)
			return server;
	}
	if (!create)
		return NULL;

	if (PendingCxt == NULL)
		PendingCxt = AllocSetContextCreate(TopMemoryContext,
										   "litellm_fdw pending changes",
										   ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(PendingCxt);
	server = palloc0(sizeof(PendingServer));
	server->umid = opts->umid;
	server->opts = lfdw_copy_options(opts);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(PendingEntry);
	ctl.hash = name_hash;
	ctl.match = name_match;
	ctl.hcxt = PendingCxt;
	server->entries = hash_create("litellm_fdw pending entries", 64, &ctl,
								  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE |
								  HASH_CONTEXT);
	PendingServers = lappend(PendingServers, server);
	MemoryContextSwitchTo(oldcxt);
	return server;
}

static PendingEntry *
find_entry(PendingServer *server, const char *name)
{
	if (server == NULL)
		return NULL;
	return (PendingEntry *) hash_search(server->entries, &name, HASH_FIND,
										NULL);
}

/*
 * The entry of a name, about to be changed by command cid: its state is
 * saved for ROLLBACK TO SAVEPOINT, and for scans of the current command.
 * remote_exists is what the caller knows, for an entry made now.
 */
static PendingEntry *
touch_entry(PendingServer *server, const char *name, bool remote_exists,
			CommandId cid)
{
	PendingEntry *entry = find_entry(server, name);
	MemoryContext oldcxt = MemoryContextSwitchTo(PendingCxt);
	UndoRecord *undo = palloc0(sizeof(UndoRecord));

	undo->subid = GetCurrentSubTransactionId();
	undo->server = server;
	if (entry == NULL)
	{
		char	   *key = pstrdup(name);
		bool		found;

		entry = (PendingEntry *) hash_search(server->entries, &key,
											 HASH_ENTER, &found);
		Assert(!found);
		memset(entry, 0, sizeof(PendingEntry));
		entry->name = key;
		entry->remote_exists = remote_exists;
		entry->cur_cid = cid;
		undo->created = true;
	}
	else
		undo->saved = *entry;
	undo->entry = entry;
	UndoLog = lappend(UndoLog, undo);

	if (!entry->listed)
	{
		server->order = lappend(server->order, entry);
		entry->listed = true;
	}
	/* the first change of a command keeps what earlier commands made */
	if (entry->cur_cid != cid || undo->created)
	{
		entry->prev = entry->cur;
		entry->cur_cid = cid;
	}
	MemoryContextSwitchTo(oldcxt);
	return entry;
}

/* A copy of credential values in PendingCxt, to be wiped at the end. */
static Jsonb *
keep_values(Jsonb *values)
{
	MemoryContext oldcxt;
	Jsonb	   *copy;

	if (values == NULL)
		return NULL;
	oldcxt = MemoryContextSwitchTo(PendingCxt);
	copy = palloc(VARSIZE(values));
	memcpy(copy, values, VARSIZE(values));
	SecretValues = lappend(SecretValues, copy);
	MemoryContextSwitchTo(oldcxt);
	return copy;
}

static Jsonb *
keep_jsonb(Jsonb *jb)
{
	Jsonb	   *copy;

	if (jb == NULL)
		return NULL;
	copy = MemoryContextAlloc(PendingCxt, VARSIZE(jb));
	memcpy(copy, jb, VARSIZE(jb));
	return copy;
}

static char *
keep_string(const char *s)
{
	return s ? MemoryContextStrdup(PendingCxt, s) : NULL;
}

static List *
keep_keys(List *keys)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(PendingCxt);
	List	   *copy = NIL;
	ListCell   *cell;

	foreach(cell, keys)
		copy = lappend(copy, pstrdup((const char *) lfirst(cell)));
	MemoryContextSwitchTo(oldcxt);
	return copy;
}

static bool
key_in(List *keys, const char *key)
{
	ListCell   *cell;

	foreach(cell, keys)
		if (strcmp((const char *) lfirst(cell), key) == 0)
			return true;
	return false;
}

/*
 * The state of an entry that a scan of command cid sees: changes made by
 * that command itself are not seen, as for a table.
 */
static const PendingState *
visible_state(PendingEntry *entry, CommandId cid)
{
	return entry->cur_cid < cid ? &entry->cur : &entry->prev;
}

/*
 * lfdw_pending_is_empty
 *		Has the current transaction no pending change at all?
 */
bool
lfdw_pending_is_empty(void)
{
	ListCell   *cell;

	foreach(cell, PendingServers)
		if (((PendingServer *) lfirst(cell))->order != NIL ||
			((PendingServer *) lfirst(cell))->model_ops != NIL)
			return false;
	return true;
}

/* ------------------------------------------------------------------------
 * Changes
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_pending_known
 *		What the transaction itself has made a credential: true, with its
 *		credential_info and (when all of them are known) its plaintext
 *		values, when it exists by the transaction's own changes; false when
 *		the transaction has not touched it or has deleted it (*gone).
 */
bool
lfdw_pending_known(const LfdwOptions *opts, const char *name, Jsonb **info,
				   Jsonb **values, bool *gone)
{
	PendingEntry *entry = find_entry(get_server(opts, false), name);

	*gone = false;
	if (entry == NULL || !entry->cur.touched)
		return false;
	if (!entry->cur.exists)
	{
		*gone = true;
		return false;
	}
	*info = entry->cur.info;
	*values = (!entry->remote_exists || entry->cur.values_replaced) ?
		entry->cur.values : NULL;
	return true;
}

/*
 * lfdw_pending_created
 *		Does the credential exist only by this transaction's changes (created
 *		by it, not yet sent)?
 */
bool
lfdw_pending_created(const LfdwOptions *opts, const char *name)
{
	PendingEntry *entry = find_entry(get_server(opts, false), name);

	return entry != NULL && entry->cur.touched && entry->cur.exists &&
		!entry->remote_exists;
}

/*
 * lfdw_pending_insert
 *		Record the creation of a credential.
 *
 * A name the transaction already has, or (asked with probe) LiteLLM has, is
 * a unique violation now rather than at commit, or false with
 * skip_if_exists (ON CONFLICT DO NOTHING).  A name this transaction deleted
 * becomes a replacement: one PATCH that sets all of it.
 */
bool
lfdw_pending_insert(const LfdwOptions *opts, LfdwNameProbe *probe,
					const LfdwCredentialSpec *spec, bool skip_if_exists,
					int changed, CommandId cid)
{
	PendingServer *server = get_server(opts, true);
	PendingEntry *entry = find_entry(server, spec->name);
	bool		remote_exists = false;
	bool		duplicate;
	List	   *orig_keys = NIL;
	bool		recreate = false;
	PendingState *st;

	if (entry)
	{
		remote_exists = entry->remote_exists;
		duplicate = entry->cur.touched && entry->cur.exists;
	}
	else
		duplicate = probe && lfdw_probe_exists(opts, probe, spec->name);
	if (duplicate)
	{
		if (skip_if_exists)
			return false;
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("credential \"%s\" already exists on LiteLLM server \"%s\"",
						spec->name, opts->server_name),
				 entry ?
				 errdetail("This transaction created it earlier.") :
				 errdetail("LiteLLM lists a credential of that name."),
				 errhint("To change the existing credential, use UPDATE; to skip names that exist, use INSERT ... ON CONFLICT DO NOTHING.")));
	}

	if (remote_exists)
	{
		/* deleted by this transaction, created again: a replacement */
		Jsonb	   *remote_values;
		Jsonb	   *remote_info;

		if (spec->model_id)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot create credential \"%s\" from a model in the transaction that deleted it",
							spec->name),
					 errdetail("LiteLLM copies the values of a model only into a new credential, and \"%s\" is deleted only at commit.",
							   spec->name),
					 errhint("Commit the DELETE first.")));
		/* the keys to drop are those LiteLLM has now */
		lfdw_remote_fetch_row(opts, spec->name, &remote_exists, &remote_info,
							  &remote_values);
		if (remote_exists && remote_values)
			orig_keys = lfdw_jsonb_object_keys(remote_values);
		/* one PATCH, where it makes exactly the new credential */
		recreate = remote_exists &&
			!lfdw_release_patch_replaces(opts, remote_values, spec->values,
										 remote_info, spec->info);
	}

	entry = touch_entry(server, spec->name, remote_exists, cid);
	if (!entry->remote_exists && remote_exists)
		entry->remote_exists = true;
	st = &entry->cur;
	memset(st, 0, sizeof(PendingState));
	st->touched = true;
	st->exists = true;
	st->info = keep_jsonb(spec->info);
	st->values = keep_values(spec->values);
	st->values_replaced = true;
	st->model_id = keep_string(spec->model_id);
	st->skip_if_exists = skip_if_exists;
	st->orig_keys = keep_keys(orig_keys);
	st->recreate = recreate;
	st->changed = changed;
	/* a replacement sets everything */
	if (entry->remote_exists)
		st->changed |= (1 << LFDW_FIELD_INFO) | (1 << LFDW_FIELD_VALUES);
	return true;
}

/*
 * lfdw_pending_update
 *		Record a change of a credential that a scan of this transaction
 *		returned; a new name in spec is a rename (a delete plus a create).
 *		old_keys are the value keys of the row as read, used when
 *		values_assigned: the new values are then the whole set.
 */
void
lfdw_pending_update(const LfdwOptions *opts, LfdwNameProbe *probe,
					const char *old_name, const LfdwCredentialSpec *spec,
					bool values_assigned, List *old_keys, int changed,
					CommandId cid)
{
	PendingServer *server;
	PendingEntry *entry;
	PendingState *st;
	bool		was_touched;

	if (strcmp(old_name, spec->name) != 0)
	{
		/* a rename: the new name first, so that a duplicate changes nothing */
		LfdwCredentialSpec create = *spec;

		create.values_to_delete = NIL;
		(void) lfdw_pending_insert(opts, probe, &create, false,
								   changed | (1 << LFDW_FIELD_NAME), cid);
		lfdw_pending_delete(opts, old_name, cid);
		return;
	}

	server = get_server(opts, true);
	entry = find_entry(server, old_name);
	/* a row a scan returned exists, unless the transaction made it */
	entry = touch_entry(server, old_name, entry ? entry->remote_exists : true,
						cid);
	st = &entry->cur;
	was_touched = st->touched;
	if (!was_touched)
	{
		memset(st, 0, sizeof(PendingState));
		st->touched = true;
		st->exists = true;
	}
	st->info = keep_jsonb(spec->info);
	st->changed |= changed;
	if (values_assigned)
	{
		/* the keys LiteLLM has are those of the first read */
		if (entry->remote_exists && !st->values_replaced)
			st->orig_keys = keep_keys(old_keys);
		st->values = keep_values(spec->values);
		st->values_replaced = true;
	}
}

/*
 * lfdw_pending_delete
 *		Record the deletion of a credential a scan of this transaction
 *		returned.
 */
void
lfdw_pending_delete(const LfdwOptions *opts, const char *name, CommandId cid)
{
	PendingServer *server = get_server(opts, true);
	PendingEntry *entry = find_entry(server, name);

	entry = touch_entry(server, name, entry ? entry->remote_exists : true,
						cid);
	memset(&entry->cur, 0, sizeof(PendingState));
	entry->cur.touched = true;
	entry->cur.exists = false;
}

/* ------------------------------------------------------------------------
 * Reading your own writes
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_overlay_begin
 *		Start laying the pending changes of the scan's user mapping over
 *		its responses; NULL when there are none (the common case, free).
 */
LfdwOverlay *
lfdw_overlay_begin(const LfdwOptions *opts, CommandId cid)
{
	PendingServer *server = get_server(opts, false);
	LfdwOverlay *ov;

	if (server == NULL || server->order == NIL)
		return NULL;	/* (model changes are laid over by model.c) */
	ov = palloc0(sizeof(LfdwOverlay));
	ov->server = server;
	ov->opts = opts;
	ov->cid = cid;
	ov->scan_id = ++scan_counter;
	return ov;
}

/*
 * Fill a row from a pending state; values are masked.  With
 * replace_values false the row keeps the values LiteLLM sent.
 */
static void
fill_row(LfdwOverlay *ov, const PendingState *st, LfdwCredentialRow *row,
		 const bool *wanted, bool replace_values)
{
	if (wanted[LFDW_FIELD_INFO])
		row->info = st->info;
	if (wanted[LFDW_FIELD_VALUES] && replace_values)
		row->values = st->values ? lfdw_mask_values(ov->opts, st->values) :
			NULL;
}

/*
 * lfdw_overlay_row
 *		Adjust a row of a response to the transaction's changes: false when
 *		the transaction deleted it.
 */
bool
lfdw_overlay_row(LfdwOverlay *ov, LfdwCredentialRow *row, const bool *wanted)
{
	PendingEntry *entry = find_entry(ov->server, row->name);
	const PendingState *st;

	if (entry == NULL)
		return true;
	entry->seen_scan = ov->scan_id;
	st = visible_state(entry, ov->cid);
	if (!st->touched)
		return true;
	if (!st->exists)
		return false;
	fill_row(ov, st, row, wanted,
			 st->values_replaced || !entry->remote_exists);
	return true;
}

/*
 * lfdw_overlay_name
 *		What the transaction knows of one name before any request: nothing
 *		(LFDW_PENDING_NONE: ask LiteLLM, then lfdw_overlay_row), that it is
 *		gone, or the whole row (it created the credential).
 */
LfdwPendingKind
lfdw_overlay_name(LfdwOverlay *ov, const char *name, LfdwCredentialRow *row,
				  const bool *wanted)
{
	PendingEntry *entry = find_entry(ov->server, name);
	const PendingState *st;

	if (entry == NULL)
		return LFDW_PENDING_NONE;
	st = visible_state(entry, ov->cid);
	if (!st->touched)
		return LFDW_PENDING_NONE;
	if (!st->exists)
		return LFDW_PENDING_GONE;
	if (entry->remote_exists)
		return LFDW_PENDING_NONE;
	memset(row, 0, sizeof(LfdwCredentialRow));
	row->name = entry->name;
	fill_row(ov, st, row, wanted, true);
	return LFDW_PENDING_LOCAL;
}

/*
 * lfdw_overlay_next_extra
 *		After a list: the credentials the transaction created, which no
 *		response had.
 */
bool
lfdw_overlay_next_extra(LfdwOverlay *ov, LfdwCredentialRow *row,
						const bool *wanted)
{
	if (!ov->extra_started)
	{
		ov->extra = list_head(ov->server->order);
		ov->extra_started = true;
	}
	while (ov->extra)
	{
		PendingEntry *entry = (PendingEntry *) lfirst(ov->extra);
		const PendingState *st = visible_state(entry, ov->cid);

		ov->extra = lnext(ov->server->order, ov->extra);
		if (entry->remote_exists || entry->seen_scan == ov->scan_id ||
			!st->touched || !st->exists)
			continue;
		memset(row, 0, sizeof(LfdwCredentialRow));
		row->name = entry->name;
		fill_row(ov, st, row, wanted, true);
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------------
 * Transaction ends
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_pending_subxact_abort
 *		ROLLBACK TO SAVEPOINT (or an error caught in PL/pgSQL): put back
 *		every entry changed since subtransaction subid began.
 */
void
lfdw_pending_subxact_abort(SubTransactionId subid)
{
	ListCell   *cell;

	foreach(cell, PendingServers)
	{
		PendingServer *server = (PendingServer *) lfirst(cell);
		ListCell   *oc;

		foreach(oc, server->model_ops)
		{
			PendingModelOp *op = (PendingModelOp *) lfirst(oc);

			if (op->subid >= subid)
				server->model_ops = foreach_delete_current(server->model_ops,
														   oc);
		}
	}

	while (UndoLog != NIL)
	{
		UndoRecord *undo = (UndoRecord *) llast(UndoLog);

		if (undo->subid < subid)
			break;
		if (undo->created)
		{
			PendingServer *server = undo->server;
			PendingEntry *entry = undo->entry;
			char	   *key = entry->name;

			server->order = list_delete_ptr(server->order, entry);
			(void) hash_search(server->entries, &key, HASH_REMOVE, NULL);
		}
		else
			*undo->entry = undo->saved;
		UndoLog = list_delete_last(UndoLog);
	}
}

/*
 * Wipe every secret we hold and forget the transaction's changes.
 */
static void
wipe_and_forget(void)
{
	ListCell   *cell;

	foreach(cell, SecretValues)
	{
		Jsonb	   *jb = (Jsonb *) lfirst(cell);

		explicit_bzero(jb, VARSIZE(jb));
	}
	PendingServers = NIL;
	UndoLog = NIL;
	SecretValues = NIL;
	if (PendingCxt)
	{
		/* the options copies wipe their keys as the context goes */
		MemoryContextDelete(PendingCxt);
		PendingCxt = NULL;
	}
}

/*
 * lfdw_pending_xact_end
 *		The transaction committed, aborted or was prepared: drop it all.
 */
void
lfdw_pending_xact_end(void)
{
	wipe_and_forget();
}

/*
 * lfdw_pending_pre_commit
 *		Send the changes.  An error aborts the transaction.
 */
void
lfdw_pending_pre_commit(void)
{
	if (lfdw_pending_is_empty())
	{
		wipe_and_forget();
		return;
	}
	/*
	 * PostgreSQL has disarmed statement_timeout by now; the calls honour
	 * it from the start of the statement (COMMIT, or the lone statement).
	 */
	if (StatementTimeout > 0)
		lfdw_set_deadline(TimestampTzPlusMilliseconds(GetCurrentStatementStartTimestamp(),
													  StatementTimeout));
	PG_TRY();
	{
		apply_all();
	}
	PG_FINALLY();
	{
		lfdw_set_deadline(0);
	}
	PG_END_TRY();
	wipe_and_forget();
}

/*
 * The calls of all entries, by phase, then the phases in order.
 */
static void
apply_all(void)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "litellm_fdw commit",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	List	   *calls[NUM_PHASES] = {NIL};
	List	   *all = NIL;
	ListCell   *cell;
	int			phase;

	foreach(cell, PendingServers)
	{
		PendingServer *server = (PendingServer *) lfirst(cell);
		ListCell   *ec;

		foreach(ec, server->order)
		{
			PendingEntry *entry = (PendingEntry *) lfirst(ec);
			PendingState *st = &entry->cur;
			CommitCall *cc;
			LfdwCredentialSpec spec;

			if (!st->touched)
				continue;
			if (st->exists && entry->remote_exists && st->recreate)
			{
				/* a DELETE now, the POST in the next phase */
				cc = palloc0(sizeof(CommitCall));
				cc->server = server;
				cc->entry = entry;
				cc->phase = PHASE_RECREATE_DELETE;
				lfdw_call_prepare(&cc->item.call, server->opts, "DELETE",
								  lfdw_credential_path("/credentials/",
													   entry->name),
								  entry->name);
				cc->item.arg = cc;
				calls[PHASE_RECREATE_DELETE] =
					lappend(calls[PHASE_RECREATE_DELETE], cc);
				phase = PHASE_RECREATE_CREATE;
			}
			else if (st->exists)
				phase = entry->remote_exists ? PHASE_PATCH : PHASE_CREATE;
			else if (entry->remote_exists)
				phase = PHASE_DELETE;
			else
				continue;		/* created and deleted: nothing to send */

			cc = palloc0(sizeof(CommitCall));
			cc->server = server;
			cc->entry = entry;
			cc->phase = phase;
			memset(&spec, 0, sizeof(spec));
			spec.name = entry->name;
			spec.info = st->info;
			spec.values = st->values;
			spec.model_id = st->model_id;
			if (phase == PHASE_CREATE || phase == PHASE_RECREATE_CREATE)
			{
				cc->body = lfdw_build_create_body(&spec, &cc->body_len);
				lfdw_call_prepare(&cc->item.call, server->opts, "POST",
								  "/credentials", entry->name);
			}
			else if (phase == PHASE_PATCH)
			{
				ListCell   *kc;
				List	   *now = st->values_replaced ?
					lfdw_jsonb_object_keys(st->values) : NIL;

				List	   *nulls = lfdw_jsonb_null_keys(st->values);

				foreach(kc, st->orig_keys)
					if (st->values_replaced && !key_in(now, lfirst(kc)))
						spec.values_to_delete = lappend(spec.values_to_delete,
														lfirst(kc));
				/*
				 * Keys go only on the newest release (release.c refused the
				 * UPDATE, or chose DELETE then POST, elsewhere): null values
				 * go with them there.  Checked again before anything is sent.
				 */
				if (spec.values_to_delete != NIL ||
					(nulls != NIL && st->values_replaced))
				{
					if (lfdw_release(server->opts)->line == LFDW_LINE_NEWEST)
					{
						spec.values_to_delete =
							list_concat(spec.values_to_delete, nulls);
						spec.values = lfdw_jsonb_without_keys(spec.values,
															  nulls);
					}
					else if (spec.values_to_delete != NIL)
						elog(ERROR, "litellm_fdw: a PATCH of credential \"%s\" would have to remove keys the release keeps",
							 entry->name);
				}
				/* info unchanged: {} (ignored), not what was read */
				spec.keep_info = (st->changed & (1 << LFDW_FIELD_INFO)) == 0;
				cc->body = lfdw_build_patch_body(&spec, &cc->body_len);
				lfdw_call_prepare(&cc->item.call, server->opts, "PATCH",
								  lfdw_credential_path("/credentials/",
													   entry->name),
								  entry->name);
			}
			else
				lfdw_call_prepare(&cc->item.call, server->opts, "DELETE",
								  lfdw_credential_path("/credentials/",
													   entry->name),
								  entry->name);
			cc->item.call.secrets = lfdw_jsonb_secret_strings(st->values, false);
			cc->item.body = cc->body;
			cc->item.body_len = cc->body_len;
			cc->item.arg = cc;
			calls[phase] = lappend(calls[phase], cc);
		}

		foreach(ec, server->model_ops)
		{
			PendingModelOp *op = (PendingModelOp *) lfirst(ec);
			CommitCall *cc;

			if (!model_op_sent(server, op))
				continue;
			cc = palloc0(sizeof(CommitCall));
			cc->server = server;
			cc->model = op;
			cc->phase = PHASE_MODEL;
			calls[PHASE_MODEL] = lappend(calls[PHASE_MODEL], cc);
		}
	}
	/* in the DETAIL, calls are listed in the order they are sent */
	{
		List	   *ordered = NIL;

		for (phase = 0; phase < NUM_PHASES; phase++)
			ordered = list_concat(ordered, calls[phase]);
		all = ordered;
	}

	PG_TRY();
	{
		CommitCall *failed = NULL;

		lfdw_mark_remote_write();
		for (phase = 0; phase < NUM_PHASES && failed == NULL; phase++)
		{
			if ((phase == PHASE_MODEL ?
				 run_model_phase(calls[phase], all) :
				 run_phase(calls[phase], all)) == 0)
				continue;
			foreach(cell, calls[phase])
			{
				CommitCall *cc = (CommitCall *) lfirst(cell);

				if (cc->outcome == OUTCOME_FAILED && failed == NULL)
					failed = cc;
			}
		}
		if (failed)
		{
			undo_model_creates(calls[PHASE_MODEL]);
			undo_creates(calls[PHASE_CREATE]);
			report_commit_failure(all, failed, failed->item.error);
		}
	}
	PG_FINALLY();
	{
		foreach(cell, all)
		{
			CommitCall *cc = (CommitCall *) lfirst(cell);

			if (cc->body)
				lfdw_wipe_body(cc->body, cc->body_len);
			lfdw_wipe_strings(cc->item.call.secrets);
			if (cc->item.resp && cc->item.resp->body.data)
				explicit_bzero(cc->item.resp->body.data,
							   cc->item.resp->body.len);
		}
	}
	PG_END_TRY();

	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(cxt);
}

/*
 * Send the calls of one phase, grouped by user mapping; returns the number
 * that failed.  A cancel is reported with what it leaves unknown.
 */
static int
run_phase(List *calls, List *all)
{
	int			failures = 0;
	ListCell   *cell;
	List	   *done_servers = NIL;

	foreach(cell, calls)
	{
		PendingServer *server = ((CommitCall *) lfirst(cell))->server;
		LfdwBatchItem *items;
		CommitCall **group;
		int			n = 0;
		int			i;
		ListCell   *c2;
		MemoryContext cxt = CurrentMemoryContext;

		if (list_member_ptr(done_servers, server) || failures > 0)
			continue;
		done_servers = lappend(done_servers, server);

		items = palloc0(sizeof(LfdwBatchItem) * list_length(calls));
		group = palloc0(sizeof(CommitCall *) * list_length(calls));
		foreach(c2, calls)
		{
			CommitCall *cc = (CommitCall *) lfirst(c2);

			if (cc->server != server)
				continue;
			items[n] = cc->item;
			group[n++] = cc;
		}

		PG_TRY();
		{
			failures += lfdw_http_batch(server->opts, items, n, true,
										check_commit_call, NULL);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			for (i = 0; i < n; i++)
			{
				CommitCall *cc = (CommitCall *) items[i].arg;

				cc->item = items[i];
				if (cc->outcome == OUTCOME_NOT_SENT && items[i].sent)
					cc->outcome = OUTCOME_UNKNOWN;
			}
			/* interrupted: no undo (it would wait on the same server) */
			report_commit_failure(all, NULL, edata);
		}
		PG_END_TRY();

		for (i = 0; i < n; i++)
		{
			group[i]->item = items[i];
			/* a transport failure never reached the check */
			if (items[i].error && group[i]->outcome == OUTCOME_NOT_SENT)
				group[i]->outcome = OUTCOME_FAILED;
		}
	}
	return failures;
}

/*
 * Judge the answer to one commit call (lfdw_http_batch's check).
 */
static void
check_commit_call(LfdwBatchItem *item, void *arg)
{
	CommitCall *cc = (CommitCall *) item->arg;
	bool		found = true;

	/* failed unless it passes */
	cc->outcome = OUTCOME_FAILED;
	switch (cc->phase)
	{
		case PHASE_CREATE:
			check_create(item, cc);
			return;
		case PHASE_PATCH:
			lfdw_check_write_response(&item->call, item->resp, &found);
			if (!found)
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("credential \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
								cc->entry->name, item->call.opts->server_name),
						 errdetail("This transaction changed it, and LiteLLM found no credential of that name at commit.")));
			break;
		case PHASE_DELETE:
			/* the statement counted it: gone meanwhile is no success */
			lfdw_check_write_response(&item->call, item->resp, &found);
			if (!found)
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("credential \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
								cc->entry->name, item->call.opts->server_name),
						 errdetail("This transaction deleted it, and LiteLLM found no credential of that name at commit.")));
			break;
		case PHASE_RECREATE_DELETE:
			/* gone already: the POST that follows makes it all the same */
			lfdw_check_write_response(&item->call, item->resp, &found);
			break;
		case PHASE_RECREATE_CREATE:
			lfdw_check_write_response(&item->call, item->resp, NULL);
			break;
		default:
			break;
	}
	cc->outcome = OUTCOME_APPLIED;
}

/*
 * A create: a model that is not there is a foreign key violation, and a
 * duplicate is no failure for ON CONFLICT DO NOTHING.  A function of its
 * own for its PG_TRY (see delete_quietly in remote_write.c).
 */
static void
check_create(LfdwBatchItem *item, CommitCall *cc)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool skipped = false;
	bool		found = true;

	PG_TRY();
	{
		lfdw_check_write_response(&item->call, item->resp,
								  cc->entry->cur.model_id ? &found : NULL);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION ||
			!cc->entry->cur.skip_if_exists)
			PG_RE_THROW();
		FlushErrorState();
		skipped = true;
	}
	PG_END_TRY();

	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("model_id of credential \"%s\" names no model of LiteLLM server \"%s\"",
						cc->entry->name, item->call.opts->server_name),
				 errdetail("LiteLLM answered that model \"%s\" was not found.",
						   cc->entry->cur.model_id)));
	cc->outcome = skipped ? OUTCOME_SKIPPED : OUTCOME_APPLIED;
}

/*
 * Delete again, concurrently, what the failed commit created.
 */
static void
undo_creates(List *calls)
{
	ListCell   *cell;

	foreach(cell, PendingServers)
	{
		PendingServer *server = (PendingServer *) lfirst(cell);
		LfdwBatchItem *items = palloc0(sizeof(LfdwBatchItem) *
									   Max(list_length(calls), 1));
		CommitCall **group = palloc0(sizeof(CommitCall *) *
									 Max(list_length(calls), 1));
		int			n = 0;
		int			i;
		ListCell   *c2;

		foreach(c2, calls)
		{
			CommitCall *cc = (CommitCall *) lfirst(c2);

			if (cc->server != server || cc->outcome != OUTCOME_APPLIED)
				continue;
			lfdw_call_prepare(&items[n].call, server->opts, "DELETE",
							  lfdw_credential_path("/credentials/",
												   cc->entry->name),
							  cc->entry->name);
			group[n++] = cc;
		}
		if (n == 0)
			continue;
		(void) lfdw_http_batch(server->opts, items, n, false, NULL, NULL);
		for (i = 0; i < n; i++)
		{
			bool		found;
			bool		ok = items[i].done && items[i].error == NULL;

			/* "not found" means it is gone, which is what was wanted */
			if (ok)
			{
				MemoryContext cxt = CurrentMemoryContext;

				PG_TRY();
				{
					lfdw_check_write_response(&items[i].call, items[i].resp,
											  &found);
				}
				PG_CATCH();
				{
					MemoryContextSwitchTo(cxt);
					FlushErrorState();
					ok = false;
				}
				PG_END_TRY();
			}
			group[i]->outcome = ok ? OUTCOME_UNDONE : OUTCOME_UNDO_FAILED;
		}
	}
}

/*
 * Append "label: METHOD "name", ..." for the calls with an outcome.
 */
static void
append_names(StringInfo buf, List *calls, ItemOutcome outcome,
			 bool with_method, const char *label)
{
	ListCell   *cell;
	bool		first = true;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);

		if (cc->outcome != outcome)
			continue;
		if (first)
			appendStringInfo(buf, "\n%s: ", label);
		else
			appendStringInfoString(buf, ", ");
		appendStringInfoString(buf, call_label(cc, with_method));
		first = false;
	}
	if (!first)
		appendStringInfoChar(buf, '.');
}

/*
 * Raise the error of a failed commit: the first failure's message, code and
 * hint, its detail followed by what each call came to.  A failure of the
 * only call of the commit is raised as it was: nothing else happened.
 */
static void
report_commit_failure(List *calls, CommitCall *failed, ErrorData *edata)
{
	StringInfoData detail;
	ListCell   *cell;
	int			applied = 0;
	int			unknown = 0;
	int			others = 0;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);

		if (cc != failed)
			others++;
		if (cc->outcome == OUTCOME_APPLIED || cc->outcome == OUTCOME_UNDO_FAILED)
			applied++;
		if (cc->outcome == OUTCOME_UNKNOWN)
			unknown++;
	}
	if (failed && others == 0)
		ReThrowError(edata);

	initStringInfo(&detail);
	if (edata->detail)
		appendStringInfoString(&detail, edata->detail);
	else
		appendStringInfoString(&detail, "The commit of this transaction's changes to LiteLLM stopped.");
	append_names(&detail, calls, OUTCOME_FAILED, true, "Failed");
	append_names(&detail, calls, OUTCOME_APPLIED, true, "Applied");
	append_names(&detail, calls, OUTCOME_UNDO_FAILED, false,
				 "Created, and could not be deleted again");
	append_names(&detail, calls, OUTCOME_UNDONE, false,
				 "Created, then deleted again");
	append_names(&detail, calls, OUTCOME_SKIPPED, false,
				 "Skipped (already existed)");
	append_names(&detail, calls, OUTCOME_UNKNOWN, true,
				 "Sent, outcome unknown");
	append_names(&detail, calls, OUTCOME_NOT_SENT, true, "Not sent");
	/* a replacement sent as DELETE then POST that stopped in between */
	{
		bool		first = true;

		foreach(cell, calls)
		{
			CommitCall *del = (CommitCall *) lfirst(cell);
			ListCell   *c2;

			if (del->phase != PHASE_RECREATE_DELETE ||
				del->outcome != OUTCOME_APPLIED)
				continue;
			foreach(c2, calls)
			{
				CommitCall *cre = (CommitCall *) lfirst(c2);

				if (cre->phase != PHASE_RECREATE_CREATE ||
					cre->entry != del->entry ||
					cre->outcome == OUTCOME_APPLIED)
					continue;
				appendStringInfo(&detail, "%s\"%s\"",
								 first ? "\nDeleted and not created again (INSERT it again with its values): " : ", ",
								 del->entry->name);
				first = false;
			}
		}
		if (!first)
			appendStringInfoChar(&detail, '.');
	}
	if (applied == 0 && unknown == 0)
		appendStringInfoString(&detail, "\nNothing of this transaction remains applied in LiteLLM.");

	ereport(ERROR,
			(errcode(edata->sqlerrcode),
			 errmsg_internal("%s", edata->message),
			 errdetail_internal("%s", detail.data),
			 edata->hint ? errhint("%s", edata->hint) : 0,
			 edata->context ? errcontext("%s", edata->context) : 0));
}

/* ------------------------------------------------------------------------
 * Models
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_pending_model
 *		Record a change of a model, to be sent at commit.  spec->model_id is
 *		set (model.c chooses the id of a new model, so that the transaction
 *		can name it before LiteLLM has it).
 */
void
lfdw_pending_model(const LfdwOptions *opts, LfdwModelChangeKind kind,
				   const LfdwModelSpec *spec, CommandId cid)
{
	PendingServer *server = get_server(opts, true);
	MemoryContext oldcxt = MemoryContextSwitchTo(PendingCxt);
	PendingModelOp *op = palloc0(sizeof(PendingModelOp));

	Assert(spec->model_id != NULL);
	op->change.kind = kind;
	op->change.spec.model_id = pstrdup(spec->model_id);
	op->change.spec.model_name = keep_string(spec->model_name);
	/* litellm_params may hold keys: wiped at the end like values */
	op->change.spec.litellm_params = keep_values(spec->litellm_params);
	op->change.spec.model_info = keep_jsonb(spec->model_info);
	op->subid = GetCurrentSubTransactionId();
	op->cid = cid;
	server->model_ops = lappend(server->model_ops, op);
	MemoryContextSwitchTo(oldcxt);
}

/*
 * lfdw_pending_model_state
 *		What the transaction's own changes make of a model id: 1 created
 *		(and not deleted since), 0 deleted, -1 untouched.
 */
int
lfdw_pending_model_state(const LfdwOptions *opts, const char *model_id)
{
	PendingServer *server = get_server(opts, false);
	ListCell   *cell;
	int			state = -1;

	if (server == NULL)
		return -1;
	foreach(cell, server->model_ops)
	{
		PendingModelOp *op = (PendingModelOp *) lfirst(cell);

		if (strcmp(op->change.spec.model_id, model_id) != 0)
			continue;
		if (op->change.kind == LFDW_MODEL_CREATE)
			state = 1;
		else if (op->change.kind == LFDW_MODEL_DELETE)
			state = 0;
	}
	return state;
}

/*
 * Is this change of a model one that commit sends?  Not when the
 * transaction created the model and deletes it again: then nothing of that
 * id is sent.
 */
static bool
model_op_sent(PendingServer *server, PendingModelOp *op)
{
	ListCell   *cell;
	bool		created = false;
	bool		deleted_after = false;

	foreach(cell, server->model_ops)
	{
		PendingModelOp *other = (PendingModelOp *) lfirst(cell);

		if (strcmp(other->change.spec.model_id, op->change.spec.model_id) != 0)
			continue;
		if (other->change.kind == LFDW_MODEL_CREATE)
		{
			created = true;
			deleted_after = false;
		}
		else if (other->change.kind == LFDW_MODEL_DELETE && created)
			deleted_after = true;
	}
	return !(created && deleted_after);
}

/*
 * lfdw_pending_model_changes
 *		The model changes a scan of command cid sees (those of earlier
 *		commands), in the order made, as LfdwModelChange pointers; NIL when
 *		there are none.
 */
List *
lfdw_pending_model_changes(const LfdwOptions *opts, CommandId cid)
{
	PendingServer *server = get_server(opts, false);
	List	   *result = NIL;
	ListCell   *cell;

	if (server == NULL)
		return NIL;
	foreach(cell, server->model_ops)
	{
		PendingModelOp *op = (PendingModelOp *) lfirst(cell);

		if (op->cid < cid)
			result = lappend(result, &op->change);
	}
	return result;
}

/*
 * Send one model change at commit; an error is kept in the call.  A
 * function of its own for its PG_TRY.
 */
static void
send_model_call(CommitCall *cc)
{
	MemoryContext cxt = CurrentMemoryContext;
	const LfdwModelChange *change = &cc->model->change;
	const LfdwOptions *opts = cc->server->opts;

	cc->item.sent = true;
	PG_TRY();
	{
		bool		found = true;

		switch (change->kind)
		{
			case LFDW_MODEL_CREATE:
				(void) lfdw_model_remote_create(opts, &change->spec);
				break;
			case LFDW_MODEL_UPDATE:
				found = lfdw_model_remote_update(opts, &change->spec);
				break;
			case LFDW_MODEL_DELETE:
				/* already gone is what was wanted */
				(void) lfdw_model_remote_delete(opts, &change->spec);
				break;
		}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("model \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
							change->spec.model_id, opts->server_name),
					 errdetail("This transaction changed it, and LiteLLM found no model of that id at commit.")));
		cc->outcome = OUTCOME_APPLIED;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		cc->item.error = CopyErrorData();
		FlushErrorState();
		cc->outcome = OUTCOME_FAILED;
		/* a cancel is still a cancel */
		if (cc->item.error->sqlerrcode == ERRCODE_QUERY_CANCELED)
			ReThrowError(cc->item.error);
	}
	PG_END_TRY();
	cc->item.done = true;
}

/*
 * The model phase of a commit: each change in the order made, one at a
 * time (a later change may depend on an earlier one); the first failure
 * stops it.  Returns the number that failed.
 */
static int
run_model_phase(List *calls, List *all)
{
	ListCell   *cell;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);
		MemoryContext cxt = CurrentMemoryContext;

		PG_TRY();
		{
			send_model_call(cc);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			cc->outcome = OUTCOME_UNKNOWN;
			report_commit_failure(all, NULL, edata);
		}
		PG_END_TRY();
		if (cc->outcome == OUTCOME_FAILED)
			return 1;
	}
	return 0;
}

/*
 * Delete again, one by one, the models the failed commit created.
 */
static void
undo_model_creates(List *calls)
{
	ListCell   *cell;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);
		MemoryContext cxt = CurrentMemoryContext;
		volatile bool ok = true;

		if (cc->outcome != OUTCOME_APPLIED ||
			cc->model->change.kind != LFDW_MODEL_CREATE)
			continue;
		PG_TRY();
		{
			(void) lfdw_model_remote_delete(cc->server->opts,
											&cc->model->change.spec);
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(cxt);
			FlushErrorState();
			ok = false;
		}
		PG_END_TRY();
		cc->outcome = ok ? OUTCOME_UNDONE : OUTCOME_UNDO_FAILED;
	}
}

/*
 * How a call is named in the DETAIL of a failed commit: the request and
 * the credential name or model id.
 */
static char *
call_label(CommitCall *cc, bool with_method)
{
	if (cc->model)
	{
		const char *id = cc->model->change.spec.model_id;

		if (!with_method)
			return psprintf("model \"%s\"", id);
		switch (cc->model->change.kind)
		{
			case LFDW_MODEL_CREATE:
				return psprintf("POST /model/new \"%s\"", id);
			case LFDW_MODEL_UPDATE:
				return psprintf("PATCH /model/{id}/update \"%s\"", id);
			case LFDW_MODEL_DELETE:
				return psprintf("POST /model/delete \"%s\"", id);
		}
	}
	if (with_method)
		return psprintf("%s \"%s\"", phase_method[cc->phase], cc->entry->name);
	return psprintf("\"%s\"", cc->entry->name);
}

/* ------------------------------------------------------------------------
 * Existence probe: the read that catches a duplicate at INSERT time
 * ------------------------------------------------------------------------
 */

/* A name the probe has an answer for, read ahead of its row. */
typedef struct ProbeAnswer
{
	char	   *name;			/* hash key; must be first */
	bool		exists;
} ProbeAnswer;

/*
 * Read the whole list once: from then on it answers for the rest of the
 * statement.
 */
static void
probe_take_list(const LfdwOptions *opts, LfdwNameProbe *probe)
{
	HASHCTL		ctl;
	List	   *names = lfdw_remote_list_names(opts);
	ListCell   *cell;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(char *);
	ctl.hash = name_hash;
	ctl.match = name_match;
	ctl.hcxt = probe->cxt;
	probe->listed = hash_create("litellm_fdw listed names",
								Max(list_length(names), 16), &ctl,
								HASH_ELEM | HASH_FUNCTION | HASH_COMPARE |
								HASH_CONTEXT);
	foreach(cell, names)
	{
		char	   *n = (char *) lfirst(cell);

		(void) hash_search(probe->listed, &n, HASH_ENTER, NULL);
	}
}

/*
 * Would this statement's lookups by name cost more than one list call?
 * Yes once it has made point_lookup_limit of them, or when it has that many
 * more to make, counting the planner's estimate of its rows (a 40-row
 * INSERT reads the list at once: one round trip instead of eleven), and
 * always when the statement has the list already.
 */
static bool
probe_prefers_list(const LfdwOptions *opts, LfdwNameProbe *probe, int more)
{
	return probe->calls + more > opts->point_lookup_limit ||
		probe->expected_rows > (double) opts->point_lookup_limit ||
		/* read by this statement already (its scan): no request at all */
		lfdw_statement_has(opts, "/credentials");
}

/*
 * lfdw_probe_prefetch
 *		Read ahead the answers for the names of a batch of rows, before any
 *		of them is recorded: the names neither the transaction nor the
 *		probe knows yet are looked up by name all at once (concurrently, up
 *		to max_concurrency), or the list is read when that is cheaper
 *		(probe_prefers_list).  lfdw_probe_exists then answers from memory.
 */
void
lfdw_probe_prefetch(const LfdwOptions *opts, LfdwNameProbe *probe,
					const char **names, int n)
{
	PendingServer *server = get_server(opts, false);
	MemoryContext oldcxt;
	const char **ask;
	bool	   *found;
	int			nask = 0;
	int			i;

	if (probe->listed || n <= 0)
		return;
	oldcxt = MemoryContextSwitchTo(probe->cxt);
	if (probe->known == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(char *);
		ctl.entrysize = sizeof(ProbeAnswer);
		ctl.hash = name_hash;
		ctl.match = name_match;
		ctl.hcxt = probe->cxt;
		probe->known = hash_create("litellm_fdw names looked up", 64, &ctl,
								   HASH_ELEM | HASH_FUNCTION |
								   HASH_COMPARE | HASH_CONTEXT);
	}
	ask = palloc(sizeof(char *) * n);
	for (i = 0; i < n; i++)
	{
		bool		dup;
		ProbeAnswer *a;

		/* what lfdw_pending_insert would not ask, or has asked already */
		if (find_entry(server, names[i]) != NULL)
			continue;
		a = hash_search(probe->known, &names[i], HASH_FIND, NULL);
		if (a != NULL)
			continue;
		a = hash_search(probe->known, &names[i], HASH_ENTER, &dup);
		a->name = pstrdup(names[i]);
		a->exists = false;
		ask[nask++] = a->name;
	}
	if (nask > 0 && probe_prefers_list(opts, probe, nask))
		probe_take_list(opts, probe);
	else if (nask > 0)
	{
		PG_TRY();
		{
			found = palloc(sizeof(bool) * nask);
			lfdw_remote_exists_many(opts, ask, nask, found);
		}
		PG_CATCH();
		{
			/* no answer kept for names not answered */
			for (i = 0; i < nask; i++)
				(void) hash_search(probe->known, &ask[i], HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
		probe->calls += nask;
		for (i = 0; i < nask; i++)
		{
			ProbeAnswer *a = hash_search(probe->known, &ask[i], HASH_FIND,
										 NULL);

			a->exists = found[i];
		}
	}
	MemoryContextSwitchTo(oldcxt);
}

/*
 * lfdw_probe_exists
 *		Does LiteLLM have a credential of this name?  From the answers read
 *		ahead for a batch (lfdw_probe_prefetch), or else: the first names of
 *		a statement (point_lookup_limit of them, as for an IN list) are
 *		looked up by name; after them, or at once when the planner expects
 *		more rows than that, one list call answers for the rest of the
 *		statement, so that a 1,000-row INSERT costs one read, not 1,000, and
 *		a short one never reads a long list.
 */
bool
lfdw_probe_exists(const LfdwOptions *opts, LfdwNameProbe *probe,
				  const char *name)
{
	MemoryContext oldcxt;
	bool		found;

	if (probe->listed)
		return hash_search(probe->listed, &name, HASH_FIND, NULL) != NULL;
	if (probe->known)
	{
		ProbeAnswer *a = hash_search(probe->known, &name, HASH_FIND, NULL);

		if (a != NULL)
			return a->exists;
	}

	oldcxt = MemoryContextSwitchTo(probe->cxt);
	if (!probe_prefers_list(opts, probe, 1))
	{
		probe->calls++;
		found = lfdw_remote_exists(opts, name);
		MemoryContextSwitchTo(oldcxt);
		return found;
	}
	probe_take_list(opts, probe);
	MemoryContextSwitchTo(oldcxt);
	return hash_search(probe->listed, &name, HASH_FIND, NULL) != NULL;
}

/* ------------------------------------------------------------------------
 * The plan, for a look before COMMIT
 * ------------------------------------------------------------------------
 */

/*
 * litellm_fdw_pending_changes()
 *		The calls the current transaction will make at commit: server,
 *		operation, credential name and the columns that change.  No value.
 */
Datum
litellm_fdw_pending_changes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleDesc	tupdesc;
	Tuplestorestate *tupstore;
	MemoryContext oldcxt;
	ListCell   *cell;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	tupstore = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tupstore;
	rsinfo->setDesc = tupdesc;
	MemoryContextSwitchTo(oldcxt);

	foreach(cell, PendingServers)
	{
		PendingServer *server = (PendingServer *) lfirst(cell);
		int			phase;

		/* in the order the commit sends them */
		for (phase = 0; phase < NUM_PHASES; phase++)
		{
			ListCell   *ec;

			if (phase == PHASE_MODEL)
			{
				foreach(ec, server->model_ops)
				{
					PendingModelOp *op = (PendingModelOp *) lfirst(ec);
					const LfdwModelSpec *spec = &op->change.spec;
					Datum		values[6];
					bool		nulls[6] = {false, false, false, true, false, false};
					Datum		cols[4];
					int			ncols = 0;

					if (!model_op_sent(server, op))
						continue;
					values[0] = CStringGetTextDatum(server->opts->server_name);
					switch (op->change.kind)
					{
						case LFDW_MODEL_CREATE:
							values[1] = CStringGetTextDatum("create model");
							values[2] = CStringGetTextDatum("POST /model/new");
							break;
						case LFDW_MODEL_UPDATE:
							values[1] = CStringGetTextDatum("update model");
							values[2] = CStringGetTextDatum(psprintf("PATCH /model/%s/update",
																	 lfdw_encode_path_segment(spec->model_id)));
							break;
						case LFDW_MODEL_DELETE:
							values[1] = CStringGetTextDatum("delete model");
							values[2] = CStringGetTextDatum("POST /model/delete");
							break;
					}
					values[4] = CStringGetTextDatum(spec->model_id);
					if (op->change.kind == LFDW_MODEL_DELETE)
						nulls[5] = true;
					else
					{
						/* the members sent; the keys of litellm_params are not shown */
						if (spec->model_name)
							cols[ncols++] = CStringGetTextDatum("model_name");
						if (spec->litellm_params)
							cols[ncols++] = CStringGetTextDatum("litellm_params");
						if (spec->model_info)
							cols[ncols++] = CStringGetTextDatum("model_info");
						values[5] = PointerGetDatum(construct_array(cols, ncols,
																	TEXTOID, -1,
																	false,
																	TYPALIGN_INT));
					}
					tuplestore_putvalues(tupstore, tupdesc, values, nulls);
				}
				continue;
			}

			foreach(ec, server->order)
			{
				PendingEntry *entry = (PendingEntry *) lfirst(ec);
				PendingState *st = &entry->cur;
				Datum		values[6];
				bool		nulls[6] = {false, false, false, false, true, false};
				int			this_phase;
				const char *operation;

				if (!st->touched)
					continue;
				if (st->exists && entry->remote_exists && st->recreate)
				{
					/* a replacement sent as DELETE then POST */
					if (phase != PHASE_RECREATE_DELETE &&
						phase != PHASE_RECREATE_CREATE)
						continue;
					this_phase = phase;
				}
				else if (st->exists)
					this_phase = entry->remote_exists ? PHASE_PATCH : PHASE_CREATE;
				else if (entry->remote_exists)
					this_phase = PHASE_DELETE;
				else
					continue;
				if (this_phase != phase)
					continue;

				operation = phase == PHASE_CREATE ? "create" :
					phase == PHASE_PATCH ? "update" :
					phase == PHASE_RECREATE_DELETE ? "replace (delete)" :
					phase == PHASE_RECREATE_CREATE ? "replace (create)" : "delete";
				values[0] = CStringGetTextDatum(server->opts->server_name);
				values[1] = CStringGetTextDatum(operation);
				values[2] = CStringGetTextDatum(psprintf("%s %s",
														 phase_method[phase],
														 (phase == PHASE_CREATE ||
														  phase == PHASE_RECREATE_CREATE) ? "/credentials" :
														 lfdw_credential_path("/credentials/", entry->name)));
				values[3] = CStringGetTextDatum(entry->name);
				if (phase == PHASE_DELETE || phase == PHASE_RECREATE_DELETE)
					nulls[5] = true;
				else
				{
					Datum		cols[LFDW_NUM_FIELDS];
					int			ncols = 0;
					int			f;
					int			changed = st->changed;

					if (phase == PHASE_CREATE || phase == PHASE_RECREATE_CREATE)
						changed |= (1 << LFDW_FIELD_NAME) |
							(1 << LFDW_FIELD_INFO) |
							(st->values ? (1 << LFDW_FIELD_VALUES) : 0) |
							(st->model_id ? (1 << LFDW_FIELD_MODEL_ID) : 0);
					else
						changed &= ~(1 << LFDW_FIELD_NAME);
					for (f = 0; f < LFDW_NUM_FIELDS; f++)
						if (changed & (1 << f))
							cols[ncols++] =
								CStringGetTextDatum(lfdw_field_name(f));
					values[5] = PointerGetDatum(construct_array(cols, ncols,
																TEXTOID, -1,
																false,
																TYPALIGN_INT));
				}
				tuplestore_putvalues(tupstore, tupdesc, values, nulls);
			}
		}
	}
	return (Datum) 0;
}
