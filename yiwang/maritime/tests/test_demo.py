"""The maritime demo: its master data loads twice without change; the seed's story (the online demo's case
of the sisters in 绍兴) gains its maritime record. (The activity is loaded by the project's demo tests.)"""

from yiwang.accounts.models import User
from yiwang.maritime import demo
from yiwang.maritime.models import SeaArea, Vessel
from yiwang.testing import factories as f


def test_the_master_data_loads_twice_without_change(cast):
    before = (Vessel.objects.count(), SeaArea.objects.count())
    demo.load(lambda line: None)
    assert (Vessel.objects.count(), SeaArea.objects.count()) == before == (demo.VESSELS, 258)
    assert all(v.is_fishing for v in Vessel.objects.filter(illustrative=True))


def test_the_seeds_story_gets_its_maritime_record(cast):
    case = f.register_case(by="putuo_staff", area="330903", dispute_type="maritime", vessel_name="浙普渔65678",
                           sea_area="东极海域", idempotency_key="demo-online-sisters")
    users = {u.username: u for u in User.objects.filter(username__in=["putuo_staff"])}
    assert "has its maritime record" in demo._story(users)
    record = case.maritime
    assert record.sea_area_id == "W-DJ" and sorted(v.name for v in record.vessels.all()) == ["浙普渔61234", "浙普渔65678"]
    assert record.tasks.get().status == "done"
    assert "absent or recorded" in demo._story(users)  # idempotent
