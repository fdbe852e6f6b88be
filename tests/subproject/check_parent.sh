#!/bin/sh
# Builds tests/subproject/parent, a project that takes lucidpp in as a meson subproject, in a
# scratch folder, and checks what a parent project gets: the library only (no lucidpp program,
# benchmarks, tests or examples), no compiler warning at -O3 with asserts on, and a program that
# runs. Slow (the whole library, a few minutes): suite 'subproject', which plain `meson test`
# leaves out; .ci/run runs it with `meson test --suite subproject`.
#
#   usage: check_parent.sh SOURCE_DIR
#   env:   CXX, the compiler command; meson passes the project's compiler. JOBS (default 2).
set -eu

fail() {
    echo "subproject test FAILED: $*" >&2
    exit 1
}

[ $# -eq 1 ] || fail "usage: $0 SOURCE_DIR"
source_dir=$(cd "$1" && pwd) || fail "no source directory $1"

work=$(mktemp -d "${TMPDIR:-/tmp}/lucidpp-parent.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cp "$source_dir/tests/subproject/parent/meson.build" "$source_dir/tests/subproject/parent/main.cpp" "$work/"
mkdir "$work/subprojects"
ln -s "$source_dir" "$work/subprojects/lucidpp"

echo "== meson setup (parent with b_ndebug=false, buildtype=release)"
meson setup "$work/build" "$work" >"$work/setup.log" 2>&1 || {
    cat "$work/setup.log" >&2
    fail "meson setup of the parent project failed (log above)"
}
echo "== ninja -j${JOBS:-2}"
ninja -C "$work/build" -j "${JOBS:-2}" >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    fail "the parent project does not build (log above)"
}
steps=$(sed -n 's/^\[[0-9]*\/\([0-9]*\)\].*/\1/p' "$work/build.log" | tail -n 1)
echo "== built in ${steps:-?} ninja steps"

warnings=$(grep -c 'warning:' "$work/build.log" || true)
if [ "$warnings" -ne 0 ]; then
    grep -B2 -A12 'warning:' "$work/build.log" >&2
    fail "$warnings compiler warnings in a subproject build (above)"
fi

sub="$work/build/subprojects/lucidpp"
ls "$sub"/lucidpp/liblucidpp.so* >/dev/null 2>&1 || fail "liblucidpp.so was not built"
for program in tools/lucidpp tools/bench/lucidpp-bench tools/bench/torch-bench \
    tests/unit_tests tests/docs/doc_examples examples/fit_line; do
    [ ! -e "$sub/$program" ] || fail "$program was built; a subproject build should compile the library only"
done
extra=$(ninja -C "$work/build" -t targets all | grep -E '^subprojects/lucidpp/(tools|tests|examples)/' || true)
[ -z "$extra" ] || fail "ninja targets beyond the library: $extra"

output=$("$work/build/parent" 2>&1) || {
    printf '%s\n' "$output" >&2
    fail "the parent's program exited with an error (output above)"
}
printf '%s\n' "$output"
case "$output" in
    *"loss 14 grad"*"2"*"4"*"6"*) ;;
    *) fail "expected loss 14 and gradient [2, 4, 6]" ;;
esac
echo "subproject test passed"
