# litellm_fdw: PGXS build.  See README.md for the test and demo commands.

MODULE_big = litellm_fdw
OBJS = \
	$(WIN32RES) \
	src/connection.o \
	src/litellm_fdw.o \
	src/option.o \
	src/remote_write.o \
	src/request.o \
	src/response.o \
	src/wire.o
PGFILEDESC = "litellm_fdw - foreign data wrapper for LiteLLM credentials"

EXTENSION = litellm_fdw
DATA = litellm_fdw--1.0.sql

REGRESS = options select_pushdown insert update rename delete masking tls \
	encoding errors generations cancel security
REGRESS_OPTS = --load-extension=litellm_fdw

PG_CPPFLAGS = -Isrc $(shell pkg-config --cflags libcurl libcjson)
SHLIB_LINK = $(shell pkg-config --libs libcurl libcjson)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on the shared headers
$(filter src/%.o,$(OBJS)): src/litellm_fdw.h src/compat.h src/wire.h
