"""Demo accounts, one per kind of user, all with the demo password (refused when DEBUG is off)."""

from django.conf import settings

from yiwang.accounts.models import Grant, Role, User
from yiwang.accounts.permissions import DEFAULT_ROLES
from yiwang.areas.models import Area, Centre, Organisation, Team
from yiwang.core.codes import Level

# username, display name, role, area code, is_staff (may open the admin), organisation, team
ACCOUNTS = [
    ("putuo_leader", "普陀区领导", "leader", "330903", False, None, None),
    ("putuo_staff", "区中心工作人员", "centre_staff", "330903", True, None, None),
    # at the district centre's windows (the walk-in story: 综合受理窗口 and the specialised ones)
    ("putuo_clerk", "区中心窗口受理员", "window_clerk", "330903", True, None, None),
    ("shenjiamen_clerk", "沈家门窗口受理员", "window_clerk", "330903001", True, None, None),
    ("liuheng_clerk", "六横窗口受理员", "window_clerk", "330903100", True, None, None),
    ("mediator_wang", "王调解员", "mediator", "330903", False, None, "区人民调解团队"),
    ("maritime_mediator", "海事调解员", "mediator", "330903", False, None, "海事渔事纠纷调解团队"),
    ("grid_worker", "六横网格员", "grid_worker", None, False, None, None),
    ("bank_operator", "银行经办员", "bank_operator", "330903", False, "浙江普陀农村商业银行", None),
    ("court_liaison", "法院联络员", "court_liaison", "330903", False, "舟山市普陀区人民法院", None),
]


def sync_roles() -> None:
    for code, (name, actions) in DEFAULT_ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"name": str(name), "actions": actions})


def grid_worker_area() -> Area:
    """The first village of 六横镇: the grid worker's patch until grids are configured below it."""
    return Area.objects.filter(level=Level.VILLAGE, code__startswith="330903100").order_by("code").first()


def load(out) -> None:
    sync_roles()
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "display_name": "系统管理员"}
    )
    if created:
        admin.set_password(settings.DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    for username, display, role, area_code, is_staff, org_name, team_name in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": display, "is_staff": is_staff}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        area = grid_worker_area() if area_code is None else Area.objects.get(code=area_code)
        organisation = Organisation.objects.get(name=org_name) if org_name else None
        centre = Centre.objects.filter(area=area).first()
        Grant.objects.update_or_create(
            user=user, role_id=role, area=area, defaults={"organisation": organisation, "centre": centre}
        )
        if team_name:
            Team.objects.get(name=team_name).members.add(user)
    out("accounts: admin, " + ", ".join(a[0] for a in ACCOUNTS) + f" (password: {settings.DEMO_PASSWORD})")
