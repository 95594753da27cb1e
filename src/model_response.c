/*-------------------------------------------------------------------------
 *
 * model_response.c
 *		  Interpretation of the responses of LiteLLM's model endpoints:
 *		  pages of /v2/model/info and the list of /model/info into rows,
 *		  with litellm_params masked.
 *
 * A page is parsed once and its models handed out one at a time, like the
 * credential list (response.c parses, json.c converts).  litellm_params is
 * masked in the parsed tree before anything is converted (model_wire.c
 * says which keys count as secrets), so that no secret reaches a Datum;
 * the maskers of what is shown after a write are in secret.c.
 *
 * May call: response.c (parsing, errors), json.c, secret.c, model_wire.c,
 * wire.c; a parsed page is an opaque struct cJSON * here.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/model_response.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "model.h"
#include "secret.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "json.h"
#include "model_wire.h"
#include "wire.h"

struct LfdwModelPage
{
	struct cJSON *root;
	const struct cJSON *next;	/* next model to return */
	LfdwWireModelPage page;
	const char *server_name;
	LfdwCall	call;			/* the call that read it (a copy): its key and
								 * secrets clean what a message shows */
};

/*
 * lfdw_model_read_page
 *		Interpret a response of GET /v2/model/info (paginated) or
 *		/model/info.
 *
 * page_no is the page asked for (of /v2/model/info), or 0 for /model/info.
 * With a page number, a 404 that is not LiteLLM's own (the route does not
 * exist: LiteLLM before /v2/model/info) returns NULL and sets *no_route,
 * so that the caller can fall back to /model/info; and a page whose
 * "current_page" is another page is an unexpected response (HV004): the
 * next page asked for follows the one asked for, never the server's word,
 * so that a server answering every page as page 1 cannot make a scan read
 * the same page forever.  Any other error response raises the error it
 * stands for.  The parsed tree lives until the current memory context is
 * reset.
 */
LfdwModelPage *
lfdw_model_read_page(LfdwCall *call, LfdwHttpResponse *resp, int page_no,
					 bool *no_route)
{
	bool		paginated = page_no > 0;

	LfdwModelPage *page;
	struct cJSON *root;
	const char *duplicate;

	*no_route = false;
	if (resp->status < 200 || resp->status >= 300)
	{
		if (paginated && resp->status == 404 && !lfdw_is_litellm_error(resp))
		{
			*no_route = true;
			return NULL;
		}
		lfdw_raise_if_error(call, resp);
	}

	root = lfdw_parse_json_body(call, resp,
								"a JSON object with a \"data\" array");
	page = palloc0(sizeof(LfdwModelPage));
	page->root = root;
	page->server_name = call->opts->server_name;
	page->call = *call;
	if (!lfdw_wire_model_page(root, &page->page))
		lfdw_wrong_shape(call, resp, "a JSON object with a \"data\" array");
	if (paginated && page->page.paginated &&
		page->page.current_page != page_no)
		lfdw_unexpected_response(call->opts->server_name,
								 psprintf("Page %d was asked for, but the answer says it is page %d.",
										  page_no, page->page.current_page),
								 NULL, NULL);

	/* model_id is the row identity: two rows may not share one */
	duplicate = lfdw_wire_model_duplicate_id(page->page.data);
	if (duplicate)
		lfdw_unexpected_response(call->opts->server_name,
								 "Model \"%s\" is listed more than once.",
								 lfdw_remote_text(call, duplicate,
												  strlen(duplicate)),
								 NULL);
	page->next = lfdw_wire_first(page->page.data);
	return page;
}

/*
 * lfdw_model_page_count
 *		The total number of models the server says it has (a page of
 *		/v2/model/info), or the number of models in the list (/model/info).
 */
int
lfdw_model_page_count(LfdwModelPage *page)
{
	if (page->page.paginated && page->page.total_count >= 0)
		return (int) Min(page->page.total_count, (double) INT_MAX);
	return lfdw_wire_count(page->page.data);
}

/*
 * lfdw_model_page_more
 *		Is there a page after this one?  If so, *next_page is its number.
 *		*last_page is the caller's: 0 before the first page, then the
 *		"total_pages" of the first answer, which a later answer may lower
 *		but never raise, so that a server whose count grows with every page
 *		cannot make the scan run forever.  A page without models ends the
 *		scan whatever the counts say.  The page's own number has been
 *		checked against the one asked for (lfdw_model_read_page).
 */
bool
lfdw_model_page_more(LfdwModelPage *page, int *last_page, int *next_page)
{
	if (!page->page.paginated || lfdw_wire_first(page->page.data) == NULL)
		return false;
	if (*last_page == 0 || page->page.total_pages < *last_page)
		*last_page = page->page.total_pages;
	if (page->page.current_page >= *last_page)
		return false;
	*next_page = page->page.current_page + 1;
	return true;
}

/*
 * lfdw_model_next
 *		Produce the next model of a page as a row; false at the end.
 *		wanted[f] says which jsonb fields to convert.  The row is palloc'd
 *		in the current memory context.
 */
bool
lfdw_model_next(LfdwModelPage *page, const LfdwOptions *opts,
				const bool *wanted, LfdwModelRow *row)
{
	const struct cJSON *item;
	LfdwWireModel m;
	LfdwWireModelItem check;

	if (page == NULL || page->next == NULL)
		return false;
	item = page->next;
	page->next = lfdw_wire_next(item);

	memset(row, 0, sizeof(LfdwModelRow));
	/* the page's own tree: its litellm_params are masked in place */
	check = lfdw_wire_model((struct cJSON *) item, &m);
	if (check == LFDW_WIRE_MODEL_NO_ID)
		lfdw_unexpected_response(opts->server_name,
								 "Expected every model to be a JSON object with a non-empty string \"model_info\".\"id\".",
								 NULL, NULL);
	row->model_id = lfdw_json_server_string(m.id);
	if (check == LFDW_WIRE_MODEL_BAD_PARAM)
		lfdw_unexpected_response(opts->server_name,
								 psprintf("Expected \"litellm_params\".\"%s\" of model \"%%s\" to be a string.",
										  m.bad_param),
								 lfdw_remote_text(&page->call, row->model_id,
												  strlen(row->model_id)),
								 NULL);
	if (check != LFDW_WIRE_MODEL_OK)
		lfdw_unexpected_response(opts->server_name,
								 check == LFDW_WIRE_MODEL_BAD_PARAMS ?
								 "Expected \"litellm_params\" of model \"%s\" to be a JSON object." :
								 check == LFDW_WIRE_MODEL_BAD_NAME ?
								 "Expected \"model_name\" of model \"%s\" to be a string." :
								 "Model \"%s\" has a field given more than once.",
								 lfdw_remote_text(&page->call, row->model_id,
												  strlen(row->model_id)),
								 NULL);

	/* copy the plain fields before the params are masked in place */
	if (m.name)
		row->model_name = lfdw_json_server_string(m.name);
	if (m.litellm_model)
		row->litellm_model = lfdw_json_server_string(m.litellm_model);
	if (m.credential_name)
		row->credential_name = lfdw_json_server_string(m.credential_name);
	if (m.api_base)
		row->api_base = lfdw_model_shown_url(lfdw_json_server_string(m.api_base));

	if (m.params && !lfdw_mask_tree(opts, m.params, true))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("could not mask \"litellm_params\" of model \"%s\"",
						lfdw_shown(lfdw_remote_text(&page->call, row->model_id,
													strlen(row->model_id)))),
				 errdetail("It is nested too deeply, or memory ran out.")));
	if (wanted[LFDW_MFIELD_PARAMS])
		row->params = lfdw_json_to_jsonb(m.params);
	if (wanted[LFDW_MFIELD_INFO])
		row->info = lfdw_json_to_jsonb(m.info);
	return true;
}

/*
 * lfdw_model_confirm_write
 *		Check that the answer to a model write, which is no error (the
 *		caller looked), confirms it as LiteLLM does (doc/litellm-api.md
 *		sections 2.7 to 2.9): the stored row, a JSON object, for a create
 *		or an update; {"message": "Model: <id> deleted successfully"} for a
 *		delete.  Anything else (an empty, truncated or unparseable body,
 *		another shape) is an unexpected response that may have been
 *		applied, as for a credential.
 */
void
lfdw_model_confirm_write(LfdwCall *call, LfdwHttpResponse *resp,
						 bool is_delete)
{
	if (!lfdw_wire_model_write_confirmed(resp->body.data, resp->body.len,
										 is_delete))
		lfdw_unconfirmed_write(call, resp, is_delete ?
							   "a JSON object with a \"message\" string" :
							   "a JSON object describing the model");
}

/*
 * lfdw_model_created_id
 *		The id LiteLLM gave a model it created (the "model_id" of the stored
 *		row POST /model/new returns, or its model_info.id), or NULL when the
 *		response does not say.
 */
char *
lfdw_model_created_id(LfdwCall *call, LfdwHttpResponse *resp)
{
	const char *id;

	if (resp->body.len == 0)
		return NULL;
	id = lfdw_wire_created_model_id(lfdw_parse_json_body(call, resp,
														 "a JSON object describing the new model"));
	return id ? lfdw_json_server_string(id) : NULL;
}
