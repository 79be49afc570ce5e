"""How long mediation may be extended, per procedure: data, read by the extend step's condition and by
do_extend, never restated elsewhere.

- Court-delegated pre-filing mediation (委派调解): 30 days, extendable once, by at most 30 days, and only
  with the consent of every party (《最高人民法院关于人民法院特邀调解的规定》 art. 23: the period may be
  extended with both parties' consent).
- People's mediation (人民调解): the law sets no limit; the centre's target is 30 days, extendable with
  the parties' consent. We allow two extensions of at most 30 days each (90 days in all), after which a
  dispute that has not settled should be ended and the parties told their routes (art. 26) rather than
  kept open. (Before, six extensions were accepted.)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ExtensionPolicy:
    """How a procedure's mediation period may be extended."""

    procedure: str
    label: object
    max_extensions: int
    max_days: int  # each extension at most
    every_party_consents: bool  # the consent of each party is recorded by name


ORDINARY = "ordinary"
COURT_DELEGATION = "court_delegation"
EXTENSION_POLICIES = {
    ORDINARY: ExtensionPolicy(ORDINARY, _("People's mediation"), max_extensions=2, max_days=30,
                              every_party_consents=False),
    COURT_DELEGATION: ExtensionPolicy(COURT_DELEGATION, _("Court-delegated mediation"), max_extensions=1,
                                      max_days=30, every_party_consents=True),
}


def get_procedure(case) -> str:
    """The procedure a case is mediated under: a court's delegation, or ordinary people's mediation."""
    return COURT_DELEGATION if hasattr(case, "delegation") else ORDINARY


def get_extension_policy(case) -> ExtensionPolicy:
    return EXTENSION_POLICIES[get_procedure(case)]


def may_extend(case) -> bool:
    return case.extensions < get_extension_policy(case).max_extensions
