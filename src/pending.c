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
 * At commit, each entry becomes at most one planned call (lfdw_pending_plan:
 * a create, a patch, a delete, or a replacement as a delete then a create)
 * and each model change one more; commit.c sends them, phase by phase.
 * Before them, the checks no statement may send because they are writes
 * (lfdw_pending_checks).  litellm_fdw_pending_changes shows the same plan
 * before COMMIT (two C symbols: the columns of extension 1.1 and of 1.2).
 *
 * An UPDATE that writes a masked value back as it was read keeps that key
 * (kept_keys): not sent, not removed, shown as LiteLLM sends it.
 *
 * Everything lives in PendingCxt, a child of TopMemoryContext deleted when
 * the transaction ends, whichever way; the credential values it holds are
 * wiped first (explicit_bzero), and so is the API key of the options copy.
 *
 * Layering: below commit.c (which calls the plan, the savepoint undo and
 * the end of the store) and the FDW callbacks; it may call remote_write.c
 * (the reads that catch a duplicate or fetch a row being replaced),
 * release.c, option.c (copying resolved options, field names), statement.c
 * (whether the statement has read the list), request.c and secret.c.  It
 * sends no write itself.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/pending.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "catalog/pg_user_mapping.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "litellm_fdw.h"
#include "miscadmin.h"
#include "model.h"
#include "secret.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
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
	List	   *kept_keys;		/* of orig_keys, those values_replaced keeps
								 * as LiteLLM has them (a masked value written
								 * back unchanged): neither sent nor dropped */
	bool		check_exists;	/* deleted where a DELETE succeeds for any
								 * name: looked up at commit, first
								 * (lfdw_pending_checks) */
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

static MemoryContext PendingCxt = NULL;
static List *PendingServers = NIL;
static List *UndoLog = NIL;
static List *SecretValues = NIL;	/* every Jsonb of values we hold */
static uint64 scan_counter = 0;

/* Helper functions */
static PendingServer *get_server(const LfdwOptions *opts, bool create);
static PendingEntry *find_entry(PendingServer *server, const char *name);
static PendingEntry *touch_entry(PendingServer *server, const char *name,
								 bool remote_exists, CommandId cid);
static Jsonb *keep_values(Jsonb *values);
static List *keep_keys(List *keys);
static const PendingState *visible_state(PendingEntry *entry, CommandId cid);
static void fill_row(LfdwOverlay *ov, const PendingState *st,
					 LfdwCredentialRow *row, const bool *wanted,
					 bool replace_values);
static void wipe_and_forget(void);
static bool model_op_sent(PendingServer *server, PendingModelOp *op);
static bool entry_has_op(PendingEntry *entry, LfdwCommitOp op);
static void plan_server(PendingServer *server, LfdwCommitOp op, List **plan);
static Jsonb *keep_jsonb(Jsonb *jb);
static char *keep_string(const char *s);
static uint32 name_hash(const void *key, Size keysize);
static int	name_match(const void *key1, const void *key2, Size keysize);

PG_FUNCTION_INFO_V1(litellm_fdw_pending_changes);
PG_FUNCTION_INFO_V1(litellm_fdw_pending_changes_1_2);

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
	{
		if (((PendingServer *) lfirst(cell))->order != NIL ||
			((PendingServer *) lfirst(cell))->model_ops != NIL)
			return false;
	}
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
	*values = (!entry->remote_exists ||
			   (entry->cur.values_replaced && entry->cur.kept_keys == NIL)) ?
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
	bool		check_exists;
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
	/* a replacement still looks the deleted name up first */
	check_exists = st->touched && !st->exists && st->check_exists;
	memset(st, 0, sizeof(PendingState));
	st->check_exists = check_exists;
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
		lfdw_pending_delete(opts, old_name, false, cid);
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
		Jsonb	   *values = spec->values;
		List	   *known = NIL;
		List	   *kept = NIL;
		ListCell   *kc;

		/*
		 * A key kept by its masked value written back unchanged: the value
		 * this transaction set for it, if any, stays; otherwise it stays as
		 * LiteLLM has it.
		 */
		foreach(kc, spec->values_kept)
		{
			char	   *key = (char *) lfirst(kc);

			if (st->values &&
				getKeyJsonValueFromContainer(&st->values->root, key,
											 strlen(key), NULL) != NULL)
				known = lappend(known, key);
			else
				kept = lappend(kept, key);
		}
		if (known != NIL)
			values = lfdw_jsonb_concat(lfdw_jsonb_only_keys(st->values, known),
									   values);
		/* the keys LiteLLM has are those of the first read */
		if (entry->remote_exists && !st->values_replaced)
			st->orig_keys = keep_keys(old_keys);
		st->values = keep_values(values);
		st->kept_keys = keep_keys(kept);
		st->values_replaced = true;
	}
}

/*
 * lfdw_pending_delete
 *		Record the deletion of a credential a scan of this transaction
 *		returned.  check_exists: the release's DELETE succeeds for any name,
 *		so commit looks the name up first (lfdw_pending_checks).
 */
void
lfdw_pending_delete(const LfdwOptions *opts, const char *name,
					bool check_exists, CommandId cid)
{
	PendingServer *server = get_server(opts, true);
	PendingEntry *entry = find_entry(server, name);

	entry = touch_entry(server, name, entry ? entry->remote_exists : true,
						cid);
	memset(&entry->cur, 0, sizeof(PendingState));
	entry->cur.touched = true;
	entry->cur.exists = false;
	entry->cur.check_exists = check_exists && entry->remote_exists;
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
		return NULL;			/* (model changes are laid over by model.c) */
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
	{
		/* the keys kept as LiteLLM has them show as it sent them */
		Jsonb	   *kept = (st->kept_keys != NIL && row->values) ?
		lfdw_jsonb_only_keys(row->values, st->kept_keys) : NULL;

		row->values = st->values ?
			lfdw_jsonb_concat(kept, lfdw_mask_values(ov->opts, st->values)) :
			kept;
	}
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
	/* the last test: read by this statement already (its scan), no request */
	return probe->calls + more > opts->point_lookup_limit ||
		probe->expected_rows > (double) opts->point_lookup_limit ||
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
 * The plan: what commit sends, and the look at it before COMMIT
 * ------------------------------------------------------------------------
 */

/* How litellm_fdw_pending_changes names the calls of a credential. */
static const struct
{
	const char *operation;
	const char *method;
}			op_names[LFDW_COMMIT_NUM_OPS] = {
	[LFDW_COMMIT_CREATE] = {"create", "POST"},
	[LFDW_COMMIT_PATCH] = {"update", "PATCH"},
	[LFDW_COMMIT_MODEL] = {NULL, NULL},
	[LFDW_COMMIT_DELETE] = {"delete", "DELETE"},
	[LFDW_COMMIT_REPLACE_DELETE] = {"replace (delete)", "DELETE"},
	[LFDW_COMMIT_REPLACE_CREATE] = {"replace (create)", "POST"},
};

/*
 * Does commit send a credential call of this kind for the entry?  One of
 * a create, a patch or a delete; a replacement no PATCH can make is two
 * (a delete, then a create); nothing for an entry the transaction created
 * and deleted again.
 */
static bool
entry_has_op(PendingEntry *entry, LfdwCommitOp op)
{
	PendingState *st = &entry->cur;

	if (!st->touched)
		return false;
	if (st->exists && entry->remote_exists && st->recreate)
		return op == LFDW_COMMIT_REPLACE_DELETE ||
			op == LFDW_COMMIT_REPLACE_CREATE;
	if (st->exists)
		return op == (entry->remote_exists ? LFDW_COMMIT_PATCH :
					  LFDW_COMMIT_CREATE);
	if (entry->remote_exists)
		return op == LFDW_COMMIT_DELETE;
	return false;
}

/*
 * Append to *plan the calls of one kind of one user mapping, in the order
 * the changes were first made.  They point into the store: valid until
 * the transaction ends.
 */
static void
plan_server(PendingServer *server, LfdwCommitOp op, List **plan)
{
	ListCell   *cell;

	if (op == LFDW_COMMIT_MODEL)
	{
		foreach(cell, server->model_ops)
		{
			PendingModelOp *mop = (PendingModelOp *) lfirst(cell);
			LfdwPlannedCall *pc;

			if (!model_op_sent(server, mop))
				continue;
			pc = palloc0(sizeof(LfdwPlannedCall));
			pc->op = op;
			pc->opts = server->opts;
			pc->model = &mop->change;
			*plan = lappend(*plan, pc);
		}
		return;
	}
	foreach(cell, server->order)
	{
		PendingEntry *entry = (PendingEntry *) lfirst(cell);
		PendingState *st = &entry->cur;
		LfdwPlannedCall *pc;

		if (!entry_has_op(entry, op))
			continue;
		pc = palloc0(sizeof(LfdwPlannedCall));
		pc->op = op;
		pc->opts = server->opts;
		pc->method = op_names[op].method;
		pc->path = (op == LFDW_COMMIT_CREATE ||
					op == LFDW_COMMIT_REPLACE_CREATE) ? "/credentials" :
			lfdw_credential_path("/credentials/", entry->name);
		pc->name = entry->name;
		pc->info = st->info;
		pc->values = st->values;
		pc->values_replaced = st->values_replaced;
		pc->orig_keys = st->orig_keys;
		pc->kept_keys = st->kept_keys;
		pc->model_id = st->model_id;
		pc->skip_if_exists = st->skip_if_exists;
		pc->changed = st->changed;
		*plan = lappend(*plan, pc);
	}
}

/*
 * lfdw_pending_plan
 *		The calls of one kind that commit sends, user mapping by user
 *		mapping, each in the order the changes were first made; palloc'd
 *		in the current memory context, pointing into the store.
 */
List *
lfdw_pending_plan(LfdwCommitOp op)
{
	List	   *plan = NIL;
	ListCell   *cell;

	foreach(cell, PendingServers)
		plan_server((PendingServer *) lfirst(cell), op, &plan);
	return plan;
}

/*
 * lfdw_pending_checks
 *		The look-ups commit makes before anything else (commit.c): a PATCH
 *		that changes nothing (lfdw_remote_probe) for each credential the
 *		transaction deletes where the release's DELETE answers success for
 *		any name.  Such a look-up is a write (LiteLLM rewrites updated_at),
 *		so no statement sends it: in write_mode 'commit' nothing that
 *		changes LiteLLM leaves before COMMIT.  Planned calls (check set),
 *		user mapping by user mapping, in the order the changes were made.
 */
List *
lfdw_pending_checks(void)
{
	List	   *checks = NIL;
	ListCell   *cell;

	foreach(cell, PendingServers)
	{
		PendingServer *server = (PendingServer *) lfirst(cell);
		ListCell   *ec;

		foreach(ec, server->order)
		{
			PendingEntry *entry = (PendingEntry *) lfirst(ec);
			LfdwPlannedCall *pc;

			if (!entry->cur.check_exists ||
				!(entry_has_op(entry, LFDW_COMMIT_DELETE) ||
				  entry_has_op(entry, LFDW_COMMIT_REPLACE_DELETE)))
				continue;
			pc = palloc0(sizeof(LfdwPlannedCall));
			pc->op = LFDW_COMMIT_DELETE;
			pc->check = true;
			pc->opts = server->opts;
			pc->method = "PATCH";
			pc->path = lfdw_credential_path("/credentials/", entry->name);
			pc->name = entry->name;
			checks = lappend(checks, pc);
		}
	}
	return checks;
}

/*
 * One row of litellm_fdw_pending_changes, in the columns of 1.2; the 1.1
 * function shows some of them (put_row).
 */
typedef struct PlanRow
{
	const char *server_name;
	const char *user_name;		/* the user mapping's role, or "public" */
	const char *resource;		/* "credentials" or "models" */
	const char *key;			/* credential name or model id */
	const char *operation;
	const char *method;
	const char *path;
	Datum		changed_columns;	/* text[], or 0 for NULL */
	Datum		keys_set;		/* text[], or 0 for NULL */
	Datum		keys_removed;	/* text[], or 0 for NULL */
	bool		is_model;
} PlanRow;

/* A sorted text[] of C strings. */
static Datum
text_array(List *strings)
{
	List	   *sorted = list_copy(strings);
	Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(sorted), 1));
	int			n = 0;
	ListCell   *cell;

	list_sort(sorted, lfdw_string_cmp);
	foreach(cell, sorted)
		elems[n++] = CStringGetTextDatum((const char *) lfirst(cell));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* The role of a user mapping, for the plan: "public" for PUBLIC. */
static const char *
mapping_user_name(Oid umid)
{
	HeapTuple	tup = SearchSysCache1(USERMAPPINGOID, ObjectIdGetDatum(umid));
	Oid			userid;
	const char *name;

	if (!HeapTupleIsValid(tup))
		return NULL;			/* dropped meanwhile */
	userid = ((Form_pg_user_mapping) GETSTRUCT(tup))->umuser;
	ReleaseSysCache(tup);
	if (!OidIsValid(userid))
		return "public";
	name = GetUserNameFromId(userid, true);
	return name;
}

/*
 * The value keys a credential call sets and removes (names only, never a
 * value): what make_call and build_patch of commit.c send.  A PATCH that
 * leaves credential_values sets and removes none; a delete has NULL for
 * both (the whole credential goes).
 */
static void
credential_keys(const LfdwPlannedCall *pc, PlanRow *row)
{
	List	   *set = NIL;
	List	   *removed = NIL;
	List	   *nulls;
	ListCell   *cell;

	if (pc->check)
	{
		row->keys_set = text_array(NIL);
		row->keys_removed = text_array(NIL);
		return;
	}
	if (pc->op == LFDW_COMMIT_DELETE || pc->op == LFDW_COMMIT_REPLACE_DELETE)
		return;
	set = lfdw_jsonb_object_keys(pc->values);
	if (pc->op == LFDW_COMMIT_PATCH && pc->values_replaced)
	{
		foreach(cell, pc->orig_keys)
		{
			if (!lfdw_string_listed(set, lfirst(cell)) &&
				!lfdw_string_listed(pc->kept_keys, lfirst(cell)))
				removed = lappend(removed, lfirst(cell));
		}
		/* null values go with them on the newest line (build_patch) */
		nulls = lfdw_jsonb_null_keys(pc->values);
		if (nulls != NIL && lfdw_release(pc->opts)->line == LFDW_LINE_NEWEST)
		{
			set = NIL;
			foreach(cell, lfdw_jsonb_object_keys(pc->values))
			{
				if (!lfdw_string_listed(nulls, lfirst(cell)))
					set = lappend(set, lfirst(cell));
			}
			removed = list_concat(removed, nulls);
		}
	}
	row->keys_set = text_array(set);
	row->keys_removed = text_array(removed);
}

/*
 * The row of a credential call: the columns that change, the value keys
 * set and removed.
 */
static void
credential_row(const LfdwPlannedCall *pc, PlanRow *row)
{
	bool		create = (pc->op == LFDW_COMMIT_CREATE ||
						  pc->op == LFDW_COMMIT_REPLACE_CREATE);
	List	   *cols = NIL;
	int			changed = pc->changed;
	int			f;

	row->resource = "credentials";
	row->key = pc->name;
	row->operation = pc->check ? "check (delete)" : op_names[pc->op].operation;
	row->method = pc->method;
	row->path = pc->path;
	credential_keys(pc, row);
	if (pc->check)
	{
		row->changed_columns = text_array(NIL);
		return;
	}
	if (pc->op == LFDW_COMMIT_DELETE || pc->op == LFDW_COMMIT_REPLACE_DELETE)
		return;
	if (create)
		changed |= (1 << LFDW_FIELD_NAME) |
			(1 << LFDW_FIELD_INFO) |
			(pc->values ? (1 << LFDW_FIELD_VALUES) : 0) |
			(pc->model_id ? (1 << LFDW_FIELD_MODEL_ID) : 0);
	else
		changed &= ~(1 << LFDW_FIELD_NAME);
	for (f = 0; f < LFDW_NUM_FIELDS; f++)
		if (changed & (1 << f))
			cols = lappend(cols, (void *) lfdw_field_name(f));
	/* in field order, as before: not sorted */
	{
		Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(cols), 1));
		int			n = 0;
		ListCell   *cell;

		foreach(cell, cols)
			elems[n++] = CStringGetTextDatum((const char *) lfirst(cell));
		row->changed_columns = PointerGetDatum(construct_array(elems, n,
															   TEXTOID, -1,
															   false,
															   TYPALIGN_INT));
	}
}

/*
 * The row of a model change: the members sent and the keys of
 * litellm_params sent (a model PATCH removes none: model.c refuses it).
 */
static void
model_row(const LfdwPlannedCall *pc, PlanRow *row)
{
	const LfdwModelSpec *spec = &pc->model->spec;
	Datum		cols[3];
	int			ncols = 0;

	row->resource = "models";
	row->key = spec->model_id;
	row->is_model = true;
	switch (pc->model->kind)
	{
		case LFDW_MODEL_CREATE:
			row->operation = "create model";
			row->method = "POST";
			row->path = "/model/new";
			break;
		case LFDW_MODEL_UPDATE:
			row->operation = "update model";
			row->method = "PATCH";
			row->path = psprintf("/model/%s/update",
								 lfdw_encode_path_segment(spec->model_id));
			break;
		case LFDW_MODEL_DELETE:
			row->operation = "delete model";
			row->method = "POST";
			row->path = "/model/delete";
			break;
	}
	if (pc->model->kind == LFDW_MODEL_DELETE)
		return;
	if (spec->model_name)
		cols[ncols++] = CStringGetTextDatum("model_name");
	if (spec->litellm_params)
		cols[ncols++] = CStringGetTextDatum("litellm_params");
	if (spec->model_info)
		cols[ncols++] = CStringGetTextDatum("model_info");
	row->changed_columns = PointerGetDatum(construct_array(cols, ncols,
														   TEXTOID, -1, false,
														   TYPALIGN_INT));
	row->keys_set = text_array(lfdw_jsonb_object_keys(spec->litellm_params));
	row->keys_removed = text_array(NIL);
}

/*
 * Put one row: the 13 columns of 1.2, or the 6 of 1.1 (server_name,
 * operation, request, credential_name, model_id, changed_columns).
 */
static void
put_row(Tuplestorestate *tupstore, TupleDesc tupdesc, const PlanRow *row,
		bool v1_2)
{
	Datum		values[13];
	bool		nulls[13];
	const char *request = psprintf("%s %s", row->method, row->path);
	int			i = 0;

	memset(nulls, 0, sizeof(nulls));
#define PUT_TEXT(s) \
	do { \
		if ((s) == NULL) nulls[i] = true; \
		else values[i] = CStringGetTextDatum(s); \
		i++; \
	} while (0)
#define PUT_DATUM(d) \
	do { \
		if ((d) == 0) nulls[i] = true; \
		else values[i] = (d); \
		i++; \
	} while (0)
	PUT_TEXT(row->server_name);
	if (v1_2)
	{
		PUT_TEXT(row->user_name);
		PUT_TEXT(row->resource);
		PUT_TEXT(row->key);
	}
	PUT_TEXT(row->operation);
	PUT_TEXT(request);
	if (v1_2)
	{
		PUT_TEXT(row->method);
		PUT_TEXT(row->path);
		PUT_DATUM(row->changed_columns);
		PUT_DATUM(row->keys_set);
		PUT_DATUM(row->keys_removed);
	}
	PUT_TEXT(row->is_model ? NULL : row->key);
	PUT_TEXT(row->is_model ? row->key : NULL);
	if (!v1_2)
		PUT_DATUM(row->changed_columns);
#undef PUT_TEXT
#undef PUT_DATUM
	Assert(i == tupdesc->natts);
	tuplestore_putvalues(tupstore, tupdesc, values, nulls);
}

/*
 * The plan, for both versions of the function: the checks first, then
 * the calls in the order the commit sends them (commit.c's phases).
 */
static Datum
pending_changes(FunctionCallInfo fcinfo, bool v1_2)
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
	if (tupdesc->natts != (v1_2 ? 13 : 6))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("function litellm_fdw_pending_changes does not match the litellm_fdw library"),
				 errhint("Run ALTER EXTENSION litellm_fdw UPDATE.")));

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
		const char *user_name = mapping_user_name(server->umid);
		List	   *plan = NIL;
		ListCell   *pcell;
		ListCell   *cc;
		int			op;

		foreach(cc, lfdw_pending_checks())
		{
			if (((LfdwPlannedCall *) lfirst(cc))->opts == server->opts)
				plan = lappend(plan, lfirst(cc));
		}
		for (op = 0; op < LFDW_COMMIT_NUM_OPS; op++)
			plan_server(server, (LfdwCommitOp) op, &plan);
		foreach(pcell, plan)
		{
			LfdwPlannedCall *pc = (LfdwPlannedCall *) lfirst(pcell);
			PlanRow		row;

			CHECK_FOR_INTERRUPTS();
			memset(&row, 0, sizeof(row));
			row.server_name = pc->opts->server_name;
			row.user_name = user_name;
			if (pc->model)
				model_row(pc, &row);
			else
				credential_row(pc, &row);
			put_row(tupstore, tupdesc, &row, v1_2);
		}
	}
	return (Datum) 0;
}

/*
 * litellm_fdw_pending_changes()
 *		The calls the current transaction will make at commit (extension
 *		1.1): server, operation, request, credential name or model id, and
 *		the columns that change.  No value.
 */
Datum
litellm_fdw_pending_changes(PG_FUNCTION_ARGS)
{
	return pending_changes(fcinfo, false);
}

/*
 * litellm_fdw_pending_changes_1_2()
 *		The same plan with the columns of extension 1.2: also the user
 *		mapping's role, the resource and key, method and path apart, and
 *		the value keys each call sets and removes (names only).
 */
Datum
litellm_fdw_pending_changes_1_2(PG_FUNCTION_ARGS)
{
	return pending_changes(fcinfo, true);
}
