"""The actions for village elders (乡贤): adding members to a council, and naming one a mediator.

A mediator elder is not a separate path: they join the mediator pool like anyone else — an account,
a grant of the "mediator" role on their council's area, a place on the council's elders team — so the
cases app assigns them, and counts their mediations, as it does for every mediator.

    do_add_elder(council, *, by, name, expertise="", standing="", phone="")   → ElderMember
    do_name_mediator(member, *, by, username)                                 → ElderMember (with user)
    get_mediation_count(member) → int                                         cases they were assigned
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Team, TeamKind
from yiwang.audit.actions import record
from yiwang.cobuild.models import ElderMember
from yiwang.core import errors
from yiwang.core.scope import user_can

MEDIATOR_ROLE = "mediator"


def do_add_elder(council, *, by, name: str, expertise: str = "", standing: str = "", phone: str = "") -> ElderMember:
    """Add a member to an elder council."""
    if not user_can(by, "cobuild.manage", council.area_id):
        raise errors.PermissionRefused(_("You may not keep the elder councils of this area."))
    if not (name or "").strip():
        raise errors.InputError({"name": _("Give the elder's name.")})
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise errors.InputError({"phone": _("Give an 11-digit mobile number.")})
    with transaction.atomic():
        member = ElderMember.objects.create(council=council, name=name.strip(), expertise=expertise.strip(),
                                            standing=standing.strip(), phone=phone)
        record(by, "cobuilding.elder_added", member)
    return member


def do_name_mediator(member: ElderMember, *, by, username: str) -> ElderMember:
    """Name an elder a mediator on the cases of their council's area: an account (signing in once an
    administrator sets its password), a mediator grant on the area and a seat on the elders team."""
    council = member.council
    if not user_can(by, "cobuild.manage", council.area_id):
        raise errors.PermissionRefused(_("You may not name mediators for this area."))
    if member.user_id:
        raise errors.IllegalTransition(_("This elder is already a mediator."))
    username = (username or "").strip()
    if not username or User.objects.filter(username=username).exists():
        raise errors.InputError({"username": _("Choose a user name nobody has.")})
    with transaction.atomic():
        user = User(username=username, display_name=member.name, phone=member.phone)
        user.set_unusable_password()
        user.save()
        Grant.objects.create(user=user, role_id=MEDIATOR_ROLE, area_id=council.area_id)
        if council.team is None:
            council.team = Team.objects.create(name=council.name, kind=TeamKind.ELDERS, area_id=council.area_id)
            council.save(update_fields=["team"])
        council.team.members.add(user)
        member.user, member.mediator_since = user, timezone.localdate()
        member.save(update_fields=["user", "mediator_since"])
        record(by, "cobuilding.elder_named_mediator", member, username=username, area=council.area_id)
    return member


def get_mediation_count(member: ElderMember) -> int:
    """The cases the elder was assigned to mediate (recused ones left out)."""
    if member.user_id is None:
        return 0
    return member.user.assignments.filter(recused_at__isnull=True).count()
