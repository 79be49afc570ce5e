"""The notifications app's demo: the default SMS templates, saved as data the admin can edit (and give
the gateway's template codes). Deterministic; running it again changes nothing (an edited text is kept)."""


def load(out) -> None:
    from yiwang.notifications.models import SmsTemplate
    from yiwang.notifications.sms import DEFAULT_TEMPLATES

    for code, (name, body) in DEFAULT_TEMPLATES.items():
        SmsTemplate.objects.get_or_create(code=code, defaults={"name": name, "body": body})
    out(f"notifications: {SmsTemplate.objects.count()} SMS templates")
