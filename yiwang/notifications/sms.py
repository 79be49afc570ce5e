"""Texting citizens from templates: the text of each kind of message is data (SmsTemplate, edited in the
admin and checked when saved); until a centre edits one, the default below is used.

    get_template(code) → SmsTemplate        the saved one, else the default (unsaved)
    text_parties(case, code, values, *, key, roles=None, urgent=None) → rows
        one SMS per distinct mobile among the case's parties (of `roles`), through the core outbox;
        held back in quiet hours unless the template is urgent
"""

from __future__ import annotations

from yiwang.core import crypto
from yiwang.core.outbox import notify
from yiwang.notifications import quiet
from yiwang.notifications.models import SmsTemplate

# The defaults, in the citizens' language (data, like the dispute types' names, not interface text). The
# gateway adds the signature (【…】) itself.
DEFAULT_TEMPLATES = {
    "case_registered": ("登记", "${centre}已登记您的纠纷，案号${number}，3个工作日内告知是否受理。"),
    "case_accepted": ("受理", "${centre}已受理您的纠纷（案号${number}），将尽快指派调解员。"),
    "case_not_accepted": ("不予受理", "${centre}未受理您的纠纷（案号${number}），建议您前往：${redirect}。"),
    "mediator_named": ("指派调解员", "您的纠纷（案号${number}）由${centre}调解员${mediator}负责调解。"),
    "case_moved": ("转办", "您的纠纷（案号${number}）已转由${centre}办理。"),
    "agreement_recorded": ("调解协议", "您的纠纷（案号${number}）已达成调解协议，自${effective_on}起生效，"
                           "请于${deadline}前履行。"),
    "confirmation_decided": ("司法确认", "您的调解协议（案号${number}）司法确认结果：${result}。"),
    "mediation_ended": ("调解终止", "您的纠纷（案号${number}）未能达成调解协议，调解终止。您可依法起诉、"
                        "申请仲裁或请求行政机关处理，详询${centre}。"),
    "followed_up": ("回访", "感谢您配合${centre}对案件${number}的回访。如仍有问题，请联系中心。"),
    "mediator_message": ("调解员留言", "${centre}：调解员在案件${number}的调解室给您留言，请打开您的案件链接查看。"),
    "mediation_started": ("开始调解", "您的纠纷（案号${number}）已由${centre}开始调解，调解期限至${deadline}。"),
    "session_recorded": ("调解笔录", "${centre}已记录您的纠纷（案号${number}）${held_on}的调解情况，如需查阅笔录请联系中心。"),
    "mediation_extended": ("延长调解", "经各方同意，您的纠纷（案号${number}）调解期限延长至${deadline}。"),
    "mediator_changed": ("更换调解员", "您的纠纷（案号${number}）原调解员已回避，现由${centre}调解员${mediator}负责调解。"),
    "mediator_recused": ("调解员回避", "您的纠纷（案号${number}）原调解员已回避，${centre}将另行指派调解员。"),
    "case_withdrawn": ("撤回", "您的纠纷（案号${number}）已撤回，${centre}不再调解。如有新情况，可重新申请调解。"),
    "case_referred": ("转交", "您的纠纷（案号${number}）调解未成，已由${centre}转交${body}处理。"),
    "referral_filed": ("转交立案", "您的纠纷（案号${number}）已由${body}受理，其案号为${external}。"),
}


def get_template(code: str) -> SmsTemplate:
    saved = SmsTemplate.objects.filter(code=code, active=True).first()
    if saved is not None:
        return saved
    name, body = DEFAULT_TEMPLATES[code]
    return SmsTemplate(code=code, name=name, body=body)


def text_parties(case, code: str, values: dict, *, key: str, roles=None, urgent: bool | None = None) -> list:
    """One SMS per distinct mobile among the parties (two parties sharing a phone get one message)."""
    template = get_template(code)
    text = template.render({"number": case.number, "centre": case.centre.name, **values})
    # case.parties.all(): a registration's own parties are in hand already (no query), else one query.
    phones = [p.phone for p in sorted(case.parties.all(), key=lambda p: p.pk)
              if p.phone and (roles is None or p.role in roles)]
    rows = []
    for phone in dict.fromkeys(phones):
        row = notify("sms", phone, text, key=f"{key}:{crypto.blind_hash('phone', phone)[:24]}", about=case, area_code=case.area_id)
        if not (template.urgent if urgent is None else urgent):
            quiet.hold(row)
        rows.append(row)
    return rows
