"""The co-building tests' world: the cast, plus the app's own accounts (cobuild.demo.load_accounts)."""

import datetime as dt

import pytest


@pytest.fixture
def co(cast):
    """The cast with the co-building accounts: liuheng_community (a 六横 village), shenjiamen_community
    (新街社区), liuheng_office (六横镇), unit_liaison (区司法局), social_liaison (社会组织服务中心)."""
    from yiwang.cobuild.demo import load_accounts

    load_accounts()
    return cast


TODAY = dt.date(2026, 3, 2)
