"""The one import of the tasks API: django.tasks on Django 6.1, the django_tasks backport on Django 5.2
(Python 3.11). Both have the same `task` decorator, backends and `Task.using(run_after=…)`."""

try:
    from django.tasks import default_task_backend, task, task_backends
except ImportError:  # Django 5.2 LTS
    from django_tasks import default_task_backend, task, task_backends

__all__ = ["default_task_backend", "task", "task_backends"]
