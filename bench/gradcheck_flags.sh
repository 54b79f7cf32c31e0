#!/usr/bin/env bash
# How often `nnfit gradcheck` passes with and without --dropout / --class-weight on correct
# code: iris --hidden 8,5, seeds 1..10, each of tanh, sigmoid and relu; prints the Markdown
# table of README "Checking gradients" (passes of 30, worst max relative error).
#
#   bench/gradcheck_flags.sh          # about 1 minute
#
# Environment: NNFIT (build/nnfit).
set -euo pipefail

cd "$(dirname "$0")/.."
NNFIT=${NNFIT:-build/nnfit}
echo "| flags | pass | worst max error |"
echo "|---|---|---|"
for flags in "" "--dropout 0.3" "--dropout 0.5" "--rows 60" \
             "--rows 60 --class-weight setosa=3,versicolor=0.3" \
             "--rows 60 --dropout 0.3 --class-weight setosa=3,versicolor=0.3"; do
  pass=0 worst=0
  for act in tanh sigmoid relu; do
    for seed in 1 2 3 4 5 6 7 8 9 10; do
      # shellcheck disable=SC2086  # $flags is a list of words
      read -r err ok < <("$NNFIT" gradcheck --data data/iris.csv --target species --hidden 8,5 \
          --activation "$act" --seed "$seed" $flags --json 2>/dev/null |
        python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["max_error"], int(j["passed"]))')
      pass=$((pass + ok))
      worst=$(python3 -c "print(max($worst, $err))")
    done
  done
  printf '| %s | %d/30 | %.1e |\n' "${flags:-none}" "$pass" "$worst"
done
