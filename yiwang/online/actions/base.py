"""What the citizen side's actions share: their refusals, the case's stale-version check, who counts as
the case's mediator, how a party is named on a signature or a rating, and the centre's 解纷码 identity
(the account under which online filings, answers and ratings are recorded in the disputes app)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.models import Grant, Role, User
from yiwang.accounts.permissions import DEFAULT_ROLES
from yiwang.cases import actions as case_actions
from yiwang.core import errors
from yiwang.core.versions import lock_at_version

ONLINE_INTAKE_ROLE = "online_intake"
# The role's name, as accounts.permissions.DEFAULT_ROLES gives it; marked here too so that this app's
# catalogue carries its Chinese.
ONLINE_INTAKE_ROLE_NAME = gettext_lazy("Online intake (解纷码)")
ROLE_LABELS = {"applicant": "申请人", "respondent": "被申请人"}


class CodeRefused(errors.ActionRefused):
    """A code could not be sent or did not check out; the message says why, in the user's language."""


class AccessRefused(errors.ActionRefused):
    """The user may not do this to a party's access."""


class SigningRefused(errors.ActionRefused):
    """Signing is not possible now; the message says why."""


class RoomRefused(errors.ActionRefused):
    """A message or an upload was refused; the message says why."""


def check_case_version(case, version: int | None) -> None:
    """Inside the action's transaction: lock the case row and refuse (StaleCase) when it changed since
    the caller read it at `version`; None means the version of the `case` passed, as in cases.actions."""
    lock_at_version(case, version, stale=lambda locked: case_actions.StaleCase(
        _("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
        % {"number": locked.number}
    ))


def is_mediator(user, case) -> bool:
    """The case's assigned (not recused) mediator, or centre staff who supervise it
    (cases.actions.get_mediator_permission)."""
    return case_actions.get_mediator_permission(user, case) is not None


def check_mediator(by, case, refusal: type[errors.ActionRefused]) -> None:
    """`refusal` (the calling family's own: SigningRefused, RoomRefused) unless `by` mediates `case`."""
    if not is_mediator(by, case):
        raise refusal(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})


def party_label(party) -> str:
    """How a party is named on the signed agreement and in their rating: "申请人 张三" (the case
    documents are in Chinese whoever reads them)."""
    return f"{ROLE_LABELS.get(party.role, '')} {party.name}".strip()


def get_online_intake_user(centre) -> User:
    """The account a centre's 解纷码 registers cases under: not a person, cannot sign in, may only
    register (and see) cases in the centre's area. One per centre, so numbers carry the centre's code."""
    # Installed by a migration (accounts.permissions.DEFAULT_ROLES); created here only if someone deleted it.
    name, role_actions = DEFAULT_ROLES[ONLINE_INTAKE_ROLE]
    role, _created = Role.objects.get_or_create(
        code=ONLINE_INTAKE_ROLE, defaults={"name": str(name), "actions": role_actions}
    )
    user, created = User.objects.get_or_create(
        username=f"online_{centre.code.lower()}",
        defaults={"display_name": f"{centre.name}·解纷码", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Grant.objects.get_or_create(user=user, role=role, area=centre.area, defaults={"centre": centre})
    return user
