"""Per-bank figures (reads only): for the centre every bank it sees, for a bank's operator their own
(Bank.objects.visible_to decides), and the follow-ups (回访) due on the banks' cases.

    get_bank_statistics(user) → [BankFigures]
    get_follow_ups_due(user) → Case queryset
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from yiwang.cases.models import Case, Outcome, ReferralKind, Status
from yiwang.finance.models import Bank, BankCase, Payment

ACCEPTED = Q(case__status__in=[s for s in Status.values if s not in (Status.REGISTERED, Status.NOT_ACCEPTED)])
LITIGATION = Q(case__referrals__kind=ReferralKind.LITIGATION)
CLOSED = Q(case__closed_at__isnull=False)
CENT = Decimal("0.01")


@dataclass
class BankFigures:
    bank: Bank
    received: int = 0
    accepted: int = 0
    mediated: int = 0  # an agreement was reached
    litigation: int = 0
    closed: int = 0
    amount_in_dispute: Decimal = Decimal("0")
    amount_recovered: Decimal = Decimal("0")
    average_days_to_close: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def success_rate(self) -> float | None:
        ended = self.mediated + self.litigation
        return round(100 * self.mediated / ended, 1) if ended else None

    def as_row(self) -> list:
        return [str(self.bank), self.received, self.accepted, self.mediated, self.litigation, self.closed,
                self.amount_in_dispute, self.amount_recovered, self.average_days_to_close]


def get_bank_statistics(user, *, area_code: str = "") -> list[BankFigures]:
    """The figures of each bank whose figures `user` reads (Bank.objects.figures_visible_to), of the
    banks in `area_code` when given."""
    banks = Bank.objects.figures_visible_to(user).select_related("organisation")
    if area_code:
        banks = banks.filter(organisation__area__code__startswith=area_code)
    banks = list(banks)
    figures = {b.pk: BankFigures(bank=b) for b in banks}
    counts = (BankCase.objects.filter(bank__in=banks).values("bank")
              .annotate(received=Count("pk", distinct=True), accepted=Count("pk", filter=ACCEPTED, distinct=True),
                        mediated=Count("pk", filter=Q(case__agreement__isnull=False), distinct=True),
                        litigation=Count("pk", filter=LITIGATION, distinct=True),
                        closed=Count("pk", filter=CLOSED, distinct=True)))
    for row in counts:
        f = figures[row["bank"]]
        f.received, f.accepted, f.mediated = row["received"], row["accepted"], row["mediated"]
        f.litigation, f.closed = row["litigation"], row["closed"]
    for row in (BankCase.objects.filter(bank__in=banks).values("bank")
                .annotate(owed=Sum(F("outstanding_principal") + F("interest") + F("penalty")))):
        figures[row["bank"]].amount_in_dispute = (row["owed"] or Decimal("0")).quantize(CENT)
    for row in Payment.objects.filter(plan__case__bank_case__bank__in=banks).values(
            "plan__case__bank_case__bank").annotate(total=Sum("amount")):
        figures[row["plan__case__bank_case__bank"]].amount_recovered = (row["total"] or Decimal("0")).quantize(CENT)
    closed = (BankCase.objects.filter(bank__in=banks, case__closed_at__isnull=False)
              .exclude(case__outcome=Outcome.MERGED).values_list("bank", "case__received_at", "case__closed_at"))
    spans: dict[int, list[float]] = {}
    for bank_id, received, closed_at in closed:
        spans.setdefault(bank_id, []).append((closed_at - received).total_seconds() / 86400)
    for bank_id, values in spans.items():
        figures[bank_id].average_days_to_close = round(sum(values) / len(values), 1)
    return [figures[b.pk] for b in banks]


def get_follow_ups_due(user):
    """The banks' cases ready for a follow-up visit (performed in full, ended or referred) that `user` may
    follow up (the cases app's follow_up step decides on each)."""
    return (Case.objects.visible_to(user, "case.view").filter(bank_case__isnull=False)
            .filter(Q(status=Status.PERFORMING, agreement__performed_on__isnull=False)
                    | Q(status__in=(Status.TERMINATED, Status.REFERRED)))
            .select_related("bank_case__bank__organisation").order_by("deadline", "pk"))
