#!/usr/bin/python3
"""Peer for bench/gridsearch.sh: scikit-learn's GridSearchCV and HalvingGridSearchCV over the
same MLP grid, the same 80/20 validation split (PredefinedSplit) and the same epochs, then the
refit best model's accuracy on the test file. Prints one JSON line.

  search_sklearn.py TRAIN.csv TEST.csv TARGET {grid|halving} JOBS EPOCHS
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, PredefinedSplit
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

train_path, test_path, target, strategy, jobs, epochs = sys.argv[1:7]
jobs, epochs = int(jobs), int(epochs)
warnings.filterwarnings("ignore", category=ConvergenceWarning)

train = pd.read_csv(train_path)
test = pd.read_csv(test_path)
x = train.drop(columns=[target]).to_numpy(np.float32)
y = train[target].to_numpy()
rng = np.random.default_rng(42)
fold = np.where(rng.random(len(y)) < 0.2, 0, -1)  # 0: the validation rows, -1: always train
scaler = StandardScaler().fit(x[fold == -1])
x = scaler.transform(x)
x_test = scaler.transform(test.drop(columns=[target]).to_numpy(np.float32))

mlp = MLPClassifier(solver="sgd", momentum=0.9, nesterovs_momentum=False, batch_size=32,
                    max_iter=epochs, early_stopping=False, n_iter_no_change=10**6, tol=0,
                    random_state=42)
grid = {"learning_rate_init": [0.1, 0.03, 0.01],
        "hidden_layer_sizes": [(64,), (128, 64), (256,)]}
t0 = time.perf_counter()
if strategy == "grid":
    search = GridSearchCV(mlp, grid, cv=PredefinedSplit(fold), n_jobs=jobs, scoring="neg_log_loss")
else:
    search = HalvingGridSearchCV(mlp, grid, cv=PredefinedSplit(fold), n_jobs=jobs,
                                 scoring="neg_log_loss", resource="max_iter", factor=3,
                                 min_resources=max(1, epochs // 9), max_resources=epochs)
search.fit(x, y)
seconds = time.perf_counter() - t0
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"tool": "sklearn", "strategy": strategy, "jobs": jobs, "seconds": seconds,
                  "peak_rss_mb": rss,
                  "test_accuracy": float((search.predict(x_test) == test[target]).mean()),
                  "best": str(search.best_params_)}))
