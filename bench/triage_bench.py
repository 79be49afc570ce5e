#!/usr/bin/env python3
"""Triage on the held-out part of the shipped corpus: top-1 and top-3 accuracy, macro-F1 and F1 per type,
accuracy on the confusable texts (one type told in another's words), and the time per text on one core.

    .venv/bin/python bench/triage_bench.py

Trains from yiwang/triage/corpus/train.jsonl exactly as `yiwang train_triage` does (without corrections)
and classifies heldout.jsonl, whose templates and wrappings no training text shares (see the corpus's
build.py). The time per text is one call of suggest() at a time, as the API makes it. Prints figures; it
asserts nothing (yiwang/triage/tests/test_corpus.py holds the thresholds).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yiwang.triage import classifier  # noqa: E402

CORPUS = ROOT / "yiwang" / "triage" / "corpus"


def load(name):
    with (CORPUS / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def confident(model, rows):
    """(share of texts whose top score reaches classifier.CONFIDENT, top-1 accuracy among them)."""
    sure = [(model.suggest(r["text"], k=1)[0], r["dispute_type"]) for r in rows]
    sure = [(code, truth) for (code, score), truth in sure if score >= classifier.CONFIDENT]
    return len(sure) / len(rows), sum(code == truth for code, truth in sure) / max(1, len(sure))


def evaluate(model, rows):
    """(top-1, top-3, per-type {label: (precision, recall, f1, n)}, confusable top-1, wrong pairs)."""
    hits1 = hits3 = 0
    tp, fp, fn, n = Counter(), Counter(), Counter(), Counter()
    confusable = [0, 0]
    wrong = Counter()
    for row in rows:
        ranked = [code for code, _score in model.suggest(row["text"], k=3)]
        truth, guess = row["dispute_type"], ranked[0]
        n[truth] += 1
        hits1 += guess == truth
        hits3 += truth in ranked
        if row["confusable"]:
            confusable[0] += guess == truth
            confusable[1] += 1
        if guess == truth:
            tp[truth] += 1
        else:
            fp[guess] += 1
            fn[truth] += 1
            wrong[(truth, guess)] += 1
    per_type = {}
    for label in sorted(n):
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        per_type[label] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, n[label])
    return hits1 / len(rows), hits3 / len(rows), per_type, confusable[0] / max(1, confusable[1]), wrong


def main():
    train, held = load("train.jsonl"), load("heldout.jsonl")
    started = time.perf_counter()
    model = classifier.train([r["text"] for r in train], [r["dispute_type"] for r in train])
    train_seconds = time.perf_counter() - started
    model.suggest(held[0]["text"])  # warm the segmenter's dictionary
    top1, top3, per_type, confusable, wrong = evaluate(model, held)
    started = time.perf_counter()
    for row in held:
        model.suggest(row["text"])
    per_text_ms = (time.perf_counter() - started) / len(held) * 1000
    macro = sum(v[2] for v in per_type.values()) / len(per_type)
    covered, covered_top1 = confident(model, held)
    print(f"corpus: {len(train)} training texts, {len(held)} held-out texts "
          f"({sum(1 for r in held if r['confusable'])} confusable), {len(per_type)} types")
    print(f"training: {train_seconds:.1f} s")
    print()
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    print(f"| top-1 accuracy | {top1:.3f} | ≥ 0.85 |")
    print(f"| top-3 accuracy | {top3:.3f} | ≥ 0.95 |")
    print(f"| macro-F1 | {macro:.3f} | |")
    print(f"| top-1 on confusable texts | {confusable:.3f} | |")
    print(f"| time per text, one core | {per_text_ms:.2f} ms | < 20 ms |")
    print(f"| texts scoring ≥ {classifier.CONFIDENT} (typed without a person: 12345 orders) | {covered:.3f} | |")
    print(f"| top-1 accuracy among them | {covered_top1:.3f} | |")
    print()
    print("| type | precision | recall | F1 | held-out texts |")
    print("| --- | --- | --- | --- | --- |")
    for label, (p, r, f1, count) in per_type.items():
        print(f"| {label} | {p:.2f} | {r:.2f} | {f1:.2f} | {count} |")
    print()
    print("most frequent mistakes (truth → guess):",
          ", ".join(f"{a}→{b} {c}" for (a, b), c in wrong.most_common(8)))


if __name__ == "__main__":
    main()
