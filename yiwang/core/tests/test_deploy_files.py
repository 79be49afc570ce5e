"""The deployment files shipped in deploy/ (issue 21): HAProxy accepts deploy/haproxy.cfg, the systemd units
parse (systemd-analyze verify once rendered with this machine's paths, as scripts/cluster.py renders them)
and each starts a command that exists here. Skipped where the tool is missing; the structural checks run
everywhere."""

import configparser
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
UNITS = sorted((ROOT / "deploy" / "systemd").iterdir())


def cluster_script():
    spec = importlib.util.spec_from_file_location("cluster_script", ROOT / "scripts" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_load_balancer_configuration_is_valid():
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip("haproxy is not installed (scripts/system-deps cluster)")
    env = {**os.environ, **cluster_script().lb_environment()}
    result = subprocess.run([haproxy, "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_load_balancer_retries_only_what_is_safe_to_retry():
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    assert "option httpchk" in config and "retry-on conn-failure" in config
    assert "http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS" in config


@pytest.mark.parametrize("unit", [path.name for path in UNITS])
def test_each_unit_has_its_sections_and_starts_an_existing_command(unit):
    cluster = cluster_script()
    text = cluster.render_unit(unit, "8001")
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    assert "Unit" in parser and parser["Unit"].get("Description")
    if unit.endswith(".timer"):
        assert parser["Timer"].get("OnUnitActiveSec") and (ROOT / "deploy" / "systemd" /
                                                            unit.replace(".timer", ".service")).exists()
        return
    assert parser["Service"]["EnvironmentFile"].endswith("yiwang.env")
    command = cluster.unit_command(unit, "8001")
    assert Path(command[0]).is_absolute() and Path(command[0]).exists(), command


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    cluster = cluster_script()
    for path in UNITS:
        (tmp_path / path.name).write_text(cluster.render_unit(path.name))
    (tmp_path / "yiwang.env").write_text("DEBUG=0\n")
    names = [str(tmp_path / (name.replace("@", "@8001") if "@" in name else name))
             for name in (path.name for path in UNITS)]
    result = subprocess.run([analyze, "verify", *names], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "yiwang" not in output, output
