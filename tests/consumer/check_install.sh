#!/bin/sh
# Installs lucidpp from a build directory into a scratch DESTDIR, runs the installed `lucidpp`
# program, then builds consumer.cpp against the staged install the way a user would (the
# README's pkg-config line, installed headers only) and runs it. Both run without
# LD_LIBRARY_PATH: they must find liblucidpp through their rpath (README, "Installing").
# Catches headers missing from install_headers, a broken lucidpp.pc, link errors and
# installed programs that do not start.
#
#   usage: check_install.sh BUILD_DIR SOURCE_DIR
#   env:   CXX, the compiler command (default c++); meson passes the project's compiler.
#          LUCIDPP_TOOLS=false: the build has no `lucidpp` program (-Dtools=false); skip it.
set -eu

fail() {
    echo "consumer test FAILED: $*" >&2
    exit 1
}

[ $# -eq 2 ] || fail "usage: $0 BUILD_DIR SOURCE_DIR"
build_dir=$(cd "$1" && pwd) || fail "no build directory $1"
source_dir=$(cd "$2" && pwd) || fail "no source directory $2"
cxx=${CXX:-c++}

stage=$(mktemp -d "${TMPDIR:-/tmp}/lucidpp-consumer.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

# prefix, libdir, includedir and b_sanitize as configured; one "name=value" per line.
options=$(meson introspect "$build_dir" --buildoptions | python3 -c '
import json, sys
wanted = ("prefix", "bindir", "libdir", "includedir", "b_sanitize")
for option in json.load(sys.stdin):
    if option["name"] in wanted:
        value = option["value"]
        if isinstance(value, list):  # newer meson returns b_sanitize as an array
            value = ",".join(value)
        print("%s=%s" % (option["name"], value))
') || fail "could not read the build options of $build_dir (meson introspect)"
option() { printf '%s\n' "$options" | sed -n "s/^$1=//p"; }
prefix=$(option prefix)
bindir=$(option bindir)
libdir=$(option libdir)
sanitize=$(option b_sanitize)
case "$bindir" in /*) ;; *) bindir="$prefix/$bindir" ;; esac
case "$libdir" in /*) ;; *) libdir="$prefix/$libdir" ;; esac

echo "== meson install into $stage"
meson install -C "$build_dir" --destdir "$stage" --no-rebuild --quiet >"$stage/install.log" 2>&1 || {
    cat "$stage/install.log" >&2
    fail "meson install -C $build_dir failed (log above)"
}

pc_dir="$stage$libdir/pkgconfig"
[ -f "$pc_dir/lucidpp.pc" ] || fail "lucidpp.pc was not installed into $pc_dir"
[ -f "$stage$prefix/include/lucidpp/lucid.hpp" ] ||
    fail "lucidpp/lucid.hpp was not installed under $stage$prefix/include"

# The installed program finds its library through its $ORIGIN-relative rpath, so it starts from
# the staged copy too, as it does from any prefix it is installed or moved into.
if [ "${LUCIDPP_TOOLS:-true}" = false ]; then
    echo "== no lucidpp program to run (built with -Dtools=false)"
else
    echo "== $bindir/lucidpp tasks (staged, without LD_LIBRARY_PATH)"
    [ -x "$stage$bindir/lucidpp" ] || fail "the lucidpp program was not installed into $stage$bindir"
    tasks=$(env -u LD_LIBRARY_PATH "$stage$bindir/lucidpp" tasks 2>&1) || {
        printf '%s\n' "$tasks" >&2
        fail "the installed lucidpp program does not start (output above; install_rpath in tools/meson.build)"
    }
    case "$tasks" in
        *adding*) ;;
        *) printf '%s\n' "$tasks" >&2; fail "the installed 'lucidpp tasks' does not list the adding task" ;;
    esac
fi

# The .pc file says prefix=$prefix; point it at the staged copy instead.
export PKG_CONFIG_PATH="$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc() { pkg-config --define-variable=prefix="$stage$prefix" "$@" lucidpp; }
pc_flags=$(pc --cflags --libs) ||
    fail "pkg-config --cflags --libs lucidpp failed (is a package in its Requires missing?)"
# The README's rule for a prefix outside the linker's search path: an rpath to pkg-config's libdir.
pc_rpath="-Wl,-rpath,$(pc --variable=libdir)"

sanitize_flags=""
if [ -n "$sanitize" ] && [ "$sanitize" != none ]; then
    # A sanitized library needs a sanitized program: the runtime must be loaded first.
    sanitize_flags="-fsanitize=$sanitize -fno-omit-frame-pointer"
fi

echo "== $cxx consumer.cpp $pc_flags $pc_rpath $sanitize_flags"
# -Werror: the public headers must compile warning-free in a user's -Wall -Wextra build.
# shellcheck disable=SC2086  # the compiler and flag lists are meant to split into words
$cxx -std=c++20 -Wall -Wextra -Wpedantic -Werror $sanitize_flags \
    "$source_dir/tests/consumer/consumer.cpp" -o "$stage/consumer" $pc_flags "$pc_rpath" \
    >"$stage/compile.log" 2>&1 || {
    cat "$stage/compile.log" >&2
    fail "consumer.cpp does not compile or link against the installed library (errors above; \
a header included by lucid.hpp but missing from install_headers shows up here)"
}

echo "== run (without LD_LIBRARY_PATH)"
output=$(env -u LD_LIBRARY_PATH "$stage/consumer" 2>&1) || {
    printf '%s\n' "$output" >&2
    fail "the consumer program exited with an error (output above)"
}
printf '%s\n' "$output"
case "$output" in
    *"lucidpp consumer OK"*) ;;
    *) fail "the consumer program did not report success" ;;
esac

# The program must use the staged library, not some other installed copy.
env -u LD_LIBRARY_PATH ldd "$stage/consumer" 2>/dev/null | grep -q "$stage" ||
    fail "the consumer did not resolve liblucidpp from the staged install"
echo "consumer test passed"
