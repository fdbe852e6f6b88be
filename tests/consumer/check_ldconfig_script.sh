#!/bin/sh
# tools/run_ldconfig.sh, the install script, against a fake ldconfig that records its calls: it
# runs ldconfig for a root install into /usr or /usr/local, and never for a DESTDIR staging
# install or another prefix (where it would be useless, or write a cache the user cannot).
#
#   usage: check_ldconfig_script.sh SOURCE_DIR
set -eu

script=$1/tools/run_ldconfig.sh
fake=$(mktemp -d "${TMPDIR:-/tmp}/lucidpp-ldconfig.XXXXXX")
trap 'rm -rf "$fake"' EXIT INT TERM
printf '#!/bin/sh\necho called >>"%s/calls"\n' "$fake" >"$fake/ldconfig"
chmod +x "$fake/ldconfig"
failures=0

# expect CALLS LIBDIR [VAR=VALUE...]: runs the script with the environment given.
expect() {
    calls=$1 libdir=$2
    shift 2
    rm -f "$fake/calls"
    env -u DESTDIR MESON_INSTALL_PREFIX=/usr/local MESON_INSTALL_DESTDIR_PREFIX=/usr/local \
        PATH="$fake:$PATH" "$@" sh "$script" "$libdir" >/dev/null 2>&1 || {
        echo "run_ldconfig.sh $libdir ($*) failed" >&2
        failures=$((failures + 1))
    }
    got=0
    [ ! -f "$fake/calls" ] || got=$(wc -l <"$fake/calls")
    if [ "$got" -ne "$calls" ]; then
        echo "run_ldconfig.sh $libdir ($*): ldconfig ran $got times, expected $calls" >&2
        failures=$((failures + 1))
    fi
}

expect 0 /usr/local/lib/x86_64-linux-gnu DESTDIR=/tmp/stage
expect 0 /usr/local/lib MESON_INSTALL_DESTDIR_PREFIX=/tmp/stage/usr/local
expect 0 /opt/lucidpp/lib
expect 0 /home/me/.local/lib/x86_64-linux-gnu
expect 0 /usr/libexec-not-a-libdir
if [ "$(id -u)" -eq 0 ]; then
    expect 1 /usr/local/lib/x86_64-linux-gnu
    expect 1 /usr/lib
else
    expect 0 /usr/local/lib/x86_64-linux-gnu  # not root: says what to run instead
fi
[ "$failures" -eq 0 ] || exit 1
echo "ldconfig install script passed"
