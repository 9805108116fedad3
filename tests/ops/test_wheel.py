"""The wheel is real software: it carries every data file, and the agent runs from it with no source tree around.

`python -m build --wheel` builds it once for the module; a fresh venv gets it with `pip install --no-deps` (the
dependencies come from this environment's site-packages through a path file, which loads no editable-install
hook, so `agent` and `config` can only come from the wheel). Then `schoolnet --version`, `config init` /
`config check` (template, criteria profile and catalog read from the installed package) and
`service install --root` (the units are package data) run from the venv, outside the checkout.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent import __version__
from agent.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow

# Every data directory the agent, the reports, the district and the lab read at run time.
DATA_DIRS = ("config", "agent/units", "reports/templates", "district/templates", "district/migrations",
             "lab/recordings")  # fmt: skip


def source_data_files() -> set[str]:
    found = set()
    for top in DATA_DIRS:
        for path in (PROJECT_ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(path.relative_to(PROJECT_ROOT).as_posix())
    return found


@pytest.fixture(scope="module")
def wheel() -> Iterator[Path]:
    if not (PROJECT_ROOT / "pyproject.toml").is_file():
        pytest.skip("not a source checkout")
    with tempfile.TemporaryDirectory(prefix="snwhl-") as name:
        out = Path(name)
        proc = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(PROJECT_ROOT)],
            capture_output=True, text=True, timeout=300, check=False, cwd=out,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        wheels = list(out.glob("schoolnet_audit-*.whl"))
        assert len(wheels) == 1, wheels
        yield wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="snvenv-") as name:
        where = Path(name) / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(where / "bin/python"), "install", "-q", "--no-deps",
             str(wheel)],
            capture_output=True, text=True, timeout=300, check=False, cwd=name, env=clean_env(),
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-3000:]
        packages = where / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
        deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
        (packages / "zz-deps.pth").write_text("".join(f"{p}\n" for p in deps))
        yield where


def clean_env() -> dict[str, str]:
    """This environment without what would put the checkout on the path (PYTHONPATH) or pick a config."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCHOOLNET_CONFIG", "VIRTUAL_ENV")}


def run(venv: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    env["PATH"] = f"{venv / 'bin'}:/usr/sbin:/usr/bin:/sbin:/bin"
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=120, check=False, cwd=cwd, env=env)


def test_wheel_carries_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = source_data_files()
    assert "config/agent.toml.template" in expected and "agent/units/schoolnet-audit.service" in expected
    missing = sorted(expected - names)
    assert not missing, f"data files left out of the wheel: {missing}"
    assert not [n for n in names if n.startswith(("tests/", "bench/", "scripts/"))]
    entry_points = zipfile.ZipFile(wheel).read(f"schoolnet_audit-{__version__}.dist-info/entry_points.txt").decode()
    assert "schoolnet = agent.cli:main" in entry_points and "schoolnet-district = district.cli:main" in entry_points


def test_agent_runs_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    where = run(venv, str(venv / "bin/python"), "-c",
                "import agent, config, agent.paths as p; print(agent.__file__); print(p.CONFIG_TEMPLATE)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    agent_file, template = where.stdout.split()
    assert Path(agent_file).is_relative_to(venv) and Path(template).is_relative_to(venv)
    assert Path(template).is_file()

    version = run(venv, str(venv / "bin/schoolnet"), "--version", cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout, version.stderr

    config = tmp_path / "etc/agent.toml"
    init = run(venv, str(venv / "bin/schoolnet"), "--lang", "en", "config", "init", str(config),
               "--school-id", "79000101", "--school-name", "Trường THCS Thử", "--state-dir", str(tmp_path / "state"),
               cwd=tmp_path)  # fmt: skip
    assert init.returncode == 0, init.stderr
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    check = run(venv, str(venv / "bin/schoolnet"), "--lang", "en", "--config", str(config), "config", "check",
                cwd=tmp_path)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def test_service_install_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    proc = run(venv, str(venv / "bin/schoolnet"), "--lang", "en", "service", "install", "--root", str(root),
               cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    unit = (root / "etc/systemd/system/schoolnet-audit.service").read_text()
    assert f"ExecStart={venv}/bin/schoolnet audit" in unit
    assert (root / "etc/sysusers.d/schoolnet.conf").read_text().strip().endswith("/var/lib/schoolnet")
    assert (root / "etc/systemd/system/timers.target.wants/schoolnet-audit.timer").is_symlink()
