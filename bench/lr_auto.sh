#!/usr/bin/env bash
# --lr auto against the default --lr 0.01 on the shared datasets' fixed train/test splits:
# 3 seeds each, test accuracy (R^2 for diabetes) and the rate --lr auto chose, as medians.
#
#   bench/lr_auto.sh > /tmp/lr_auto.md     # prints the Markdown table of bench/LR_AUTO.md
#
# Environment: NNFIT (build/nnfit), SHARED_DATA (../shared/data, else ../../shared/data),
# SEEDS ("1 2 3").
# Every run uses train's defaults otherwise (--hidden 64, sgd with momentum 0.9, batch 32, 200
# epochs, early stopping on a 20% validation split). About 20 s in all.
set -euo pipefail

cd "$(dirname "$0")/.."
NNFIT=${NNFIT:-build/nnfit}
DATA=${SHARED_DATA:-../shared/data}
[ -d "$DATA" ] || DATA=../../shared/data     # from a worktree under wt/
SEEDS=${SEEDS:-1 2 3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# name target metric extra-flags...
DATASETS=(
  "iris species accuracy"
  "penguins Species accuracy --impute median --na-values ."
  "diabetes progression r2"
  "letter lettr accuracy"
)

for row in "${DATASETS[@]}"; do
  read -r name target metric extra <<<"$row"
  for lr in 0.01 auto; do
    for seed in $SEEDS; do
      model=$OUT/$name-$lr-$seed.nnfit
      # shellcheck disable=SC2086  # $extra is a list of flags
      "$NNFIT" train --data "$DATA/$name.train.csv" --target "$target" --lr "$lr" \
        --seed "$seed" --model "$model" --no-progress --quiet --json $extra \
        >"$OUT/$name-$lr-$seed.train.json"
      "$NNFIT" evaluate --model "$model" --data "$DATA/$name.test.csv" --json \
        >"$OUT/$name-$lr-$seed.test.json"
      echo "$name $lr $seed done" >&2
    done
  done
done

python3 - "$OUT" "$SEEDS" <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2].split()
rows = [("iris", "accuracy"), ("penguins", "accuracy"), ("diabetes", "r2"), ("letter", "accuracy")]
print("| dataset | test metric | --lr 0.01 | --lr auto | auto's rate (median, min-max) | lambda_max (median) | best epoch 0.01 / auto (median) |")
print("|---|---|---|---|---|---|---|")
for name, metric in rows:
    def med(lr):
        return statistics.median(json.load(open(f"{out}/{name}-{lr}-{s}.test.json"))[metric] for s in seeds)
    auto = [json.load(open(f"{out}/{name}-auto-{s}.train.json"))["lr_auto"] for s in seeds]
    rates = [a["lr"] for a in auto]
    lam = statistics.median(a["lambda_max"] for a in auto)
    label = "accuracy" if metric == "accuracy" else "R^2"
    def epoch(lr):
        return statistics.median(json.load(open(f"{out}/{name}-{lr}-{s}.train.json"))["best_epoch"] for s in seeds)
    print(f"| {name} | {label} | {med('0.01'):.4f} | {med('auto'):.4f} | "
          f"{statistics.median(rates):.4g} ({min(rates):.4g}-{max(rates):.4g}) | {lam:.4g} | "
          f"{epoch('0.01'):.0f} / {epoch('auto'):.0f} |")
PY
