"""make backup / make restore: a round trip through pg_dump and pg_restore keeps every row of every table."""

import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from screening import actions as screening_actions
from tests.careteam_helpers import link
from tests.factories import CheckInFactory, ClinicianFactory, FlareFactory, PatientFactory, days_ago
from tests.reliability.summary import report
from tests.screening_answers import answers
from tests.security_helpers import api_token, authenticator

ROOT = Path(__file__).resolve().parents[1]


def url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def admin(sql):
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres")
    conn.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def row_counts(name):
    db = connection.settings_dict
    conn = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=name)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [t for (t,) in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    finally:
        conn.close()
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_the_same_rows_in_every_table(tmp_path):
    patient, clinician = PatientFactory(), ClinicianFactory()
    for n in range(10):
        CheckInFactory(patient=patient, date=days_ago(patient, n))
    FlareFactory(patient=patient)
    screening_actions.record_screening(patient, "hip-pattern-v1", answers(night_pain=True))
    link(clinician, patient)
    authenticator(clinician)
    api_token(patient)
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    admin(f'DROP DATABASE IF EXISTS "{target}"')
    admin(f'CREATE DATABASE "{target}"')
    try:
        dumped = subprocess.run(
            [str(ROOT / "scripts/backup.sh")],
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url(source), "BACKUP_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert dumped.returncode == 0, dumped.stderr
        backup = dumped.stdout.strip().splitlines()[-1]
        restored = subprocess.run(
            [str(ROOT / "scripts/restore.sh")],
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url(target), "BACKUP": backup},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        before, after = row_counts(source), row_counts(target)
        report(
            f"backup/restore: {len(before)} tables, {sum(before.values())} rows dumped, "
            f"{sum(after.values())} restored, {sum(1 for t in before if before[t] != after.get(t))} tables differing"
        )
        assert after == before
        assert before["checkins_checkin"] == 10 and before["security_authtoken"] >= 1
    finally:
        admin(f'DROP DATABASE IF EXISTS "{target}"')
