"""The agreement as signed remotely: the case's mediation agreement (cases.documents) followed by an
electronic signing page (电子签署页) with one box per signer, in the order they sign. Each signature is
drawn into its box as a visible PAdES signature field, so a reader sees who signed and, for the parties,
their handwriting; the centre's seal goes in the last box."""

from dataclasses import dataclass

from django.utils import translation

from yiwang.cases.documents import DOCUMENT_LANGUAGE, get_agreement_context
from yiwang.documents import render_pdf

MM = 72 / 25.4
# documents/base.html: A4 with 22 mm top and 20 mm left margins.
PAGE_HEIGHT_MM, MARGIN_TOP_MM, MARGIN_LEFT_MM = 297, 22, 20
SLOT_WIDTH_MM, SLOT_HEIGHT_MM = 80, 38
FIRST_ROW_MM, ROW_STEP_MM, COLUMN_STEP_MM = 30, 50, 90
MAX_SLOTS = 8


@dataclass
class Slot:
    """A signer's box on the signing page: its label, and where it is (mm from the content box's top left)."""

    label: str
    role: str
    left: int
    top: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The box in PDF points from the page's bottom left, for the signature field."""
        x1 = (MARGIN_LEFT_MM + self.left) * MM
        y1 = (PAGE_HEIGHT_MM - MARGIN_TOP_MM - self.top - SLOT_HEIGHT_MM) * MM
        return (round(x1, 1), round(y1, 1), round(x1 + SLOT_WIDTH_MM * MM, 1), round(y1 + SLOT_HEIGHT_MM * MM, 1))


def get_slots(case) -> list[Slot]:
    """Parties first (applicants, then respondents, as on the agreement), then the mediator, then the seal.
    More than MAX_SLOTS do not fit the page: do_prepare_signing refuses those before rendering."""
    context = get_agreement_context(case)
    labels = [(f"{'申请人' if p.get('role') == 'applicant' else '被申请人'} {p.get('name')}", p.get("role"))
              for p in context["parties"]]
    mediator = context["mediator"]
    labels.append((f"调解员 {getattr(mediator, 'display_name', '') or mediator or ''}".strip(), "mediator"))
    labels.append((context["committee"], "centre"))
    return [
        Slot(label, role, left=(i % 2) * COLUMN_STEP_MM, top=FIRST_ROW_MM + (i // 2) * ROW_STEP_MM)
        for i, (label, role) in enumerate(labels)
    ]


def render_agreement_for_signing(case) -> bytes:
    """The agreement with its signing page, always in Chinese, personal information in full (a legal paper
    for the parties and the court)."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = get_agreement_context(case, full_pii=True)
        context.update(slots=get_slots(case), slot_width=SLOT_WIDTH_MM, slot_height=SLOT_HEIGHT_MM)
        return render_pdf("online/agreement_for_signing.html", context)


def render_confirmation_application(case, *, court, signed=None) -> bytes:
    """司法确认申请书 (People's Mediation Law art. 33): the parties jointly ask the court to confirm the
    agreement, with each party's identity and address for service, and the attachments listed."""
    from django.utils import timezone

    with translation.override(DOCUMENT_LANGUAGE):
        context = get_agreement_context(case, full_pii=True)
        context.update(court=court, signed=signed, today=timezone.localdate())
        return render_pdf("online/confirmation_application.html", context)
