#!/bin/sh
# Installs lucidpp from a build directory into a scratch prefix (DESTDIR), then configures,
# builds and runs the CMake project beside this script against it, as a CMake user would:
# find_package(lucidpp) with CMAKE_PREFIX_PATH pointing at the staged prefix. Catches a broken
# or unrelocatable lucidppConfig.cmake and missing usage requirements on lucidpp::lucidpp.
#
#   usage: check_cmake.sh BUILD_DIR
#   env:   CXX, the compiler command (cmake reads it); meson passes the project's compiler.
# Exit code 77 (meson's "skipped") when cmake is not installed.
set -eu

fail() {
    echo "cmake_consumer test FAILED: $*" >&2
    exit 1
}

[ $# -eq 1 ] || fail "usage: $0 BUILD_DIR"
command -v cmake >/dev/null || {
    echo "cmake_consumer: cmake is not installed (tools/setup installs it); skipped"
    exit 77
}
build_dir=$(cd "$1" && pwd) || fail "no build directory $1"
project_dir=$(cd "$(dirname "$0")" && pwd)

stage=$(mktemp -d "${TMPDIR:-/tmp}/lucidpp-cmake.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

options=$(meson introspect "$build_dir" --buildoptions | python3 -c '
import json, sys
for option in json.load(sys.stdin):
    if option["name"] in ("prefix", "b_sanitize"):
        value = option["value"]
        if isinstance(value, list):  # newer meson returns b_sanitize as an array
            value = ",".join(value)
        print("%s=%s" % (option["name"], value))
') || fail "could not read the build options of $build_dir (meson introspect)"
prefix=$(printf '%s\n' "$options" | sed -n 's/^prefix=//p')
sanitize=$(printf '%s\n' "$options" | sed -n 's/^b_sanitize=//p')

meson install -C "$build_dir" --destdir "$stage/root" --no-rebuild --quiet >"$stage/install.log" 2>&1 || {
    cat "$stage/install.log" >&2
    fail "meson install -C $build_dir failed (log above)"
}
config=$(find "$stage/root" -name lucidppConfig.cmake)
[ -n "$config" ] || fail "no lucidppConfig.cmake was installed"
echo "== installed $config"

flags=""
if [ -n "$sanitize" ] && [ "$sanitize" != none ]; then
    # A sanitized library needs a sanitized program: the runtime must be loaded first.
    flags="-fsanitize=$sanitize -fno-omit-frame-pointer"
fi

echo "== cmake -DCMAKE_PREFIX_PATH=$stage/root$prefix"
cmake -S "$project_dir" -B "$stage/build" -DCMAKE_PREFIX_PATH="$stage/root$prefix" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror $flags" >"$stage/configure.log" 2>&1 || {
    cat "$stage/configure.log" >&2
    fail "cmake could not configure the project (find_package(lucidpp); log above)"
}
cmake --build "$stage/build" >"$stage/build.log" 2>&1 || {
    cat "$stage/build.log" >&2
    fail "the CMake project does not build against lucidpp::lucidpp (log above)"
}

output=$("$stage/build/cmake_consumer" 2>&1) || {
    printf '%s\n' "$output" >&2
    fail "the program built with CMake exited with an error (output above)"
}
printf '%s\n' "$output"
case "$output" in
    *"loss 14 grad"*"2"*"4"*"6"*) ;;
    *) fail "expected loss 14 and gradient [2, 4, 6]" ;;
esac
echo "cmake_consumer test passed"
