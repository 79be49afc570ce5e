"""The statistics follow the cases and grids apps without those apps knowing: every case action
writes a CaseEvent (the case row itself is written with a queryset update, so Case.post_save does not
fire for it), and problems and visits are saved through Model.save(). Each receiver brings the cells in
line within the same transaction, so the figures commit or roll back with the change."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from yiwang.stats import aggregates


@receiver(post_save, sender="cases.Case", dispatch_uid="stats.case_saved")
def case_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        aggregates.refresh_case(instance.pk)


@receiver(post_save, sender="cases.CaseEvent", dispatch_uid="stats.case_event")
def case_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        aggregates.refresh_case(instance.case_id)


@receiver(post_delete, sender="cases.Case", dispatch_uid="stats.case_deleted")
def case_deleted(sender, instance, **kwargs):
    aggregates.refresh_case(instance.pk)


def _stash_old(model, fields, instance):
    """The row as the database holds it before this save (None for a new row)."""
    if instance.pk is None:
        return None
    return model._default_manager.filter(pk=instance.pk).values(*fields).first()


def _as_dict(instance, fields):
    return {name: getattr(instance, name) for name in fields}


@receiver(pre_save, sender="grids.Problem", dispatch_uid="stats.problem_before")
def problem_before(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._stats_old = _stash_old(sender, aggregates.PROBLEM_FIELDS, instance)


@receiver(post_save, sender="grids.Problem", dispatch_uid="stats.problem_saved")
def problem_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = instance.__dict__.pop("_stats_old", None)
    new = sender._default_manager.filter(pk=instance.pk).values(*aggregates.PROBLEM_FIELDS).first()
    aggregates.apply_change(aggregates.problem_facts(old), aggregates.problem_facts(new))


@receiver(post_delete, sender="grids.Problem", dispatch_uid="stats.problem_deleted")
def problem_deleted(sender, instance, **kwargs):
    aggregates.apply_change(aggregates.problem_facts(_as_dict(instance, aggregates.PROBLEM_FIELDS)), [])


@receiver(pre_save, sender="grids.Visit", dispatch_uid="stats.visit_before")
def visit_before(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._stats_old = _stash_old(sender, aggregates.VISIT_FIELDS, instance)


@receiver(post_save, sender="grids.Visit", dispatch_uid="stats.visit_saved")
def visit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = instance.__dict__.pop("_stats_old", None)
    new = sender._default_manager.filter(pk=instance.pk).values(*aggregates.VISIT_FIELDS).first()
    aggregates.apply_change(aggregates.visit_facts(old), aggregates.visit_facts(new))


@receiver(post_delete, sender="grids.Visit", dispatch_uid="stats.visit_deleted")
def visit_deleted(sender, instance, **kwargs):
    aggregates.apply_change(aggregates.visit_facts(_as_dict(instance, aggregates.VISIT_FIELDS)), [])
