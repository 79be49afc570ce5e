"""What the citizen side offers staff on the case page (/cases/<id>/), registered as a case panel in
online/extensions.py: get_case_tools(case, user, *, full_pii=False) → CaseTools, limited to what this user
may use now: invitations, room, signing, confirmation, the sealed PDF and its verification, ratings."""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.online.actions.access import can_invite_parties
from yiwang.online.actions.base import SigningRefused, is_mediator
from yiwang.online.actions.signing import check_confirmation, get_signed_agreement
from yiwang.online.models import PartyAccess, SignedAgreement
from yiwang.pii import mask_name

# Where the mediation room is in use: from the mediator's assignment until the agreement is performed.
ROOM_STATUSES = {"assigned", "mediating", "agreed", "confirmation_pending", "confirmed", "confirmation_rejected",
                 "performing"}


@dataclass
class CaseTools:
    """What the citizen side offers staff on the case page, limited to what this user may use now (each
    action checks again when called)."""

    invitable: list  # [{"party", "label", "access"}]: parties with a mobile this user may send their link to
    room: bool  # the mediation room: this user mediates the case and the room is in use
    signing: bool  # remote signing: put the agreement up, or sign and seal it
    confirmation: bool  # assemble the judicial confirmation application
    sealed: SignedAgreement | None  # the agreement signed by everyone and sealed: its PDF, and verification
    ratings: list  # [{"label", "satisfaction", "rated_at"}]: the parties' own ratings

    @property
    def any(self) -> bool:
        return bool(self.invitable or self.room or self.signing or self.confirmation or self.sealed or self.ratings)


def get_case_tools(case, user, *, full_pii: bool = False) -> CaseTools:
    """The online tools for `case` that `user` may use in the case's present state. Parties are named
    masked unless `full_pii` (the case page's own choice, recorded there)."""
    accesses = {a.party_id: a for a in PartyAccess.objects.filter(party__case=case).select_related("party")}

    def label(party) -> str:
        return f"{party.get_role_display()} {party.name if full_pii else mask_name(party.name)}"

    may_invite = case.is_open and can_invite_parties(case, user)
    invitable = [{"party": p, "label": label(p), "access": accesses.get(p.pk)}
                 for p in case.parties.all() if p.phone] if may_invite else []  # the page's prefetched parties
    mediator = is_mediator(user, case)
    signed = get_signed_agreement(case)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    signing = mediator and (
        (signed is not None and signed.completed_at is None)
        or (signed is None and case.status == "mediating" and agreement is not None and agreement.is_draft
            and not agreement.oral and not agreement.signatures.exists())
    )
    try:
        check_confirmation(case, by=user)
        confirmation = True
    except SigningRefused:
        confirmation = False
    room = mediator and (case.status in ROOM_STATUSES or case.room_messages.exists() or case.evidence.exists())
    return CaseTools(
        invitable=invitable, room=room, signing=signing, confirmation=confirmation,
        sealed=signed if signed is not None and signed.completed_at is not None else None,
        ratings=[{"label": label(a.party), "satisfaction": a.satisfaction, "rated_at": a.rated_at}
                 for a in sorted((a for a in accesses.values() if a.rated_at), key=lambda a: a.rated_at)],
    )

