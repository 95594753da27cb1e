/*-------------------------------------------------------------------------
 *
 * remote_write.c
 *		  Every change litellm_fdw makes in LiteLLM goes through here, for
 *		  both tables: one sender (send_write) for every write.
 *
 * Here are the writes of write_mode 'immediate', sent when the executor
 * hands over each row (or each batch of rows), which a later ROLLBACK does
 * not undo, and the reads that checks need; pending.c holds the changes of
 * write_mode 'commit', and commit.c sends them through lfdw_http_batch at
 * commit.  A rename is a create plus a delete, in that order, so that a
 * failure half-way never loses the credential: if the delete of the old
 * name fails, the new one is deleted again and the error says exactly what
 * remains.
 *
 * Request bodies hold secrets: they are wiped after the request, on every
 * path, and the secret strings are scrubbed from any remote text an error
 * shows; send_write does it for both tables.  A create or delete whose
 * answer was lost is read back before its error is raised, and the error
 * says what the read found (see "A write whose answer was lost" below).  What a write of a resource
 * says and how its answer reads is the resource's (request.c and
 * response.c for credentials, model_write.c for models): a third resource
 * adds such a file and three entry points here, not a sender.
 *
 * May call: connection.c (the transport), statement.c, request.c,
 * response.c, model_write.c, secret.c, convert.c, PostgreSQL.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/remote_write.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "litellm_fdw.h"
#include "model.h"
#include "secret.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

/*
 * The credential_info this transaction's immediate PATCHes sent, per user
 * mapping and name.  LiteLLM before late 2025 (2025-03, 2025-05..11) updates
 * only its database on PATCH, and keeps serving the old info until it
 * reloads: a later PATCH (which must send the whole info) or rename in the
 * same transaction uses what the transaction wrote, not what a read returns
 * (doc/litellm-api.md section 3.2).  Lives in a child of
 * TopTransactionContext.
 */
typedef struct WrittenInfo
{
	Oid			umid;
	char	   *name;
	Jsonb	   *info;
} WrittenInfo;

static MemoryContext written_cxt = NULL;
static List *written = NIL;

/* what the last send_write's read back found, for commit.c's model calls */
static LfdwLostOutcome last_read_back = LFDW_LOST_NOT_LOST;

static void written_reset(void *arg);
static void note_written(const LfdwOptions *opts, const char *name,
						 Jsonb *info);

/* Helper functions */
static char *failure_text(ErrorData *edata);
static ErrorData *delete_quietly(const LfdwOptions *opts, const char *name,
								 MemoryContext cxt, bool *found);
static void check_batch_create(LfdwBatchItem *item, void *arg);
static bool fetch_fields(const LfdwOptions *opts, const char *name,
						 Jsonb **info, Jsonb **values);
static bool fetch_fields_via(const LfdwOptions *opts, const char *name,
							 Jsonb **info, Jsonb **values, bool statement_kept);
static const char *lfdw_read_back_text(LfdwLostOutcome outcome);

/*
 * Judges the answer to a write, raising the error it stands for; false for
 * "not found" where that is an answer.  arg is the caller's.
 */
typedef bool (*WriteCheck) (LfdwCall *call, LfdwHttpResponse *resp,
							void *arg);

static bool send_write(const LfdwOptions *opts, const char *method,
					   const char *path, const char *target_name,
					   char *body, size_t body_len, Jsonb *secrets_from,
					   bool is_setting, WriteCheck check, void *arg);
static bool check_credential_write(LfdwCall *call, LfdwHttpResponse *resp,
								   void *arg);
static bool check_credential_create(LfdwCall *call, LfdwHttpResponse *resp,
									void *arg);
static bool send_model_write(const LfdwOptions *opts, const char *method,
							 const char *path, LfdwModelWrite *w);
static void wipe_write(char *body, size_t body_len, List *secrets,
					   LfdwHttpResponse *resp);
static void read_back_and_rethrow(const LfdwOptions *opts, const char *method,
								  const char *path, const char *target_name,
								  bool is_model, Jsonb *info,
								  ErrorData *edata);

/*
 * lfdw_remote_create
 *		POST /credentials.  A name that exists is SQLSTATE 23505.
 */
void
lfdw_remote_create(const LfdwOptions *opts, const LfdwCredentialSpec *spec)
{
	size_t		len;
	char	   *body = lfdw_build_create_body(spec, &len);

	(void) send_write(opts, "POST", "/credentials", spec->name, body, len,
					  spec->values, false, check_credential_create,
					  (void *) spec);
}

/* The answer to a create (arg: its LfdwCredentialSpec), alone or in a batch. */
static bool
check_credential_create(LfdwCall *call, LfdwHttpResponse *resp, void *arg)
{
	const LfdwCredentialSpec *spec = (const LfdwCredentialSpec *) arg;
	bool		found = true;

	lfdw_check_write_response(call, resp, spec->model_id ? &found : NULL);
	/* LiteLLM's own "not found" on a create means the model_id */
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("model_id of credential \"%s\" names no model of LiteLLM server \"%s\"",
						spec->name, call->opts->server_name),
				 errdetail("LiteLLM answered that model \"%s\" was not found.",
						   spec->model_id)));
	return true;
}

static void
written_reset(void *arg)
{
	written_cxt = NULL;
	written = NIL;
}

/* Remember (info) or forget (NULL) what the transaction wrote for name. */
static void
note_written(const LfdwOptions *opts, const char *name, Jsonb *info)
{
	ListCell   *cell;
	MemoryContext oldcxt;
	WrittenInfo *w;

	foreach(cell, written)
	{
		w = (WrittenInfo *) lfirst(cell);
		if (w->umid == opts->umid && strcmp(w->name, name) == 0)
		{
			written = foreach_delete_current(written, cell);
			break;
		}
	}
	if (info == NULL)
		return;
	if (written_cxt == NULL)
	{
		MemoryContextCallback *cb;

		written_cxt = AllocSetContextCreate(TopTransactionContext,
											"litellm_fdw written info",
											ALLOCSET_SMALL_SIZES);
		cb = MemoryContextAlloc(written_cxt, sizeof(MemoryContextCallback));
		cb->func = written_reset;
		cb->arg = NULL;
		MemoryContextRegisterResetCallback(written_cxt, cb);
	}
	oldcxt = MemoryContextSwitchTo(written_cxt);
	w = palloc(sizeof(WrittenInfo));
	w->umid = opts->umid;
	w->name = pstrdup(name);
	w->info = (Jsonb *) palloc(VARSIZE(info));
	memcpy(w->info, info, VARSIZE(info));
	written = lappend(written, w);
	MemoryContextSwitchTo(oldcxt);
}

/*
 * lfdw_remote_written_info
 *		The credential_info an immediate PATCH of this transaction sent for
 *		name, or NULL.
 */
Jsonb *
lfdw_remote_written_info(const LfdwOptions *opts, const char *name)
{
	ListCell   *cell;

	foreach(cell, written)
	{
		WrittenInfo *w = (WrittenInfo *) lfirst(cell);

		if (w->umid == opts->umid && strcmp(w->name, name) == 0)
			return w->info;
	}
	return NULL;
}

/*
 * lfdw_vanished_error
 *		A write answered 404 for a credential (or model) the statement has
 *		just read: someone else deleted it, or the request reached another
 *		route.  Not "already gone": the statement reported that row.
 */
void
lfdw_vanished_error(const LfdwOptions *opts, const char *what,
					const char *name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("%s \"%s\" was deleted from LiteLLM server \"%s\" by someone else",
					what, name, opts->server_name),
			 errdetail("%s", detail ? detail :
					   "The statement read it, and LiteLLM answered that it has none of that name."),
			 errhint("Run the statement again.")));
}

/*
 * lfdw_remote_probe
 *		Is the credential in LiteLLM's database?  For the releases whose
 *		DELETE answers success for any name (before August 2026), asked
 *		before a DELETE: a PATCH that changes nothing (empty credential_info
 *		and credential_values are ignored by every release), which looks the
 *		name up in the database and answers 404 when it is not there.
 */
bool
lfdw_remote_probe(const LfdwOptions *opts, const char *name)
{
	LfdwCredentialSpec spec;

	memset(&spec, 0, sizeof(spec));
	spec.name = (char *) name;
	spec.info = lfdw_empty_object();
	spec.values = lfdw_empty_object();
	return lfdw_remote_patch(opts, name, &spec);
}

/* Judge one answer of lfdw_remote_probe_many: found, or "not found". */
static void
check_batch_probe(LfdwBatchItem *item, void *arg)
{
	lfdw_check_write_response(&item->call, item->resp, (bool *) item->arg);
}

/*
 * lfdw_remote_probe_many
 *		lfdw_remote_probe for many names at once (max_concurrency at a
 *		time): the look-ups a COMMIT makes first, before any change of the
 *		transaction is sent (commit.c).  found[i] answers for names[i]; the
 *		first failure is the error.
 */
void
lfdw_remote_probe_many(const LfdwOptions *opts, const char **names, int n,
					   bool *found)
{
	LfdwBatchItem *items;
	LfdwCredentialSpec spec;
	int			i;

	if (n <= 0)
		return;
	memset(&spec, 0, sizeof(spec));
	spec.info = lfdw_empty_object();
	spec.values = lfdw_empty_object();
	items = palloc0(sizeof(LfdwBatchItem) * n);
	for (i = 0; i < n; i++)
	{
		found[i] = true;
		spec.name = names[i];
		lfdw_call_prepare(&items[i].call, opts, "PATCH",
						  lfdw_credential_path("/credentials/", names[i]),
						  names[i]);
		items[i].body = lfdw_build_patch_body(&spec, &items[i].body_len);
		items[i].arg = &found[i];
	}
	if (lfdw_http_batch(opts, items, n, true, check_batch_probe, NULL) > 0)
	{
		for (i = 0; i < n; i++)
			if (items[i].error)
				ReThrowError(items[i].error);
	}
	pfree(items);
}

/*
 * lfdw_remote_patch
 *		PATCH /credentials/{name}; false when the credential is gone.
 */
bool
lfdw_remote_patch(const LfdwOptions *opts, const char *name,
				  const LfdwCredentialSpec *spec)
{
	size_t		len;
	char	   *body = lfdw_build_patch_body(spec, &len);
	bool		missing_ok = true;
	bool		found;

	found = send_write(opts, "PATCH", lfdw_credential_path("/credentials/", name),
					   name, body, len, spec->values, false,
					   check_credential_write, &missing_ok);
	/* an empty info is ignored by LiteLLM: the old one stays */
	if (found && !spec->keep_info && !lfdw_jsonb_is_empty_object(spec->info))
		note_written(opts, name, spec->info);
	return found;
}

/*
 * lfdw_remote_delete
 *		DELETE /credentials/{name}; false when the credential is gone
 *		(LiteLLM before August 2026 says success even then).
 */
bool
lfdw_remote_delete(const LfdwOptions *opts, const char *name)
{
	bool		missing_ok = true;

	note_written(opts, name, NULL);
	return send_write(opts, "DELETE",
					  lfdw_credential_path("/credentials/", name),
					  name, NULL, 0, NULL, false, check_credential_write,
					  &missing_ok);
}

/*
 * delete_quietly
 *		Delete a credential, catching any error: the error (copied into cxt),
 *		or NULL when the request went through (*found: the credential was
 *		there).  A function of its own so that its PG_TRY is not nested in
 *		the caller's: nested blocks shadow each other's variables, which
 *		PostgreSQL 17's -Wshadow=compatible-local reports (PG_TRY(suffix),
 *		the other way out, does not exist in older releases).
 */
static ErrorData *
delete_quietly(const LfdwOptions *opts, const char *name, MemoryContext cxt,
			   bool *found)
{
	ErrorData  *volatile edata = NULL;
	volatile bool done = false;

	PG_TRY();
	{
		done = lfdw_remote_delete(opts, name);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
	*found = done;
	return edata;
}

/*
 * lfdw_remote_rename
 *		Create spec->name, then delete old_name.
 *
 * Returns false when old_name had vanished meanwhile; the new credential is
 * then deleted again, so nothing changed.  If deleting old_name fails, the
 * new credential is deleted again and the error says what remains.
 */
bool
lfdw_remote_rename(const LfdwOptions *opts, const char *old_name,
				   const LfdwCredentialSpec *spec)
{
	MemoryContext cxt = CurrentMemoryContext;
	ErrorData  *failure;
	ErrorData  *undo;
	bool		found;
	LfdwCall	failed;
	LfdwLostOutcome old_read_back;

	/* a failure here changed nothing */
	lfdw_remote_create(opts, spec);

	failure = delete_quietly(opts, old_name, cxt, &found);
	old_read_back = lfdw_remote_last_read_back();
	/* a delete whose answer was lost, and was applied: renamed */
	if ((failure == NULL && found) || old_read_back == LFDW_LOST_APPLIED)
		return true;

	/* take back the new one (read back as deleted, it was) */
	undo = delete_quietly(opts, spec->name, cxt, &found);
	if (undo && lfdw_remote_last_read_back() == LFDW_LOST_APPLIED)
		undo = NULL;
	if (failure == NULL)
	{
		/* the old one vanished meanwhile */
		if (undo == NULL)
			return false;
		lfdw_call_begin(&failed, opts, "DELETE",
						lfdw_credential_path("/credentials/", spec->name),
						spec->name);
		ereport(ERROR,
				(errcode(undo->sqlerrcode),
				 errmsg("could not rename credential \"%s\" to \"%s\"",
						old_name, spec->name),
				 errdetail("\"%s\" had been deleted meanwhile, and deleting the new credential \"%s\" again failed (%s), so \"%s\" exists now.",
						   old_name, spec->name, failure_text(undo),
						   spec->name)));
	}

	/* the context line names the request that failed */
	lfdw_call_begin(&failed, opts, "DELETE",
					lfdw_credential_path("/credentials/", old_name),
					old_name);
	ereport(ERROR,
			(errcode(failure->sqlerrcode),
			 errmsg("could not rename credential \"%s\" to \"%s\"",
					old_name, spec->name),
			 undo == NULL && old_read_back == LFDW_LOST_UNKNOWN ?
			 errdetail("Deleting \"%s\" failed (%s), and reading it back could not tell whether it was deleted. The new credential \"%s\" was deleted again.",
					   old_name, failure_text(failure), spec->name) :
			 undo == NULL ?
			 errdetail("Deleting \"%s\" failed (%s). The new credential \"%s\" was deleted again, so nothing changed.",
					   old_name, failure_text(failure), spec->name) :
			 errdetail("Deleting \"%s\" failed (%s). Deleting the new credential \"%s\" again failed too, so both \"%s\" and \"%s\" exist now.",
					   old_name, failure_text(failure), spec->name,
					   old_name, spec->name)));
	return false;				/* not reached */
}

/*
 * The message and detail of a caught error, as one phrase without a final
 * period, for the detail of the error that reports it.
 */
static char *
failure_text(ErrorData *edata)
{
	char	   *text;
	size_t		len;

	if (edata->detail)
		text = psprintf("%s: %s", edata->message, edata->detail);
	else
		text = pstrdup(edata->message);
	/* its first line: what a read back found is said by the caller */
	text[strcspn(text, "\n")] = '\0';
	len = strlen(text);
	while (len > 0 && (text[len - 1] == '.' || text[len - 1] == ' '))
		text[--len] = '\0';
	return text;
}

/*
 * Read one credential by name, with the fields asked for (info, values:
 * NULL when not wanted; set to NULL when not found); false when LiteLLM has
 * no credential of that name.
 */
static bool
fetch_fields(const LfdwOptions *opts, const char *name, Jsonb **info,
			 Jsonb **values)
{
	return fetch_fields_via(opts, name, info, values, false);
}

/*
 * fetch_fields, with the answer kept for the rest of the statement when
 * statement_kept (lfdw_statement_get): a name asked about again in the same
 * statement costs no second request, until the statement sends a write.
 */
static bool
fetch_fields_via(const LfdwOptions *opts, const char *name, Jsonb **info,
				 Jsonb **values, bool statement_kept)
{
	LfdwCall	call;
	LfdwHttpResponse *resp;
	LfdwReadResult *res;
	LfdwCredentialRow row;
	bool		wanted[LFDW_NUM_FIELDS] = {false};
	bool		found;
	char	   *path = lfdw_credential_path("/credentials/by_name/", name);

	wanted[LFDW_FIELD_INFO] = info != NULL;
	wanted[LFDW_FIELD_VALUES] = values != NULL;
	lfdw_call_begin(&call, opts, "GET", path, name);
	resp = statement_kept ? lfdw_statement_get(&call, NULL) :
		lfdw_http_request(&call, NULL, 0);
	res = lfdw_read_item(&call, resp);
	found = lfdw_read_next(res, opts, wanted, &row);
	lfdw_call_end(&call);
	if (info)
		*info = found ? row.info : NULL;
	if (values)
		*values = found ? row.values : NULL;
	return found;
}

/*
 * lfdw_remote_fetch_info
 *		The current credential_info of a credential, for a PATCH that must
 *		send it but whose foreign table has no credential_info column.
 */
Jsonb *
lfdw_remote_fetch_info(const LfdwOptions *opts, const char *name,
					   bool *found)
{
	Jsonb	   *info;

	*found = fetch_fields(opts, name, &info, NULL);
	return info;
}

/*
 * lfdw_remote_fetch_values
 *		The (masked) credential_values of a credential: their keys are what
 *		a replacing PATCH must delete.
 */
Jsonb *
lfdw_remote_fetch_values(const LfdwOptions *opts, const char *name,
						 bool *found)
{
	Jsonb	   *values;

	*found = fetch_fields(opts, name, NULL, &values);
	return values;
}

/*
 * lfdw_remote_fetch_row
 *		The credential_info and (masked) credential_values of a credential.
 */
void
lfdw_remote_fetch_row(const LfdwOptions *opts, const char *name, bool *found,
					  Jsonb **info, Jsonb **values)
{
	*found = fetch_fields(opts, name, info, values);
}

/*
 * lfdw_remote_exists
 *		Has LiteLLM a credential of this name?  One GET by name.
 */
bool
lfdw_remote_exists(const LfdwOptions *opts, const char *name)
{
	return fetch_fields(opts, name, NULL, NULL);
}

/*
 * lfdw_remote_exists_in_statement
 *		lfdw_remote_exists, asked at most once per name in a statement
 *		(until the statement writes): for the credential a model names,
 *		where a multi-row INSERT names one credential in many rows.
 */
bool
lfdw_remote_exists_in_statement(const LfdwOptions *opts, const char *name)
{
	return fetch_fields_via(opts, name, NULL, NULL, true);
}

/*
 * Judge one answer of lfdw_remote_exists_many: a credential, or "not found".
 */
static void
check_batch_exists(LfdwBatchItem *item, void *arg)
{
	bool	   *found = (bool *) item->arg;
	LfdwCredentialRow row;
	bool		wanted[LFDW_NUM_FIELDS] = {false};
	LfdwReadResult *res = lfdw_read_item(&item->call, item->resp);

	*found = lfdw_read_next(res, item->call.opts, wanted, &row);
}

/*
 * lfdw_remote_exists_many
 *		Has LiteLLM credentials of these names?  One GET by name each, sent
 *		concurrently (max_concurrency at a time), so that the checks a
 *		statement needs before COMMIT cost one round trip, not one per name.
 *		found[i] answers for names[i].  The first failure is the error, as
 *		it would have been one lookup at a time.
 */
void
lfdw_remote_exists_many(const LfdwOptions *opts, const char **names, int n,
						bool *found)
{
	LfdwBatchItem *items;
	int			i;

	if (n <= 0)
		return;
	items = palloc0(sizeof(LfdwBatchItem) * n);
	for (i = 0; i < n; i++)
	{
		found[i] = false;
		lfdw_call_prepare(&items[i].call, opts, "GET",
						  lfdw_credential_path("/credentials/by_name/",
											   names[i]),
						  names[i]);
		items[i].arg = &found[i];
	}
	if (lfdw_http_batch(opts, items, n, true, check_batch_exists, NULL) > 0)
	{
		for (i = 0; i < n; i++)
			if (items[i].error)
				ReThrowError(items[i].error);
	}
	pfree(items);
}

/*
 * lfdw_remote_list_names
 *		The names of all credentials: one list call, or none when the
 *		statement has read the list already (a scan under an UPDATE that
 *		renames).  The names point into the response, which stays until
 *		the current memory context is reset.
 */
List *
lfdw_remote_list_names(const LfdwOptions *opts)
{
	LfdwCall	call;
	LfdwHttpResponse *resp;
	LfdwReadResult *res;
	LfdwCredentialRow row;
	bool		wanted[LFDW_NUM_FIELDS] = {false};
	List	   *names = NIL;

	lfdw_call_begin(&call, opts, "GET", "/credentials", NULL);
	resp = lfdw_statement_get(&call, CurrentMemoryContext);
	res = lfdw_read_list(&call, resp);
	while (lfdw_read_next(res, opts, wanted, &row))
	{
		CHECK_FOR_INTERRUPTS();
		names = lappend(names, row.name);
	}
	lfdw_call_end(&call);
	return names;
}

/*
 * lfdw_remote_create_if_absent
 *		POST /credentials, for INSERT ... ON CONFLICT DO NOTHING: false when
 *		the name exists already (the caller looked first; this catches a
 *		credential created meanwhile).
 */
bool
lfdw_remote_create_if_absent(const LfdwOptions *opts,
							 const LfdwCredentialSpec *spec)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool created = true;

	PG_TRY();
	{
		lfdw_remote_create(opts, spec);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION)
			PG_RE_THROW();
		FlushErrorState();
		created = false;
	}
	PG_END_TRY();
	return created;
}

/*
 * Judge the answer to one create of lfdw_remote_create_many.
 */
static void
check_batch_create(LfdwBatchItem *item, void *arg)
{
	(void) check_credential_create(&item->call, item->resp, item->arg);
}

/*
 * lfdw_remote_create_many
 *		POST many credentials concurrently (a batch insert, write_mode
 *		'immediate').  On a failure no further create starts; the error is
 *		the first failure's, and its detail says which of the batch were
 *		created (they stay: this is immediate mode).
 */
void
lfdw_remote_create_many(const LfdwOptions *opts, LfdwCredentialSpec *specs,
						int n)
{
	LfdwBatchItem *items = palloc0(sizeof(LfdwBatchItem) * n);
	int			i;
	int			failed = 0;

	for (i = 0; i < n; i++)
	{
		lfdw_call_prepare(&items[i].call, opts, "POST", "/credentials",
						  specs[i].name);
		items[i].call.secrets = lfdw_jsonb_secret_strings(specs[i].values, false);
		items[i].body = lfdw_build_create_body(&specs[i], &items[i].body_len);
		items[i].arg = &specs[i];
	}

	PG_TRY();
	{
		lfdw_mark_remote_write();
		failed = lfdw_http_batch(opts, items, n, true, check_batch_create,
								 NULL);
	}
	PG_FINALLY();
	{
		for (i = 0; i < n; i++)
		{
			lfdw_wipe_body((char *) items[i].body, items[i].body_len);
			lfdw_wipe_strings(items[i].call.secrets);
			if (items[i].resp && items[i].resp->body.data)
				explicit_bzero(items[i].resp->body.data,
							   items[i].resp->body.len);
		}
	}
	PG_END_TRY();

	if (failed > 0)
	{
		ErrorData  *first = NULL;
		StringInfoData detail;
		bool		any = false;

		LfdwLostOutcome read_back = LFDW_LOST_NOT_LOST;

		initStringInfo(&detail);
		for (i = 0; i < n; i++)
			if (items[i].error && first == NULL)
			{
				first = items[i].error;
				/* its answer was lost: read it back */
				if (lfdw_answer_lost(first, items[i].resp))
					read_back = lfdw_remote_read_back(opts, LFDW_LOST_CREATE,
													  false, specs[i].name,
													  specs[i].info, first);
			}
		if (read_back != LFDW_LOST_NOT_LOST)
		{
			first->detail = first->detail ?
				psprintf("%s\n%s", first->detail,
						 lfdw_read_back_text(read_back)) :
				pstrdup(lfdw_read_back_text(read_back));
			if (read_back != LFDW_LOST_UNKNOWN)
				first->hint = NULL;
		}
		if (first->detail)
			appendStringInfo(&detail, "%s\n", first->detail);
		appendStringInfoString(&detail, "Created by this batch before the failure, and kept:");
		for (i = 0; i < n; i++)
		{
			if (!items[i].done || items[i].error)
				continue;
			appendStringInfo(&detail, "%s \"%s\"", any ? "," : "",
							 specs[i].name);
			any = true;
		}
		appendStringInfoString(&detail, any ? "." : " none.");
		any = false;
		for (i = 0; i < n; i++)
		{
			if (items[i].sent)
				continue;
			appendStringInfo(&detail, "%s \"%s\"",
							 any ? "," : "\nNot sent:", specs[i].name);
			any = true;
		}
		if (any)
			appendStringInfoChar(&detail, '.');
		if (n == 1)
			ReThrowError(first);
		lfdw_rethrow_with_detail(first, detail.data);
	}
}

/*
 * lfdw_rethrow_with_detail
 *		Raise a caught error again with another DETAIL (what a batch or a
 *		commit did before it failed); its code, message, hint and context
 *		stay.
 */
void
lfdw_rethrow_with_detail(ErrorData *edata, const char *detail)
{
	ereport(ERROR,
			(errcode(edata->sqlerrcode),
			 errmsg_internal("%s", edata->message),
			 errdetail_internal("%s", detail),
			 edata->hint ? errhint("%s", edata->hint) : 0,
			 edata->context ? errcontext("%s", edata->context) : 0));
}

/*
 * lfdw_model_remote_create
 *		POST /model/new; returns the id LiteLLM gave the model (NULL when
 *		the response does not say).
 */
char *
lfdw_model_remote_create(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	LfdwModelWrite w = {"create", spec, false, true, NULL};

	(void) send_model_write(opts, "POST", "/model/new", &w);
	return w.new_id;
}

/*
 * lfdw_model_remote_update
 *		PATCH /model/{id}/update with the members of spec that are set;
 *		false when LiteLLM says there is no such model.
 */
bool
lfdw_model_remote_update(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	LfdwModelWrite w = {"update", spec, true, false, NULL};

	return send_model_write(opts, "PATCH",
							psprintf("/model/%s/update",
									 lfdw_encode_path_segment(spec->model_id)),
							&w);
}

/*
 * lfdw_model_remote_delete
 *		POST /model/delete {"id": ...}; false when LiteLLM says there is
 *		no such model.
 */
bool
lfdw_model_remote_delete(const LfdwOptions *opts, const LfdwModelSpec *spec)
{
	LfdwModelWrite w = {"delete", spec, true, false, NULL};

	return send_model_write(opts, "POST", "/model/delete", &w);
}

/* A model write: the body and the judge of the answer are model_write.c's. */
static bool
send_model_write(const LfdwOptions *opts, const char *method,
				 const char *path, LfdwModelWrite *w)
{
	size_t		len;
	char	   *body = lfdw_model_write_body(w->spec,
											 strcmp(w->verb, "delete") == 0,
											 &len);

	return send_write(opts, method, path, w->spec->model_id, body, len,
					  w->spec->litellm_params, true, lfdw_model_check_write,
					  w);
}

/* The answer to a credential write; arg: is "not found" an answer? */
static bool
check_credential_write(LfdwCall *call, LfdwHttpResponse *resp, void *arg)
{
	bool		found = true;

	lfdw_check_write_response(call, resp, *(bool *) arg ? &found : NULL);
	return found;
}

/*
 * The one sender of a write, for both tables: send it and have check judge
 * the answer (false: "not found", where that is an answer).  The body is
 * wiped, the secret strings of secrets_from (credential_values, or with
 * is_setting litellm_params: lfdw_jsonb_secret_strings) scrubbed from any
 * remote text shown and then wiped, and the answer (which may echo what
 * was sent, or hold the stored row) wiped, on every path.  The transaction
 * counts as having written before the request leaves, since a request that
 * fails on the way back may still have been applied.
 */
static bool
send_write(const LfdwOptions *opts, const char *method, const char *path,
		   const char *target_name, char *body, size_t body_len,
		   Jsonb *secrets_from, bool is_setting, WriteCheck check, void *arg)
{
	LfdwCall	call;
	List	   *volatile secrets = lfdw_jsonb_secret_strings(secrets_from,
															 is_setting);
	LfdwHttpResponse *volatile resp = NULL;
	bool		found = true;
	MemoryContext cxt = CurrentMemoryContext;
	ErrorData  *volatile lost = NULL;

	last_read_back = LFDW_LOST_NOT_LOST;

	/*
	 * The error context is pushed inside PG_TRY, so that PG_END_TRY, which
	 * restores the stack as it was at PG_TRY, leaves it balanced.  An error
	 * whose answer was lost is kept, to be read back below.
	 */
	PG_TRY();
	{
		lfdw_call_begin(&call, opts, method, path, target_name);
		call.secrets = secrets;
		lfdw_mark_remote_write();
		resp = lfdw_http_request(&call, body, body_len);
		found = check(&call, resp, arg);
		lfdw_call_end(&call);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (!lfdw_answer_lost(edata, resp))
		{
			wipe_write(body, body_len, secrets, resp);
			PG_RE_THROW();
		}
		FlushErrorState();
		lost = edata;
	}
	PG_END_TRY();
	wipe_write(body, body_len, secrets, resp);

	if (lost)
		read_back_and_rethrow(opts, method, path, target_name, is_setting,
							  check == check_credential_create ?
							  ((const LfdwCredentialSpec *) arg)->info : NULL,
							  lost);
	return found;
}

/* Wipe (and free) what a write sent, and wipe what came back. */
static void
wipe_write(char *body, size_t body_len, List *secrets, LfdwHttpResponse *resp)
{
	lfdw_wipe_body(body, body_len);
	lfdw_wipe_strings(secrets);
	if (resp && resp->body.data)
		explicit_bzero(resp->body.data, resp->body.len);
}

/* ------------------------------------------------------------------------
 * A write whose answer was lost: read back what LiteLLM has
 *
 * A create or delete whose answer never came (a dropped connection, a
 * timeout, an answer that does not confirm it, an HTTP status of 500 or
 * more) may or may not have been applied.  Like the Terraform provider,
 * litellm_fdw then reads the name back, once, and says what it found:
 * applied, not applied, or unknown (only when the read fails too, or
 * cannot decide).  After a timeout the server may still be working on
 * the request, so only "applied" is taken from the read; after an answer
 * (or a closed connection) "not applied" is too.  A change of an existing
 * credential or model (a PATCH) cannot be told from the state by reading
 * (the values are masked), so it stays unknown.
 * ------------------------------------------------------------------------
 */

/*
 * lfdw_answer_lost
 *		Was the answer to a sent write lost, so that it may have been
 *		applied?  edata is its error; resp its answer, when one came.
 */
bool
lfdw_answer_lost(const ErrorData *edata, const LfdwHttpResponse *resp)
{
	if (edata == NULL)
		return false;
	if (edata->hint && strcmp(edata->hint, LFDW_HINT_MAY_HAVE_BEEN_APPLIED) == 0)
		return true;
	/* an error status of 500 or more that says nothing more precise */
	return resp != NULL && resp->status >= 500 &&
		edata->sqlerrcode == ERRCODE_FDW_ERROR;
}

/*
 * lfdw_model_remote_exists
 *		Does LiteLLM list a model of this id?  A lookup by id, not kept for
 *		the statement (it must see what is there now).
 */
bool
lfdw_model_remote_exists(const LfdwOptions *opts, const char *id)
{
	LfdwCall	call;
	LfdwHttpResponse *resp;
	LfdwModelPage *page;
	bool		no_route = false;
	bool		v1 = lfdw_stats_no_v2(opts->serverid);
	char	   *enc = lfdw_encode_path_segment(id);
	char	   *path = v1 ?
	psprintf("/model/info?litellm_model_id=%s", enc) :
	psprintf("/v2/model/info?modelId=%s&page=1&size=1", enc);
	LfdwModelRow row;
	bool		wanted[LFDW_MODEL_NUM_FIELDS] = {false};
	bool		taken = false;

	lfdw_call_begin(&call, opts, "GET", path, id);
	resp = lfdw_http_request(&call, NULL, 0);
	page = lfdw_model_read_page(&call, resp, v1 ? 0 : 1, &no_route);
	if (!no_route)
	{
		wanted[LFDW_MFIELD_ID] = true;
		while (!taken && lfdw_model_next(page, opts, wanted, &row))
		{
			CHECK_FOR_INTERRUPTS();
			taken = row.model_id && strcmp(row.model_id, id) == 0;
		}
	}
	lfdw_call_end(&call);
	if (no_route)
	{
		lfdw_stats_note_no_v2(opts->serverid);
		return lfdw_model_remote_exists(opts, id);
	}
	return taken;
}

/*
 * lfdw_remote_read_back
 *		What LiteLLM has after a write whose answer was lost (edata: its
 *		error): kind says what was sent, of a model (is_model) or a
 *		credential of this name or id; for a credential create, info (when
 *		not NULL) is what it sent, which a credential of that name must hold
 *		to count as this create's.  The read's own failure is caught (a
 *		cancel is not).
 */
LfdwLostOutcome
lfdw_remote_read_back(const LfdwOptions *opts, LfdwLostKind kind,
					  bool is_model, const char *name, Jsonb *info,
					  const ErrorData *edata)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool found = false;
	volatile bool same = true;
	volatile bool read_ok = true;
	bool		timed_out = edata && edata->message &&
	strstr(edata->message, " timed out") != NULL;

	if (name == NULL || kind == LFDW_LOST_CHANGE)
		return LFDW_LOST_UNKNOWN;
	PG_TRY();
	{
		if (is_model)
			found = lfdw_model_remote_exists(opts, name);
		else
		{
			Jsonb	   *now = NULL;

			found = fetch_fields(opts, name, info ? &now : NULL, NULL);
			if (found && info)
				same = DatumGetBool(DirectFunctionCall2(jsonb_contains,
														JsonbPGetDatum(now),
														JsonbPGetDatum(info)));
		}
	}
	PG_CATCH();
	{
		ErrorData  *err;

		MemoryContextSwitchTo(cxt);
		err = CopyErrorData();
		if (err->sqlerrcode == ERRCODE_QUERY_CANCELED)
			PG_RE_THROW();
		FlushErrorState();
		read_ok = false;
	}
	PG_END_TRY();

	if (!read_ok)
		return LFDW_LOST_UNKNOWN;
	if (kind == LFDW_LOST_CREATE)
	{
		if (found && same)
			return LFDW_LOST_APPLIED;
		return (!found && !timed_out) ? LFDW_LOST_NOT_APPLIED : LFDW_LOST_UNKNOWN;
	}
	if (!found)
		return LFDW_LOST_APPLIED;
	return timed_out ? LFDW_LOST_UNKNOWN : LFDW_LOST_NOT_APPLIED;
}

/*
 * lfdw_remote_last_read_back
 *		What the read back of the last write sent by send_write found
 *		(LFDW_LOST_NOT_LOST when its answer came, or it was not read back).
 */
LfdwLostOutcome
lfdw_remote_last_read_back(void)
{
	return last_read_back;
}

/*
 * lfdw_read_back_text
 *		The sentence of a DETAIL that says what a read back found.
 */
static const char *
lfdw_read_back_text(LfdwLostOutcome outcome)
{
	switch (outcome)
	{
		case LFDW_LOST_APPLIED:
			return "Its answer was lost; reading LiteLLM back shows the change was applied.";
		case LFDW_LOST_NOT_APPLIED:
			return "Its answer was lost; reading LiteLLM back shows the change was not applied.";
		case LFDW_LOST_UNKNOWN:
			return "Its answer was lost, and reading LiteLLM back could not tell whether the change was applied.";
		case LFDW_LOST_NOT_LOST:
			break;
	}
	return "";
}

/*
 * A write of send_write whose answer was lost: read back, and raise its
 * error again with what the read found after its DETAIL (and without the
 * hint that it may have been applied, when the read could tell).
 */
static void
read_back_and_rethrow(const LfdwOptions *opts, const char *method,
					  const char *path, const char *target_name,
					  bool is_model, Jsonb *info, ErrorData *edata)
{
	LfdwLostKind kind;

	/*
	 * A change cannot be told by reading, nor a model created without an id:
	 * raised as it was
	 */
	if (strcmp(method, "PATCH") == 0 || target_name == NULL)
		ReThrowError(edata);
	else if (strcmp(method, "DELETE") == 0 ||
			 strcmp(path, "/model/delete") == 0)
		kind = LFDW_LOST_DELETE;
	else
		kind = LFDW_LOST_CREATE;
	last_read_back = lfdw_remote_read_back(opts, kind, is_model, target_name,
										   info, edata);
	if (last_read_back != LFDW_LOST_UNKNOWN)
		edata->hint = NULL;
	lfdw_rethrow_with_detail(edata,
							 edata->detail ?
							 psprintf("%s\n%s", edata->detail,
									  lfdw_read_back_text(last_read_back)) :
							 lfdw_read_back_text(last_read_back));
}
