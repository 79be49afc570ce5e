"""Small builders for the co-building tests, each calling the app's own actions."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.areas.models import Area, Organisation
from yiwang.cobuild import actions
from yiwang.cobuild.demo import JUSTICE, SOCIAL_CENTRE, first_liuheng_village
from yiwang.testing.factories import user

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def post_demand(*, by="liuheng_community", area=None, category="produce", size=20, **extra):
    fields = {"title": "台风后水果滞销", "description": "合作社的水果滞销，需要推销会和直播。",
              "needed_from": START, "needed_until": END, "contact_name": "陈先生", "contact_phone": "13805801234"}
    fields.update(extra)
    area = area or first_liuheng_village()
    if isinstance(area, str):
        area = Area.objects.get(code=area)
    return actions.do_post_demand(by=user(by), area=area, category=category, size=size, **fields)


def justice():
    return Organisation.objects.get(name=JUSTICE)


def social_centre():
    return Organisation.objects.get(name=SOCIAL_CENTRE)


def offer(organisation=None, *, by="unit_liaison", kind="volunteers", categories=("produce",), capacity=30,
          start=START, end=END, area=None, title="志愿者直播带货"):
    resource = actions.do_offer_resource(by=user(by), organisation=organisation or justice(), kind=kind,
                                         title=title, categories=list(categories), capacity=capacity,
                                         available_from=start, available_until=end)
    if area:  # where the resource is used from (a unit's office in a street)
        resource.area_id = area
        resource.save(update_fields=["area"])
    return resource


def png(name="fair.png") -> SimpleUploadedFile:
    """A real one-pixel PNG: the upload policy reads the bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def walk(demand, to: str, *, unit="unit_liaison", community="liuheng_community"):
    """Claim, confirm, report, close — up to `to`."""
    path = ["claim", "confirm", "report", "close"]
    for step in path[:path.index(to) + 1]:
        demand.refresh_from_db()
        who = unit if step in ("claim", "report") else community
        data = {"version": demand.version, "report": "举办农产品推销会，组织网上直播。", "photos": [png()]}
        actions.do_step(demand, step, data, by=user(who))
    demand.refresh_from_db()
    return demand
