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
    keys = [do_create_key(batch.bank, by=staff, name="巡检")[0] for batch in batches]
    from yiwang.finance.actions import do_start_allocation, process_allocation

    allocation = process_allocation(do_start_allocation(batches[0], by=staff, mediators=[f.user("mediator_wang")],
                                                        limit=1))
    cases = [bc.case for batch in batches for bc in batch.cases.select_related("case").order_by("case_id")[:1]]
    return {"finance_batches": batches, "finance_banks": [b.bank for b in batches] + [MISSING],
            "finance_keys": keys, "finance_bank_model": Bank, "finance_allocations": [allocation],
            "finance_cases": cases}


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


def _routes(user, batch):
    from yiwang.finance.actions import check_may_route

    if not _sees_batch(user, batch):
        return False
    try:
        check_may_route(user, batch.bank)
    except Exception:  # noqa: BLE001 - a refusal means "outside"
        return False
    return True


def _sees_allocation(user, obj):
    from yiwang.finance.models import Allocation

    return not isinstance(obj, Missing) and Allocation.objects.visible_to(user).filter(pk=obj.pk).exists()


def _sees_case(user, case):
    from yiwang.cases.models import Case

    return not isinstance(case, Missing) and Case.objects.visible_to(user, "case.view").filter(pk=case.pk).exists()


def _papers(user, case):
    from yiwang.cases.actions import check_case_party

    return _sees_case(user, case) and (check_case_party(case, user, "case.intake")
                                       or _routes(user, case.bank_case.batch))


def _reads_figures(user):
    from yiwang.finance.models import Bank

    return Bank.objects.figures_visible_to(user).exists()


def _uploads_payments(user):
    from yiwang.finance.actions import can_upload_payments

    return can_upload_payments(user)


def _uploads_numbers(user):
    from yiwang.finance.actions import can_upload_court_numbers

    return can_upload_court_numbers(user)


BATCHES = lambda w: w["finance_batches"]  # noqa: E731
CASES = lambda w: w["finance_cases"]  # noqa: E731
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
    "finance:allocate": Rule("post", objects=BATCHES, kwargs=PK, sees=_routes, why="the committee's staff"),
    "finance:notify_borrowers": Rule("post", objects=BATCHES, kwargs=PK, sees=_routes),
    "finance:refer_to_court": Rule("post", objects=BATCHES, kwargs=PK, sees=_routes),
    "finance:filing_package": Rule("post", objects=BATCHES, kwargs=PK, sees=_routes),
    "finance:allocation": Rule("object", objects=lambda w: w["finance_allocations"], kwargs=PK,
                               sees=_sees_allocation, why="the centre's side only: a bank's operator gets 404"),
    "finance:plan": Rule("post", objects=CASES, kwargs=PK, sees=_sees_case),
    "finance:payment": Rule("post", objects=CASES, kwargs=PK, sees=_sees_case),
    "finance:complaint": Rule("object", objects=CASES, kwargs=PK, sees=_papers,
                              why="the bank's own papers, or the committee's; the borrower's full ID is printed"),
    "finance:evidence_list": Rule("object", objects=CASES, kwargs=PK, sees=_papers),
    "finance:overdue": Rule("page", allowed=_sees_desk),
    "finance:payments_upload": Rule("page", allowed=_uploads_payments,
                                    why="a bank's operator (its own cases) or the committee's staff"),
    "finance:statistics": Rule("page", allowed=_reads_figures,
                               why="a bank only its own; the centre and the readers of statistics the area's"),
    "finance:follow_ups": Rule("page", allowed=_sees_desk),
    "finance:follow_up": Rule("post", objects=CASES, kwargs=PK, sees=_sees_case),
    "finance:court_numbers": Rule("page", allowed=_uploads_numbers, why="the court's liaison or the centre"),
    "finance:borrower_answer": Rule("post", objects=lambda w: [{"token": w["token"], "valid": True},
                                                               {"token": "x" * 43, "valid": False}],
                                    kwargs=lambda o: {"token": o["token"]}, sees=lambda u, o: o.get("valid", False),
                                    anonymous=(405,),
                                    why="the borrower's POST from their proven page; any other answers 404"),
    "finance-batch-allocate": Rule("post", api=True, objects=BATCHES, kwargs=PK, sees=_routes),
    "finance-batch-notify-borrowers": Rule("post", api=True, objects=BATCHES, kwargs=PK, sees=_routes),
    "finance-allocation-list": Rule("page", api=True, why="a list over visible_to"),
    "finance-allocation-detail": Rule("object", api=True, objects=lambda w: w["finance_allocations"], kwargs=PK,
                                      sees=_sees_allocation),
    "finance-case-plan": Rule("object", api=True, objects=CASES, kwargs=PK, sees=_sees_case),
    "finance-case-payments": Rule("post", api=True, objects=CASES, kwargs=PK, sees=_sees_case),
    "finance-court-numbers-list": Rule("post", api=True, why="POST only: the 案号 in bulk"),
    "finance-payment-files-list": Rule("post", api=True, why="POST only: a file of payments"),
    "finance-statistics-list": Rule("page", api=True, why="the banks the caller sees (none: an empty list)"),
    "finance-batch-list": Rule("page", api=True, why="a list over visible_to"),
    "finance-batch-detail": BATCH_API,
    "finance-batch-rows": BATCH_API,
}
for _key in [k for k in RULES if k.startswith("finance-")]:
    from dataclasses import replace as _replace

    _base = RULES[_key]
    RULES[f"{_key}.format"] = _replace(_base, kwargs=lambda obj, _k=_base.kwargs: {**_k(obj), "format": "json"})


