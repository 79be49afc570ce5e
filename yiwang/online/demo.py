"""Demo data for the citizen side: the centre's signing key (a demo CA when none is configured) and the
seed's story — two sisters in 绍兴 settle a maritime accident mediated in 普陀 without travelling —
run through the real actions up to an agreement signed remotely, sealed and verifiable.

Idempotent (skipped once the story's case exists). Skipped under tests, where signing in every test
session's set-up would cost seconds; the tests build their own signed agreements.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

STORY_KEY = "demo-online-sisters"
APPLICANTS = [
    {"kind": "person", "name": "陈海燕", "id_number": "330602198805120025", "phone": "13905751234",
     "address": "浙江省绍兴市越城区解放北路1号"},
    {"kind": "person", "name": "陈海霞", "id_number": "330602199203150045", "phone": "13905755678",
     "address": "浙江省绍兴市越城区解放北路1号"},
]
RESPONDENT = {"kind": "person", "name": "林永康", "id_number": "330903197504180014", "phone": "13857001234",
              "address": "浙江省舟山市普陀区沈家门街道渔港路8号"}


def load(out) -> None:
    from yiwang.online.signing import get_identity, get_stamp_font

    if settings.TESTING:
        return
    identity = get_identity()  # generates the demo CA and centre certificate on first use
    out(f"online: signing with {'the demo key' if identity.demo else 'the configured key'} ({identity.cert_file})")
    from yiwang.areas.models import Centre
    from yiwang.online.certificates import make_committee_certificate

    centres = list(Centre.objects.order_by("pk"))
    for centre in centres:  # each people's mediation committee signs with its own key (EC: fast)
        make_committee_certificate(centre)
    out(f"online: a signing certificate for each of the {len(centres)} centres' committees")
    get_stamp_font()  # extracts the seal's face and cuts the stamps' one from it, once
    _story(out)


def _drawing(seed: int):
    """A handwriting-like scribble standing in for a signature drawn on a phone."""
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    points = [(40 + x * 5, 120 + 60 * math.sin((x + seed * 7) / 9) * math.cos(x / 23)) for x in range(105)]
    ImageDraw.Draw(image).line(points, fill=(16, 16, 64, 255), width=6, joint="curve")
    return image


def _story(out) -> None:
    from yiwang.accounts.models import User
    from yiwang.areas.models import Centre
    from yiwang.cases import actions as case_actions
    from yiwang.cases.models import Case
    from yiwang.online import actions

    if Case.objects.filter(idempotency_key=STORY_KEY).exists():
        out("online: the seed's remote-signing story is present")
        return
    centre = Centre.objects.filter(code="PT").first()
    users = {u.username: u for u in User.objects.filter(username__in=["putuo_staff", "maritime_mediator"])}
    if centre is None or len(users) < 2:
        out("online: demo centre or accounts missing, no story")
        return
    intake = actions.get_online_intake_user(centre)
    staff, mediator = users["putuo_staff"], users["maritime_mediator"]
    case = case_actions.do_register_case(
        by=intake, channel="online", dispute_type="maritime", area=centre.area_id,
        facts="申请人之父陈阿根驾驶的浙普渔61234号渔船于东极海域作业时，与被申请人所有的浙普渔65678号渔船发生碰撞，"
              "陈阿根落水受伤，渔船船体及网具受损。申请人姐妹二人现居绍兴。",
        claims="请求被申请人赔偿医疗费、误工费、船舶修理费及网具损失共计人民币二十八万元。", amount="280000",
        applicants=APPLICANTS, respondents=[RESPONDENT], vessel_name="浙普渔65678", sea_area="东极海域",
        idempotency_key=STORY_KEY,
    )
    case = case_actions.do_accept(case, by=staff, note="解纷码在线申请，当事人在绍兴，线上调解")
    case = case_actions.do_assign(case, by=staff, mediators=[mediator], reason="海事渔事纠纷，由海事渔事调解团队办理")
    case = case_actions.do_start_mediation(case, by=mediator)
    case_actions.do_record_session(case, by=mediator, online=True, place="线上调解室",
                                   participants="申请人陈海燕、陈海霞（绍兴，视频）、被申请人林永康、调解员",
                                   record="调解员通过视频组织双方陈述，释明海上交通事故责任划分规则，双方就赔偿数额达成一致。")
    case.refresh_from_db()
    case = case_actions.do_record_agreement(
        case, by=mediator, facts="双方渔船于东极海域作业时发生碰撞，致申请人之父受伤、渔船及网具受损。",
        matters_in_dispute="碰撞责任的划分及医疗费、误工费、船舶修理费、网具损失的赔偿数额。",
        responsibilities="被申请人渔船瞭望疏忽，负事故主要责任（百分之七十）；申请人一方渔船避让不及，负次要责任（百分之三十）。",
        content="一、被申请人赔偿申请人各项损失共计人民币十九万六千元；二、申请人收到全部款项后，双方就本次碰撞事故再无其他争议。",
        performance_manner="银行转账至申请人陈海燕的账户", performance_place="浙江省舟山市普陀区",
        performance_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    actions.do_prepare_signing(case, by=mediator, base_url=settings.NOTIFICATIONS_SITE_URL)  # the demo's PORT
    for seed, party in enumerate(case.parties.all()):
        # The demo stands in for each party's phone: what do_sign_as_party does after the code check (the
        # disputes app records the signature; online's hook signs the PDF in the party's box).
        from io import BytesIO

        from django.db import transaction

        png = BytesIO()
        _drawing(seed).save(png, format="PNG")
        with transaction.atomic():
            case_actions.do_record_online_signature(Case.objects.get(pk=case.pk), by=intake, party=party,
                                                    drawing=png.getvalue())
    case.refresh_from_db()
    actions.do_sign_as_mediator(case, by=mediator)
    out(f"online: the seed's story, case {case.number}, agreement signed remotely and sealed")
