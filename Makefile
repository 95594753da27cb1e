# litellm_fdw: PGXS build.  See README.md for the test and demo commands, and
# doc/install.md for make installcheck.

MODULE_big = litellm_fdw
OBJS = \
	$(WIN32RES) \
	src/commit.o \
	src/connection.o \
	src/convert.o \
	src/credential.o \
	src/join.o \
	src/json.o \
	src/litellm_fdw.o \
	src/model.o \
	src/model_response.o \
	src/model_wire.o \
	src/model_write.o \
	src/option.o \
	src/pending.o \
	src/release.o \
	src/remote_write.o \
	src/request.o \
	src/response.o \
	src/secret.o \
	src/spend_log.o \
	src/spend_wire.o \
	src/statement.o \
	src/table.o \
	src/wire.o
PGFILEDESC = "litellm_fdw - foreign data wrapper for LiteLLM credentials and models"

EXTENSION = litellm_fdw
# every install script and every upgrade script (litellm_fdw--X--Y.sql)
DATA = $(notdir $(wildcard $(srcdir)/litellm_fdw--*.sql))

REGRESS = options select_pushdown insert update rename delete masking tls \
	encoding jsonb errors sqlstates generations transactions cancel security \
	models_select models_write models_errors models_transactions joins partition names hostile network model_masking \
	lying_server remote_text memory_wipe rotation no_early_writes release_evidence files_and_urls spend_log lookups_once \
	numbers mutant_kills outcomes \
	upgrade
REGRESS_OPTS = --load-extension=litellm_fdw
# the expected outputs are those of a UTF8 database with the C locale
ENCODING = UTF8
NO_LOCALE = 1

PG_CPPFLAGS = -I$(srcdir)/src $(shell pkg-config --cflags libcurl libcjson)
SHLIB_LINK = $(shell pkg-config --libs libcurl libcjson)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# make installcheck against a running cluster (PGHOST, PGPORT, PGUSER):
# test/installcheck.sh starts the bundled LiteLLM test servers around
# pg_regress, unless MOCK_URL says they run (test/run_tests.sh)
lfdw_pg_regress := $(top_builddir)/src/test/regress/pg_regress
pg_regress_installcheck := $(subst $(lfdw_pg_regress),$(srcdir)/test/installcheck.sh $(lfdw_pg_regress),$(pg_regress_installcheck))

# every object depends on the shared headers
$(filter src/%.o,$(OBJS)): src/litellm_fdw.h src/compat.h src/wire.h \
	src/model.h src/model_wire.h src/json.h src/secret.h src/resource.h \
	src/spend_wire.h

# a VPATH build (make -f SRC/Makefile VPATH=SRC, as pg_buildext does) puts
# the objects in src/ of the build directory
ifdef VPATH
$(shell mkdir -p src)
endif

# PGXN release archive: litellm_fdw-VERSION.zip of the committed tree (git
# archive HEAD), VERSION being META.json's release version (its first
# "version" key).
DIST_VERSION = $(shell sed -n 's/^   "version": "\(.*\)",$$/\1/p' META.json)
DIST_NAME = $(EXTENSION)-$(DIST_VERSION)

.PHONY: dist
dist:
	@test -n "$(DIST_VERSION)" || { echo "no version in META.json" >&2; exit 1; }
	@git diff --quiet HEAD -- || echo "note: uncommitted changes are not in $(DIST_NAME).zip" >&2
	git archive --format=zip --prefix=$(DIST_NAME)/ -o $(DIST_NAME).zip HEAD
