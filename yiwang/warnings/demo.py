"""Demo: the warning leader's role, granted to the district leader (普陀区领导) and to a 六横镇 leader
(master data: no random, no clock); then, over the demo's activity, one evaluation of every rule."""

from yiwang.warnings.permissions import WARNING_LEADER_ACTIONS, WARNING_LEADER_NAME, WARNING_LEADER_ROLE

# username, display name, area code
LEADERS = [("putuo_leader", "普陀区领导", "330903"), ("liuheng_leader", "六横镇领导", "330903100")]


def load(out) -> None:
    from django.conf import settings

    from yiwang.accounts.models import Grant, Role, User
    from yiwang.areas.models import Area

    role, _ = Role.objects.update_or_create(code=WARNING_LEADER_ROLE, defaults={
        "name": str(WARNING_LEADER_NAME), "actions": WARNING_LEADER_ACTIONS})
    for username, display, code in LEADERS:
        area = Area.objects.filter(code=code).first()
        if area is None:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Grant.objects.get_or_create(user=user, role=role, area=area)
    out("warnings: the warning leader's role for " + ", ".join(name for name, _d, _c in LEADERS))


def load_activity(out) -> None:
    from yiwang.warnings.engine import evaluate_all

    evaluate_all(out=lambda line: out(f"warnings: {line}"))
