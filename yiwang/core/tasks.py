"""The tasks API, wherever it comes from: every app imports it from here, never from django.tasks.

Django 6.1 (Python 3.12+) ships it as `django.tasks`; Django 5.2 LTS on Python 3.11 (Debian 12's own)
has the `django_tasks` backport of the same API. One import site keeps both installations working.
"""

try:
    from django.tasks import (
        DEFAULT_TASK_BACKEND_ALIAS,
        DEFAULT_TASK_QUEUE_NAME,
        Task,
        TaskContext,
        TaskResult,
        TaskResultStatus,
        default_task_backend,
        task,
        task_backends,
    )
    from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist

    IMMEDIATE_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"
except ImportError:  # Django 5.2: the backport
    from django_tasks import (
        DEFAULT_TASK_BACKEND_ALIAS,
        DEFAULT_TASK_QUEUE_NAME,
        TaskContext,
        TaskResult,
        TaskResultStatus,
        default_task_backend,
        task,
        task_backends,
    )
    from django_tasks.base import Task  # the backport does not re-export it
    from django_tasks.exceptions import InvalidTaskError as InvalidTask  # renamed when Django took it in
    from django_tasks.exceptions import TaskResultDoesNotExist

    IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"

__all__ = [
    "DEFAULT_TASK_BACKEND_ALIAS", "DEFAULT_TASK_QUEUE_NAME", "IMMEDIATE_BACKEND", "InvalidTask", "Task",
    "TaskContext", "TaskResult", "TaskResultDoesNotExist", "TaskResultStatus", "default_task_backend", "task",
    "task_backends",
]
