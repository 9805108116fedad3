"""The bandwidth window of the nightly run (agent/schedule.py, [bandwidth] window)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from agent.config import parse
from agent.errors import ConfigError
from agent.schedule import Window, bandwidth_allowed, in_window, parse_window


def at(hh: int, mm: int) -> datetime:
    return datetime(2026, 12, 2, hh, mm)  # naive = local wall-clock time


@pytest.mark.parametrize(
    ("clock", "inside"),
    [((22, 0), True), ((23, 30), True), ((0, 0), True), ((4, 59), True), ((5, 0), False), ((7, 30), False),
     ((12, 0), False), ((21, 59), False)],
)
def test_default_window_wraps_midnight(clock: tuple[int, int], inside: bool) -> None:
    assert in_window("22:00-05:00", at(*clock)) is inside


def test_windows_that_do_not_wrap_and_all_day() -> None:
    assert in_window("12:00-13:30", at(12, 0)) and in_window("12:00-13:30", at(13, 29))
    assert not in_window("12:00-13:30", at(13, 30)) and not in_window("12:00-13:30", at(11, 59))
    assert all(in_window("00:00-24:00", at(h, 17)) for h in range(24))
    assert parse_window("00:00-24:00") == Window(time(0, 0), time(0, 0))
    assert str(parse_window(" 9:05 - 17:00 ")) == "09:05-17:00"


@pytest.mark.parametrize("text", ["", "22:00", "22-05", "25:00-05:00", "22:60-05:00", "22:00-05:00-06:00", "abc"])
def test_bad_windows_are_one_line_errors(text: str) -> None:
    with pytest.raises(ValueError, match="not a time window") as info:
        parse_window(text)
    assert "\n" not in str(info.value)


def test_timezone_turns_utc_into_the_schools_wall_clock() -> None:
    utc_16 = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # 23:00 in Ho Chi Minh City (UTC+7)
    utc_02 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 09:00 there: lessons
    assert in_window("22:00-05:00", utc_16, "Asia/Ho_Chi_Minh")
    assert not in_window("22:00-05:00", utc_02, "Asia/Ho_Chi_Minh")


def test_only_the_scheduled_run_is_held_to_the_window() -> None:
    config = parse({"bandwidth": {"window_timezone": "Asia/Ho_Chi_Minh"}})
    lesson = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 09:00 local
    night = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)  # 01:30 local
    assert bandwidth_allowed(config, lesson, scheduled=False) is None  # a person ran it: measure
    assert bandwidth_allowed(config, night, scheduled=True) is None
    why = bandwidth_allowed(config, lesson, scheduled=True)
    assert why is not None
    assert "09:00" in why and "22:00-05:00" in why and "school hours" in why
    anytime = parse({"bandwidth": {"window": ""}})
    assert bandwidth_allowed(anytime, lesson, scheduled=True) is None


def test_config_errors_name_the_key_path() -> None:
    with pytest.raises(ConfigError) as info:
        parse({"bandwidth": {"window": "22h-5h"}})
    assert info.value.problems == [
        "<config>: bandwidth.window: '22h-5h' is not a time window (expected HH:MM-HH:MM in local time, "
        "e.g. 22:00-05:00)"
    ]
    with pytest.raises(ConfigError) as info:
        parse({"bandwidth": {"window_timezone": "Asia/Hanoi-ish"}})
    assert len(info.value.problems) == 1 and info.value.problems[0].startswith("<config>: bandwidth.window_timezone:")
    assert parse({}).bandwidth.window == "22:00-05:00"


def test_config_check_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "agent.toml"
    path.write_text('[bandwidth]\nwindow = "22:00-29:00"\n', encoding="utf-8")
    path.chmod(0o600)
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "--lang", "en", "config", "check", str(path)],
                          capture_output=True, text=True, timeout=60, env={**os.environ})
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "bandwidth.window" in lines[0] and "Traceback" not in proc.stderr


def _window_excluding_now() -> str:
    """A one-hour window (UTC) twelve hours away from now: a scheduled run now is outside it."""
    start = datetime.now(UTC) + timedelta(hours=12)
    return f"{start:%H}:00-{(start + timedelta(hours=1)):%H}:00"


def test_a_scheduled_run_outside_the_window_skips_bandwidth_and_says_so(tmp_path: Path) -> None:
    from agent.run import RunOptions, run_audit

    config = parse({
        "agent": {"state_dir": str(tmp_path / "state")},
        "bandwidth": {"engines": ["http"], "window": _window_excluding_now(), "window_timezone": "UTC"},
        "wifi": {"scan": False},
    })
    options = RunOptions(out_dir=tmp_path / "out", upload=False, skip_discovery=True, scheduled=True,
                         formats=("html",), lang="en")
    result = run_audit(config, options)
    bundle = result.bundle
    assert bundle.measurements == ()  # the engine never ran
    notes = [w for w in bundle.warnings if w.startswith("bandwidth not measured: scheduled run at")]
    assert len(notes) == 1 and config.bandwidth.window in notes[0]
    assert notes[0].split(": ", 1)[1] in result.files["html"].read_text(encoding="utf-8")

    manual = run_audit(config, RunOptions(out_dir=tmp_path / "out2", upload=False, skip_discovery=True,
                                          formats=("html",), lang="en"))
    assert manual.bundle.measurements, "a manual run measures (here: 'no server configured' results)"
    assert all(m.error and "no server configured" in m.error for m in manual.bundle.measurements)
    assert not any(w.startswith("bandwidth not measured") for w in manual.bundle.warnings)
