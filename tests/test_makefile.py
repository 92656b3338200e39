"""The README's commands work as written on a fresh checkout's settings (DEBUG and SECRET_KEY unset)."""

import os
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_superuser_creates_the_first_admin_without_editing_settings(tmp_path):
    """`manage.py createsuperuser` alone failed on a fresh clone ("SECRET_KEY must be set when DEBUG is off")."""
    database = tmp_path / "fresh.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    env |= {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SUPERUSER_PASSWORD": "a long curator passphrase"}
    args = "SUPERUSER_ARGS=--noinput --username curator --email curator@example.org"
    result = subprocess.run(["make", "-s", "superuser", args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT username, is_superuser, is_staff FROM auth_user").fetchall()
    assert rows == [("curator", 1, 1)]
