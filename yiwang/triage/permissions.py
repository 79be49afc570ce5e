"""The permission codes the triage app declares (registered in `TriageConfig.ready()`).

Suggesting a type needs no code of its own: whoever may register cases (case.intake) may ask. Mediator
profiles and conflicts are kept by whoever routes cases (case.route) in the mediator's area."""

PERMISSIONS: dict = {}
