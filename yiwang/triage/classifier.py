"""The dispute-type classifier: rjieba words and characters, TF-IDF, one linear model.

Pure machine learning, no Django: `train(texts, labels)` returns a fitted `Classifier`, whose
`suggest(text, k)` gives the k likeliest types with a score (a probability, summing to 1 over all types).
`yiwang.triage.model` decides where the trained classifier comes from (built from the shipped corpus and
the staff corrections, cached under the var dir) — nothing is ever downloaded.

Why these features: a word view catches what people say (拖欠工资, 渔船, 免费律师) once segmented, and
a character 1–2-gram view catches what the segmenter splits oddly (place names, 船老大,
dialect spellings) and typos. Word bigrams and character trigrams were tried and scored no better on
the held-out set (they learn the training stories by heart). Both are sparse, so a linear model trains in seconds on two cores and
answers in well under a millisecond per text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

# Words the default dictionary lacks or splits: 普陀's places and the trade's terms. Adding them keeps a
# place name one token (so it weighs as little as any other place) and keeps a term together.
CUSTOM_WORDS = [
    "沈家门", "六横", "桃花岛", "虾峙", "东极", "朱家尖", "普陀山", "展茅", "登步", "白沙", "勾山", "东港",
    "路下徐", "蚂蚁岛", "鲁家峙", "半升洞", "螺门", "台门", "佛渡", "双屿港", "庙子湖", "青浜",
    "船老大", "船东", "渔船", "伏季休渔", "休渔期", "流刺网", "拖网船", "蟹笼", "网箱", "轮机长", "渔政",
    "法律援助", "援助律师", "免费律师", "劳动仲裁", "仲裁委", "行政复议", "复议", "信访", "上访", "低保",
    "物业费", "维修基金", "宅基地", "彩礼", "抚养费", "赡养费", "网贷", "砍头息", "征信", "强制执行",
    "诉前调解", "立案", "起诉状", "工伤认定", "经济补偿金", "交警", "责任认定书", "医疗事故", "病历",
]

# A top score from which the suggestion is taken without a person choosing (12345 orders that come
# without a type): on the held-out corpus 70% of texts reach it and 97% of those are typed right
# (bench/triage_bench.py prints both figures).
CONFIDENT = 0.35

_SPACE = re.compile(r"\s+")
_segmenter = None
_segmenter_lock = threading.Lock()


def _get_segmenter():
    """rjieba with the custom words, set up once per process. Under a lock: a threaded server's first two
    requests would otherwise add words at the same time, and rjieba refuses ("Already borrowed")."""
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                import rjieba

                for word in CUSTOM_WORDS:
                    rjieba.add_word(word, 2000, None)
                _segmenter = rjieba
    return _segmenter


def normalise(text: str) -> str:
    """One line, no runs of white space; full-width digits and letters as ASCII."""
    import unicodedata

    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip()


def words(text: str) -> list[str]:
    return [w for w in _get_segmenter().cut(text) if w.strip() and not _is_punctuation(w)]


def _is_punctuation(token: str) -> bool:
    import unicodedata

    return all(unicodedata.category(c).startswith("P") for c in token)


@dataclass
class Classifier:
    """A fitted pipeline (two vectorisers and a multinomial logistic regression) and its labels."""

    word_vectoriser: object
    char_vectoriser: object
    model: object

    @property
    def labels(self) -> list[str]:
        return list(self.model.classes_)

    def _features(self, texts):
        from scipy.sparse import hstack

        texts = [normalise(t) for t in texts]
        return hstack([self.word_vectoriser.transform(texts), self.char_vectoriser.transform(texts)]).tocsr()

    def probabilities(self, texts) -> np.ndarray:
        return self.model.predict_proba(self._features(texts))

    def suggest(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The k likeliest labels for `text`, best first, each with its probability."""
        row = self.probabilities([text])[0]
        best = np.argsort(-row)[:k]
        return [(self.model.classes_[i], float(row[i])) for i in best]


def train(texts: list[str], labels: list[str], weights: list[float] | None = None) -> Classifier:
    """Fit the classifier; `weights` (one per text) lets staff corrections count more than corpus texts."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [normalise(t) for t in texts]
    word_vectoriser = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)
    char_vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    features = hstack([word_vectoriser.fit_transform(texts), char_vectoriser.fit_transform(texts)]).tocsr()
    model = LogisticRegression(C=10.0, max_iter=2000)
    model.fit(features, labels, sample_weight=np.asarray(weights) if weights is not None else None)
    return Classifier(word_vectoriser, char_vectoriser, model)
