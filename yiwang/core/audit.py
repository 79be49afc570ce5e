"""Core writes to the audit log without importing the audit app (core imports no yiwang app): the audit
app plugs its `record` in from its `ready()`. Until it has, core refuses to do audited work."""

from django.core.exceptions import ImproperlyConfigured

_recorder = None


def set_recorder(recorder) -> None:
    """Called once by the audit app: `recorder(actor, verb, obj, *, area_code="", **detail)`."""
    global _recorder
    _recorder = recorder


def record(actor, verb: str, obj=None, *, area_code: str = "", **detail):
    if _recorder is None:
        raise ImproperlyConfigured("No audit recorder: the audit app (yiwang.audit) must be installed.")
    return _recorder(actor, verb, obj, area_code=area_code, **detail)
