"""The grids app listens to the cases app's timeline, so that a problem referred as a case follows it.

The cases app knows nothing of grids; a CaseEvent with a new status is the public fact that a case
moved. Following happens in the same transaction as the case's step.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="cases.CaseEvent", dispatch_uid="grids.follow_case")
def follow_case(sender, instance, created, **kwargs):
    if not created or not instance.to_status:
        return
    from yiwang.grids.actions import do_follow_case
    from yiwang.grids.models import Problem

    if Problem.objects.filter(case_id=instance.case_id).exists():
        do_follow_case(instance.case)
