"""A suggestion the clerk changed is a labelled example: recorded at registration through the
case_changed hook, and retraining with it changes what is suggested."""

from yiwang.testing import factories as f
from yiwang.triage import model
from yiwang.triage.actions import do_retrain, get_corrections, suggest_types
from yiwang.triage.models import Suggestion

# Said like a dispute between neighbours; in this (made-up) office such texts are handled as petitions.
TEXT = "村口那个老戏台边上晒谷场的铁皮棚挡了大家的路，天天吵"


def test_registration_records_the_suggestion_and_the_chosen_type(cast, own_model_dir):
    case = f.register_case(dispute_type="maritime", facts="我在沈家门的渔船上做了三个月，船老大不给工钱",
                           claims="要求船东把工钱结清", vessel_name="浙普渔12345", sea_area="沈家门渔港")
    row = Suggestion.objects.get(case=case)
    assert row.suggested == "maritime" and row.chosen == "maritime" and not row.corrected
    assert [code for code, _s in row.scores][0] == "maritime" and len(row.scores) == 3


def test_retraining_from_corrections_changes_the_suggestion(cast, own_model_dir):
    before = suggest_types(f"{TEXT}\n叫他把棚子拆掉")[0].dispute_type
    assert before != "petition"
    for _n in range(3):
        f.register_case(dispute_type="petition", facts=TEXT, claims="叫他把棚子拆掉")
    assert len(get_corrections()) == 3
    result = do_retrain()
    assert result["corrections"] == 3
    assert suggest_types(TEXT)[0].dispute_type == "petition"
    # The retrained model is the current one under VAR_DIR, keyed by corpus, libraries and corrections.
    key, _classifier = model.get_classifier()
    assert key == result["model"] and (own_model_dir / "triage" / f"model-{key}.pickle").exists()


def test_a_model_built_from_another_corpus_is_not_loaded(cast, own_model_dir, monkeypatch):
    key, _classifier = model.get_classifier()
    model._loaded.clear()
    monkeypatch.setattr(model, "corpus_key", lambda: "another-corpus")
    rebuilt, _classifier = model.get_classifier()
    assert rebuilt != key


def test_a_broken_model_never_stops_a_registration(cast, own_model_dir, monkeypatch):
    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(model, "get_classifier", broken)
    case = f.register_case()
    assert case.pk and not Suggestion.objects.filter(case=case).exists()
