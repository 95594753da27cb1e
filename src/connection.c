/*-------------------------------------------------------------------------
 *
 * connection.c
 *		  HTTP transport of litellm_fdw: the libcurl handle cache, one
 *		  engine for every request (a single request is a batch of one) with
 *		  retries, cancellation and deadlines, the network policy
 *		  (litellm_fdw.allowed_urls), and the cache-invalidation and exit
 *		  callbacks of the handles.
 *
 * Layering: the bottom of the stack that talks to the network, and the only
 * file that includes libcurl.  It may call the wire files (wire.c: URL
 * parsing and the allowed_urls syntax) and secret.c (scrubbing remote text,
 * wiping secrets); it calls nothing above it: no statement, pending-change
 * or transaction logic.  The request ceiling of a statement and the GET
 * cache are checked a layer up (lfdw_http_request and lfdw_http_batch in
 * statement.c, which wrap lfdw_transport_request and lfdw_transport_batch),
 * and the transaction callbacks live in commit.c.
 *
 * One libcurl multi handle and one easy handle are kept per user mapping for
 * the life of the backend, so that HTTP keep-alive holds across statements
 * (the connection pool belongs to the multi handle).  A request is driven
 * through the multi interface in a loop that wakes at least every
 * POLL_INTERVAL_MS to run CHECK_FOR_INTERRUPTS, so that Ctrl-C and
 * statement_timeout stop a request promptly and report SQLSTATE 57014;
 * PG_FINALLY detaches the transfer, so an error thrown anywhere leaves the
 * handles reusable and frees the header list.
 *
 * Nothing here allocates with palloc inside a libcurl callback: a longjmp
 * through libcurl would corrupt it.  The body buffer grows with
 * MCXT_ALLOC_NO_OOM and an allocation failure aborts the transfer instead.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  src/connection.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "foreign/foreign.h"
#include "litellm_fdw.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "secret.h"
#include "storage/fd.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "wire.h"

/* read again now that curl.h is in: the libcurl shims */
#include "compat.h"

/* how often a waiting request wakes to look for interrupts */
#define POLL_INTERVAL_MS		100
/* first retry delay; doubles with each further retry */
#define RETRY_BASE_DELAY_MS		200
/* the longest a Retry-After header may make us wait */
#define RETRY_AFTER_CAP_MS		10000
#define USER_AGENT				"litellm_fdw/1.0"
/* the largest ca_file read: a bundle of every public CA is about 200 kB */
#define CA_FILE_MAX_BYTES		(1024 * 1024)

/*
 * A create or delete reuses a kept-alive connection only when it has been
 * idle at most this many seconds: well below the keep-alive timeout of the
 * servers LiteLLM runs on (uvicorn closes an idle connection after 5 s by
 * default), so that the server closing it just as the request leaves is
 * rare.  When it happens anyway, the request is not sent again
 * (prereq_callback): libcurl would resend it silently.
 */
#define WRITE_REUSE_MAX_IDLE_SECS	2

/* One cached pair of handles, per user mapping. */
typedef struct ConnCacheEntry
{
	Oid			umid;			/* hash key; must be first */
	CURLM	   *multi;			/* owns the keep-alive connection pool */
	CURL	   *easy;
	bool		invalidated;	/* server or mapping changed: rebuild */
	uint32		server_hashvalue;
	uint32		mapping_hashvalue;
} ConnCacheEntry;

/* What the libcurl callbacks of one transfer write into. */
typedef struct TransferState
{
	LfdwHttpResponse *resp;
	MemoryContext cxt;			/* where the body buffer lives */
	int64		max_bytes;
	bool		too_large;
	bool		out_of_memory;
	bool		never_connected;	/* failed before sending anything */
	int			sends;			/* times libcurl was about to send it */
	bool		resend_refused; /* a second send stopped: may be applied */
	int64		content_length; /* announced by the server, or -1 */
	char		content_type[128];
	char		retry_after[64];
	/* litellm_fdw.allowed_urls in force: the host every socket must reach */
	LfdwWireUrl *policy;
	bool		address_refused;	/* a socket was refused for its address */
	char		refused_address[INET6_ADDRSTRLEN + 16];
} TransferState;

static HTAB *ConnectionHash = NULL;

/*
 * litellm_fdw.allowed_urls (defined in _PG_init): the URL prefixes servers
 * may point at.  The transport owns the network policy; the validator asks
 * it too.
 */
char	   *lfdw_allowed_urls = NULL;

/*
 * When a batch must stop with SQLSTATE 57014, or 0: PostgreSQL disarms
 * statement_timeout before committing, so the calls made at commit keep
 * their own deadline (lfdw_set_deadline).
 */
static TimestampTz batch_deadline = 0;

/* Helper functions */
static ConnCacheEntry *get_entry(const LfdwOptions *opts);
static void release_entry_handles(ConnCacheEntry *entry);
static void prepare_transfer(CURL *h, LfdwCall *call, const char *url,
							 const char *body, size_t body_len,
							 TransferState *ts, char *errbuf,
							 struct curl_slist **headers);
static void finish_transfer(CURL *h, struct curl_slist *headers);
static void set_ca_file(CURL *h, const LfdwOptions *opts);
static char *read_ca_file(const LfdwOptions *opts, size_t *len);
static curl_socket_t open_socket_callback(void *clientp, curlsocktype purpose,
										  struct curl_sockaddr *address);
static void collect_transfer(CURL *h, CURLcode result, TransferState *ts);
static int	multi_step(ConnCacheEntry *entry, const LfdwOptions *opts,
					   long wait_ms, int attached);
static void finish_response(LfdwCall *call, CURLcode code, TransferState *ts,
							const char *errbuf, bool idempotent);
static void judge_item(LfdwBatchItem *item, CURLcode code, TransferState *ts,
					   const char *errbuf, bool idempotent,
					   LfdwBatchCheck check, void *arg, MemoryContext cxt);
static size_t write_callback(char *ptr, size_t size, size_t nmemb, void *arg);
static size_t header_callback(char *ptr, size_t size, size_t nmemb, void *arg);
#ifdef LFDW_WRITES_REUSE_CONNECTIONS
static int	prereq_callback(void *arg, char *conn_primary_ip,
							char *conn_local_ip, int conn_primary_port,
							int conn_local_port);
#endif
static bool idempotent_method(const char *method);
static bool retryable_status(long status);
static bool retryable_transport(CURLcode code, bool idempotent);
static long retry_delay_ms(int attempt, const char *retry_after);
static void report_transport_error(LfdwCall *call, CURLcode code,
								   const char *errbuf, bool idempotent);
static void call_error_callback(void *arg);
static void inval_callback(Datum arg, int cacheid, uint32 hashvalue);
static void exit_callback(int code, Datum arg);

/* libcurl's memory, wiped when freed (see curl_wiping_malloc) */
static void *curl_wiping_malloc(size_t size);
static void curl_wiping_free(void *ptr);
static void *curl_wiping_realloc(void *ptr, size_t size);
static char *curl_wiping_strdup(const char *str);
static void *curl_wiping_calloc(size_t nmemb, size_t size);

/*
 * lfdw_connection_init
 *		Process-wide set-up, run once from _PG_init: libcurl, and closing
 *		the connections at backend exit.
 */
void
lfdw_connection_init(void)
{
	if (curl_global_init_mem(CURL_GLOBAL_ALL, curl_wiping_malloc,
							 curl_wiping_free, curl_wiping_realloc,
							 curl_wiping_strdup,
							 curl_wiping_calloc) != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not initialize libcurl")));
	on_proc_exit(exit_callback, (Datum) 0);
}

/*
 * libcurl's memory, wiped when freed.  libcurl copies what it sends into
 * buffers of its own (the request line and headers, the Authorization or
 * x-litellm-api-key header among them, and a body of up to 64 kB sent in
 * the same write) and frees them without clearing them, so that a core
 * file or /proc/PID/mem of an idle backend would show the key and the
 * secrets of the last write.  curl_global_init_mem routes every allocation
 * of libcurl through these functions, which keep the size of each block in
 * a header in front of it, so that freeing it (or moving it, for realloc)
 * wipes all of it.  malloc, never palloc: libcurl's handles outlive every
 * memory context, and an error thrown inside libcurl would corrupt it.
 * What libcurl keeps for the life of a handle (its download buffer, and
 * the upload buffer of a body over 64 kB) is not freed, so not wiped; nor
 * is the memory of the TLS library (doc/security.md).
 */
typedef union WipeHeader
{
	size_t		size;			/* bytes the caller asked for */
	long double align_ld;		/* the alignment of malloc */
	void	   *align_p;
	long long	align_ll;
} WipeHeader;

static void *
curl_wiping_malloc(size_t size)
{
	WipeHeader *h;

	if (size > SIZE_MAX - sizeof(WipeHeader))
		return NULL;
	h = malloc(sizeof(WipeHeader) + size);
	if (h == NULL)
		return NULL;
	h->size = size;
	return h + 1;
}

static void
curl_wiping_free(void *ptr)
{
	WipeHeader *h;

	if (ptr == NULL)
		return;
	h = (WipeHeader *) ptr - 1;
	explicit_bzero(h, sizeof(WipeHeader) + h->size);
	free(h);
}

/* a new block, the old one wiped: realloc would leave a copy behind */
static void *
curl_wiping_realloc(void *ptr, size_t size)
{
	void	   *moved;
	size_t		old;

	if (ptr == NULL)
		return curl_wiping_malloc(size);
	old = ((WipeHeader *) ptr - 1)->size;
	if (size <= old)
	{
		/* shrinking in place: wipe the tail, keep the size for the free */
		if (size < old)
			explicit_bzero((char *) ptr + size, old - size);
		((WipeHeader *) ptr - 1)->size = size;
		if (size > 0)
			return ptr;
	}
	if (size == 0)
	{
		curl_wiping_free(ptr);
		return NULL;
	}
	moved = curl_wiping_malloc(size);
	if (moved == NULL)
		return NULL;			/* the old block stays, as with realloc */
	memcpy(moved, ptr, old);
	curl_wiping_free(ptr);
	return moved;
}

static char *
curl_wiping_strdup(const char *str)
{
	size_t		len = strlen(str) + 1;
	char	   *copy = curl_wiping_malloc(len);

	if (copy)
		memcpy(copy, str, len);
	return copy;
}

static void *
curl_wiping_calloc(size_t nmemb, size_t size)
{
	void	   *ptr;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	ptr = curl_wiping_malloc(nmemb * size);
	if (ptr)
		memset(ptr, 0, nmemb * size);
	return ptr;
}

/*
 * lfdw_call_begin
 *		Start a logical remote call: from here until lfdw_call_end, every
 *		error carries the context line "LiteLLM request: METHOD PATH".
 *
 * An error raised in between unwinds the error context stack by itself.
 * Within PG_TRY, call both inside the PG_TRY block: PG_END_TRY restores the
 * stack as it was when PG_TRY started.
 */
void
lfdw_call_begin(LfdwCall *call, const LfdwOptions *opts, const char *method,
				const char *path, const char *target_name)
{
	lfdw_call_prepare(call, opts, method, path, target_name);
	call->errcb.previous = error_context_stack;
	error_context_stack = &call->errcb;
}

/*
 * lfdw_call_prepare
 *		Fill in a call without pushing its error context: for the items of
 *		a batch, whose context is pushed only while each answer is judged.
 */
void
lfdw_call_prepare(LfdwCall *call, const LfdwOptions *opts, const char *method,
				  const char *path, const char *target_name)
{
	call->opts = opts;
	call->method = method;
	call->path = path;
	call->target_name = target_name;
	call->secrets = NIL;
	call->errcb.callback = call_error_callback;
	call->errcb.arg = call;
	call->errcb.previous = NULL;
}

void
lfdw_call_end(LfdwCall *call)
{
	Assert(error_context_stack == &call->errcb);
	error_context_stack = call->errcb.previous;
	lfdw_wipe_strings(call->secrets);
	call->secrets = NIL;
}

static void
call_error_callback(void *arg)
{
	LfdwCall   *call = (LfdwCall *) arg;

	errcontext("LiteLLM request: %s %s", call->method, call->path);
}

/*
 * lfdw_transport_request
 *		Send one request and return the response, whatever its status: a
 *		batch of one (lfdw_transport_batch), so that retries, Retry-After,
 *		cancellation and the deadline are those of every request.  Callers
 *		use lfdw_http_request (statement.c), which counts the request
 *		against the statement's ceiling first.
 *
 * Transport failures (connection refused, reset, timeout, TLS) raise an
 * error here.  A request is retried up to max_retries times, with
 * exponential backoff or the server's Retry-After: an idempotent one (GET,
 * PATCH) after a connection failure or a 429, 502, 503 or 504 reply, any
 * other one only when the connection could not be established (nothing was
 * sent).  The call is on the error context stack (lfdw_call_begin).  The
 * response is palloc'd in the current memory context.
 */
LfdwHttpResponse *
lfdw_transport_request(LfdwCall *call, const char *body, size_t body_len)
{
	LfdwBatchItem item;

	memset(&item, 0, sizeof(item));
	item.call = *call;
	item.body = body;
	item.body_len = body_len;
	if (lfdw_transport_batch(call->opts, &item, 1, true, NULL, NULL) > 0)
		ReThrowError(item.error);
	return item.resp;
}

/*
 * Turn a finished transfer into a response, or raise the error of a failed
 * one: out of memory, too large, or a transport failure.
 */
static void
finish_response(LfdwCall *call, CURLcode code, TransferState *ts,
				const char *errbuf, bool idempotent)
{
	const LfdwOptions *opts = call->opts;
	LfdwHttpResponse *resp = ts->resp;

	if (ts->out_of_memory)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not store the response from LiteLLM server \"%s\".",
						   opts->server_name)));
	if (ts->too_large || code == CURLE_FILESIZE_EXCEEDED)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("response from LiteLLM server \"%s\" exceeds max_response_bytes (%lld bytes)",
						opts->server_name, (long long) opts->max_response_bytes),
				 errhint("Raise the server option max_response_bytes if the response is expected to be this large.")));
	if (code != CURLE_OK && ts->address_refused)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("connection to LiteLLM server \"%s\" is not allowed by litellm_fdw.allowed_urls",
						opts->server_name),
				 errdetail("The connection would have gone to %s, which is not an address of the server's host.",
						   ts->refused_address),
				 errhint("Check for a proxy in the environment of the PostgreSQL server, or a host name whose address changed.")));
	if (code != CURLE_OK && ts->resend_refused)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
				 errmsg("could not complete a request to LiteLLM server \"%s\"",
						opts->server_name),
				 errdetail("The kept-alive connection closed without an answer after the request was sent; it was not sent again."),
				 errhint(LFDW_HINT_MAY_HAVE_BEEN_APPLIED)));
	if (code != CURLE_OK)
		report_transport_error(call, code, errbuf, idempotent);

	if (ts->content_type[0] && resp->content_type == NULL)
		resp->content_type = pstrdup(ts->content_type);
	if (ts->retry_after[0] && resp->retry_after == NULL)
		resp->retry_after = pstrdup(ts->retry_after);
}

/*
 * Set up an easy handle for one request of a call.  The header list (which
 * holds the API key) is stored in *headers as soon as it exists, so that the
 * caller can wipe and free it on every way out, errors included.
 */
static void
prepare_transfer(CURL *h, LfdwCall *call, const char *url, const char *body,
				 size_t body_len, TransferState *ts, char *errbuf,
				 struct curl_slist **headers)
{
	const LfdwOptions *opts = call->opts;
	struct curl_slist *list = NULL;

	curl_easy_reset(h);

	/*
	 * litellm_fdw.allowed_urls: the server's URL must fall under it now (it
	 * may have changed since the DDL), and every socket opened must reach an
	 * address that URL's host resolves to (open_socket_callback), so that
	 * neither a proxy nor a resolution that changed in between takes the
	 * request elsewhere.
	 */
	ts->policy = NULL;
	if (lfdw_allowed_urls != NULL && lfdw_allowed_urls[0] != '\0')
	{
		ts->policy = palloc(sizeof(LfdwWireUrl));
		lfdw_check_url_allowed(opts->url, opts->server_name);
		if (!lfdw_wire_parse_url(opts->url, strlen(opts->url), ts->policy))
			lfdw_check_url_allowed("", opts->server_name);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* send the path as built: never squash a dot segment of a name */
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	lfdw_curl_http_only(h);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long) opts->timeout_ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
					 (long) opts->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
					 (curl_off_t) opts->max_response_bytes);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_callback);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, ts);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_callback);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, ts);
	curl_easy_setopt(h, CURLOPT_PRIVATE, ts);
	if (ts->policy)
	{
		curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket_callback);
		curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, ts);
	}
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, opts->ssl_verify ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, opts->ssl_verify ? 2L : 0L);
	if (opts->ca_file && opts->ssl_verify &&
		pg_strncasecmp(url, "https://", 8) == 0)
		set_ca_file(h, opts);

	if (strcmp(call->method, "GET") == 0)
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	else
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, call->method);

	/*
	 * libcurl silently resends a request when a reused connection dies before
	 * any byte of the answer, which is right for a stale keep-alive
	 * connection but sends a create or delete twice if the server had read
	 * it.  Those reuse only a connection idle for a short while, and
	 * prereq_callback stops a second send: the error then says the change may
	 * have been applied.  Without that callback (libcurl before 7.80), they
	 * go over a connection of their own.
	 */
	ts->sends = 0;
	ts->resend_refused = false;
	if (!idempotent_method(call->method))
	{
#ifdef LFDW_WRITES_REUSE_CONNECTIONS
		curl_easy_setopt(h, CURLOPT_MAXAGE_CONN,
						 (long) WRITE_REUSE_MAX_IDLE_SECS);
		curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, prereq_callback);
		curl_easy_setopt(h, CURLOPT_PREREQDATA, ts);
#else
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		/* and closed after, rather than piling up idle in the cache */
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
#endif
	}
	if (body)
	{
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
						 (curl_off_t) body_len);
	}

	list = curl_slist_append(list, "Accept: application/json");
	if (list)
		*headers = list;
	if (body && list)
		list = curl_slist_append(list, "Content-Type: application/json");
	/* no 100-continue round trip for small bodies */
	if (list)
		list = curl_slist_append(list, "Expect:");
	if (list && opts->api_key)
	{
		char	   *line;

		if (opts->auth_x_litellm)
			line = psprintf("x-litellm-api-key: Bearer %s", opts->api_key);
		else
			line = psprintf("Authorization: Bearer %s", opts->api_key);
		list = curl_slist_append(list, line);
		explicit_bzero(line, strlen(line));
		pfree(line);
	}
	if (list == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
}

/*
 * Trust the certificate authorities of the server option ca_file: read
 * here (read_ca_file) and handed to libcurl as bytes, which it copies, so
 * that libcurl never opens the path itself.
 */
static void
set_ca_file(CURL *h, const LfdwOptions *opts)
{
#ifdef LFDW_HAVE_CAINFO_BLOB
	struct curl_blob blob;
	size_t		len;
	char	   *data = read_ca_file(opts, &len);
	CURLcode	rc;

	blob.data = data;
	blob.len = len;
	blob.flags = CURL_BLOB_COPY;
	rc = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
	pfree(data);
	if (rc != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("could not use the ca_file of LiteLLM server \"%s\"",
						opts->server_name),
				 errdetail_internal("%s", curl_easy_strerror(rc))));
#else
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("option \"ca_file\" of LiteLLM server \"%s\" needs libcurl 7.77 or later",
					opts->server_name),
			 errdetail("This build of litellm_fdw uses libcurl %s.",
					   LIBCURL_VERSION)));
#endif
}

/*
 * Read the server option ca_file into a palloc'd buffer of *len bytes.
 *
 * Only a regular file of at most CA_FILE_MAX_BYTES is read: a FIFO, a
 * pipe (/proc/self/fd/N), a device or a directory is refused without a
 * read, since reading one could block the backend where no interrupt
 * reaches it.  O_NONBLOCK keeps the open of a FIFO from waiting for a
 * writer; the size is checked again while reading, since a file of /proc
 * shows size 0.
 */
static char *
read_ca_file(const LfdwOptions *opts, size_t *len)
{
	const char *path = opts->ca_file;
	struct stat st;
	char	   *buf;
	size_t		size;
	size_t		n = 0;
	int			fd;

	fd = OpenTransientFile(path, O_RDONLY | O_NONBLOCK | PG_BINARY);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open the ca_file of LiteLLM server \"%s\": %m",
						opts->server_name),
				 errdetail("The file is \"%s\".", path)));
	if (fstat(fd, &st) < 0)
	{
		int			save_errno = errno;

		CloseTransientFile(fd);
		errno = save_errno;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat the ca_file of LiteLLM server \"%s\": %m",
						opts->server_name),
				 errdetail("The file is \"%s\".", path)));
	}
	if (!S_ISREG(st.st_mode))
	{
		CloseTransientFile(fd);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("the ca_file of LiteLLM server \"%s\" is not a regular file",
						opts->server_name),
				 errdetail("The file is \"%s\".", path),
				 errhint("Set ca_file to a PEM file of certificate authorities.")));
	}
	if (st.st_size > CA_FILE_MAX_BYTES)
	{
		CloseTransientFile(fd);
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the ca_file of LiteLLM server \"%s\" is larger than %d bytes",
						opts->server_name, CA_FILE_MAX_BYTES),
				 errdetail("The file is \"%s\".", path)));
	}

	/* room for one byte more than the cap, to see a file that grew */
	size = Min((size_t) st.st_size + 1, (size_t) CA_FILE_MAX_BYTES + 1);
	size = Max(size, 8192);
	buf = palloc(size);
	for (;;)
	{
		ssize_t		r;

		CHECK_FOR_INTERRUPTS();
		if (n == size)
		{
			size = Min(size * 2, (size_t) CA_FILE_MAX_BYTES + 1);
			buf = repalloc(buf, size);
		}
		r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
		{
			int			save_errno = errno;

			CloseTransientFile(fd);
			errno = save_errno;
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not read the ca_file of LiteLLM server \"%s\": %m",
							opts->server_name),
					 errdetail("The file is \"%s\".", path)));
		}
		if (r == 0)
			break;
		n += (size_t) r;
		if (n > CA_FILE_MAX_BYTES)
		{
			CloseTransientFile(fd);
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the ca_file of LiteLLM server \"%s\" is larger than %d bytes",
							opts->server_name, CA_FILE_MAX_BYTES),
					 errdetail("The file is \"%s\".", path)));
		}
	}
	CloseTransientFile(fd);
	*len = n;
	return buf;
}

/*
 * lfdw_check_url_allowed
 *		Raise an error unless litellm_fdw.allowed_urls is empty or url falls
 *		under one of its prefixes.  Checked when the DDL runs and before
 *		every request, since the setting may have changed in between.
 */
void
lfdw_check_url_allowed(const char *url, const char *server_name)
{
	if (lfdw_allowed_urls == NULL || lfdw_allowed_urls[0] == '\0')
		return;
	if (lfdw_wire_allowed_urls_check(lfdw_allowed_urls, url) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 server_name ?
				 errmsg("URL of LiteLLM server \"%s\" is not allowed by litellm_fdw.allowed_urls",
						server_name) :
				 errmsg("URL is not allowed by litellm_fdw.allowed_urls"),
				 errhint("A superuser can add the URL to litellm_fdw.allowed_urls.")));
}

/*
 * Is this socket address one of those the host of the allowed URL resolves
 * to, at its port?  Runs inside libcurl: no palloc, no ereport.
 */
static bool
address_allowed(const LfdwWireUrl *policy, const struct sockaddr *addr)
{
	struct addrinfo hints;
	struct addrinfo *res = NULL;
	struct addrinfo *ai;
	char		port[8];
	bool		found = false;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", policy->port);
	if (getaddrinfo(policy->host, port, &hints, &res) != 0)
		return false;
	for (ai = res; ai && !found; ai = ai->ai_next)
	{
		if (ai->ai_family != addr->sa_family)
			continue;
		if (addr->sa_family == AF_INET)
		{
			const struct sockaddr_in *a = (const struct sockaddr_in *) addr;
			const struct sockaddr_in *b = (const struct sockaddr_in *) ai->ai_addr;

			found = a->sin_port == b->sin_port &&
				a->sin_addr.s_addr == b->sin_addr.s_addr;
		}
		else if (addr->sa_family == AF_INET6)
		{
			const struct sockaddr_in6 *a = (const struct sockaddr_in6 *) addr;
			const struct sockaddr_in6 *b = (const struct sockaddr_in6 *) ai->ai_addr;

			found = a->sin6_port == b->sin6_port &&
				memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
		}
	}
	freeaddrinfo(res);
	return found;
}

/*
 * CURLOPT_OPENSOCKETFUNCTION under litellm_fdw.allowed_urls: open the
 * socket only towards an address of the allowed host (address_allowed);
 * otherwise note the address for the error and refuse.
 */
static curl_socket_t
open_socket_callback(void *clientp, curlsocktype purpose,
					 struct curl_sockaddr *address)
{
	TransferState *ts = (TransferState *) clientp;
	const struct sockaddr *addr = &address->addr;

	if (ts->policy == NULL || !address_allowed(ts->policy, addr))
	{
		char		host[INET6_ADDRSTRLEN];

		ts->address_refused = true;
		if (addr->sa_family == AF_INET &&
			inet_ntop(AF_INET, &((const struct sockaddr_in *) addr)->sin_addr,
					  host, sizeof(host)))
			snprintf(ts->refused_address, sizeof(ts->refused_address),
					 "%s port %d", host,
					 ntohs(((const struct sockaddr_in *) addr)->sin_port));
		else if (addr->sa_family == AF_INET6 &&
				 inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) addr)->sin6_addr,
						   host, sizeof(host)))
			snprintf(ts->refused_address, sizeof(ts->refused_address),
					 "%s port %d", host,
					 ntohs(((const struct sockaddr_in6 *) addr)->sin6_port));
		else
			snprintf(ts->refused_address, sizeof(ts->refused_address),
					 "an address of another family");
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

/*
 * Undo prepare_transfer: wipe and free the header list, and drop the
 * pointers into our memory that the handle holds.
 */
static void
finish_transfer(CURL *h, struct curl_slist *headers)
{
	struct curl_slist *item;

	/* the header list holds the key: wipe it before libcurl frees it */
	for (item = headers; item; item = item->next)
		explicit_bzero(item->data, strlen(item->data));
	curl_slist_free_all(headers);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
}

/*
 * The outcome of a finished transfer: the status into the response, or
 * whether it failed before anything was sent.
 */
static void
collect_transfer(CURL *h, CURLcode result, TransferState *ts)
{
	if (result == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ts->resp->status);
	else
	{
		curl_off_t	pretransfer = 0;

		/* the transfer never started: no connection, nothing sent */
		curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
		ts->never_connected = (pretransfer == 0);
	}
}

/*
 * One place of a batch: an easy handle of its own, and the item it is
 * sending, or waiting to send again after a retryable failure.
 */
typedef struct BatchSlot
{
	CURL	   *easy;
	int			item;			/* index into the items, or -1 when free */
	int			attempt;		/* retries made so far */
	bool		attached;		/* in the multi handle now */
	TimestampTz not_before;		/* waiting to retry until then */
	struct curl_slist *headers;
	char	   *url;
	TransferState ts;
	char		errbuf[CURL_ERROR_SIZE];
} BatchSlot;

/*
 * Judge the answer to one item of a batch, keeping any error in
 * item->error.  A function of its own so that its PG_TRY is not nested in
 * the batch's (see delete_quietly in remote_write.c).
 */
static void
judge_item(LfdwBatchItem *item, CURLcode code, TransferState *ts,
		   const char *errbuf, bool idempotent, LfdwBatchCheck check,
		   void *arg, MemoryContext cxt)
{
	/* a batch of one (lfdw_transport_request): the call may be pushed already */
	bool		push = !(error_context_stack != NULL &&
						 error_context_stack->callback == item->call.errcb.callback &&
						 error_context_stack->arg == item->call.errcb.arg);

	PG_TRY();
	{
		if (push)
		{
			item->call.errcb.previous = error_context_stack;
			error_context_stack = &item->call.errcb;
		}
		finish_response(&item->call, code, ts, errbuf, idempotent);
		item->resp = ts->resp;
		if (check)
			check(item, arg);
		if (push)
			error_context_stack = item->call.errcb.previous;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		item->error = CopyErrorData();
		FlushErrorState();
	}
	PG_END_TRY();
}

/*
 * lfdw_set_deadline
 *		Make batches stop at this time as statement_timeout would (0: no
 *		deadline).
 */
void
lfdw_set_deadline(TimestampTz deadline)
{
	batch_deadline = deadline;
}

/*
 * One run of lfdw_transport_batch: its places, its items and how far it
 * has come.
 */
typedef struct BatchRun
{
	ConnCacheEntry *entry;
	const LfdwOptions *opts;
	BatchSlot  *slots;
	int			nslots;
	LfdwBatchItem *items;
	int			n;
	int			next;			/* the first item not started yet */
	int			failed;
	bool		stop_on_error;
	LfdwBatchCheck check;
	void	   *arg;
	MemoryContext cxt;			/* where answers and errors are kept */
} BatchRun;

/*
 * Start the transfers that may start: a free place takes the next item
 * (none after a failure with stop_on_error), a place waiting to retry
 * starts again once its delay is over.  *wait_ms is lowered to the nearest
 * such delay.  False when nothing is left to do.
 */
static bool
start_transfers(BatchRun *run, long *wait_ms)
{
	TimestampTz now = GetCurrentTimestamp();
	bool		busy = false;
	int			i;

	for (i = 0; i < run->nslots; i++)
	{
		BatchSlot  *slot = &run->slots[i];
		LfdwBatchItem *item;

		if (slot->item < 0)
		{
			if (run->next >= run->n || (run->stop_on_error && run->failed > 0))
				continue;
			slot->item = run->next++;
			slot->attempt = 0;
			slot->not_before = 0;
		}
		busy = true;
		if (slot->attached)
			continue;
		if (slot->not_before > now)
		{
			long		secs;
			int			usecs;

			TimestampDifference(now, slot->not_before, &secs, &usecs);
			*wait_ms = Min(*wait_ms, secs * 1000 + usecs / 1000 + 1);
			continue;
		}
		item = &run->items[slot->item];

		/*
		 * A batch of one uses the handle kept for the backend (a check may
		 * send a request of its own once its item is out of the multi handle:
		 * never while another item is in it)
		 */
		if (slot->easy == NULL && run->n == 1)
			slot->easy = run->entry->easy;
		if (slot->easy == NULL && (slot->easy = curl_easy_init()) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Could not create a libcurl handle.")));
		memset(&slot->ts, 0, sizeof(TransferState));
		slot->ts.content_length = -1;
		slot->ts.resp = palloc0(sizeof(LfdwHttpResponse));
		slot->ts.cxt = run->cxt;
		slot->ts.max_bytes = run->opts->max_response_bytes;
		slot->errbuf[0] = '\0';
		if (slot->url == NULL)
			slot->url = psprintf("%s%s", run->opts->url, item->call.path);
		prepare_transfer(slot->easy, &item->call, slot->url,
						 item->body, item->body_len, &slot->ts,
						 slot->errbuf, &slot->headers);
		if (curl_multi_add_handle(run->entry->multi, slot->easy) != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("could not start a request to LiteLLM server \"%s\"",
							run->opts->server_name)));
		slot->attached = true;
		item->sent = true;
	}
	return busy;
}

/*
 * Take the transfers that have finished out of the multi handle: each is
 * either set to be retried later in the same place, or judged (judge_item),
 * which frees its place.
 */
static void
collect_finished(BatchRun *run)
{
	CURLMsg    *msg;
	int			msgs_left;
	int			i;

	while ((msg = curl_multi_info_read(run->entry->multi, &msgs_left)) != NULL)
	{
		BatchSlot  *slot = NULL;
		LfdwBatchItem *item;
		CURLcode	code;
		bool		idempotent;

		if (msg->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < run->nslots; i++)
			if (run->slots[i].attached && run->slots[i].easy == msg->easy_handle)
				slot = &run->slots[i];
		if (slot == NULL)
			continue;
		code = msg->data.result;
		item = &run->items[slot->item];
		idempotent = idempotent_method(item->call.method);

		curl_multi_remove_handle(run->entry->multi, slot->easy);
		slot->attached = false;
		collect_transfer(slot->easy, code, &slot->ts);
		finish_transfer(slot->easy, slot->headers);
		slot->headers = NULL;

		if (code == CURLE_OPERATION_TIMEDOUT && slot->ts.never_connected)
			code = CURLE_COULDNT_CONNECT;

		/* retry later, in the same place */
		if (slot->attempt < run->opts->max_retries &&
			!slot->ts.too_large && !slot->ts.out_of_memory &&
			!slot->ts.address_refused &&
			((code == CURLE_OK && idempotent &&
			  retryable_status(slot->ts.resp->status)) ||
			 (code != CURLE_OK && retryable_transport(code, idempotent))))
		{
			/* the server's Retry-After for a status it sent */
			long		delay_ms =
			retry_delay_ms(slot->attempt,
						   code == CURLE_OK && slot->ts.retry_after[0] ?
						   slot->ts.retry_after : NULL);

			elog(DEBUG1, "litellm_fdw: retrying %s %s",
				 item->call.method, item->call.path);
			slot->attempt++;
			slot->not_before =
				TimestampTzPlusMilliseconds(GetCurrentTimestamp(), delay_ms);
			continue;
		}

		/* done: judge the answer, keeping any error it raises */
		judge_item(item, code, &slot->ts, slot->errbuf, idempotent,
				   run->check, run->arg, run->cxt);
		item->done = true;
		if (item->error)
		{
			run->failed++;
			/* a cancel noticed while judging is still a cancel */
			if (item->error->sqlerrcode == ERRCODE_QUERY_CANCELED)
				ReThrowError(item->error);
		}
		if (slot->url)
			pfree(slot->url);
		slot->url = NULL;
		slot->item = -1;
	}
}

/*
 * lfdw_transport_batch
 *		Send many requests, up to opts->max_concurrency at a time, over the
 *		keep-alive pool of the user mapping.
 *
 * Each answer is handed to check() as it arrives (outside libcurl, with the
 * item's call on the error context stack); an error that check() raises,
 * like a transport failure, is caught and kept in item->error.  With
 * stop_on_error, no new request starts after the first failure, but those
 * in flight are waited for, so that every item ends known: not sent, or
 * sent with a known outcome.  Retries follow the rules of
 * lfdw_transport_request.  A batch of one uses the easy handle kept for
 * the user mapping; a larger one makes a handle per place.  Returns the
 * number of failed items.
 *
 * Nothing here counts requests or knows about statements: the callers go
 * through lfdw_http_batch (statement.c), which checks the statement's
 * request ceiling first.
 *
 * Interrupts are not caught: a cancel abandons the requests in flight
 * (item->sent && !item->done) and propagates; the caller says what that
 * leaves.
 */
int
lfdw_transport_batch(const LfdwOptions *opts, LfdwBatchItem *items, int n,
					 bool stop_on_error, LfdwBatchCheck check, void *arg)
{
	BatchRun	run;
	int			i;

	memset(&run, 0, sizeof(run));
	run.entry = get_entry(opts);
	run.opts = opts;
	run.nslots = Min(opts->max_concurrency, n);
	run.slots = palloc0(sizeof(BatchSlot) * Max(run.nslots, 1));
	run.items = items;
	run.n = n;
	run.stop_on_error = stop_on_error;
	run.check = check;
	run.arg = arg;
	run.cxt = CurrentMemoryContext;
	for (i = 0; i < run.nslots; i++)
		run.slots[i].item = -1;

	PG_TRY();
	{
		pgstat_report_wait_start(lfdw_wait_event());
		for (;;)
		{
			long		wait_ms = POLL_INTERVAL_MS;
			int			nattached = 0;

			if (!start_transfers(&run, &wait_ms))
				break;

			/* a cancel throws in there; PG_FINALLY detaches what is in flight */
			for (i = 0; i < run.nslots; i++)
				if (run.slots[i].attached)
					nattached++;
			(void) multi_step(run.entry, opts, wait_ms, nattached);
			if (batch_deadline != 0 && GetCurrentTimestamp() >= batch_deadline)
				ereport(ERROR,
						(errcode(ERRCODE_QUERY_CANCELED),
						 errmsg("canceling statement due to statement timeout")));
			collect_finished(&run);
		}
		pgstat_report_wait_end();
	}
	PG_FINALLY();
	{
		pgstat_report_wait_end();
		for (i = 0; i < run.nslots; i++)
		{
			BatchSlot  *slot = &run.slots[i];

			if (slot->attached)
				curl_multi_remove_handle(run.entry->multi, slot->easy);
			if (slot->easy)
			{
				finish_transfer(slot->easy, slot->headers);
				if (slot->easy != run.entry->easy)
					curl_easy_cleanup(slot->easy);
			}
		}
		pfree(run.slots);
	}
	PG_END_TRY();

	return run.failed;
}

/*
 * Drive the transfers of a multi handle: send and receive what can be,
 * wait up to wait_ms for a socket, then look for interrupts (a cancel or
 * timeout throws there).  attached is the number of transfers in the multi
 * handle: when fewer are running, one has just finished and its answer is
 * waiting to be read, so there is no wait (no socket would end it: the
 * whole wait_ms would be lost); with none attached, a batch waits to retry.
 * Returns the transfers still running.
 */
static int
multi_step(ConnCacheEntry *entry, const LfdwOptions *opts, long wait_ms,
		   int attached)
{
	int			running = 0;
	CURLMcode	mc = curl_multi_perform(entry->multi, &running);

	if (mc == CURLM_OK && (attached == 0 || (running > 0 && running >= attached)))
		mc = curl_multi_poll(entry->multi, NULL, 0, (int) wait_ms, NULL);
	if (mc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not run a request to LiteLLM server \"%s\"",
						opts->server_name),
				 errdetail_internal("%s", curl_multi_strerror(mc))));
	CHECK_FOR_INTERRUPTS();
	/* what arrived while waiting */
	if (running)
		(void) curl_multi_perform(entry->multi, &running);
	return running;
}

#ifdef LFDW_WRITES_REUSE_CONNECTIONS
/*
 * libcurl pre-request callback of a create or delete: called each time the
 * request is about to be sent.  A second time is libcurl resending it after
 * a reused connection died with no answer, when the server may have read
 * and applied it: refuse (the transfer fails with
 * CURLE_ABORTED_BY_CALLBACK, reported by finish_response).  Runs inside
 * libcurl: no palloc, no ereport.
 */
static int
prereq_callback(void *arg, char *conn_primary_ip, char *conn_local_ip,
				int conn_primary_port, int conn_local_port)
{
	TransferState *ts = (TransferState *) arg;

	if (ts->sends++ > 0)
	{
		ts->resend_refused = true;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}
#endif

/*
 * libcurl write callback: append to the response body.
 *
 * Returning less than asked aborts the transfer (CURLE_WRITE_ERROR), which
 * is how max_response_bytes is enforced while downloading and how an
 * allocation failure is reported without a longjmp through libcurl.
 */
static size_t
write_callback(char *ptr, size_t size, size_t nmemb, void *arg)
{
	TransferState *ts = (TransferState *) arg;
	StringInfo	buf = &ts->resp->body;
	size_t		n = size * nmemb;
	int64		needed;

	if (n == 0)
		return 0;
	needed = (int64) buf->len + (int64) n;
	if (needed > ts->max_bytes)
	{
		ts->too_large = true;
		return 0;
	}
	if (buf->data == NULL || needed + 1 > buf->maxlen)
	{
		int64		newlen = buf->data ? (int64) buf->maxlen : 8192;
		char	   *newdata;

		/* the size the server announced, at once: no growing by copies */
		if (buf->data == NULL && ts->content_length >= needed &&
			ts->content_length < ts->max_bytes)
			newlen = ts->content_length + 1;

		while (newlen < needed + 1)
			newlen *= 2;
		if (newlen > (int64) MaxAllocSize)
			newlen = MaxAllocSize;
		newdata = MemoryContextAllocExtended(ts->cxt, (Size) newlen,
											 MCXT_ALLOC_NO_OOM);
		if (newdata == NULL)
		{
			ts->out_of_memory = true;
			return 0;
		}
		if (buf->data)
		{
			memcpy(newdata, buf->data, buf->len);
			pfree(buf->data);
		}
		buf->data = newdata;
		buf->maxlen = (int) newlen;
	}
	memcpy(buf->data + buf->len, ptr, n);
	buf->len += (int) n;
	buf->data[buf->len] = '\0';
	return n;
}

/*
 * libcurl header callback: keep Content-Type and Retry-After of the last
 * response (a status line starts a new set).
 */
static size_t
header_callback(char *ptr, size_t size, size_t nmemb, void *arg)
{
	TransferState *ts = (TransferState *) arg;
	size_t		n = size * nmemb;
	char	   *target = NULL;
	size_t		target_size = 0;
	size_t		skip = 0;

	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
	{
		ts->content_type[0] = '\0';
		ts->retry_after[0] = '\0';
		ts->content_length = -1;
	}
	else if (n > 15 && pg_strncasecmp(ptr, "content-length:", 15) == 0)
	{
		char		digits[32];
		size_t		len = Min(n - 15, sizeof(digits) - 1);
		char	   *end;
		long long	value;

		memcpy(digits, ptr + 15, len);
		digits[len] = '\0';
		errno = 0;
		value = strtoll(digits, &end, 10);
		/* only a plain, sane number; anything else changes nothing */
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (errno == 0 && end != digits && *end == '\0' && value >= 0)
			ts->content_length = value;
	}
	else if (n > 13 && pg_strncasecmp(ptr, "content-type:", 13) == 0)
	{
		target = ts->content_type;
		target_size = sizeof(ts->content_type);
		skip = 13;
	}
	else if (n > 12 && pg_strncasecmp(ptr, "retry-after:", 12) == 0)
	{
		target = ts->retry_after;
		target_size = sizeof(ts->retry_after);
		skip = 12;
	}

	if (target)
	{
		const char *v = ptr + skip;
		const char *end = ptr + n;
		size_t		len;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
						   end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = Min((size_t) (end - v), target_size - 1);
		memcpy(target, v, len);
		target[len] = '\0';
	}
	return n;
}

/*
 * Methods whose repetition changes nothing: GET, and PATCH as litellm_fdw
 * uses it (it sets values; a rename is never a PATCH).  A repeated DELETE
 * would count as "not found".
 */
static bool
idempotent_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "PATCH") == 0;
}

/* Statuses after which an idempotent request is worth repeating. */
static bool
retryable_status(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

/*
 * Transport errors worth a retry: for any request, a connection that could
 * not be made (nothing was sent); for an idempotent one, also a connection
 * that broke before a response arrived.  Timeouts are never retried: they
 * would multiply the time a statement waits.
 */
static bool
retryable_transport(CURLcode code, bool idempotent)
{
	switch (code)
	{
		case CURLE_COULDNT_CONNECT:
		case CURLE_COULDNT_RESOLVE_HOST:
			return true;
		case CURLE_GOT_NOTHING:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_PARTIAL_FILE:
			return idempotent;
		default:
			return false;
	}
}

/*
 * The wait before retry number attempt (0-based), in milliseconds: the
 * server's Retry-After (seconds, capped) when given, else exponential
 * backoff.
 */
static long
retry_delay_ms(int attempt, const char *retry_after)
{
	long		delay_ms = (long) RETRY_BASE_DELAY_MS << Min(attempt, 6);

	if (retry_after)
	{
		char	   *end;
		long		secs = strtol(retry_after, &end, 10);

		/* compare before multiplying: a huge value must not wrap around */
		if (end != retry_after && *end == '\0' && secs >= 0)
			delay_ms = secs >= RETRY_AFTER_CAP_MS / 1000 ?
				RETRY_AFTER_CAP_MS : secs * 1000;
	}
	return delay_ms;
}

/*
 * Raise the error for a failed transfer.  libcurl's text goes to DETAIL;
 * it names the host and port but never the key.
 */
static void
report_transport_error(LfdwCall *call, CURLcode code, const char *errbuf,
					   bool idempotent)
{
	const char *server = call->opts->server_name;
	const char *raw = errbuf[0] ? errbuf : curl_easy_strerror(code);

	/* libcurl quotes the server (a certificate's names, for one) */
	const char *detail = lfdw_shown(lfdw_remote_text(call, raw, strlen(raw)));

	/* a cancel that raced the failure is reported as the cancel */
	CHECK_FOR_INTERRUPTS();

	switch (code)
	{
		case CURLE_COULDNT_CONNECT:
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not connect to LiteLLM server \"%s\"", server),
					 errdetail_internal("%s", detail),
					 errhint("Check the host and port of the server option url, and that the LiteLLM proxy runs there.")));
			break;
		case CURLE_OPERATION_TIMEDOUT:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("request to LiteLLM server \"%s\" timed out", server),
					 errdetail_internal("%s", detail),
					 idempotent ? 0 :
					 errhint(LFDW_HINT_MAY_HAVE_BEEN_APPLIED)));
			break;
	LFDW_CASE_CERT_NOT_VERIFIED:
			/* a certificate for another name: a trusted CA does not help */
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not verify the TLS certificate of LiteLLM server \"%s\"",
							server),
					 errdetail_internal("%s", detail),
					 (strstr(raw, "subject name") || strstr(raw, "does not match")) ?
					 errhint("The certificate is not for the host name of the server option url: use the name it was issued for in url.") :
					 errhint("Set the server option ca_file to the certificate of the authority that signed it.")));
			break;
		case CURLE_SSL_CACERT_BADFILE:
			/* say which file failed: ca_file, or the system's bundle */
			if (call->opts->ca_file)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
						 errmsg("could not load the ca_file of LiteLLM server \"%s\"",
								server),
						 errdetail_internal("%s", detail),
						 errhint("Set ca_file to a PEM file of certificate authorities.")));
			else
				ereport(ERROR,
						(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
						 errmsg("could not load the system's trusted certificate authorities for LiteLLM server \"%s\"",
								server),
						 errdetail_internal("%s", detail),
						 errhint("Install the package ca-certificates on the database server, or set the server option ca_file to the certificate of the authority that signed the LiteLLM server's certificate.")));
			break;
		case CURLE_SSL_CONNECT_ERROR:
			/* no TLS handshake: nothing was sent */
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not establish a TLS connection to LiteLLM server \"%s\"",
							server),
					 errdetail_internal("%s", detail),
					 errhint("Check the scheme of the server option url: if the server at that port speaks plain HTTP, use http://.")));
			break;
		case CURLE_UNSUPPORTED_PROTOCOL:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not connect to LiteLLM server \"%s\"", server),
					 errdetail("Only http and https URLs are allowed.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not complete a request to LiteLLM server \"%s\"",
							server),
					 errdetail_internal("%s", detail),
					 idempotent ? 0 :
					 errhint(LFDW_HINT_MAY_HAVE_BEEN_APPLIED)));
			break;
	}
}

/*
 * The cached handles for a user mapping, created on first use and rebuilt
 * after an invalidation or a failed transfer.
 */
static ConnCacheEntry *
get_entry(const LfdwOptions *opts)
{
	ConnCacheEntry *entry;
	bool		found;

	if (ConnectionHash == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(ConnCacheEntry);
		ConnectionHash = hash_create("litellm_fdw handles", 8, &ctl,
									 HASH_ELEM | HASH_BLOBS);
		CacheRegisterSyscacheCallback(FOREIGNSERVEROID, inval_callback,
									  (Datum) 0);
		CacheRegisterSyscacheCallback(USERMAPPINGOID, inval_callback,
									  (Datum) 0);
	}

	entry = hash_search(ConnectionHash, &opts->umid, HASH_ENTER, &found);
	if (!found)
	{
		entry->multi = NULL;
		entry->easy = NULL;
		entry->invalidated = false;
	}
	if (entry->invalidated)
	{
		release_entry_handles(entry);
		entry->invalidated = false;
	}
	if (entry->multi == NULL)
	{
		/* malloc'd by libcurl on purpose: they live as long as the backend */
		entry->multi = curl_multi_init();
		entry->easy = curl_easy_init();
		if (entry->multi == NULL || entry->easy == NULL)
		{
			release_entry_handles(entry);
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Could not create a libcurl handle.")));
		}
		entry->server_hashvalue =
			GetSysCacheHashValue1(FOREIGNSERVEROID,
								  ObjectIdGetDatum(opts->serverid));
		entry->mapping_hashvalue =
			GetSysCacheHashValue1(USERMAPPINGOID,
								  ObjectIdGetDatum(opts->umid));
	}
	return entry;
}

static void
release_entry_handles(ConnCacheEntry *entry)
{
	if (entry->easy)
		curl_easy_cleanup(entry->easy);
	if (entry->multi)
		curl_multi_cleanup(entry->multi);
	entry->easy = NULL;
	entry->multi = NULL;
}

/*
 * Syscache callback: ALTER SERVER or ALTER USER MAPPING (or DROP) drops the
 * handles, and with them the open connections, before their next use.
 */
static void
inval_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	hash_seq_init(&scan, ConnectionHash);
	while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
	{
		if (hashvalue == 0 ||
			(cacheid == FOREIGNSERVEROID &&
			 entry->server_hashvalue == hashvalue) ||
			(cacheid == USERMAPPINGOID &&
			 entry->mapping_hashvalue == hashvalue))
			entry->invalidated = true;
	}
}

/*
 * Backend exit: close the connections.
 */
static void
exit_callback(int code, Datum arg)
{
	HASH_SEQ_STATUS scan;
	ConnCacheEntry *entry;

	if (ConnectionHash)
	{
		hash_seq_init(&scan, ConnectionHash);
		while ((entry = (ConnCacheEntry *) hash_seq_search(&scan)))
			release_entry_handles(entry);
	}
	curl_global_cleanup();
}
