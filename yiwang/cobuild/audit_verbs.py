"""Co-building's verbs of the audit log (yiwang.audit.verbs); a demand's or a project's step is
`cobuilding.demand_<step>` or `cobuilding.project_<step>` and reads with the step's label."""

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
    "cobuilding.venture_reported": _("Public-welfare venture: report submitted"),
    "cobuilding.venture_call_opened": _("Public-welfare venture: call opened"),
    "cobuilding.venture_call_closed": _("Public-welfare venture: call closed"),
    "cobuilding.venture_call_decided": _("Public-welfare venture: call decided"),
    "cobuilding.project_planned": _("Co-building: project planned"),
    "cobuilding.social_updated": _("Co-building: social organisation updated"),
    "cobuilding.title_recorded": _("Co-building: model-village title recorded"),
}


def label(verb: str):
    from yiwang.cobuild.actions import STEPS as DEMAND_STEPS
    from yiwang.cobuild.projects import STEPS as PROJECT_STEPS

    for prefix, steps, text in (("cobuilding.demand_", DEMAND_STEPS, _("Co-building demand: %(step)s")),
                                ("cobuilding.project_", PROJECT_STEPS, _("Co-building project: %(step)s"))):
        step = verb.removeprefix(prefix)
        if step != verb and step in steps:
            return text % {"step": steps[step][3]}
    return None
