"""What the SMS gateways share: they send approved templates, not free text, so a backend handed only
(phone, text) by the outbox finds the saved SmsTemplate the text was rendered from and recovers its
variables (possible because no two variables stand side by side, see models.check_template_body)."""

from __future__ import annotations

import re


def match_template(text: str):
    """(template, variables) for the saved active template `text` was rendered from, or None."""
    from yiwang.notifications.models import VARIABLE, SmsTemplate

    for template in SmsTemplate.objects.filter(active=True).exclude(provider_code="").order_by("code"):
        names = VARIABLE.findall(template.body)
        pattern = "".join(
            f"(?P<{part}>.+?)" if i % 2 else re.escape(part)
            for i, part in enumerate(VARIABLE.split(template.body)))
        found = re.fullmatch(pattern, text, flags=re.S)
        if found and len(set(names)) == len(names):
            return template, {name: found.group(name) for name in names}
    return None


def get_variable_names(template) -> list[str]:
    """The template's variables in the order they appear: a gateway that numbers its variables ({1},
    {2}… at 腾讯云) takes the values in this order."""
    from yiwang.notifications.models import VARIABLE

    return VARIABLE.findall(template.body)
