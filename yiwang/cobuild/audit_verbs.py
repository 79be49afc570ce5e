"""Co-building's verbs of the audit log (yiwang.audit.verbs); a demand's step is `cobuilding.demand_<step>`."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cobuilding.demand_posted": _("Co-building: demand posted"),
    "cobuilding.demand_escalated": _("Co-building: demand escalated"),
    "cobuilding.resource_offered": _("Co-building: resource offered"),
    "cobuilding.paired": _("Co-building: unit paired with a community"),
    "cobuilding.pairing_renewed": _("Co-building: pairing renewed"),
    "cobuilding.pairing_work_recorded": _("Co-building: pairing work recorded"),
    "cobuilding.rated": _("Co-building: rated by the public"),
    "cobuilding.social_registered": _("Co-building: social organisation registered"),
    "cobuilding.elder_added": _("Co-building: village elder added"),
    "cobuilding.elder_named_mediator": _("Co-building: village elder named a mediator"),
    "cobuilding.inspection_recorded": _("Co-building: inspection recorded"),
    "cobuilding.venture_applied": _("Public-welfare venture: applied"),
    "cobuilding.venture_conflict_declared": _("Public-welfare venture: conflict of interest declared"),
    "cobuilding.venture_reviewed": _("Public-welfare venture: reviewed"),
    "cobuilding.venture_funded": _("Public-welfare venture: funded"),
    "cobuilding.venture_tranche_paid": _("Public-welfare venture: tranche paid"),
    "cobuilding.venture_midterm": _("Public-welfare venture: mid-term review"),
    "cobuilding.venture_final": _("Public-welfare venture: final review"),
}


def label(verb: str):
    step = verb.removeprefix("cobuilding.demand_")
    if step != verb:
        return _("Co-building: demand %(step)s") % {"step": step.replace("_", " ")}
    return None
