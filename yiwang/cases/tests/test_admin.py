"""The cases admin: read-only and scoped; holidays editable by master-data editors."""

from yiwang.areas.models import Area
from yiwang.cases import actions


def test_case_admin_is_read_only_and_scoped(cast):
    shenjiamen = Area.objects.filter(code__startswith="330903001", level="village").order_by("code").first()
    case = actions.do_register_case(
        by=cast.shenjiamen_clerk, channel="window", dispute_type="neighbourhood", area=shenjiamen,
        facts="事实", claims="请求", applicants=[{"name": "沈某", "phone": "13857003333"}],
    )
    url = f"/admin/cases/case/{case.pk}/change/"
    assert cast.client("shenjiamen_clerk").get(url).status_code == 200
    assert cast.client("liuheng_clerk").get(url).status_code == 404
    response = cast.client("shenjiamen_clerk").post(url, {"facts": "改写"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.facts == "事实"


def test_holidays_are_edited_by_master_data_editors_only(cast):
    assert cast.client("putuo_staff").get("/admin/core/holiday/add/").status_code == 200
    assert cast.client("liuheng_clerk").get("/admin/core/holiday/add/").status_code == 403
