"""The stale-version check every action makes, written once: inside the action's transaction, lock the
object's row and refuse when someone changed it since the caller read it at `version`.

Each app names its own refusal (cases.actions.StaleCase, grids.actions.StaleProblem…), so the caller
says how to word it; the check itself is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from yiwang.core.errors import StaleVersion


def lock_at_version(obj, version: int | None, *, stale: Callable[[object], StaleVersion]):
    """The row of `obj` (a model with a `version` field), locked for this transaction. `version` is the
    version the caller read; None means the version of `obj` as passed. When the row's version differs,
    `stale(locked_row)` is raised."""
    locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    expected = obj.version if version is None else int(version)
    if locked.version != expected:
        raise stale(locked)
    return locked
