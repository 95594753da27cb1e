/*-------------------------------------------------------------------------
 *
 * bench_server.c
 *		  A LiteLLM-compatible credentials server for bench/run.sh, fast
 *		  enough not to be what the benchmark measures.
 *
 * One thread per connection, blocking sockets with TCP_NODELAY, HTTP/1.1
 * keep-alive, every response written with one send().  The list response is
 * built once after every change and then served as pre-encoded bytes.  It
 * counts the TCP connections that made at least one API request, and can
 * wait a fixed time before answering each API request (concurrently: every
 * connection has its own thread), to stand in for a remote LiteLLM.
 *
 * API (doc/litellm-api.md, generation G5, what the benchmark needs):
 *   GET    /credentials
 *   GET    /credentials/by_name/{name}
 *   POST   /credentials                    (409 when the name exists)
 *   PATCH  /credentials/{name}             (success when it exists)
 *   DELETE /credentials/{name}
 * Control (not counted, no latency):
 *   GET /_bench/reset?n=N&latency_ms=L     N generated credentials, counters 0
 *   GET /_bench/stats                      {"connections":..,"requests":..,..}
 *
 * Usage: bench_server --port-file PATH [--port N]
 *                     [--tls-cert CERT.pem --tls-key KEY.pem]
 * With --tls-cert it speaks https only (OpenSSL), and the stats count the
 * TLS handshakes completed ("handshakes").  The API key is not checked.
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  bench/bench_server.c
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

/* a growable byte buffer */
typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

/* one stored credential: its name and its JSON object, as served */
typedef struct Entry
{
	char	   *name;
	char	   *json;
	size_t		json_len;
	bool		used;
	bool		deleted;
} Entry;

static pthread_rwlock_t store_lock = PTHREAD_RWLOCK_INITIALIZER;
static Entry *table;			/* open addressing, linear probing */
static size_t table_cap;
static size_t table_count;
static char *list_body;			/* pre-encoded GET /credentials */
static size_t list_len;
static bool list_dirty = true;

static atomic_long n_connections;
static atomic_long n_requests;
static atomic_int latency_ms;
static atomic_long n_handshakes;

/* https: the context, and the connection of this thread */
static SSL_CTX *tls_ctx;
static __thread SSL *tls_conn;

/* recv() and send(), through TLS when it is on */
static ssize_t
io_recv(int fd, void *buf, size_t n)
{
	if (tls_conn)
	{
		int			r = SSL_read(tls_conn, buf, (int) (n > INT32_MAX ? INT32_MAX : n));

		return r > 0 ? r : -1;
	}
	return recv(fd, buf, n, 0);
}

static ssize_t
io_send(int fd, const void *buf, size_t n, int flags)
{
	if (tls_conn)
	{
		int			w = SSL_write(tls_conn, buf, (int) (n > INT32_MAX ? INT32_MAX : n));

		return w > 0 ? w : -1;
	}
	return send(fd, buf, n, flags);
}
static atomic_long epoch = 1;	/* counters were reset at this epoch */

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
buf_append(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		size_t		cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL)
			die("realloc");
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
buf_printf(Buf *b, const char *fmt,...)
{
	char		tmp[1024];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_append(b, tmp, (size_t) n);
}

static uint64_t
hash_name(const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char) s[i]) * 1099511628211ULL;
	return h;
}

/* the slot of a name, or of the empty slot where it would go */
static Entry *
lookup(const char *name, size_t n)
{
	size_t		i = hash_name(name, n) & (table_cap - 1);

	for (;;)
	{
		Entry	   *e = &table[i];

		if (!e->used)
			return e;
		if (strlen(e->name) == n && memcmp(e->name, name, n) == 0)
			return e;
		i = (i + 1) & (table_cap - 1);
	}
}

static void
clear_store(size_t expected)
{
	size_t		i;

	for (i = 0; i < table_cap; i++)
	{
		free(table[i].name);
		free(table[i].json);
	}
	free(table);
	table_cap = 1024;
	while (table_cap < expected * 2 + 2048)
		table_cap *= 2;
	table = calloc(table_cap, sizeof(Entry));
	if (table == NULL)
		die("calloc");
	table_count = 0;
	list_dirty = true;
}

/* store a credential (write lock held); false if the name exists */
static bool
put(const char *name, size_t n, const char *json, size_t json_len)
{
	Entry	   *e;

	if (table_count * 2 + 2 > table_cap)
	{
		/* grow: rehash the live entries */
		Entry	   *old = table;
		size_t		old_cap = table_cap,
					i;

		table_cap *= 2;
		table = calloc(table_cap, sizeof(Entry));
		if (table == NULL)
			die("calloc");
		for (i = 0; i < old_cap; i++)
			if (old[i].used)
				*lookup(old[i].name, strlen(old[i].name)) = old[i];
		free(old);
	}
	e = lookup(name, n);
	if (e->used && !e->deleted)
		return false;
	if (!e->used)
	{
		e->name = strndup(name, n);
		e->used = true;
		table_count++;
	}
	free(e->json);
	e->json = malloc(json_len + 1);
	memcpy(e->json, json, json_len);
	e->json[json_len] = '\0';
	e->json_len = json_len;
	e->deleted = false;
	list_dirty = true;
	return true;
}

/*
 * N realistic credentials: info with a provider and a description, three
 * values as LiteLLM's list shows them (the key masked by LiteLLM itself).
 */
static void
generate(long n)
{
	static const char *const providers[] = {"openai", "azure", "anthropic", "bedrock", "vertex_ai"};
	long		i;
	Buf			b = {0};

	clear_store((size_t) n);
	for (i = 1; i <= n; i++)
	{
		char		name[64];
		const char *p = providers[i % 5];

		snprintf(name, sizeof(name), "cred-%07ld", i);
		b.len = 0;
		buf_printf(&b, "{\"credential_name\":\"%s\","
				   "\"credential_values\":{\"api_key\":\"sk****%02ld\","
				   "\"api_base\":\"https://%s-%ld.example.com/v1\","
				   "\"api_version\":\"2024-10-21\"},"
				   "\"credential_info\":{\"custom_llm_provider\":\"%s\","
				   "\"description\":\"Benchmark credential %ld for team %ld\","
				   "\"rpm\":%ld,\"shared\":%s}}",
				   name, i % 100, p, i, p, i, i % 37, 100 + i % 900,
				   i % 2 ? "true" : "false");
		put(name, strlen(name), b.data, b.len);
	}
	free(b.data);
}

/* rebuild the list body if needed; called with the write lock held */
static void
rebuild_list(void)
{
	Buf			b = {0};
	size_t		i;
	bool		first = true;

	buf_append(&b, "{\"success\":true,\"credentials\":[", 31);
	for (i = 0; i < table_cap; i++)
	{
		if (!table[i].used || table[i].deleted)
			continue;
		if (!first)
			buf_append(&b, ",", 1);
		first = false;
		buf_append(&b, table[i].json, table[i].json_len);
	}
	buf_append(&b, "]}", 2);
	free(list_body);
	list_body = b.data;
	list_len = b.len;
	list_dirty = false;
}

static void
send_all(int fd, const char *p, size_t n)
{
	while (n > 0)
	{
		ssize_t		w = io_send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0)
		{
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t) w;
	}
}

/* the whole response: status line, headers and body, as one write */
static void
respond(int fd, int status, const char *body, size_t len, bool close_after)
{
	char		head[256];
	int			hn;
	const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" :
		status == 409 ? "Conflict" : status == 400 ? "Bad Request" : "Error";

	hn = snprintf(head, sizeof(head),
				  "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
				  "Content-Length: %zu\r\n%s\r\n",
				  status, reason, len,
				  close_after ? "Connection: close\r\n" : "");
	if (len < 65536)
	{
		char	   *all = malloc((size_t) hn + len);

		memcpy(all, head, (size_t) hn);
		memcpy(all + hn, body, len);
		send_all(fd, all, (size_t) hn + len);
		free(all);
	}
	else
	{
		if (tls_conn)
			send_all(fd, head, (size_t) hn);
		else
			send(fd, head, (size_t) hn, MSG_NOSIGNAL | MSG_MORE);
		send_all(fd, body, len);
	}
}

static void
respond_str(int fd, int status, const char *body, bool close_after)
{
	respond(fd, status, body, strlen(body), close_after);
}

static void
not_found(int fd, const char *name, size_t n, bool close_after)
{
	Buf			b = {0};

	buf_printf(&b, "{\"error\":{\"message\":\"Credential not found. Got credential name: %.*s\","
			   "\"type\":\"not_found\",\"param\":\"credential_name\",\"code\":\"404\"}}",
			   (int) (n > 200 ? 200 : n), name);
	respond(fd, 404, b.data, b.len, close_after);
	free(b.data);
}

/* percent-decode in place; returns the new length */
static size_t
decode(char *s, size_t n)
{
	size_t		i,
				o = 0;

	for (i = 0; i < n; i++)
	{
		if (s[i] == '%' && i + 2 < n)
		{
			char		hx[3] = {s[i + 1], s[i + 2], 0};

			s[o++] = (char) strtol(hx, NULL, 16);
			i += 2;
		}
		else
			s[o++] = s[i];
	}
	return o;
}

/* the value of "credential_name" in a request body (no escapes expected) */
static bool
body_name(const char *body, size_t len, const char **name, size_t *n)
{
	const char *p = memmem(body, len, "\"credential_name\"", 17);
	const char *end = body + len;
	const char *q;

	if (p == NULL)
		return false;
	p += 17;
	while (p < end && (*p == ' ' || *p == ':'))
		p++;
	if (p >= end || *p != '"')
		return false;
	p++;
	for (q = p; q < end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= end)
		return false;
	*name = p;
	*n = (size_t) (q - p);
	return true;
}

static long
query_long(const char *query, const char *key, long dflt)
{
	const char *p = query ? strstr(query, key) : NULL;

	if (p == NULL)
		return dflt;
	return strtol(p + strlen(key), NULL, 10);
}

static void
handle(int fd, const char *method, char *path, size_t path_len,
	   const char *body, size_t body_len, bool close_after, long *counted)
{
	char	   *query = memchr(path, '?', path_len);

	if (query)
	{
		*query++ = '\0';
		path_len = strlen(path);
	}

	if (strncmp(path, "/_bench/", 8) == 0)
	{
		if (strcmp(path, "/_bench/reset") == 0)
		{
			pthread_rwlock_wrlock(&store_lock);
			generate(query_long(query, "n=", 0));
			rebuild_list();
			pthread_rwlock_unlock(&store_lock);
			latency_ms = (int) query_long(query, "latency_ms=", 0);
			n_connections = 0;
			n_handshakes = 0;
			n_requests = 0;
			epoch++;
			respond_str(fd, 200, "{\"success\":true}", close_after);
		}
		else
		{
			Buf			b = {0};

			pthread_rwlock_rdlock(&store_lock);
			buf_printf(&b, "{\"connections\":%ld,\"requests\":%ld,\"credentials\":%zu,\"list_bytes\":%zu,\"latency_ms\":%d,\"handshakes\":%ld}",
					   (long) n_connections, (long) n_requests, table_count,
					   list_len, (int) latency_ms, (long) n_handshakes);
			pthread_rwlock_unlock(&store_lock);
			respond(fd, 200, b.data, b.len, close_after);
			free(b.data);
		}
		return;
	}

	/* an API request */
	if (*counted != epoch)
	{
		n_connections++;
		*counted = epoch;
	}
	n_requests++;
	if (latency_ms > 0)
	{
		struct timespec ts = {latency_ms / 1000, (latency_ms % 1000) * 1000000L};

		nanosleep(&ts, NULL);
	}

	if (strcmp(method, "GET") == 0 && strcmp(path, "/credentials") == 0)
	{
		pthread_rwlock_rdlock(&store_lock);
		if (list_dirty)
		{
			pthread_rwlock_unlock(&store_lock);
			pthread_rwlock_wrlock(&store_lock);
			if (list_dirty)
				rebuild_list();
		}
		respond(fd, 200, list_body, list_len, close_after);
		pthread_rwlock_unlock(&store_lock);
		return;
	}
	if (strcmp(method, "GET") == 0 &&
		strncmp(path, "/credentials/by_name/", 21) == 0)
	{
		char	   *name = path + 21;
		size_t		n = decode(name, path_len - 21);
		Entry	   *e;

		pthread_rwlock_rdlock(&store_lock);
		e = lookup(name, n);
		if (e->used && !e->deleted)
			respond(fd, 200, e->json, e->json_len, close_after);
		else
			not_found(fd, name, n, close_after);
		pthread_rwlock_unlock(&store_lock);
		return;
	}
	if (strcmp(method, "POST") == 0 && strcmp(path, "/credentials") == 0)
	{
		const char *name;
		size_t		n;
		bool		ok;

		if (!body_name(body, body_len, &name, &n) || n == 0)
		{
			respond_str(fd, 422, "{\"detail\":[{\"loc\":[\"body\",\"credential_name\"],\"msg\":\"Field required\"}]}", close_after);
			return;
		}
		pthread_rwlock_wrlock(&store_lock);
		ok = put(name, n, body, body_len);
		pthread_rwlock_unlock(&store_lock);
		if (ok)
			respond_str(fd, 200, "{\"success\":true,\"message\":\"Credential created successfully\"}", close_after);
		else
			respond_str(fd, 409, "{\"error\":{\"message\":\"Credential already exists\",\"type\":\"conflict\",\"param\":\"credential_name\",\"code\":\"409\"}}", close_after);
		return;
	}
	if ((strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0) &&
		strncmp(path, "/credentials/", 13) == 0)
	{
		char	   *name = path + 13;
		size_t		n = decode(name, path_len - 13);
		Entry	   *e;
		bool		found;

		pthread_rwlock_wrlock(&store_lock);
		e = lookup(name, n);
		found = e->used && !e->deleted;
		if (found && method[0] == 'D')
		{
			e->deleted = true;
			list_dirty = true;
		}
		pthread_rwlock_unlock(&store_lock);
		if (!found)
			not_found(fd, name, n, close_after);
		else if (method[0] == 'D')
			respond_str(fd, 200, "{\"success\":true,\"message\":\"Credential deleted successfully\"}", close_after);
		else
			respond_str(fd, 200, "{\"success\":true,\"message\":\"Credential updated successfully\"}", close_after);
		return;
	}
	respond_str(fd, 404, "{\"detail\":\"Not Found\"}", close_after);
}

static void *
serve(void *arg)
{
	int			fd = (int) (intptr_t) arg;
	Buf			in = {0};
	long		counted = 0;
	int			one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (tls_ctx)
	{
		tls_conn = SSL_new(tls_ctx);
		if (tls_conn == NULL || !SSL_set_fd(tls_conn, fd) ||
			SSL_accept(tls_conn) != 1)
			goto done;
		n_handshakes++;
	}
	for (;;)
	{
		char	   *hend;
		size_t		head_len,
					body_len = 0;
		char		method[16];
		char	   *path,
				   *sp,
				   *cl;
		bool		close_after;

		/* read until the end of the headers */
		while ((hend = in.data ? memmem(in.data, in.len, "\r\n\r\n", 4) : NULL) == NULL)
		{
			char		tmp[65536];
			ssize_t		r = io_recv(fd, tmp, sizeof(tmp));

			if (r <= 0)
				goto done;
			buf_append(&in, tmp, (size_t) r);
		}
		head_len = (size_t) (hend - in.data) + 4;
		*hend = '\0';
		cl = strcasestr(in.data, "\r\ncontent-length:");
		if (cl)
			body_len = (size_t) strtol(cl + 17, NULL, 10);
		close_after = strcasestr(in.data, "\r\nconnection: close") != NULL;
		while (in.len < head_len + body_len)
		{
			char		tmp[65536];
			ssize_t		r = io_recv(fd, tmp, sizeof(tmp));

			if (r <= 0)
				goto done;
			buf_append(&in, tmp, (size_t) r);
		}

		sp = strchr(in.data, ' ');
		if (sp == NULL || sp - in.data >= (long) sizeof(method))
			goto done;
		memcpy(method, in.data, (size_t) (sp - in.data));
		method[sp - in.data] = '\0';
		path = sp + 1;
		sp = strchr(path, ' ');
		if (sp == NULL)
			goto done;
		*sp = '\0';

		handle(fd, method, path, strlen(path), in.data + head_len, body_len,
			   close_after, &counted);
		if (close_after)
			goto done;

		/* keep what follows (a pipelined request) */
		memmove(in.data, in.data + head_len + body_len,
				in.len - head_len - body_len);
		in.len -= head_len + body_len;
		in.data[in.len] = '\0';
	}
done:
	free(in.data);
	if (tls_conn)
	{
		SSL_free(tls_conn);
		tls_conn = NULL;
	}
	close(fd);
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *port_file = NULL;
	const char *tls_cert = NULL;
	const char *tls_key = NULL;
	int			port = 0;
	int			lfd,
				one = 1,
				i;
	struct sockaddr_in addr;
	socklen_t	alen = sizeof(addr);
	pthread_attr_t attr;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
			port_file = argv[++i];
		else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--tls-cert") == 0 && i + 1 < argc)
			tls_cert = argv[++i];
		else if (strcmp(argv[i], "--tls-key") == 0 && i + 1 < argc)
			tls_key = argv[++i];
		else
		{
			fprintf(stderr, "usage: %s --port-file PATH [--port N] [--tls-cert PEM --tls-key PEM]\n", argv[0]);
			return 2;
		}
	}
	if (tls_cert)
	{
		tls_ctx = SSL_CTX_new(TLS_server_method());
		if (tls_ctx == NULL ||
			SSL_CTX_use_certificate_chain_file(tls_ctx, tls_cert) != 1 ||
			SSL_CTX_use_PrivateKey_file(tls_ctx, tls_key ? tls_key : tls_cert,
										SSL_FILETYPE_PEM) != 1)
		{
			ERR_print_errors_fp(stderr);
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);

	pthread_rwlock_wrlock(&store_lock);
	generate(0);
	rebuild_list();
	pthread_rwlock_unlock(&store_lock);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons((uint16_t) port);
	if (bind(lfd, (struct sockaddr *) &addr, sizeof(addr)) < 0)
		die("bind");
	if (listen(lfd, 1024) < 0)
		die("listen");
	if (getsockname(lfd, (struct sockaddr *) &addr, &alen) < 0)
		die("getsockname");
	if (port_file)
	{
		char		tmp[512];
		FILE	   *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		f = fopen(tmp, "w");
		if (f == NULL)
			die("fopen");
		fprintf(f, "%d\n", ntohs(addr.sin_port));
		fclose(f);
		rename(tmp, port_file);
	}

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 512 * 1024);
	for (;;)
	{
		int			fd = accept(lfd, NULL, NULL);
		pthread_t	t;

		if (fd < 0)
		{
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (pthread_create(&t, &attr, serve, (void *) (intptr_t) fd) != 0)
			close(fd);
	}
	return 0;
}
