"""`yiwang load_divisions FILE`: a good file loads, a bad one is refused whole, a repeat changes nothing."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from yiwang.areas.actions import ZHEJIANG_FILE, DivisionFileError, do_load_divisions
from yiwang.areas.models import Area
from yiwang.audit.models import AuditEvent

HEADER = "code,name,level,parent_code\n"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def write(tmp_path, text, name="divisions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_zhejiang_file_loads_in_well_under_a_minute_and_twice_changes_nothing(db):
    started = time.monotonic()
    first = do_load_divisions(ZHEJIANG_FILE)
    elapsed = time.monotonic() - started
    assert Area.objects.filter(official=True).count() == 27036
    assert first.created == 27036 or first.created + first.unchanged == 27036
    assert elapsed < 60
    second = do_load_divisions(ZHEJIANG_FILE)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 27036)
    assert Area.objects.filter(code__startswith="3309", level="county").count() == 4
    assert Area.objects.get(code="330903100").parent_id == "330903"


def test_a_good_small_file_loads_through_the_command(db, tmp_path, capsys):
    path = write(tmp_path, HEADER + "34,安徽省,province,\n3401,合肥市,city,34\n340102,瑶海区,county,3401\n")
    audited = AuditEvent.objects.filter(verb="areas.divisions_loaded").count()  # the world's own load is one
    call_command("load_divisions", str(path))
    assert "3 created" in capsys.readouterr().out
    assert Area.objects.get(code="340102").parent.parent.name == "安徽省"
    assert AuditEvent.objects.filter(verb="areas.divisions_loaded").count() == audited + 1


def test_a_changed_name_is_updated_and_nothing_else(db, tmp_path):
    do_load_divisions(write(tmp_path, HEADER + "34,安徽省,province,\n3401,合肥市,city,34\n"))
    result = do_load_divisions(write(tmp_path, HEADER + "34,安徽省,province,\n3401,合肥市（新）,city,34\n"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Area.objects.get(code="3401").name == "合肥市（新）"


@pytest.mark.parametrize(
    "body, message",
    [
        ("34,安徽省,province,\n3401x,合肥市,city,34\n", "line 3: code '3401x' is not a number"),
        ("34,安徽省,province,\n340,合肥市,city,34\n", "line 3: a city code has 4 digits"),
        ("34,安徽省,province,\n3401,,city,34\n", "line 3: the name is empty"),
        ("34,安徽省,province,\n3401,合肥市,town,34\n", "line 3: unknown level 'town'"),
        ("34,安徽省,province,\n3401,合肥市,city,35\n", "line 3: parent '35' is not the province above '3401'"),
        ("34,安徽省,province,\n3401,合肥市,city\n", "line 3: expected 4 columns, found 3"),
        ("34,安徽省,province,\n3401,合肥市,city,34\n3401,合肥,city,34\n", "line 4: code 3401 already appears on line 3"),
        ("340102,瑶海区,county,3401\n", "line 2: parent 3401 is neither in the file nor loaded"),
    ],
)
def test_a_bad_line_refuses_the_whole_file_with_its_line_number(db, english, tmp_path, body, message):
    path = write(tmp_path, HEADER + body)
    before = Area.objects.count()
    with pytest.raises(DivisionFileError) as refused:
        do_load_divisions(path)
    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert Area.objects.count() == before


def test_the_command_reports_every_bad_line_and_imports_nothing(db, tmp_path):
    path = write(tmp_path, HEADER + "34,安徽省,province,\n3401,合肥市,city,34\nabc,坏,city,34\n,空,village,\n")
    with pytest.raises(CommandError) as refused:
        call_command("load_divisions", str(path))
    text = str(refused.value)
    # Operators read the refusal in the default language, Chinese.
    assert "nothing was imported" in text and "第 4 行" in text and "第 5 行" in text
    assert not Area.objects.filter(code__in=["34", "3401"]).exists()


def test_a_wrong_header_or_encoding_or_missing_file_is_refused(db, english, tmp_path):
    with pytest.raises(DivisionFileError, match="header"):
        do_load_divisions(write(tmp_path, "id,name\n1,x\n"))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "34,安徽省,province,\n").encode("gbk"))
    with pytest.raises(DivisionFileError, match="UTF-8"):
        do_load_divisions(gbk)
    with pytest.raises(DivisionFileError, match="cannot be read"):
        do_load_divisions(tmp_path / "missing.csv")
