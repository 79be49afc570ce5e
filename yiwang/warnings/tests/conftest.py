import pytest

from yiwang.core.notices import notice_announced


@pytest.fixture
def notices():
    """Every notice announced during the test (the notifications app, when installed, delivers them)."""
    told = []
    notice_announced.connect(told.append)
    yield told
    notice_announced.disconnect(told.append)


@pytest.fixture
def town_leader(cast):
    """六横镇's warning leader (the demo's liuheng_leader)."""
    return cast.liuheng_leader
