"""`schoolnet-district` verbs: one line and exit 2 on bad input; enroll, user add, export, migrate."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from tests.district.conftest import run_cli


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/d.db"
    for args in (
        ("enroll", "bad id!", "--name", "x"),
        ("enroll", "S1", "--name", "  "),
        ("serve", "--bind", "localhost"),
        ("export", "--format", "pdf"),
        ("user", "add", "admin", "--password-stdin"),
        ("frobnicate",),
    ):
        result = run_cli(*args, db=db, stdin="short\n", check=False)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("schoolnet-district: "), (args, result.stderr)


def test_unreachable_database_is_exit_3_without_password(tmp_path: Path) -> None:
    result = run_cli("migrate", db="postgresql://audit:topsecret@127.0.0.1:1/district", check=False)
    assert result.returncode == 3 and "topsecret" not in result.stderr and "***" in result.stderr


def test_enroll_user_export_migrate(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/d.db"
    assert "revision 0002" in run_cli("migrate", db=db).stderr
    first = run_cli("enroll", "THPT-7", "--name", "Trường THPT Lê Quý Đôn", "--ward", "Phường 6", db=db).stdout.strip()
    second = run_cli("enroll", "THPT-7", "--name", "Trường THPT Lê Quý Đôn", db=db).stdout.strip()
    assert len(first) == 19 and first != second  # a new code replaces the old one
    run_cli("user", "add", "admin", "--password-stdin", db=db, stdin="mot-mat-khau-dai\n")
    with sqlite3.connect(f"{tmp_path}/d.db") as conn:
        (stored,) = conn.execute("SELECT password_hash FROM users WHERE username='admin'").fetchone()
        codes = [r[0] for r in conn.execute("SELECT enroll_code_hash FROM schools")]
        ward = conn.execute("SELECT ward FROM schools").fetchone()[0]
    assert stored.startswith("scrypt$") and "mot-mat-khau-dai" not in stored
    assert codes and second not in codes[0] and len(codes[0]) == 64  # only a hash of the code is kept
    assert ward == "Phường 6"  # a renewed code keeps the ward
    csv_text = run_cli("export", "--lang", "en", db=db).stdout
    assert csv_text.splitlines()[1].startswith("1,THPT-7,Trường THPT Lê Quý Đôn,Phường 6")
    out = tmp_path / "form.xlsx"
    run_cli("export", "--format", "xlsx", "--output", str(out), db=db)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    assert ws.cell(row=2, column=2).value == "THPT-7" and ws.cell(row=1, column=1).value == "STT"
