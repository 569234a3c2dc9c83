#!/bin/sh
# missing-tool.sh PROGRAM PACKAGE — stands in for a test whose program meson did not find.
# Under build-aux/test.sh (TRIAD_TEST_STRICT=1) the test fails; elsewhere it is skipped (77).
echo "$1 is missing: install the Debian package $2 (build-aux/deps.sh test)" >&2
[ "${TRIAD_TEST_STRICT:-}" = 1 ] && exit 1
exit 77
