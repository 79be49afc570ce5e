"""Named hooks: what other apps do when a case, a grid problem or a visit changes.

The app that owns the row calls the hook from its action layer, inside the action's transaction, after
the write; the apps built on it connect a handler in their `AppConfig.ready()`. A handler that raises
rolls the whole action back, so a change and what follows from it (statistics cells, a grid problem
closing with its case, a party's link noting a refusal) commit together or not at all. Nothing here
listens to model signals: a write that does not go through an action calls no hook (bulk loads rebuild
the statistics with `yiwang rebuild_stats`).

    case_changed(case, event)        cases: every case action, once per timeline event it writes
                                     (the Case row as saved, the CaseEvent just created)
    problem_changed(old, problem)    grids: a problem created (old None) or changed (old: an unsaved copy
                                     of the row as it was before the change)
    visit_changed(old, visit)        grids: a visit logged (old None)
    job_finished(job)                core.jobs: a background job ended (succeeded or failed), as saved
    cases_registered(cases)          cases.actions.bulk: many cases registered at once (the saved Case
                                     rows; each has one REGISTERED event); case_changed is not called for
                                     them, so a handler that follows registrations connects to both
    case_anonymised(case, redact)    privacy.retention: an archived case past retention was anonymised;
                                     each app blanks or redacts (redact(text) → text) its own records of it

Telling people about any of these is a `yiwang.core.notices.Notice`; see there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


class HookOutsideTransaction(RuntimeError):
    """A hook was called outside a transaction: what it starts could not roll back with the change."""


class Hook:
    """One named point the action layer calls; handlers run in the order they were connected."""

    def __init__(self, name: str, arguments: tuple[str, ...]):
        self.name = name
        self.arguments = arguments
        self._handlers: list[Callable] = []

    def __repr__(self):
        return f"<Hook {self.name}({', '.join(self.arguments)})>"

    def connect(self, handler: Callable) -> Callable:
        """Add `handler` (idempotent: ready() may run twice in tests); usable as a decorator."""
        if handler not in self._handlers:
            self._handlers.append(handler)
        return handler

    def disconnect(self, handler: Callable) -> None:
        if handler in self._handlers:
            self._handlers.remove(handler)

    @property
    def handlers(self) -> tuple[Callable, ...]:
        return tuple(self._handlers)

    def call(self, *args) -> None:
        """Run every handler with `args`, inside the caller's transaction; an exception propagates."""
        if len(args) != len(self.arguments):
            raise TypeError(f"{self.name} takes {', '.join(self.arguments)}")
        if not transaction.get_connection().in_atomic_block:
            raise HookOutsideTransaction(f"{self.name} must be called inside the action's transaction")
        for handler in self._handlers:
            handler(*args)


case_changed = Hook("case_changed", ("case", "event"))
problem_changed = Hook("problem_changed", ("old", "problem"))
visit_changed = Hook("visit_changed", ("old", "visit"))
job_finished = Hook("job_finished", ("job",))
cases_registered = Hook("cases_registered", ("cases",))
case_anonymised = Hook("case_anonymised", ("case", "redact"))

HOOKS = (case_changed, problem_changed, visit_changed, job_finished, cases_registered, case_anonymised)
