"""The financial desk's URLs in the project's URL walk (core/tests/test_url_walk.py): a batch of the cast's
bank (浙江普陀农村商业银行) and one of another bank, and a key of each."""

from yiwang.core.tests.urlwalk import MISSING, Missing, Rule


def build(world) -> dict:
    from yiwang.finance.actions import do_create_key, do_submit_batch, process_batch
    from yiwang.finance.models import Bank, Batch
    from yiwang.finance.tests.helpers import good_rows
    from yiwang.testing import factories as f

    batches = []
    for username, prefix in (("bank_operator", "WALK"), ("icbc_operator", "WALKICBC")):
        batch = do_submit_batch(by=f.user(username), rows=good_rows(2, prefix=prefix))
        process_batch(Batch.objects.get(pk=batch.pk))
        batches.append(Batch.objects.get(pk=batch.pk))
    staff = f.user("putuo_staff")
    keys = [do_create_key(batch.bank, by=staff, name="walk")[0] for batch in batches]
    return {"finance_batches": batches, "finance_banks": [b.bank for b in batches] + [MISSING],
            "finance_keys": keys, "finance_bank_model": Bank}


def _sees_batch(user, obj):
    from yiwang.finance.models import Batch

    return not isinstance(obj, Missing) and Batch.objects.visible_to(user).filter(pk=obj.pk).exists()


def _manages(user, bank):
    from yiwang.finance.actions import check_may_manage
    from yiwang.finance.models import Bank

    if isinstance(bank, Missing) or not Bank.objects.visible_to(user).filter(pk=bank.pk).exists():
        return False
    try:
        check_may_manage(user, bank)
    except Exception:  # noqa: BLE001 - a refusal means "outside"
        return False
    return True


def _sees_desk(user):
    from yiwang.finance.models import Bank

    return Bank.objects.visible_to(user).exists()


BATCHES = lambda w: w["finance_batches"]  # noqa: E731
PK = lambda obj: {"pk": obj.pk}  # noqa: E731
BATCH_API = Rule("object", api=True, objects=BATCHES, kwargs=PK, sees=_sees_batch, why="a bank's own batches")

RULES = {
    "finance:desk": Rule("page", allowed=_sees_desk, why="a bank's operator or the centre's staff"),
    "finance:template": Rule("page", why="the template, for anyone signed in"),
    "finance:submit": Rule("post", why="POST only: submit a file"),
    "finance:batch": Rule("object", objects=BATCHES, kwargs=PK, sees=_sees_batch),
    "finance:batch_report": Rule("object", objects=BATCHES, kwargs=PK, sees=_sees_batch),
    "finance:bank_keys": Rule("object", objects=lambda w: w["finance_banks"], kwargs=PK,
                              sees=_manages, why="the centre's staff manage a bank's keys"),
    "finance:key_rotate": Rule("post", objects=lambda w: w["finance_keys"], kwargs=PK,
                               sees=lambda u, k: _manages(u, k.bank)),
    "finance:key_revoke": Rule("post", objects=lambda w: w["finance_keys"], kwargs=PK,
                               sees=lambda u, k: _manages(u, k.bank)),
    "finance-batch-list": Rule("page", api=True, why="a list over visible_to"),
    "finance-batch-detail": BATCH_API,
    "finance-batch-rows": BATCH_API,
}
for _key in [k for k in RULES if k.startswith("finance-")]:
    from dataclasses import replace as _replace

    _base = RULES[_key]
    RULES[f"{_key}.format"] = _replace(_base, kwargs=lambda obj, _k=_base.kwargs: {**_k(obj), "format": "json"})


