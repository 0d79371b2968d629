"""The embedded default of `make run` (SQLite, filesystem broker) serves what the PostgreSQL suite checks.

Each check runs a script under tests/embedded/ in a process of its own with the
embedded settings and a throwaway SQLite file, so the developer's own var/ data
is never touched.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_embedded(script, tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIDA_", "DATABASE_", "CELERY_"))
    }
    env.update(
        VIDA_ENV="development",
        DJANGO_SETTINGS_MODULE="vida.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'vida.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        VIDA_MEDIA_ROOT=str(tmp_path / "media"),
    )
    finished = subprocess.run(
        [sys.executable, "-m", f"tests.embedded.{script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_history_and_trends_work_on_sqlite(tmp_path):
    seen = run_embedded("trends_on_sqlite", tmp_path)
    assert seen["engine"] == "sqlite"
    assert set(seen["statuses"].values()) == {200}, seen["statuses"]
    assert seen["leading_region"] == "hip_leads"
    assert seen["series_days"] == 28
    assert seen["summary"]["checkins_14d"] == 14 and seen["summary"]["back_7d_mean"] is not None
