"""What co-building shows on other apps' pages (core.registry.page_panels): a centre's model villages and
elder councils (test_registry_pages), and on an area's statistics dashboard its co-building figures —
demands, projects, pairings, each unit's record (claims met, time to claim, residents' rating) — and its
民主法治示范村, for the dashboard's readers only."""

import pytest

from yiwang.cobuild import actions
from yiwang.cobuild.tests.helpers import post_demand, walk

pytestmark = pytest.mark.django_db
LIUHENG = "330903100"


def test_the_dashboard_shows_the_units_records_and_the_model_villages(co):
    from yiwang.areas.models import Area

    village = Area.objects.get(code=walk(post_demand(), "close").area_id)
    post_demand(title="仍在等待认领")
    actions.do_record_title(village, by=co.liuheng_office, level="city", year=2023)
    page = co.client("admin").get(f"/stats/{LIUHENG}/").content.decode()
    panel = page[page.index('id="cobuild-dashboard"'):]
    assert "舟山市普陀区司法局" in panel and village.name in panel and "市级 2023" in panel
    assert 'id="cobuild-records"' in panel
    elsewhere = co.client("admin").get("/stats/330903001/").content.decode()  # 沈家门: no co-building yet
    assert "舟山市普陀区司法局" not in elsewhere[elsewhere.index('id="cobuild-dashboard"'):]
    assert co.client("shenjiamen_community").get(f"/stats/{LIUHENG}/").status_code in (403, 404)
