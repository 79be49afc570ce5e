"""Where the trained classifier comes from: the shipped corpus plus staff corrections, built here.

Never fetched. The first call of `get_classifier()` in a process loads the model file named in
VAR_DIR/triage/current.json when that file was built from the same corpus with the same library versions;
otherwise it trains from the corpus alone (a few seconds on one core), saves the file and uses it.
`yiwang train_triage` rebuilds with the corrections staff made (see actions.get_corrections) and makes
that the current file. The cache key is a hash of the corpus files, the versions of numpy, scipy,
scikit-learn and rjieba, and the corrections, so a new corpus or an upgraded library never loads a stale
or incompatible pickle.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import threading
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.conf import settings

from yiwang.triage import classifier as clf

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
TRAIN_FILE = CORPUS_DIR / "train.jsonl"
HELDOUT_FILE = CORPUS_DIR / "heldout.jsonl"
LIBRARIES = ("numpy", "scipy", "scikit-learn", "rjieba")
# A clerk's correction weighs as much as this many corpus texts: it is a real text, and rare.
CORRECTION_WEIGHT = 5.0

_lock = threading.Lock()
_loaded: dict[str, object] = {}


@dataclass(frozen=True)
class Example:
    """One labelled text."""

    text: str
    dispute_type: str


def read_corpus(path: Path = TRAIN_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_key() -> str:
    """What the corpus-only model depends on: the training file and the libraries' versions."""
    digest = hashlib.sha256(TRAIN_FILE.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name}={version(name)};".encode())
    return digest.hexdigest()[:16]


def model_key(corrections: list[Example]) -> str:
    digest = hashlib.sha256(corpus_key().encode())
    for example in corrections:
        digest.update(f"{example.dispute_type}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]


def _directory() -> Path:
    path = Path(settings.VAR_DIR) / "triage"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build(corrections: list[Example] = ()) -> tuple[str, clf.Classifier]:
    """Train from the corpus and `corrections`, save the model file, make it current; returns its key."""
    corrections = list(corrections)
    rows = read_corpus()
    texts = [r["text"] for r in rows] + [c.text for c in corrections]
    labels = [r["dispute_type"] for r in rows] + [c.dispute_type for c in corrections]
    weights = [1.0] * len(rows) + [CORRECTION_WEIGHT] * len(corrections)
    classifier = clf.train(texts, labels, weights)
    key = model_key(corrections)
    directory = _directory()
    # Two processes may build at once: each writes its own temporary file, and the rename is atomic.
    temporary = directory / f"model-{key}.pickle.{os.getpid()}.tmp"
    temporary.write_bytes(pickle.dumps(classifier, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(directory / f"model-{key}.pickle")
    current = directory / "current.json"
    pending = directory / f"current.{os.getpid()}.tmp"
    pending.write_text(json.dumps({"key": key, "corpus": corpus_key(), "corrections": len(corrections)}))
    pending.replace(current)
    with _lock:
        _loaded.clear()
        _loaded[key] = classifier
    return key, classifier


def get_classifier() -> tuple[str, clf.Classifier]:
    """The current classifier and its key, loaded once per process (built on first use when missing)."""
    current_file = _directory() / "current.json"
    try:
        current = json.loads(current_file.read_text())
    except (OSError, ValueError):
        current = {}
    key = current.get("key", "")
    with _lock:
        if key in _loaded:
            return key, _loaded[key]
    path = _directory() / f"model-{key}.pickle"
    if key and current.get("corpus") == corpus_key() and path.exists():
        # Our own file, written by build() under VAR_DIR: never a file from elsewhere.
        classifier = pickle.loads(path.read_bytes())
        with _lock:
            _loaded.clear()
            _loaded[key] = classifier
        return key, classifier
    return build()
