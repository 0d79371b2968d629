"""Load with faults: 200 patients check in for 60 s against gunicorn while a backing service fails.

- Redis (broker and the shared cache) is stopped half way: no check-in fails, none is lost.
- PostgreSQL is stopped half way and started again 3 s later: the only errors are 503s, during the restart; every check-in the
  app answered with success is in the database afterwards, as sent; the app recovers without a restart
  (the same gunicorn workers answer before and after).

Each patient is a thread that saves a check-in (``PUT /api/v1/checkins/{date}/``, a different value
every time) about once a second, and retries a failed one after ``Retry-After`` until it succeeds:
what a phone would do. Everything runs on loopback with servers this test starts on free ports
(tests/reliability/services.py); every loop is bounded in time.
"""

import datetime as dt
import http.client
import json
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import psycopg2
import pytest

from tests.reliability.services import (
    ROOT,
    Gunicorn,
    OwnRedis,
    ThrowawayPostgres,
    manage,
    production_environment,
)
from tests.reliability.summary import report

pytestmark = pytest.mark.reliability

PATIENTS = 200
SECONDS = 60
DRAIN_SECONDS = 45  # after the load: time for every patient's last check-in to go through
THINK_SECONDS = 1.0
DOWN_SECONDS = 3  # how long PostgreSQL stays stopped
DAYS = 14


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    errors_at: list = field(default_factory=list)  # (monotonic time, status or exception name)
    acknowledged: dict = field(default_factory=dict)  # (patient id, date) -> note of the last 2xx write
    saved: int = 0
    failed: int = 0  # check-ins never acknowledged by the end

    def count(self, status, at):
        with self.lock:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if not isinstance(status, int) or status >= 400:
                self.errors_at.append((at, status))


def patient_loop(base_port, patient, tally, stop_at, give_up_at, seed):
    rng = random.Random(seed)
    connection = None
    sequence = 0
    today = dt.datetime.now(dt.UTC).date()
    while time.monotonic() < stop_at:
        sequence += 1
        day = (today - dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        note = f"p{patient['id']}-w{sequence}"
        body = json.dumps({"back_pain": rng.randint(0, 10), "hip_pain": rng.randint(0, 10), "note": note})
        while True:  # this check-in until it is saved (a phone keeps it and tries again)
            if time.monotonic() > give_up_at:
                with tally.lock:
                    tally.failed += 1
                return
            status, retry_after = None, 1.0
            for fresh in (connection is None, True):
                # A kept-alive connection the server has closed meanwhile (it does after an answer
                # given before the body was read, such as a 503) is retried once on a new one, as
                # HTTP clients do; only an error on a new connection counts.
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=15)
                    connection.request(
                        "PUT",
                        f"/api/v1/checkins/{day}/",
                        body=body,
                        headers={
                            "Authorization": f"Token {patient['token']}",
                            "Content-Type": "application/json",
                        },
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    retry_after = min(float(response.getheader("Retry-After") or 1), 5.0)
                    if response.getheader("Connection", "").lower() == "close":
                        connection.close()
                        connection = None
                    break
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                    if connection is not None:
                        connection.close()
                    connection = None
                    if fresh:
                        break
            tally.count(status, time.monotonic())
            if status in (200, 201):
                with tally.lock:
                    tally.acknowledged[(patient["id"], day)] = note
                    tally.saved += 1
                break
            time.sleep(retry_after * rng.uniform(0.5, 1.0))
        time.sleep(THINK_SECONDS * rng.uniform(0.5, 1.5))
    if connection is not None:
        connection.close()


def run_load(server, patients, fault):
    """Load for SECONDS, calling ``fault()`` half way; returns the tally and the fault's (start, end)."""
    tally = Tally()
    started = time.monotonic()
    stop_at = started + SECONDS
    give_up_at = stop_at + DRAIN_SECONDS
    threads = [
        threading.Thread(
            target=patient_loop, args=(server.port, p, tally, stop_at, give_up_at, n), daemon=True
        )
        for n, p in enumerate(patients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 2)
    fault_started = time.monotonic()
    fault()
    fault_ended = time.monotonic()
    for thread in threads:
        thread.join(timeout=max(1, give_up_at - time.monotonic() + 20))
    assert not any(thread.is_alive() for thread in threads), "a patient thread did not finish in time"
    return tally, (fault_started, fault_ended)


def lost_writes(db_url, tally):
    """Acknowledged check-ins whose row is missing or does not hold the last acknowledged value."""
    conn = psycopg2.connect(db_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT patient_id, date, note FROM checkins_checkin")
            stored = {(patient, day.isoformat()): note for patient, day, note in cursor.fetchall()}
    finally:
        conn.close()
    return sum(1 for key, note in tally.acknowledged.items() if stored.get(key) != note)


@pytest.fixture
def stack():
    """PostgreSQL and Redis of the test's own, migrated, with the patients; Vida under gunicorn on them."""
    postgres, redis, server = ThrowawayPostgres(), OwnRedis(), None
    try:
        postgres.start()
        redis.start()
        env = production_environment(postgres.url, redis.port)
        manage(env, "migrate", "--noinput")
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.reliability.seed", str(PATIENTS)],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "vida.settings"},
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        patients = json.loads(seeded.stdout.strip().splitlines()[-1])
        server = Gunicorn(env).start()
        yield postgres, redis, server, patients
    finally:
        if server is not None:
            server.stop()
        redis.stop()
        postgres.stop()


def test_redis_stopped_half_way_fails_no_check_in(stack):
    postgres, redis, server, patients = stack
    tally, _ = run_load(server, patients, fault=redis.stop)
    lost = lost_writes(postgres.url, tally)
    server_errors = sum(n for s, n in tally.statuses.items() if isinstance(s, int) and s >= 500)
    report(
        f"load, Redis stopped at {SECONDS // 2} s: {PATIENTS} patients, {SECONDS} s, {tally.requests} requests, "
        f"{server_errors} 5xx, {tally.saved} check-ins saved, {tally.failed} failed, {lost} lost writes; statuses {tally.statuses}"
    )
    assert tally.failed == 0 and lost == 0
    assert set(tally.statuses) <= {200, 201}, tally.statuses


def test_postgres_restarted_half_way_answers_only_503_and_loses_nothing(stack):
    postgres, _, server, patients = stack
    workers_before = server.worker_pids()

    def restart():  # down for a few seconds, not just the blink of pg_ctl restart
        postgres.ctl("stop")
        time.sleep(DOWN_SECONDS)
        postgres.ctl("start")

    tally, (fault_started, fault_ended) = run_load(server, patients, fault=restart)
    lost = lost_writes(postgres.url, tally)
    error_statuses = {status for _, status in tally.errors_at}
    outside = [at for at, _ in tally.errors_at if not fault_started - 1 <= at <= fault_ended + 10]
    after = [at for at, _ in tally.errors_at if at > fault_ended]
    server_errors = sum(n for s, n in tally.statuses.items() if isinstance(s, int) and s >= 500)
    report(
        f"load, PostgreSQL restarted at {SECONDS // 2} s ({fault_ended - fault_started:.1f} s down): {PATIENTS} patients, "
        f"{SECONDS} s, {tally.requests} requests, {server_errors} 5xx (all 503: {error_statuses <= {503}}), "
        f"{tally.saved} check-ins saved, {tally.failed} failed, {lost} lost writes; "
        f"last error {max(after) - fault_ended if after else 0:.1f} s after the restart; statuses {tally.statuses}"
    )
    assert error_statuses <= {503}, tally.statuses
    assert outside == [], "errors outside the restart window"
    assert tally.failed == 0 and lost == 0
    assert server.worker_pids() == workers_before, "the app was restarted"
