"""The 解纷码 poster speaks through the catalogue like every page, and prints in Chinese whoever prints it;
the 解纷码 intake role is installed with the software, not only when the first citizen files."""

import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from yiwang.accounts.models import Grant, Role
from yiwang.accounts.permissions import DEFAULT_ROLES
from yiwang.areas.models import Centre
from yiwang.online.actions import ONLINE_INTAKE_ROLE, get_online_intake_user


def test_the_poster_text_comes_from_the_catalogue(demo):
    centre = Centre.objects.get(code="PT")
    context = {"centre": centre, "qr": "", "url": "http://testserver/jf/PT/"}
    with translation.override("en"):
        english = render_to_string("online/poster.html", context)
    with translation.override("zh-hans"):
        chinese = render_to_string("online/poster.html", context)
    assert "Scan the QR code with your phone" in english and "浙江解纷码" not in english
    assert "用手机扫描二维码" in chinese and "浙江解纷码" in chinese and "最多跑一地" in chinese


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_poster_prints_in_chinese_even_for_an_english_reader(demo, tmp_path):
    response = Client().get("/jf/PT/poster.pdf", HTTP_ACCEPT_LANGUAGE="en")
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace(" ", "")
    assert "浙江解纷码" in text and "用手机扫描二维码" in text and "Scan" not in text


def test_the_online_intake_role_is_a_default_role_installed_by_migration(db):
    assert ONLINE_INTAKE_ROLE in DEFAULT_ROLES
    _name, actions = DEFAULT_ROLES[ONLINE_INTAKE_ROLE]
    role = Role.objects.get(code=ONLINE_INTAKE_ROLE)  # no filing has happened in this database
    assert set(actions) <= set(role.actions) and {"case.view", "case.intake"} <= set(role.actions)


def test_the_intake_identity_holds_the_installed_role(demo):
    user = get_online_intake_user(Centre.objects.get(code="PT"))
    assert Grant.objects.get(user=user).role == Role.objects.get(code=ONLINE_INTAKE_ROLE)
    assert Role.objects.filter(code=ONLINE_INTAKE_ROLE).count() == 1 and not user.has_usable_password()
