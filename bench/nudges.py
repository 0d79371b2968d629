"""nudges: one dispatch pass for 100,000 due patients across 30 time zones, sent by 2 workers, against a plain loop.

    make bench BENCH=nudges  [BENCH_ARGS="--patients 20000"]

On a database of its own (``<DATABASE_URL's name>_bench``) and the Redis of
CELERY_BROKER_URL: seeds the patients, all due now (reminder at 00:00, no quiet
hours, in 30 zones none of which is near midnight), then

1. the plain loop: one process builds each patient's reminder email with the
   same function the workers use and sends it through the same backend;
2. the fan-out: one dispatch pass (nudges.dispatch.run_pass: the due-selection
   query, the outbox rows, the batches handed to Redis), then 2 Celery worker
   processes (solo pool) claim, send and record every email; timed from the
   start of the pass until the backend has seen every email;
3. a second dispatch pass, which must record and send nothing.

The email backend (bench/mail.py) serialises each message as SMTP would and
logs its Message-ID, so "exactly once" is counted at the backend, not taken
from the outbox's own bookkeeping.
"""

import collections
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zoneinfo
from pathlib import Path

from bench.common import (
    RESULTS_DIR,
    ROOT,
    CpuMeter,
    bench_database_url,
    git_commit,
    goal_line,
    recreate_database,
    server_environment,
    vacuum_analyze,
)

GOAL_RATIO = 3.0
BACKEND = "bench.mail.CountingBackend"
# Real zones with offsets from UTC-10 to UTC+13, half and quarter hours included.
CANDIDATE_ZONES = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Paris",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Australia/Eucla",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
    "America/Bogota",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Europe/Istanbul",
    "Asia/Singapore",
]


def add_arguments(parser):
    parser.add_argument("--patients", type=int, default=100_000, help="due patients (default 100000)")
    parser.add_argument("--zones", type=int, default=30, help="time zones they live in (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")


def run(args):
    started = time.monotonic()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis"):
        sys.exit("The nudges bench runs on Redis: set CELERY_BROKER_URL=redis://... (make bench does).")
    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    mail_root = Path(tempfile.mkdtemp(prefix="vida-bench-mail-"))
    (mail_root / "loop").mkdir()
    (mail_root / "workers").mkdir()
    os.environ.update(DJANGO_EMAIL_BACKEND=BACKEND, VIDA_BENCH_MAIL_DIR=str(mail_root / "loop"))

    print(f"Preparing database {db_url.rsplit('/', 1)[1]} with {args.patients:,} patients ...", flush=True)
    recreate_database(db_url)
    zones = choose_zones(args.zones)
    seconds = seed(args.patients, zones)
    print(f"  seeded in {seconds:.1f} s: {len(zones)} zones, from {zones[0]} to {zones[-1]}", flush=True)

    from nudges import dispatch
    from nudges.models import Nudge, Status

    print("Plain loop: build and send every reminder in this process ...", flush=True)
    workers = []
    cpu = CpuMeter(db_url, lambda: [os.getpid(), *(worker.pid for worker in workers)])
    before = cpu.snapshot()
    loop_seconds, loop_sent = plain_loop()
    loop_cpu = cpu.used(before, cpu.snapshot()) if cpu.available else None
    print(f"  {loop_sent:,} emails in {loop_seconds:.1f} s ({loop_sent / loop_seconds:,.0f}/s)", flush=True)

    print(f"Fan-out: one dispatch pass, {args.workers} worker processes ...", flush=True)
    workers = start_workers(args.workers, db_url, broker, mail_root / "workers")
    try:
        before = cpu.snapshot()
        t0 = time.monotonic()
        first = dispatch.run_pass()
        dispatch_seconds = time.monotonic() - t0
        print(f"  dispatch pass: {dispatch_seconds:.1f} s ({first})", flush=True)
        counter = DeliveryCounter(mail_root / "workers")
        stalled = counter.wait_for(first.recorded, workers)
        fanout_seconds = time.monotonic() - t0
        fanout_cpu = cpu.used(before, cpu.snapshot()) if cpu.available else None
        print(
            f"  all delivered {fanout_seconds:.1f} s after the pass began ({counter.total / fanout_seconds:,.0f}/s)",
            flush=True,
        )
        second = dispatch.run_pass()
        time.sleep(2)  # anything a second pass handed over would reach the backend now
        counter.read()
    finally:
        stop_workers(workers)
        cpu.close()

    shutil.rmtree(mail_root, ignore_errors=True)
    statuses = collections.Counter(Nudge.objects.values_list("status", flat=True))
    once = set(counter.ids.values()) == {1}
    twice = sum(n - 1 for n in counter.ids.values())
    second_sent = second.recorded + second.enqueued
    exactly_once = (
        not stalled
        and first.recorded == args.patients
        and len(counter.ids) == first.recorded
        and once
        and second_sent == 0
        and statuses.get(Status.SENT) == args.patients
    )
    ratio = fanout_seconds / loop_seconds
    record = {
        "measure": "nudges",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "patients": args.patients,
        "zones": zones,
        "workers": args.workers,
        "loop_seconds": round(loop_seconds, 2),
        "dispatch_seconds": round(dispatch_seconds, 2),
        "fanout_seconds": round(fanout_seconds, 2),
        "ratio": round(ratio, 3),
        "cpu_ms_per_email": {
            "loop": _per_email(loop_cpu, loop_sent),
            "fanout": _per_email(fanout_cpu, first.recorded),
        },
        "load_average": os.getloadavg(),
        "due": first.recorded,
        "delivered": len(counter.ids),
        "delivered_twice": twice,
        "second_pass": {"recorded": second.recorded, "enqueued": second.enqueued},
        "statuses": dict(statuses),
        "total_seconds": round(time.monotonic() - started, 1),
    }
    (RESULTS_DIR / "nudges-latest.json").write_text(json.dumps(record, indent=2) + "\n")
    with (RESULTS_DIR / "nudges-history.jsonl").open("a") as history:
        history.write(json.dumps(record) + "\n")

    print()
    print(f"plain loop   {loop_seconds:7.1f} s  {args.patients:,} emails, one process")
    print(
        f"dispatch     {dispatch_seconds:7.1f} s  due selection in SQL, {first.recorded:,} outbox rows, {first.batches} batches to Redis"
    )
    print(
        f"fan-out      {fanout_seconds:7.1f} s  from the start of the pass until the backend had every email ({args.workers} workers)"
    )
    print(f"ratio        {ratio:7.2f}   fan-out / plain loop")
    print(
        f"CPU/email    loop {_per_email(loop_cpu, loop_sent)} ms, fan-out {_per_email(fanout_cpu, first.recorded)} ms "
        "(processes and their PostgreSQL backends; steadier than wall time on a shared machine)"
    )
    print(
        f"delivered    {len(counter.ids):,} distinct emails for {first.recorded:,} due, {twice} twice; second pass: {second}"
    )
    print(f"outbox       {dict(statuses)}")
    print(f"\nWritten to {(RESULTS_DIR / 'nudges-latest.json').relative_to(ROOT)}")
    print(
        goal_line(
            "nudges_exactly_once",
            f"{len(counter.ids):,} sent of {first.recorded:,} due, {twice} twice, second pass {second_sent}",
            f"sent = due = {args.patients:,}, none twice, second pass 0",
            exactly_once,
        )
    )
    print(goal_line("nudges_vs_loop", f"{ratio:.2f}x", f"<= {GOAL_RATIO:.0f}x", ratio <= GOAL_RATIO))
    return exactly_once and ratio <= GOAL_RATIO


# --- set-up ---------------------------------------------------------------------------------------


def choose_zones(count):
    """``count`` zones where it is not within 45 minutes of midnight: no local day turns during the run."""
    now = dt.datetime.now(dt.UTC)
    chosen = []
    for name in CANDIDATE_ZONES:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        minutes = local.hour * 60 + local.minute
        if 45 <= minutes <= 24 * 60 - 45:
            chosen.append(name)
    if len(chosen) < count:
        sys.exit(
            f"Only {len(chosen)} of the candidate zones are away from midnight now; ask for fewer --zones."
        )
    return chosen[:count]


def seed(count, zones):
    """Patients spread over ``zones``, each due now: reminder at 00:00, no quiet hours, joined just now."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from nudges.models import NudgePreferences

    t0 = time.monotonic()
    no_password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-{i:06d}",
                email=f"bench-{i:06d}@example.org",
                role=User.Role.PATIENT,
                timezone=zones[i % len(zones)],
                password=no_password,
            )
            for i in range(count)
        ],
        batch_size=5000,
    )
    midnight = dt.time(0, 0)
    NudgePreferences.objects.bulk_create(
        [
            NudgePreferences(
                user=u, reminder_time=midnight, quiet_hours_start=midnight, quiet_hours_end=midnight
            )
            for u in users
        ],
        batch_size=5000,
    )
    vacuum_analyze()
    return time.monotonic() - t0


def plain_loop():
    """Every patient's reminder, built by nudges.emails.nudge_email and sent one by one: no outbox, no broker."""
    from django.core.mail import get_connection

    from accounts.models import User
    from nudges.emails import nudge_email
    from nudges.models import Kind, Nudge

    connection = get_connection()
    t0 = time.monotonic()
    sent = 0
    for user in User.objects.filter(role=User.Role.PATIENT).order_by("pk").iterator(chunk_size=2000):
        nudge = Nudge(
            id=uuid.uuid4(), recipient=user, kind=Kind.CHECKIN_REMINDER, local_date=user.local_today()
        )
        sent += connection.send_messages([nudge_email(nudge)])
    return time.monotonic() - t0, sent


def start_workers(count, db_url, broker, mail_dir):
    from vida.celery import app

    app.control.purge()  # nothing left over from an earlier run on this broker
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIDA_", "CELERY_", "EMAIL_"))}
    env.update(server_environment(db_url))
    env.update(CELERY_BROKER_URL=broker, DJANGO_EMAIL_BACKEND=BACKEND, VIDA_BENCH_MAIL_DIR=str(mail_dir))
    log = (RESULTS_DIR / "nudges-workers.log").open("w")
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vida",
                "worker",
                "--pool=solo",
                "--loglevel=warning",
                f"--hostname=bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for n in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return workers
        if any(w.poll() is not None for w in workers):
            break
    stop_workers(workers)
    sys.exit(f"The workers did not start; see {RESULTS_DIR / 'nudges-workers.log'}")


def stop_workers(workers):
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


class DeliveryCounter:
    """Reads the backend's per-process logs as they grow: Message-ID -> times delivered."""

    def __init__(self, folder):
        self.folder = folder
        self.offsets = {}
        self.ids = collections.Counter()

    @property
    def total(self):
        return sum(self.ids.values())

    def read(self):
        for path in self.folder.glob("*.log"):
            with path.open() as log:
                log.seek(self.offsets.get(path, 0))
                chunk = log.read()
            complete = chunk[: chunk.rfind("\n") + 1]
            self.offsets[path] = self.offsets.get(path, 0) + len(complete)
            self.ids.update(line.split(" ", 1)[0] for line in complete.splitlines())

    def wait_for(self, expected, workers, stall_seconds=60):
        """Until ``expected`` emails are in; True if delivery stalled (or a worker died) first."""
        last_total, last_change = -1, time.monotonic()
        while True:
            self.read()
            if self.total >= expected:
                return False
            if self.total != last_total:
                last_total, last_change = self.total, time.monotonic()
            if time.monotonic() - last_change > stall_seconds or any(w.poll() is not None for w in workers):
                print(f"  stalled at {self.total:,} of {expected:,}", flush=True)
                return True
            time.sleep(0.1)


def _per_email(seconds, count):
    return None if seconds is None or not count else round(1000 * seconds / count, 3)
