"""Cases filed through the 解纷码, as the online tests need them."""

from yiwang.areas.models import Centre
from yiwang.online.actions import do_file_online

APPLICANT = {"kind": "person", "name": "陈海燕", "id_number": "330602198805120025", "phone": "13905751234",
             "address": "浙江省绍兴市越城区解放北路1号"}
RESPONDENT = {"kind": "person", "name": "李大海", "phone": "13857001234", "address": "舟山市普陀区沈家门"}


def file_case(*, applicant=None, respondent=None, centre="PT", dispute_type="neighbourhood", area=None, **extra):
    """A case filed online; returns (case, the applicant's access token)."""
    centre = Centre.objects.get(code=centre)
    return do_file_online(
        centre=centre, base_url="http://testserver", dispute_type=dispute_type, area=area or centre.area_id,
        facts=extra.pop("facts", "邻居装修导致我家墙面开裂。"), claims=extra.pop("claims", "请求赔偿修复费用。"),
        applicant={**APPLICANT, **(applicant or {})}, respondent={**RESPONDENT, **(respondent or {})}, **extra,
    )
