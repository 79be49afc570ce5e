"""SMS templates are data, checked when saved against the carriers' rules; the cost estimate counts
segments of the longest message."""

import pytest
from django.core.exceptions import ValidationError

from yiwang.notifications.models import SmsTemplate, check_template_body, count_segments
from yiwang.notifications.sms import DEFAULT_TEMPLATES


def test_segments_are_70_characters_then_67_each():
    assert count_segments("字" * 70) == 1
    assert count_segments("字" * 71) == 2
    assert count_segments("字" * 134) == 2
    assert count_segments("字" * 135) == 3


def test_two_variables_side_by_side_are_refused_and_nothing_is_saved(db):
    with pytest.raises(ValidationError) as refused:
        SmsTemplate.objects.create(code="bad", name="坏", body="案号${number}${centre}已受理")
    assert "side by side" in str(refused.value) or "并列" in str(refused.value) or "相邻" in str(refused.value)
    assert not SmsTemplate.objects.exists()


def test_a_malformed_variable_and_an_empty_text_are_refused():
    assert check_template_body("案号${Number}")
    assert check_template_body("案号${number")
    assert check_template_body("   ")
    assert check_template_body("案号${number}已受理") == []


def test_a_template_that_could_exceed_five_segments_is_refused():
    body = "通知" + "：${a}".join([""] * 12)  # eleven variables of 35 characters: far beyond five segments
    assert check_template_body(body)


def test_the_estimate_bills_every_variable_at_35_characters(db):
    template = SmsTemplate.objects.create(code="ok", name="好", body="${centre}已受理您的纠纷（案号${number}）。")
    assert len(template.longest) == 35 * 2 + len("已受理您的纠纷（案号）。")
    assert template.segments == 2
    assert template.render({"centre": "六横镇", "number": "X" * 40}) == f"六横镇已受理您的纠纷（案号{'X' * 35}）。"


@pytest.mark.parametrize("code", sorted(DEFAULT_TEMPLATES))
def test_every_default_template_obeys_the_rules(code):
    assert check_template_body(DEFAULT_TEMPLATES[code][1]) == []
