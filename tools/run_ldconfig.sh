#!/bin/sh
# meson install script: refreshes ld.so's cache after liblucidpp was installed into a system
# prefix, so that programs linked against it (without an rpath) start. It does nothing for a
# staging install (DESTDIR set: the files are not where ld.so looks), for a prefix outside
# /usr and /usr/local (programs need an rpath there; README, "Installing"), and when not root
# (ldconfig cannot write its cache; it says so).
#
#   usage: run_ldconfig.sh LIBDIR   (the absolute libdir the library was installed into)
set -eu

libdir=$1
# meson sets both; they differ under `meson install --destdir` or DESTDIR=...
[ -z "${DESTDIR:-}" ] || exit 0
[ "${MESON_INSTALL_DESTDIR_PREFIX:-}" = "${MESON_INSTALL_PREFIX:-}" ] || exit 0
case "$libdir" in
    /usr/lib | /usr/lib/* | /usr/local/lib | /usr/local/lib/*) ;;
    *) exit 0 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "lucidpp install: not root, so ldconfig was not run; run 'ldconfig' as root for $libdir" >&2
    exit 0
fi
ldconfig_program=$(command -v ldconfig || echo /sbin/ldconfig)
echo "lucidpp install: $ldconfig_program (liblucidpp in $libdir)"
"$ldconfig_program"
