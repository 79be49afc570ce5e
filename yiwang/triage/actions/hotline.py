"""12345 hotline transfers (工单) registered as cases, typed by triage when the order carries no type.

The 12345 platform knows its own categories, not the centre's 17 dispute types, so a transferred order
usually comes without one. Each order with no type is classified from its facts and claims: when the
likeliest type's score reaches HOTLINE_MIN_SCORE the case is registered with it (channel
hotline_12345, through cases.do_register_case, so routing, numbering, the duplicate flag and the
suggestion record are the same as at a window); below it the order is not registered and comes back with
the three likeliest types, for a person to choose and send it again. On the held-out corpus a score of
0.35 or more covers 70% of texts, of which 97% are typed right (bench/triage_bench.py prints both).
An order's reference makes its registration idempotent: sending it again returns the same case.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.audit import record
from yiwang.core.errors import ActionRefused, InputError, PermissionRefused
from yiwang.core.scope import user_can
from yiwang.triage.actions.suggest import check_text, suggest_types
from yiwang.triage.classifier import CONFIDENT

HOTLINE_MIN_SCORE = CONFIDENT
MAX_ORDERS = 100
CHANNEL = "hotline_12345"


def _errors_of(error: ActionRefused) -> dict:
    if hasattr(error, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
    return {"__all__": [error.detail]}


def register_hotline_order(order: dict, *, by) -> dict:
    """Register one transferred order; returns what became of it (see do_register_hotline_orders)."""
    from yiwang.cases.actions import do_register_case

    reference = str(order.get("reference") or "").strip()[:60]
    result = {"reference": reference, "case": None, "number": "", "dispute_type": "", "from_triage": False,
              "score": None, "suggestions": [], "errors": {}}
    if not reference:
        result["errors"] = {"reference": [_("Give the order's number on the 12345 platform.")]}
        return result
    dispute_type = str(order.get("dispute_type") or "").strip()
    if not dispute_type:
        try:
            text = check_text(f"{order.get('facts') or ''}\n{order.get('claims') or ''}")
        except InputError as error:
            result["errors"] = _errors_of(error)
            return result
        ranked = suggest_types(text)
        best = ranked[0]
        result["score"] = best.score
        if best.score < HOTLINE_MIN_SCORE:
            result["suggestions"] = [{"dispute_type": s.dispute_type, "name": s.name, "score": s.score} for s in ranked]
            result["errors"] = {"dispute_type": [_(
                "The order does not say clearly enough which type of dispute it is: choose one of the "
                "suggestions and send it again.")]}
            return result
        dispute_type, result["from_triage"] = best.dispute_type, True
    try:
        case = do_register_case(
            by=by, channel=CHANNEL, dispute_type=dispute_type, area=order.get("area"), facts=order.get("facts") or "",
            claims=order.get("claims") or "", applicants=order.get("applicants") or [],
            respondents=order.get("respondents") or [], amount=order.get("amount"),
            people_involved=order.get("people_involved") or 1, idempotency_key=f"12345:{reference}")
    except ActionRefused as error:
        result["errors"] = _errors_of(error)
        return result
    result.update(case=case.pk, number=case.number, dispute_type=case.dispute_type.code)
    if result["from_triage"] and getattr(case, "just_created", True):
        record(by, "triage.hotline_typed", case, reference=reference, dispute_type=dispute_type, score=result["score"])
    return result


def do_register_hotline_orders(orders: list[dict], *, by) -> list[dict]:
    """Register 12345 transfers, each on its own (one refused order leaves the others registered).

    Each result: reference, case (id) and number when registered, dispute_type, from_triage (the type
    came from the classifier) and score, suggestions (when the classifier was not sure enough) and
    errors per field (as do_register_case gives them)."""
    if not user_can(by, "case.intake"):
        raise PermissionRefused(_("Only staff who register cases may register 12345 transfers."))
    if not isinstance(orders, list) or not orders:
        raise InputError({"orders": [_("Send a list of orders.")]})
    if len(orders) > MAX_ORDERS:
        raise InputError({"orders": [_("At most %(n)s orders at a time.") % {"n": MAX_ORDERS}]})
    return [register_hotline_order(order if isinstance(order, dict) else {}, by=by) for order in orders]
