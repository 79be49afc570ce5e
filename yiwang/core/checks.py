"""Start-up refuses a database the software cannot work with.

Django runs the checks tagged `database` only where a command asks for them (`migrate`,
`check --database default`); `runserver`, the task worker and a WSGI server do not. The entry points
(`yiwang.cli`, `yiwang.wsgi`) call `check_database_before_serving()` so that none of them starts on, say, a
role naming a permission code no app declares.
"""

from django.core import checks
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS


def check_database_before_serving(database: str = DEFAULT_DB_ALIAS) -> None:
    """Run the database checks against `database`; raise SystemCheckError (naming each problem) when one
    is an error. Warnings are written to stderr and do not stop the start."""
    BaseCommand().check(tags=[checks.Tags.database], databases=[database])


def check_data_keys(app_configs=None, **kwargs):
    """Personal data is stored encrypted: without keys (outside DEBUG and tests) nothing may start."""
    from django.core.exceptions import ImproperlyConfigured

    from yiwang.core import crypto

    try:
        crypto.get_keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="yiwang.E010",
                             hint="Generate keys with `yiwang rotate_keys --new-key` (README “Personal data at rest”).")]
    return []
