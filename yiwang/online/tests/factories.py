"""Cases filed through the 解纷码, as the online tests need them (on yiwang.testing.factories)."""

from yiwang.testing.factories import file_online_case

APPLICANT = {"kind": "person", "name": "陈海燕", "id_number": "330602198805120025", "phone": "13905751234",
             "address": "浙江省绍兴市越城区解放北路1号"}
RESPONDENT = {"kind": "person", "name": "李大海", "phone": "13857001234", "address": "舟山市普陀区沈家门"}


def file_case(*, applicant=None, respondent=None, centre="PT", dispute_type="neighbourhood", area=None, **extra):
    """A case filed online; returns (case, the applicant's access token)."""
    return file_online_case(
        applicant={**APPLICANT, **(applicant or {})}, respondent={**RESPONDENT, **(respondent or {})},
        centre=centre, dispute_type=dispute_type, area=area, **extra,
    )


def agreed_case(demo, **kwargs):
    """A case filed online, mediated by mediator_wang, its agreement drafted (art. 29), signed on paper by
    both parties and the mediator and sealed: in effect (agreed)."""
    from yiwang.testing.factories import sign_and_seal

    case, token = drafted_case(demo, **kwargs)
    return sign_and_seal(case, mediator=demo.mediator_wang), token


def drafted_case(demo, **kwargs):
    """A case filed online, mediated by mediator_wang, with its agreement drafted (art. 29) and nobody
    having signed yet: still mediating, ready to be put up for remote signing."""
    import datetime as dt

    from django.utils import timezone

    from yiwang.cases import actions as case_actions

    case, token = file_case(**kwargs)
    staff, mediator = demo.putuo_staff, demo.mediator_wang
    case = case_actions.do_accept(case, by=staff)
    case = case_actions.do_assign(case, by=staff, mediators=[mediator])
    case = case_actions.do_start_mediation(case, by=mediator)
    case = case_actions.do_record_agreement(
        case, by=mediator, facts="双方渔船于东极海域碰撞。", matters_in_dispute="船体修理费及误工损失的赔偿。",
        responsibilities="被申请人负主要责任，申请人负次要责任。", content="被申请人赔偿申请人人民币陆万元。",
        performance_manner="银行转账", performance_place="舟山市普陀区",
        performance_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    return case, token


def drawing_data_url(blank: bool = False) -> str:
    """A signature as the phone's canvas sends it: a PNG data URL."""
    import base64
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    if not blank:
        ImageDraw.Draw(image).line([(40, 180), (200, 60), (320, 170), (560, 50)], fill=(16, 16, 64, 255), width=6)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
