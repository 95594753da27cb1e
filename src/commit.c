/*-------------------------------------------------------------------------
 *
 * commit.c
 *		  The end of a transaction for litellm_fdw: the transaction and
 *		  subtransaction callbacks, the refusal of PREPARE TRANSACTION, and
 *		  the COMMIT of write_mode 'commit', run as a table of phases.
 *
 * At XACT_EVENT_PRE_COMMIT the checks that a statement could not make
 * without a write go out first (run_checks: where a DELETE answers success
 * for any name, the look-up of each deleted name, a PATCH that changes
 * nothing); a failure there applies nothing.  Then the calls that pending.c
 * plans go out, phase by phase, in the order of the table below: creates first, then patches,
 * then the changes of models (in the order made: they may use credentials
 * created here, and stop using credentials deleted here), deletes last (a
 * deleted credential cannot be restored: its values are unreadable), and
 * after them the replacements no PATCH can make (deleted, then created
 * anew).  The credential phases send concurrently, per user mapping
 * (max_concurrency); the model phase one call at a time.  If a call fails,
 * no further call starts, those in flight are waited for, a call whose
 * answer was lost is read back (remote_write.c: applied, not applied or
 * unknown), what this commit created is deleted again (one undo, whatever
 * the resource), and the error says exactly what was applied.
 *
 * LiteLLM has no two-phase commit, so a transaction that wrote to it
 * (lfdw_mark_remote_write, statement.c), or would at commit, cannot be
 * prepared.
 *
 * Layering: the top of the stack below the FDW callbacks.  It may call
 * pending.c (the plan, the savepoint undo, the end of the store),
 * remote_write.c (the model calls, the rethrow with a new DETAIL),
 * statement.c (lfdw_http_batch, the remote-write mark), connection.c (the
 * call context, the commit deadline), release.c, request.c, response.c,
 * secret.c and wire.c.  Only _PG_init (litellm_fdw.c) and PostgreSQL's
 * transaction callbacks call into it.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/commit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/xact.h"
#include "litellm_fdw.h"
#include "miscadmin.h"
#include "model.h"
#include "secret.h"
#include "storage/proc.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "wire.h"

/* How the calls of a phase go out. */
typedef enum CommitRun
{
	CONCURRENTLY,				/* per user mapping, max_concurrency at a time
								 * (lfdw_http_batch) */
	IN_ORDER					/* one at a time, in the order made */
} CommitRun;

/* How the answer to a call of a phase is judged. */
typedef enum CommitJudge
{
	JUDGE_CREATE,				/* a duplicate may be skipped (ON CONFLICT DO
								 * NOTHING), a missing model is a foreign key
								 * violation */
	JUDGE_MUST_EXIST,			/* not found: deleted by someone else */
	JUDGE_GONE_OK,				/* not found is what was wanted */
	JUDGE_PLAIN,				/* any error status fails */
	JUDGE_MODEL					/* model_write.c judges */
} CommitJudge;

/* One phase of a commit. */
typedef struct CommitPhase
{
	const char *name;			/* what it sends, for the reader */
	CommitRun	run;
	CommitJudge judge;
	const char *gone_verb;		/* JUDGE_MUST_EXIST: "This transaction %s it" */
	bool		undo;			/* the creates it applied are deleted again
								 * when the commit fails */
} CommitPhase;

/*
 * The commit, in the order it runs: indexed by LfdwCommitOp, the order in
 * which litellm_fdw_pending_changes lists the plan too.  Creates and
 * patches come before the changes of models that may use them, deletes
 * after the changes that may stop using them; a deleted credential cannot
 * be restored (its values are unreadable), so deletes and replacements
 * come last.
 */
static const CommitPhase phases[LFDW_COMMIT_NUM_OPS] = {
	/* name, run, judge, gone_verb, undo */
	[LFDW_COMMIT_CREATE] = {"create credentials", CONCURRENTLY, JUDGE_CREATE, NULL, true},
	[LFDW_COMMIT_PATCH] = {"patch credentials", CONCURRENTLY, JUDGE_MUST_EXIST, "changed", false},
	[LFDW_COMMIT_MODEL] = {"change models", IN_ORDER, JUDGE_MODEL, NULL, true},
	[LFDW_COMMIT_DELETE] = {"delete credentials", CONCURRENTLY, JUDGE_MUST_EXIST, "deleted", false},
	[LFDW_COMMIT_REPLACE_DELETE] = {"replace credentials: delete", CONCURRENTLY, JUDGE_GONE_OK, NULL, false},
	[LFDW_COMMIT_REPLACE_CREATE] = {"replace credentials: create", CONCURRENTLY, JUDGE_PLAIN, NULL, false},
};

typedef enum ItemOutcome
{
	OUTCOME_NOT_SENT,
	OUTCOME_APPLIED,
	OUTCOME_SKIPPED,			/* ON CONFLICT DO NOTHING met a duplicate */
	OUTCOME_FAILED,
	OUTCOME_UNKNOWN,			/* sent, answer not waited for */
	OUTCOME_UNDONE,				/* created, then deleted again */
	OUTCOME_UNDO_FAILED,		/* created, and deleting it again failed */
	OUTCOME_NOT_APPLIED			/* its answer was lost, and reading back
								 * showed it was not applied */
} ItemOutcome;

/* One call of a commit: a planned call, its request and its outcome. */
typedef struct CommitCall
{
	const LfdwPlannedCall *pc;
	LfdwBatchItem item;
	ItemOutcome outcome;
	char	   *body;			/* wiped after the call */
	size_t		body_len;
	LfdwLostOutcome read_back;	/* its answer was lost: what reading back
								 * found */
} CommitCall;

/* Helper functions */
static void xact_callback(XactEvent event, void *arg);
static void subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							 SubTransactionId parentSubid, void *arg);
static void pre_commit(void);
static void commit_changes(void);
static void run_checks(List *checks);
static void probe_names(const LfdwOptions *opts, const char **names, int n,
						bool *found);
static CommitCall *make_call(const LfdwPlannedCall *pc);
static void build_patch(CommitCall *cc, LfdwCredentialSpec *spec);
static int	run_phase(const CommitPhase *phase, List *calls, List *all);
static int	send_round(CommitCall **group, int n, List *all);
static void send_model_call(CommitCall *cc, LfdwBatchItem *item);
static void check_commit_call(LfdwBatchItem *item, void *arg);
static void check_create(LfdwBatchItem *item, CommitCall *cc);
static void undo_creates(List **calls);
static void undo_model_create(CommitCall *cc);
static void undo_credential_creates(const LfdwOptions *opts, List *calls);
static void report_commit_failure(List *calls, CommitCall *failed,
								  ErrorData *edata);
static void read_back_lost(List *calls);
static void append_names(StringInfo buf, List *calls, ItemOutcome outcome,
						 int read_back, bool with_method, const char *label);
static char *call_label(CommitCall *cc, bool with_method);

/* ------------------------------------------------------------------------
 * Library load and transaction callbacks
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_commit_init
 *		Register the transaction callbacks; run once from _PG_init.
 */
void
lfdw_commit_init(void)
{
	RegisterXactCallback(xact_callback, NULL);
	RegisterSubXactCallback(subxact_callback, NULL);
}

/*
 * Transaction callback: the pending changes go out just before the local
 * commit (an error there aborts it), and are dropped however the
 * transaction ends.  LiteLLM has no two-phase commit, so a transaction that
 * wrote to it, or would at commit, cannot be prepared.
 */
static void
xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			pre_commit();
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (lfdw_remote_write_marked() || !lfdw_pending_is_empty())
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot PREPARE a transaction that has operated on litellm_fdw foreign tables"),
						 lfdw_remote_write_marked() ?
						 errdetail("Changes sent to LiteLLM cannot take part in two-phase commit.") :
						 errdetail("Changes held for LiteLLM are sent at commit, and LiteLLM has no two-phase commit.")));
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			lfdw_remote_write_clear();
			lfdw_pending_xact_end();
			break;
		default:
			break;
	}
}

/*
 * Subtransaction callback: ROLLBACK TO SAVEPOINT takes back the pending
 * changes made since the savepoint.
 */
static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid,
				 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		lfdw_pending_subxact_abort(mySubid);
}

/*
 * Send the pending changes, then forget them.  An error aborts the
 * transaction (which forgets them too).
 */
static void
pre_commit(void)
{
	if (!lfdw_pending_is_empty())
	{
		/*
		 * PostgreSQL has disarmed statement_timeout by now; the calls honour
		 * it from the start of the statement (COMMIT, or the lone statement).
		 */
		if (StatementTimeout > 0)
			lfdw_set_deadline(TimestampTzPlusMilliseconds(GetCurrentStatementStartTimestamp(),
														  StatementTimeout));
		PG_TRY();
		{
			commit_changes();
		}
		PG_FINALLY();
		{
			lfdw_set_deadline(0);
		}
		PG_END_TRY();
	}
	lfdw_pending_xact_end();
}

/* ------------------------------------------------------------------------
 * The commit: the phases, one runner, one undo
 * ------------------------------------------------------------------------
 */

/*
 * The calls of every phase, then the phases in the order of the table; on
 * the first failure, the undo and the report.
 */
static void
commit_changes(void)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "litellm_fdw commit",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);
	List	   *calls[LFDW_COMMIT_NUM_OPS] = {NIL};
	List	   *all = NIL;
	ListCell   *cell;
	int			op;

	/* the look-ups first: a failure there sends no change at all */
	run_checks(lfdw_pending_checks());

	/* in the DETAIL, calls are listed in the order they are sent */
	for (op = 0; op < LFDW_COMMIT_NUM_OPS; op++)
	{
		foreach(cell, lfdw_pending_plan((LfdwCommitOp) op))
			calls[op] = lappend(calls[op],
								make_call((LfdwPlannedCall *) lfirst(cell)));
		all = list_concat(all, calls[op]);
	}

	PG_TRY();
	{
		CommitCall *failed = NULL;

		lfdw_mark_remote_write();
		for (op = 0; op < LFDW_COMMIT_NUM_OPS && failed == NULL; op++)
		{
			if (run_phase(&phases[op], calls[op], all) == 0)
				continue;
			foreach(cell, calls[op])
			{
				CommitCall *cc = (CommitCall *) lfirst(cell);

				if (cc->outcome == OUTCOME_FAILED && failed == NULL)
					failed = cc;
			}
		}
		if (failed)
		{
			read_back_lost(all);
			undo_creates(calls);
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
 * The deferred checks (lfdw_pending_checks), before any change of the
 * transaction is sent: whether each credential it deletes is still there,
 * where the release's DELETE answers success for any name.  The look-up is
 * a PATCH that changes nothing (lfdw_remote_probe), which LiteLLM records
 * as a write (updated_at), so no statement sends it; they go here, per
 * user mapping, concurrently.  A name gone, or any error of a look-up,
 * fails the commit with nothing of the transaction applied.
 */
static void
run_checks(List *checks)
{
	List	   *servers = NIL;
	ListCell   *cell;

	foreach(cell, checks)
	{
		const LfdwOptions *opts = ((LfdwPlannedCall *) lfirst(cell))->opts;
		const char **names;
		bool	   *found;
		int			n = 0;
		int			i;
		ListCell   *c2;

		if (list_member_ptr(servers, opts))
			continue;
		servers = lappend(servers, (void *) opts);
		names = palloc(sizeof(char *) * list_length(checks));
		found = palloc(sizeof(bool) * list_length(checks));
		foreach(c2, checks)
		{
			const LfdwPlannedCall *pc = (const LfdwPlannedCall *) lfirst(c2);

			if (pc->opts == opts)
				names[n++] = pc->name;
		}
		probe_names(opts, names, n, found);
		for (i = 0; i < n; i++)
			if (!found[i])
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("credential \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
								names[i], opts->server_name),
						 errdetail("This transaction deleted it, and LiteLLM found no credential of that name at commit.\nNothing of this transaction was applied in LiteLLM."),
						 errhint("Run the transaction again.")));
	}
}

/*
 * The look-ups of one user mapping (lfdw_remote_probe_many); an error says
 * that nothing of the transaction was applied (a cancel stays as it is).
 * A function of its own for its PG_TRY.
 */
static void
probe_names(const LfdwOptions *opts, const char **names, int n, bool *found)
{
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		lfdw_remote_probe_many(opts, names, n, found);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
			PG_RE_THROW();
		FlushErrorState();
		lfdw_rethrow_with_detail(edata,
								 psprintf("%s%sThe look-up of the credentials this transaction deletes failed before any change was sent.\nNothing of this transaction was applied in LiteLLM.",
										  edata->detail ? edata->detail : "",
										  edata->detail ? "\n" : ""));
	}
	PG_END_TRY();
}

/*
 * The call of a planned change: for a credential, its request and body
 * (a model's request is made by model_write.c when it is sent).
 */
static CommitCall *
make_call(const LfdwPlannedCall *pc)
{
	CommitCall *cc = palloc0(sizeof(CommitCall));
	LfdwCredentialSpec spec;

	cc->pc = pc;
	cc->item.arg = cc;
	if (pc->model)
		return cc;
	lfdw_call_prepare(&cc->item.call, pc->opts, pc->method, pc->path,
					  pc->name);
	if (pc->op == LFDW_COMMIT_REPLACE_DELETE)
		return cc;				/* the POST of the replacement comes later */

	memset(&spec, 0, sizeof(spec));
	spec.name = pc->name;
	spec.info = pc->info;
	spec.values = pc->values;
	spec.model_id = pc->model_id;
	if (pc->op == LFDW_COMMIT_CREATE || pc->op == LFDW_COMMIT_REPLACE_CREATE)
		cc->body = lfdw_build_create_body(&spec, &cc->body_len);
	else if (pc->op == LFDW_COMMIT_PATCH)
		build_patch(cc, &spec);
	cc->item.call.secrets = lfdw_jsonb_secret_strings(pc->values, false);
	cc->item.body = cc->body;
	cc->item.body_len = cc->body_len;
	return cc;
}

/*
 * The body of a PATCH: the values as they are to be, and the keys to
 * remove (those LiteLLM has that the new set lacks).
 */
static void
build_patch(CommitCall *cc, LfdwCredentialSpec *spec)
{
	const LfdwPlannedCall *pc = cc->pc;
	List	   *now = pc->values_replaced ?
	lfdw_jsonb_object_keys(pc->values) : NIL;
	List	   *nulls = lfdw_jsonb_null_keys(pc->values);
	ListCell   *kc;

	foreach(kc, pc->orig_keys)
	{
		if (pc->values_replaced && !lfdw_string_listed(now, lfirst(kc)) &&
			!lfdw_string_listed(pc->kept_keys, lfirst(kc)))
			spec->values_to_delete = lappend(spec->values_to_delete,
											 lfirst(kc));
	}

	/*
	 * Keys go only on the newest release (release.c refused the UPDATE, or
	 * chose DELETE then POST, elsewhere): null values go with them there.
	 * Checked again before anything is sent.
	 */
	if (spec->values_to_delete != NIL ||
		(nulls != NIL && pc->values_replaced))
	{
		if (lfdw_release(pc->opts)->line == LFDW_LINE_NEWEST)
		{
			spec->values_to_delete = list_concat(spec->values_to_delete,
												 nulls);
			spec->values = lfdw_jsonb_without_keys(spec->values, nulls);
		}
		else if (spec->values_to_delete != NIL)
			elog(ERROR, "litellm_fdw: a PATCH of credential \"%s\" would have to remove keys the release keeps",
				 pc->name);
	}
	/* info unchanged: {} (ignored), not what was read */
	spec->keep_info = (pc->changed & (1 << LFDW_FIELD_INFO)) == 0;
	cc->body = lfdw_build_patch_body(spec, &cc->body_len);
}

/*
 * The one runner of a phase: its calls go out in rounds, concurrently per
 * user mapping (a round is every call of one user mapping), or one at a
 * time in the order made (a round is one call); the first failure stops
 * the phase before the next round.  Returns the number of calls that
 * failed.
 */
static int
run_phase(const CommitPhase *phase, List *calls, List *all)
{
	int			failures = 0;
	List	   *done_servers = NIL;
	ListCell   *cell;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);
		CommitCall **group;
		int			n = 0;
		ListCell   *c2;

		if (failures > 0)
			break;
		group = palloc0(sizeof(CommitCall *) * list_length(calls));
		if (phase->run == IN_ORDER)
			group[n++] = cc;
		else
		{
			Oid			umid = cc->pc->opts->umid;

			if (list_member_oid(done_servers, umid))
				continue;
			done_servers = lappend_oid(done_servers, umid);
			foreach(c2, calls)
			{
				CommitCall *other = (CommitCall *) lfirst(c2);

				if (other->pc->opts->umid == umid)
					group[n++] = other;
			}
		}
		failures += send_round(group, n, all);
	}
	return failures;
}

/*
 * Send the calls of one round (one user mapping's, or one model change)
 * and record their outcomes; returns the number that failed.  A cancel is
 * reported with what it leaves unknown (and no undo: it would wait on the
 * same server).
 */
static int
send_round(CommitCall **group, int n, List *all)
{
	LfdwBatchItem *items = palloc0(sizeof(LfdwBatchItem) * n);
	MemoryContext cxt = CurrentMemoryContext;
	int			failures = 0;
	int			i;

	for (i = 0; i < n; i++)
		items[i] = group[i]->item;
	PG_TRY();
	{
		if (group[0]->pc->model)
		{
			send_model_call(group[0], &items[0]);
			failures = items[0].error ? 1 : 0;
		}
		else
			failures = lfdw_http_batch(group[0]->pc->opts, items, n, true,
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
			group[i]->item = items[i];
			if (group[i]->outcome == OUTCOME_NOT_SENT && items[i].sent)
				group[i]->outcome = OUTCOME_UNKNOWN;
		}
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
	return failures;
}

/*
 * Send one model change (model_write.c makes and judges the request); an
 * error is kept in the item, but a cancel propagates with the outcome
 * still unknown.  A function of its own for its PG_TRY.
 */
static void
send_model_call(CommitCall *cc, LfdwBatchItem *item)
{
	MemoryContext cxt = CurrentMemoryContext;
	const LfdwModelChange *change = cc->pc->model;
	const LfdwOptions *opts = cc->pc->opts;

	item->sent = true;
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
		item->error = CopyErrorData();
		FlushErrorState();
		/* a cancel is still a cancel */
		if (item->error->sqlerrcode == ERRCODE_QUERY_CANCELED)
			ReThrowError(item->error);
		cc->outcome = OUTCOME_FAILED;
		/* the sender read back a write whose answer was lost */
		cc->read_back = lfdw_remote_last_read_back();
	}
	PG_END_TRY();
	item->done = true;
}

/*
 * Judge the answer to one credential call (lfdw_http_batch's check), as
 * its phase says.
 */
static void
check_commit_call(LfdwBatchItem *item, void *arg)
{
	CommitCall *cc = (CommitCall *) item->arg;
	const CommitPhase *phase = &phases[cc->pc->op];
	bool		found = true;

	/* failed unless it passes */
	cc->outcome = OUTCOME_FAILED;
	switch (phase->judge)
	{
		case JUDGE_CREATE:
			check_create(item, cc);
			return;
		case JUDGE_MUST_EXIST:
			/* the statement counted it: gone meanwhile is no success */
			lfdw_check_write_response(&item->call, item->resp, &found);
			if (!found)
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("credential \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
								cc->pc->name, item->call.opts->server_name),
						 errdetail("This transaction %s it, and LiteLLM found no credential of that name at commit.",
								   phase->gone_verb)));
			break;
		case JUDGE_GONE_OK:
			/* gone already: the POST that follows makes it all the same */
			lfdw_check_write_response(&item->call, item->resp, &found);
			break;
		case JUDGE_PLAIN:
			lfdw_check_write_response(&item->call, item->resp, NULL);
			break;
		case JUDGE_MODEL:
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
								  cc->pc->model_id ? &found : NULL);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION ||
			!cc->pc->skip_if_exists)
			PG_RE_THROW();
		FlushErrorState();
		skipped = true;
	}
	PG_END_TRY();

	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("model_id of credential \"%s\" names no model of LiteLLM server \"%s\"",
						cc->pc->name, item->call.opts->server_name),
				 errdetail("LiteLLM answered that model \"%s\" was not found.",
						   cc->pc->model_id)));
	cc->outcome = skipped ? OUTCOME_SKIPPED : OUTCOME_APPLIED;
}

/*
 * The one undo of a failed commit: delete again what it created, in the
 * phases whose creates are undone, latest phase first (a model may use a
 * credential created before it).  Models one by one (model_write.c);
 * credentials concurrently, per user mapping.
 */
static void
undo_creates(List **calls)
{
	int			op;

	for (op = LFDW_COMMIT_NUM_OPS - 1; op >= 0; op--)
	{
		List	   *servers = NIL;
		ListCell   *cell;

		if (!phases[op].undo)
			continue;
		foreach(cell, calls[op])
		{
			CommitCall *cc = (CommitCall *) lfirst(cell);

			if (cc->outcome != OUTCOME_APPLIED)
				continue;
			if (cc->pc->model == NULL)
				servers = list_append_unique_ptr(servers,
												 (void *) cc->pc->opts);
			else if (cc->pc->model->kind == LFDW_MODEL_CREATE)
				undo_model_create(cc);
		}
		foreach(cell, servers)
			undo_credential_creates((const LfdwOptions *) lfirst(cell),
									calls[op]);
	}
}

/*
 * Delete again a model the failed commit created.  A function of its own
 * for its PG_TRY.
 */
static void
undo_model_create(CommitCall *cc)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		(void) lfdw_model_remote_delete(cc->pc->opts, &cc->pc->model->spec);
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

/*
 * Delete again, concurrently, the credentials of one user mapping that the
 * failed commit created.  "Not found" means it is gone, which is what was
 * wanted.
 */
static void
undo_credential_creates(const LfdwOptions *opts, List *calls)
{
	LfdwBatchItem *items = palloc0(sizeof(LfdwBatchItem) *
								   Max(list_length(calls), 1));
	CommitCall **group = palloc0(sizeof(CommitCall *) *
								 Max(list_length(calls), 1));
	int			n = 0;
	int			i;
	ListCell   *cell;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);

		if (cc->pc->opts != opts || cc->pc->model != NULL ||
			cc->outcome != OUTCOME_APPLIED)
			continue;
		lfdw_call_prepare(&items[n].call, opts, "DELETE",
						  lfdw_credential_path("/credentials/", cc->pc->name),
						  cc->pc->name);
		group[n++] = cc;
	}
	if (n == 0)
		return;
	(void) lfdw_http_batch(opts, items, n, false, NULL, NULL);
	for (i = 0; i < n; i++)
	{
		bool		found;
		bool		ok = items[i].done && items[i].error == NULL;

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

/*
 * A failed call whose answer was lost (a dropped connection, a timeout, an
 * answer that does not confirm it, a status of 500 or more) may have been
 * applied: read back what LiteLLM has (remote_write.c), before the undo,
 * which then deletes again a create that was applied.  A model call was
 * read back by its sender already.  A PATCH cannot be told by reading (the
 * values are masked): its outcome is unknown, never "failed".
 */
static void
read_back_lost(List *calls)
{
	ListCell   *cell;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);
		const LfdwPlannedCall *pc = cc->pc;

		if (cc->outcome != OUTCOME_FAILED)
			continue;
		CHECK_FOR_INTERRUPTS();
		if (pc->model == NULL &&
			lfdw_answer_lost(cc->item.error, cc->item.resp))
		{
			if (pc->op == LFDW_COMMIT_CREATE ||
				pc->op == LFDW_COMMIT_REPLACE_CREATE)
				cc->read_back = lfdw_remote_read_back(pc->opts, LFDW_LOST_CREATE,
													  false, pc->name, pc->info,
													  cc->item.error);
			else if (pc->op == LFDW_COMMIT_DELETE ||
					 pc->op == LFDW_COMMIT_REPLACE_DELETE)
				cc->read_back = lfdw_remote_read_back(pc->opts, LFDW_LOST_DELETE,
													  false, pc->name, NULL,
													  cc->item.error);
			else if (pc->op == LFDW_COMMIT_PATCH)
			{
				cc->outcome = OUTCOME_UNKNOWN;
				continue;
			}
		}
		switch (cc->read_back)
		{
			case LFDW_LOST_APPLIED:
				cc->outcome = OUTCOME_APPLIED;
				break;
			case LFDW_LOST_NOT_APPLIED:
				cc->outcome = OUTCOME_NOT_APPLIED;
				break;
			case LFDW_LOST_UNKNOWN:
				cc->outcome = OUTCOME_UNKNOWN;
				break;
			case LFDW_LOST_NOT_LOST:
				break;
		}
	}
}

/*
 * Append "label: METHOD "name", ..." for the calls with an outcome;
 * read_back 1 takes only calls whose answer was lost and read back, 0 only
 * the others, -1 both.
 */
static void
append_names(StringInfo buf, List *calls, ItemOutcome outcome, int read_back,
			 bool with_method, const char *label)
{
	ListCell   *cell;
	bool		first = true;

	foreach(cell, calls)
	{
		CommitCall *cc = (CommitCall *) lfirst(cell);

		if (cc->outcome != outcome)
			continue;
		if (read_back >= 0 &&
			(cc->read_back != LFDW_LOST_NOT_LOST) != (read_back == 1))
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
	if (failed && others == 0 && failed->read_back == LFDW_LOST_NOT_LOST)
		ReThrowError(edata);
	/* the failed call was read back: it is no longer a "may have been" */
	if (failed && (failed->read_back == LFDW_LOST_APPLIED ||
				   failed->read_back == LFDW_LOST_NOT_APPLIED))
		edata->hint = NULL;

	initStringInfo(&detail);
	if (edata->detail)
		appendStringInfoString(&detail, edata->detail);
	else
		appendStringInfoString(&detail, "The commit of this transaction's changes to LiteLLM stopped.");
	append_names(&detail, calls, OUTCOME_FAILED, -1, true, "Failed");
	append_names(&detail, calls, OUTCOME_NOT_APPLIED, -1, true,
				 "Answer lost, read back: not applied");
	append_names(&detail, calls, OUTCOME_APPLIED, 1, true,
				 "Answer lost, read back: applied");
	append_names(&detail, calls, OUTCOME_APPLIED, 0, true, "Applied");
	append_names(&detail, calls, OUTCOME_UNDO_FAILED, -1, false,
				 "Created, and could not be deleted again");
	append_names(&detail, calls, OUTCOME_UNDONE, -1, false,
				 "Created, then deleted again");
	append_names(&detail, calls, OUTCOME_SKIPPED, -1, false,
				 "Skipped (already existed)");
	append_names(&detail, calls, OUTCOME_UNKNOWN, 1, true,
				 "Answer lost, and reading back could not tell: outcome unknown");
	append_names(&detail, calls, OUTCOME_UNKNOWN, 0, true,
				 "Sent, outcome unknown");
	append_names(&detail, calls, OUTCOME_NOT_SENT, -1, true, "Not sent");
	/* a replacement sent as DELETE then POST that stopped in between */
	{
		bool		first = true;

		foreach(cell, calls)
		{
			CommitCall *del = (CommitCall *) lfirst(cell);
			ListCell   *c2;

			if (del->pc->op != LFDW_COMMIT_REPLACE_DELETE ||
				del->outcome != OUTCOME_APPLIED)
				continue;
			foreach(c2, calls)
			{
				CommitCall *cre = (CommitCall *) lfirst(c2);

				if (cre->pc->op != LFDW_COMMIT_REPLACE_CREATE ||
					cre->pc->opts != del->pc->opts ||
					strcmp(cre->pc->name, del->pc->name) != 0 ||
					cre->outcome == OUTCOME_APPLIED)
					continue;
				appendStringInfo(&detail, "%s\"%s\"",
								 first ? "\nDeleted and not created again (INSERT it again with its values): " : ", ",
								 del->pc->name);
				first = false;
			}
		}
		if (!first)
			appendStringInfoChar(&detail, '.');
	}
	if (applied == 0 && unknown == 0)
		appendStringInfoString(&detail, "\nNothing of this transaction remains applied in LiteLLM.");

	lfdw_rethrow_with_detail(edata, detail.data);
}


/*
 * How a call is named in the DETAIL of a failed commit: the request and
 * the credential name or model id.
 */
static char *
call_label(CommitCall *cc, bool with_method)
{
	const LfdwPlannedCall *pc = cc->pc;

	if (pc->model)
	{
		const char *id = pc->model->spec.model_id;

		if (!with_method)
			return psprintf("model \"%s\"", id);
		switch (pc->model->kind)
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
		return psprintf("%s \"%s\"", pc->method, pc->name);
	return psprintf("\"%s\"", pc->name);
}
