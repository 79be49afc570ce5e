import pytest
from yiwang.testing import factories as f

@pytest.mark.django_db
def test_smoke(cast):
    from yiwang.warnings.models import Warning
    case = f.register_case(people_involved=35, facts="工友们要去拉横幅讨说法，有人说要跳楼。", claims="支付工资", dispute_type="labour")
    for w in Warning.objects.all():
        print(w.rule_id, w.level, w.tier, w.routed_area, w.explanation, list(w.cases.values_list("pk", flat=True)))
    assert Warning.objects.count() == 3
