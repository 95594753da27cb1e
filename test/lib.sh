# lib.sh: set-up shared by run_tests.sh and demo.sh (sourced, not run).
#
# Environment: PG_CONFIG, PG_POSTGRES (a wrapper for the postgres binary,
# e.g. to run it under valgrind), PG_SERVER_ENV (VAR=value words for the
# server's environment only, e.g. LD_PRELOAD of a sanitizer runtime), LFDW_PACKAGES (the Debian packages to
# check for; by default those of the release in PG_CONFIG's path),
# LFDW_MAKE_ARGS (extra make arguments, e.g. with_llvm=no).
#
# Each step prints what went wrong and returns non-zero on failure.  The
# cluster and the test server are stopped, and the temporary directory
# removed, by an EXIT trap.

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
# the major release, from Debian's layout /usr/lib/postgresql/NN/bin/pg_config
LFDW_PG_MAJOR=$(echo "$PG_CONFIG" | sed -n 's|.*/postgresql/\([0-9][0-9]*\)/bin/pg_config$|\1|p')
LFDW_PG_MAJOR=${LFDW_PG_MAJOR:-15}
# by default only what the command needs: the server, PGXS and make for
# make installcheck, the test server's python3 and curl (mockctl), and
# ca-certificates (the system's CA bundle, which an https URL is verified
# against: a Recommends of libcurl, so --no-install-recommends leaves it
# out on a bare Debian); the compiler and libraries only when it builds
# (not with SKIP_BUILD=1); the calling script adds its own (openssl for the
# TLS test, clang for the fuzzer)
if [ -z "${LFDW_PACKAGES:-}" ]; then
    LFDW_PACKAGES="postgresql-$LFDW_PG_MAJOR postgresql-server-dev-$LFDW_PG_MAJOR make pkg-config python3 curl ca-certificates"
    [ "${SKIP_BUILD:-0}" != 1 ] && LFDW_PACKAGES="$LFDW_PACKAGES gcc libcurl4-openssl-dev libcjson-dev"
fi
LFDW_MAKE_ARGS=${LFDW_MAKE_ARGS:-}

lfdw_install_packages() {
    local missing="" p
    for p in $LFDW_PACKAGES; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages:$missing (run as root, or install them)" >&2
        return 1
    fi
    echo "installing Debian packages:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || {
        echo "apt-get update failed" >&2
        return 1
    }
    # apt-get's own estimate, with what the dependencies add
    LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get install --assume-no --no-install-recommends $missing 2>/dev/null |
        sed -n 's/^Need to get \(.*\) of archives.*/  download: \1/p; s/^After this operation, \(.*\) of additional disk space will be used.*/  disk space: \1/p'
    # apt's errors are shown; debconf's "delaying package configuration,
    # since apt-utils is not installed" (a bare Debian has no apt-utils) is
    # not: it is no error, and noninteractive asks nothing anyway
    local err rc
    err=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends $missing 2>&1 >/dev/null)
    rc=$?
    printf '%s\n' "$err" | grep -v -e '^$' \
        -e '^debconf: delaying package configuration, since apt-utils is not installed' >&2
    [ $rc -eq 0 ] || {
        echo "apt-get install failed" >&2
        return 1
    }
}

# the litellm_fdw of a Debian package (postgresql-NN-litellm-fdw), if one
# owns the library make install would write
lfdw_packaged() {
    local lib
    lib="$("$PG_CONFIG" --pkglibdir)/litellm_fdw.so"
    dpkg -S "$lib" 2>/dev/null | sed -n 's/^\([^:]*\):.*/\1/p' | head -n 1
}

lfdw_build_install() {
    local pkg
    pkg=$(lfdw_packaged)
    if [ -n "$pkg" ] && [ "${LFDW_OVERWRITE_PACKAGE:-0}" != 1 ]; then
        echo "litellm_fdw is installed from the Debian package $pkg; this script would overwrite its files with a build of this tree" >&2
        echo "Remove the package, set SKIP_BUILD=1 to use it as installed, or set LFDW_OVERWRITE_PACKAGE=1 to overwrite it." >&2
        return 1
    fi
    make -s PG_CONFIG="$PG_CONFIG" $LFDW_MAKE_ARGS >/dev/null || {
        echo "build failed" >&2
        return 1
    }
    echo "installing litellm_fdw into the system's PostgreSQL: $("$PG_CONFIG" --pkglibdir) and $("$PG_CONFIG" --sharedir)/extension"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo make -s PG_CONFIG="$PG_CONFIG" $LFDW_MAKE_ARGS install >/dev/null || {
        echo "make install failed" >&2
        return 1
    }
}

lfdw_cleanup() {
    local pid
    for pid in ${LFDW_MOCK_PID:-} ${LFDW_TLS_MOCK_PID:-} ${LFDW_TLS_WRONG_MOCK_PID:-} \
        ${LFDW_BLACKHOLE_PID:-}; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "${LFDW_TMP:-}" ] && [ -f "$LFDW_TMP/data/postmaster.pid" ]; then
        lfdw_as_owner "$PGBIN/pg_ctl" -D "$LFDW_TMP/data" -m immediate stop >/dev/null 2>&1
    fi
    if [ -n "${LFDW_TMP:-}" ] && [ "${KEEP_TMP:-0}" != 1 ]; then
        rm -rf "$LFDW_TMP"
    fi
}

# run a command as the cluster's owner: "postgres" when we are root (from
# "/", since postgres may not enter the current directory; paths are absolute)
lfdw_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

lfdw_start_cluster() {
    PGBIN=$("$PG_CONFIG" --bindir)
    LFDW_TMP=$(mktemp -d /tmp/litellm_fdw.XXXXXX)
    trap lfdw_cleanup EXIT
    chmod 755 "$LFDW_TMP"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$LFDW_TMP"
    lfdw_as_owner "$PGBIN/initdb" -D "$LFDW_TMP/data" -U postgres -A trust \
        --no-sync -E UTF8 --locale=C >"$LFDW_TMP/initdb.log" 2>&1 || {
        cat "$LFDW_TMP/initdb.log" >&2
        return 1
    }
    cat >>"$LFDW_TMP/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$LFDW_TMP'
fsync = off
log_line_prefix = '%m [%p] '
CONF
    # PG_POSTGRES: a wrapper to run the server under (valgrind, for one)
    # PG_SERVER_ENV: variables for the server only (LD_PRELOAD for ASan)
    lfdw_as_owner env ${PG_SERVER_ENV:-} "$PGBIN/pg_ctl" -D "$LFDW_TMP/data" -l "$LFDW_TMP/server.log" \
        ${PG_POSTGRES:+-p "$PG_POSTGRES"} -t 120 -w start >/dev/null || {
        cat "$LFDW_TMP/server.log" >&2
        return 1
    }
    export PGHOST="$LFDW_TMP" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
    export PG_LOG="$LFDW_TMP/server.log"
}

# run the test server in the background: PORTFILE [more options]
lfdw_run_mock() {
    local i portfile=$1 py=python3
    shift
    [ -x /usr/bin/python3 ] && py=/usr/bin/python3
    "$py" test/mock/litellm_mock.py --port 0 --port-file "$portfile" "$@" &
    LFDW_LAST_PID=$!
    for i in $(seq 1 100); do
        [ -s "$portfile" ] && return 0
        sleep 0.05
    done
    echo "the test server did not start" >&2
    return 1
}

lfdw_start_mock() {
    lfdw_run_mock "$LFDW_TMP/mock.port" --log "$LFDW_TMP/mock.log" || return 1
    LFDW_MOCK_PID=$LFDW_LAST_PID
    export MOCK_URL="http://127.0.0.1:$(cat "$LFDW_TMP/mock.port")"
    export MOCK_LOG="$LFDW_TMP/mock.log"
    # mockctl, which the tests call by name
    export PATH="$PWD/test/mock:$PATH"
}

# A test server speaking HTTPS in DIR, with a self-signed certificate (its
# own CA) for the name CN and the subjectAltName SAN: DIR/cert.pem, the port
# in DIR/port, the pid in LFDW_LAST_PID.
lfdw_run_tls_mock() {
    local dir=$1 cn=$2 san=$3
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$cn" \
        -addext "subjectAltName=$san" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || {
        echo "could not make a test certificate" >&2
        return 1
    }
    chmod 755 "$dir"
    chmod 644 "$dir/cert.pem"
    lfdw_run_mock "$dir/port" --tls-cert "$dir/cert.pem" \
        --tls-key "$dir/key.pem"
}

# A second test server speaking HTTPS, with a certificate made now for
# 127.0.0.1: MOCK_TLS_URL, and MOCK_TLS_CA (the certificate, which is its
# own CA).
lfdw_start_tls_mock() {
    local dir="$LFDW_TMP/tls"
    lfdw_run_tls_mock "$dir" 127.0.0.1 IP:127.0.0.1 || return 1
    LFDW_TLS_MOCK_PID=$LFDW_LAST_PID
    export MOCK_TLS_URL="https://127.0.0.1:$(cat "$dir/port")"
    export MOCK_TLS_CA="$dir/cert.pem"
}

# A third test server speaking HTTPS, whose certificate is made for another
# name ("wrong.example", which it is not reached by): MOCK_TLS_WRONG_URL
# (https://127.0.0.1:PORT) and MOCK_TLS_WRONG_CA (the certificate, its own
# CA, as MOCK_TLS_CA is for the first).  With that ca_file, only the host
# name check can refuse it.
lfdw_start_tls_wrong_name_mock() {
    local dir="$LFDW_TMP/tls-wrong"
    lfdw_run_tls_mock "$dir" wrong.example DNS:wrong.example || return 1
    LFDW_TLS_WRONG_MOCK_PID=$LFDW_LAST_PID
    export MOCK_TLS_WRONG_URL="https://127.0.0.1:$(cat "$dir/port")"
    export MOCK_TLS_WRONG_CA="$dir/cert.pem"
}

# A port where connections are never established (test/mock/blackhole.py), for
# the connect timeout: MOCK_BLACKHOLE_URL.
lfdw_start_blackhole() {
    local i py=python3
    [ -x /usr/bin/python3 ] && py=/usr/bin/python3
    "$py" test/mock/blackhole.py --port-file "$LFDW_TMP/blackhole.port" &
    LFDW_BLACKHOLE_PID=$!
    for i in $(seq 1 100); do
        [ -s "$LFDW_TMP/blackhole.port" ] && break
        sleep 0.05
    done
    [ -s "$LFDW_TMP/blackhole.port" ] || {
        echo "the blackhole port did not start" >&2
        return 1
    }
    export MOCK_BLACKHOLE_URL="http://127.0.0.1:$(cat "$LFDW_TMP/blackhole.port")"
}
