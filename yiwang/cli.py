"""The `yiwang` console command: Django's management commands under one name for operators."""

import os
import sys

# Commands that serve people or run their work. Django runs its database checks for none of them, so they
# are run here first: a role naming an unknown permission code must stop them, not refuse users in silence.
SERVING_COMMANDS = {"runserver", "db_worker"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    from django.core.management import execute_from_command_line

    argv = ["yiwang", *sys.argv[1:]]
    if len(argv) > 1 and argv[1] in SERVING_COMMANDS and "--skip-checks" not in argv:
        refuse_to_serve_on_database_errors()
    execute_from_command_line(argv)


def refuse_to_serve_on_database_errors() -> None:
    """Exit with the checks' report when the database fails one (see `yiwang.core.checks`)."""
    import django
    from django.core.management.base import SystemCheckError
    from django.utils import autoreload

    if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
        return  # runserver's reloaded child: its parent checked before starting it
    django.setup()
    from yiwang.core.checks import check_database_before_serving

    try:
        check_database_before_serving()
    except SystemCheckError as error:
        sys.stderr.write(f"{error}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
