"""Fixtures for the grids app's tests: a grid in 六横 with its team, a grid in 沈家门, a town user."""

import pytest

from yiwang.accounts.demo import grid_worker_area
from yiwang.accounts.models import Grant, User
from yiwang.grids.models import Grid


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def liuheng_grid(demo) -> Grid:
    """The grid worker's grid: the first grid of the first village of 六横镇."""
    return Grid.objects.filter(area=grid_worker_area()).order_by("code").first()


@pytest.fixture
def shenjiamen_grid(demo) -> Grid:
    return Grid.objects.filter(area__code__startswith="330903001").order_by("code").first()


@pytest.fixture
def liuheng_staff(demo) -> User:
    return User.objects.get(username="liuheng_staff")


@pytest.fixture
def shenjiamen_gridder(demo) -> User:
    """A grid worker in 沈家门, who must see nothing of 六横."""
    user = User.objects.create(username="sjm_grid_worker", display_name="沈家门网格员")
    Grant.objects.create(user=user, role_id="grid_worker", area_id="330903001")
    return user
