"""The Python pipeline we replace, for side-by-side benchmarks only.

TfidfVectorizer + LogisticRegression on an IMDB-format CSV with an 80/20 split, as the original
train.py did. Prints one JSON line: accuracy, auc, fit and whole-script seconds, batch predictions/s.
Run with Debian's interpreter: /usr/bin/python3 bench/python/baseline.py data.csv model.pkl [variant] [folds]
  variant  "plain" (default): the original TF-IDF word unigrams + LogisticRegression;
           "tuned": word 1-3-grams (min_df 2, sublinear tf) + LogisticRegression(C=10), scikit-learn at its best
           without leaving the linear model family ours is in.
  folds    with a number, 5 for example, also the mean accuracy of a shuffled k-fold cross-validation.
"""
import csv
import json
import pickle
import sys
import time

start = time.perf_counter()
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import KFold, cross_val_score, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

variant = sys.argv[3] if len(sys.argv) > 3 else "plain"
folds = int(sys.argv[4]) if len(sys.argv) > 4 else 0


def pipeline():
    if variant == "tuned":
        return make_pipeline(
            TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True),
            LogisticRegression(C=10, max_iter=1000),
        )
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
texts = [r["review"] for r in rows]
labels = [1 if r["sentiment"] == "positive" else 0 for r in rows]
x_train, x_test, y_train, y_test = train_test_split(texts, labels, test_size=0.2, random_state=42)

model = pipeline()
fit_start = time.perf_counter()
model.fit(x_train, y_train)
fit_seconds = time.perf_counter() - fit_start
probabilities = model.predict_proba(x_test)[:, 1]
accuracy = accuracy_score(y_test, (probabilities >= 0.5).astype(int))
auc = roc_auc_score(y_test, probabilities)
with open(sys.argv[2], "wb") as f:
    pickle.dump(model, f)
script_seconds = time.perf_counter() - start

batch_start = time.perf_counter()
model.predict(texts)
batch_per_second = len(texts) / (time.perf_counter() - batch_start)
result = {"accuracy": accuracy, "auc": auc, "fit_seconds": fit_seconds,
          "script_seconds": script_seconds, "batch_per_second": batch_per_second}
if folds:
    scores = cross_val_score(pipeline(), texts, labels, cv=KFold(folds, shuffle=True, random_state=42))
    result["cv_accuracy"] = float(scores.mean())
    result["cv_min"] = float(scores.min())
    result["cv_max"] = float(scores.max())
print(json.dumps(result))
