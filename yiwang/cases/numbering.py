"""Case numbers for life (一事一编码): "PT-2026-000123" = centre code, year, sequence. Gap-free per
centre and year: the counter row is locked for the rest of the registering transaction, and a rollback
returns the number with it."""

from django.db import IntegrityError, transaction

from yiwang.cases.models import CaseCounter


def format_number(centre_code: str, year: int, sequence: int) -> str:
    return f"{centre_code}-{year}-{sequence:06d}"


def take_number(centre, year: int) -> str:
    """The next number of `centre` in `year`. Must run inside the registering transaction."""
    counter = CaseCounter.objects.select_for_update().filter(centre=centre, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(centre=centre, year=year, last=0)
        except IntegrityError:
            pass  # another clerk created it at the same moment; lock theirs below
        counter = CaseCounter.objects.select_for_update().get(centre=centre, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(centre.code, year, counter.last)
