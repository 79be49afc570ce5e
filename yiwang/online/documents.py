"""The agreement as signed remotely: the case's mediation agreement (cases.documents) whose signature
block has one empty box per signer, in the order they sign (each party, the mediator, the committee's
seal). Each signature is drawn into its box as a visible PAdES signature field, so a reader sees who
signed, when, and for the parties their handwriting; the committee's seal goes in the last box."""

from django.utils import translation

from yiwang.cases.documents import DOCUMENT_LANGUAGE, get_agreement_context
from yiwang.documents import render_pdf, render_pdf_with_boxes

# Remote signing holds the parties of an ordinary dispute; a group dispute is signed on paper.
MAX_SLOTS = 8


def render_agreement_for_signing(case) -> tuple[bytes, list[dict]]:
    """The agreement with its empty signature block, always in Chinese, personal information in full (a
    legal paper for the parties and the court), and its boxes: [{"label", "role", "party", "page", "box"}]
    in signing order (the parties', the mediator's, the seal's)."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = get_agreement_context(case, full_pii=True, signing=True)
        rows = context["signers"]
        pdf, boxes = render_pdf_with_boxes("cases/documents/agreement.html", context, prefix="slot-")
    slots = []
    for row in rows:
        page, box = boxes[row["slot"]]
        slots.append({"label": row["title"], "role": "centre" if row["role"] == "committee" else row["role"],
                      "party": row["party"], "page": page, "box": list(box)})
    return pdf, slots


def render_confirmation_application(case, *, court, signed=None) -> bytes:
    """司法确认申请书 (People's Mediation Law art. 33): the parties jointly ask the court to confirm the
    agreement, with each party's identity and address for service, and the attachments listed."""
    from django.utils import timezone

    with translation.override(DOCUMENT_LANGUAGE):
        context = get_agreement_context(case, full_pii=True)
        context.update(court=court, signed=signed, today=timezone.localdate())
        return render_pdf("online/confirmation_application.html", context)
