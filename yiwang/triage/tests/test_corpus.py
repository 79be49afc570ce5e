"""The shipped corpus: every type and town in both parts, split by template, rebuilt identically, and the
classifier trained on the training part meets the held-out targets the bench reports."""

import json
from collections import Counter

import pytest

from yiwang.areas.demo import DISPUTE_TYPES
from yiwang.triage import classifier, model
from yiwang.triage.corpus import build

TYPES = {code for code, *_rest in DISPUTE_TYPES}


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def parts():
    return _read(model.TRAIN_FILE), _read(model.HELDOUT_FILE)


@pytest.fixture(scope="module")
def trained(parts):
    train, _held = parts
    return classifier.train([r["text"] for r in train], [r["dispute_type"] for r in train])


def test_the_shipped_files_are_what_build_makes(parts):
    assert build.make_rows() == parts


def test_every_type_and_every_town_is_in_both_parts_and_many_texts_are_confusable(parts):
    for rows in parts:
        assert {r["dispute_type"] for r in rows} == TYPES
        assert set(Counter(r["town"] for r in rows)) == set(build.TOWNS)
        assert sum(1 for r in rows if r["confusable"]) > len(rows) / 4
        assert all(r["confusable"] in TYPES | {""} for r in rows)


def test_no_held_out_text_shares_its_template_or_its_wrapping_with_a_training_text(parts):
    train, held = parts
    assert not {r["template"] for r in train} & {r["template"] for r in held}
    assert not {r["text"] for r in train} & {r["text"] for r in held}
    held_claims = [c for claims in build.POOLS["claims"].values() for c in claims[1::2]]
    train_texts = "\n".join(r["text"] for r in train)
    assert not [c for c in held_claims if c in train_texts]


def test_held_out_accuracy_meets_the_thresholds(parts, trained):
    _train, held = parts
    ranked = [[code for code, _s in trained.suggest(r["text"], k=3)] for r in held]
    top1 = sum(r["dispute_type"] == top[0] for r, top in zip(held, ranked, strict=True)) / len(held)
    top3 = sum(r["dispute_type"] in top for r, top in zip(held, ranked, strict=True)) / len(held)
    # The bench (bench/triage_bench.py) prints 0.877 and 0.983; these thresholds are the targets.
    assert top1 >= 0.85, top1
    assert top3 >= 0.95, top3


@pytest.mark.parametrize("code", sorted(TYPES))
def test_held_out_texts_of_each_type_get_their_type_in_the_top_three(parts, trained, code):
    _train, held = parts
    rows = [r for r in held if r["dispute_type"] == code]
    hits = sum(code in [c for c, _s in trained.suggest(r["text"], k=3)] for r in rows)
    assert hits / len(rows) >= 0.70, (code, hits, len(rows))  # the weakest, contract, is at 0.72


def test_scores_are_probabilities_best_first(trained):
    suggestions = trained.suggest("我在沈家门的渔船上干了三个月，船老大一直不给工钱", k=3)
    scores = [s for _c, s in suggestions]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1
    assert suggestions[0][0] == "maritime"
