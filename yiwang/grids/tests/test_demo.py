"""The demo grids match the seed: 163 village teams, one to four grids per village."""

from django.db.models import Count

from yiwang.areas.models import Area, Team, TeamKind
from yiwang.core.codes import Level
from yiwang.grids.models import Grid, Open311Key, TeamMember


def test_every_putuo_village_has_one_to_four_grids(demo):
    villages = Area.objects.filter(level=Level.VILLAGE, code__startswith="330903")
    counts = dict(Grid.objects.values_list("area_id").annotate(n=Count("id")))
    assert set(counts) == set(villages.values_list("code", flat=True))
    assert set(counts.values()) <= {1, 2, 3, 4}
    assert all(grid.code.startswith(grid.area_id + "G") for grid in Grid.objects.all())


def test_the_seed_has_163_village_teams_each_with_grids_and_members(demo):
    teams = Team.objects.filter(kind=TeamKind.GRID, area__code__startswith="330903")
    assert teams.count() == 163
    assert not teams.filter(grids=None).exists()
    assert set(TeamMember.objects.values_list("affiliation", flat=True)) >= {
        "district_unit", "police", "judicial", "party_member"
    }
    # every grid is covered by exactly one team
    assert not Grid.objects.annotate(n=Count("teams")).exclude(n=1).exists()


def test_demo_has_the_open311_key(demo):
    assert Open311Key.objects.get(key="yiwang-demo-open311").active
