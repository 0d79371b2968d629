"""`make run`'s embedded mode: SQLite, kombu's filesystem broker and mail written to var/mail/, no server at all."""

import subprocess
import sys

from celery.schedules import crontab
from django.conf import settings

from nudges import tasks
from tests.nudge_services import ROOT, child_environment, subprocess_worker, wait_until
from vida.celery import app as celery_app

CREATE_DUE_PATIENT = """
import datetime as dt
from accounts.models import User
from nudges.models import NudgePreferences
user = User.objects.create_user("newcomer", "newcomer@example.org", "a-long-passphrase", timezone="UTC")
NudgePreferences.objects.create(user=user, reminder_time=dt.time(0, 0), quiet_hours_start=dt.time(0, 0), quiet_hours_end=dt.time(0, 0))
"""


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_embedded_worker_writes_a_due_reminder_to_var_mail(tmp_path):
    # Nothing configured but a var folder of the test's own: SQLite, filesystem broker, mail to files.
    env = child_environment(VIDA_VAR_DIR=str(tmp_path))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", CREATE_DUE_PATIENT)
    with subprocess_worker(env, tmp_path / "worker.log"):
        assert "1 new nudges; 1 emails handed to the workers in 1 batches" in manage(env, "dispatch_nudges")
        wait_until(lambda: list((tmp_path / "mail").glob("*.eml")), timeout=60, what="an email in var/mail/")
    [eml] = (tmp_path / "mail").glob("*.eml")
    text = eml.read_text()
    assert "Subject: Time for today's check-in" in text and "To: newcomer@example.org" in text
    assert "Hi newcomer," in text and "http://127.0.0.1:8000/today/" in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    # A second pass the same day sends nothing.
    assert "0 new nudges; 0 emails" in manage(env, "dispatch_nudges")


def test_beat_runs_one_dispatch_pass_at_the_start_of_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["nudges-dispatch"]
    celery_app.loader.import_default_modules()  # what a worker does on start: autodiscovery
    assert entry["task"] in celery_app.tasks and entry["task"] == tasks.dispatch_nudges.name
    assert entry["schedule"] == crontab()
    assert entry["options"]["expires"] < 60  # a pass that waited past the next one is dropped
