"""The online side follows what staff record in the disputes app: a refusal of mediation heard at the
window or by phone (cases.actions.do_record_refusal) is also the respondent's answer on their own page,
so their link stops offering the choice and says they declined."""

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="cases.CaseEvent", dispatch_uid="online.refusal_recorded")
def refusal_recorded(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.kind != "mediation_refused":
        return
    from yiwang.online.models import PartyAccess

    if instance.detail.get("party_role") != "respondent":
        return
    PartyAccess.objects.filter(party_id=instance.detail.get("party")).exclude(consent="refused").update(
        consent="refused", consent_at=instance.at)
