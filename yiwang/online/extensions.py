"""What the citizen side adds to the apps below it, registered from OnlineConfig.ready(): a refusal staff
record is the respondent's answer on their link (hook core.hooks.case_changed), the case page's online
tools (core.registry.case_panels) and the sealed agreement's URL in the case API
(core.registry.case_api_fields)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yiwang.core import hooks, registry


def get_case_panel(case, user, *, full_pii: bool = False):
    """The online tools this user may use on `case` now (online.actions.CaseTools), or None for none."""
    from yiwang.online.actions import get_case_tools

    tools = get_case_tools(case, user, full_pii=full_pii)
    return tools if tools.any else None


@extend_schema_field(OpenApiTypes.URI)
class AgreementPdfField(serializers.Field):
    """The signed agreement's PDF, once sealed (null before)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, allow_null=True,
                      help_text="The signed agreement's PDF, once sealed.")
        super().__init__(**kwargs)

    def to_representation(self, case):
        from yiwang.online.api import get_agreement_pdf_url

        return get_agreement_pdf_url(case, self.context.get("request"))


UPCOMING_SESSIONS = 5


def get_upcoming_sessions(user) -> dict | None:
    """A mediator's next scheduled sessions (by video or in person) on the cases assigned to them."""
    from django.utils import timezone

    from yiwang.core.scope import user_can
    from yiwang.online.models import ScheduledSession

    if not getattr(user, "is_authenticated", False) or not user_can(user, "case.mediate"):
        return None
    sessions = (ScheduledSession.objects.filter(
        case__assignments__mediator=user, case__assignments__recused_at__isnull=True, cancelled_at__isnull=True,
        starts_at__gte=timezone.now()).select_related("case").order_by("starts_at").distinct())
    return {"sessions": list(sessions[:UPCOMING_SESSIONS])}


def anonymise_online_records(case, redact) -> None:
    """privacy.retention: the phones of the codes sent for the case's links, the signers' names and IP
    addresses, the room's messages and the evidence's names and notes (redacted, as the case's texts)."""
    from yiwang.online.models import Evidence, OneTimeCode, RoomMessage, Signature, SignedAgreement

    OneTimeCode.objects.filter(access__party__case=case).update(phone="", phone_hash="")
    for signed in SignedAgreement.objects.filter(case=case):
        slots = [{**slot, "label": redact(slot.get("label", ""))} for slot in signed.slots or []]
        SignedAgreement.objects.filter(pk=signed.pk).update(slots=slots)
        for signature in Signature.objects.filter(agreement=signed):
            Signature.objects.filter(pk=signature.pk).update(label=redact(signature.label), ip_address=None)
    for message in RoomMessage.objects.filter(case=case):
        RoomMessage.objects.filter(pk=message.pk).update(text=redact(message.text))
    for evidence in Evidence.objects.filter(case=case):
        Evidence.objects.filter(pk=evidence.pk).update(name=redact(evidence.name), note=redact(evidence.note))


def register() -> None:
    from yiwang.online import actions

    registry.home_tiles.register(registry.HomeTile(
        name="online.sessions", template="online/_home_sessions.html", context=get_upcoming_sessions, order=11))
    hooks.case_changed.connect(actions.follow_refusal)
    hooks.case_changed.connect(actions.mirror_signature)
    hooks.case_anonymised.connect(anonymise_online_records)
    registry.case_panels.register(registry.CasePanel(
        name="online.tools", template="online/_case_panel.html", context=get_case_panel, slot="aside", order=10))
    registry.case_api_fields.register(registry.CaseApiField(
        name="agreement_pdf", field=AgreementPdfField, select_related=("signed_agreement",), order=10))
