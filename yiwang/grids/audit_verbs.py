"""The grids' verbs of the audit log (yiwang.audit.verbs): a problem's workflow step is recorded as
`grids.problem_<step>` and reads with the step's label."""

from django.utils.translation import gettext_lazy as _

from yiwang.grids.actions import STEPS

LABELS = {
    "grids.problem_reported": _("Grid problem reported"),
    "grids.problem_followed_case": _("Grid problem followed its case"),
    "grids.visit_logged": _("Grid visit logged"),
    "grids.visits_planned": _("Grid visits planned"),
    "grids.demo_activity_loaded": _("Demo grid activity loaded"),
}


def label(verb: str):
    step = verb.removeprefix("grids.problem_")
    if step != verb and step in STEPS:
        return _("Grid problem: %(step)s") % {"step": STEPS[step][3]}
    return None
