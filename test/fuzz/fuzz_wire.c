/*-------------------------------------------------------------------------
 *
 * fuzz_wire.c
 *		  libFuzzer harness for src/wire.c: the code that reads what a LiteLLM
 *		  server sends (response bodies, error envelopes) and percent-encodes
 *		  names, built without PostgreSQL.
 *
 * The first input byte chooses the target (even: a response body, its
 * credentials and the masking decision for each value key; odd: a name to
 * percent-encode); the rest is the input.  Besides what the
 * sanitizers catch (memory errors, undefined behaviour, leaks), it checks
 * that encoding only emits unreserved characters and %XX, and decodes back
 * to the input, and that masking a model's litellm_params leaves no value
 * of a secret key but the mask.
 *
 * Build and run: test/fuzz_libfuzzer.sh [SECONDS]
 *
 * Copyright (c) 2026, litellm_fdw developers
 *
 * IDENTIFICATION
 *		  test/fuzz/fuzz_wire.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "model_wire.h"
#include "wire.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
fuzz_encode(const char *in)
{
	size_t		inlen = strlen(in);
	char	   *out = malloc(3 * inlen + 1);
	size_t		n = lfdw_wire_percent_encode(in, out);
	size_t		i;
	size_t		j = 0;

	CHECK(n == strlen(out));
	for (i = 0; i < n; i++)
	{
		char		c = out[i];

		if (c == '%')
		{
			int			hi,
						lo;

			CHECK(i + 2 < n + 1);
			hi = hex_value(out[i + 1]);
			lo = hex_value(out[i + 2]);
			CHECK(hi >= 0 && lo >= 0);
			CHECK((unsigned char) in[j] == (unsigned char) (hi * 16 + lo));
			i += 2;
		}
		else
		{
			CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				  (c >= '0' && c <= '9') || c == '-' || c == '.' ||
				  c == '_' || c == '~');
			CHECK(in[j] == c);
		}
		j++;
	}
	CHECK(j == inlen);
	free(out);
}

/* after masking: every secret key (not listed) holds the mask, at any depth */
static void
check_masked(const cJSON *node, const char *const *shown, int n)
{
	const cJSON *child;

	cJSON_ArrayForEach(child, node)
	{
		if (cJSON_IsObject(node))
		{
			const char *key = child->string ? child->string : "";

			if (lfdw_wire_key_listed(key, strlen(key), shown, n))
				continue;
			if (lfdw_wire_model_key_secret(key, strlen(key)))
			{
				CHECK(cJSON_IsString(child));
				CHECK(strcmp(child->valuestring, "********") == 0);
				CHECK(child->string != NULL && strcmp(child->string, key) == 0);
				continue;
			}
		}
		check_masked(child, shown, n);
	}
}

static void
fuzz_models(cJSON *root)
{
	static const char *const shown[] = {"max_tokens"};
	LfdwWireModelPage page;
	cJSON	   *item;

	if (!lfdw_wire_model_page(root, &page))
		return;
	CHECK(cJSON_IsArray(page.data));
	cJSON_ArrayForEach(item, page.data)
	{
		LfdwWireModel m;
		LfdwWireModelItem check = lfdw_wire_model(item, &m);

		CHECK((check == LFDW_WIRE_MODEL_NO_ID) == (m.id == NULL));
		if (check != LFDW_WIRE_MODEL_OK || m.params == NULL)
			continue;
		CHECK(cJSON_IsObject(m.params));
		if (lfdw_wire_mask_model_params(m.params, shown, 1, "********") == 0)
			check_masked(m.params, shown, 1);
	}
}

static void
fuzz_body(const char *body, size_t len)
{
	cJSON	   *root;
	const cJSON *list;
	const cJSON *item;
	LfdwWireCredential cred;
	char	   *message;

	(void) lfdw_wire_has_nul_escape(body, len);
	root = lfdw_wire_parse(body, len);
	if (root == NULL)
		return;

	list = lfdw_wire_credential_list(root);
	if (list)
	{
		const char *dup = lfdw_wire_duplicate_name(list);
		int			seen = 0;

		/* a name reported twice must be there twice */
		cJSON_ArrayForEach(item, list)
		{
			const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "credential_name");

			if (dup && cJSON_IsString(name) && strcmp(name->valuestring, dup) == 0)
				seen++;
		}
		CHECK(dup == NULL || seen >= 2);
		cJSON_ArrayForEach(item, list)
		{
			LfdwWireItem check = lfdw_wire_credential(item, &cred);

			/* every outcome but "no name" comes with the name */
			CHECK((check == LFDW_WIRE_ITEM_NO_NAME) == (cred.name == NULL));
			if (check == LFDW_WIRE_ITEM_OK)
			{
				const cJSON *v;

				CHECK(cred.name != NULL);
				CHECK(cred.values == NULL || cJSON_IsObject(cred.values));
				cJSON_ArrayForEach(v, cred.values)
				{
					static const char *const shown[] = {"api_base", "api_version", ""};
					bool		listed;

					CHECK(v->string != NULL);
					/* masking: shown exactly when the key is listed */
					listed = lfdw_wire_key_listed(v->string, strlen(v->string),
												  shown, 3);
					CHECK(listed == (strcmp(v->string, "api_base") == 0 ||
									 strcmp(v->string, "api_version") == 0 ||
									 v->string[0] == '\0'));
					CHECK(!lfdw_wire_key_listed(v->string, strlen(v->string),
												shown, 0));
				}
			}
		}
	}
	if (lfdw_wire_is_credential(root))
		(void) lfdw_wire_credential(root, &cred);
	fuzz_models(root);

	message = lfdw_wire_error_message(root);
	if (message)
		lfdw_wire_free_text(message);
	(void) lfdw_wire_error_code(root);
	(void) lfdw_wire_is_flat_error(root);
	(void) lfdw_wire_is_litellm_error(root);
	(void) lfdw_wire_is_success(root);
	lfdw_wire_free(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *buf;

	if (size == 0)
		return 0;
	/* a body always ends with a NUL after its length (connection.c) */
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';

	if (data[0] & 1)
		fuzz_encode(buf);
	else
		fuzz_body(buf, size - 1);

	free(buf);
	return 0;
}
