"""`PORT=… make demo` serves on that port, and the links the demo sends (SMS, notifications) name it."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_demo_sends_links_on_the_port_it_serves():
    commands = subprocess.run(["make", "-n", "demo", "PORT=8123"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    demo_lines = [line for line in commands.splitlines() if " demo" in line or "runserver" in line]
    assert any("runserver 127.0.0.1:8123" in line for line in demo_lines)
    runs = [line for line in demo_lines if "bin/yiwang " in line]
    assert runs and all("YIWANG_SITE_URL=http://127.0.0.1:8123" in line for line in runs)
