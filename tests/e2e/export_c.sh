#!/usr/bin/env bash
# End-to-end: `nnfit export --format c` headers compile as strict C99 and predict what
# `nnfit predict` predicts (labels equal, numbers within 1e-5 relative) for every output kind,
# activation, imputation and unseen categories (lib/export_models.bash); --c-prefix renames
# everything, so two models fit in one program. Usage: export_c.sh NNFIT_BINARY SOURCE_DIR
set -euo pipefail
nnfit=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v cc >/dev/null || fail "no C compiler (cc) on PATH"
lib=$(dirname "$0")/lib
source "$lib/export_models.bash"

# Same rows and labels; numbers within 1e-5 relative (absolute 1e-7 near zero).
compare() {
  paste -d'|' "$1" "$2" | awk -F'|' -v what="$3" '
    { n = split($1, a, ","); m = split($2, b, ",")
      if (n != m) { print what ": line " NR ": " $0; bad++; next }
      for (i = 1; i <= n; i++) {
        if (a[i] == b[i]) continue
        if (NR == 1 || a[i] !~ /^[-0-9.e+]+$/) { print what ": line " NR ": " a[i] " vs " b[i]; bad++; continue }
        d = a[i] - b[i]; d = d < 0 ? -d : d; s = a[i] < 0 ? -a[i] : a[i]; t = b[i] < 0 ? -b[i] : b[i]
        s = s > t ? s : t
        if (d > 1e-5 * s && d > 1e-7) { print what ": line " NR ": " a[i] " vs " b[i]; bad++ }
        if (s > 0 && d / s > worst) worst = d / s
      } }
    END { if (bad) exit 1; printf "ok %s: %d rows, largest relative difference %.2e\n", what, NR - 1, worst }'
}

for entry in $MODELS; do
  name=${entry%%:*}
  data=${entry#*:}
  prefix=$name
  [ "$name" = iris ] && prefix=nnfit  # the default prefix
  args=()
  [ "$prefix" = nnfit ] || args=(--c-prefix "$prefix")
  "$nnfit" export --quiet --model "$tmp/$name.nnfit" --format c --output "$tmp/$name.h" "${args[@]}"
  cc -std=c99 -Wall -Wextra -Werror -pedantic -O1 -I"$tmp" -DPREFIX="$prefix" \
    -DUPREFIX="$(tr a-z A-Z <<<"$prefix")" -DHEADER="\"$name.h\"" "$lib/c_driver.c" \
    -o "$tmp/$name.c.bin" -lm 2>"$tmp/$name.cc.log" || fail "$name.h does not compile: $(cat "$tmp/$name.cc.log")"
  "$tmp/$name.c.bin" <"$data" >"$tmp/$name.c.csv"
  nnfit_predictions "$name" "$data" | sed '1s/.*/prediction/' >"$tmp/$name.nnfit.csv"
  compare "$tmp/$name.c.csv" "$tmp/$name.nnfit.csv" "$name.h" || fail "$name.h predicts differently"
done

# --c-prefix: nothing in a prefixed header keeps the default names, so two models link together.
! grep -qi 'nnfit_' "$tmp/penguins.h" || fail "penguins.h (--c-prefix penguins) still has nnfit_ names"
cat >"$tmp/both.c" <<'C'
#include "iris.h"
#include "penguins.h"
int main(void) { return NNFIT_N_COLUMNS == 4 && PENGUINS_N_COLUMNS == 6 ? 0 : 1; }
C
cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$tmp" "$tmp/both.c" -o "$tmp/both" -lm ||
  fail "two exported headers do not compile together"
"$tmp/both" || fail "two headers: wrong column counts"
