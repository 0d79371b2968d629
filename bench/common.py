"""What every measure of `make bench` shares: the bench database, a gunicorn of the app, goal lines.

Each measure (bench/<name>.py) runs in a process of its own, so Django is set up
once per measure against the bench database ``<name of DATABASE_URL's db>_bench``,
which is dropped and made afresh every run: the figures never depend on what a
developer's own database holds, and the bench never touches it.
"""

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
WORKERS = 2


def goal_line(name, figure, goal, met):
    """The one line per goal that `make bench` ends a measure with, e.g.
    ``GOAL trends_queries: 5 (goal <= 6) met``. Only figures that do not depend
    on how busy the machine is (counts, ratios measured in the same run) get one."""
    return f"GOAL {name}: {figure} (goal {goal}) {'met' if met else 'missed'}"


def bench_database_url(url):
    """DATABASE_URL with the database renamed `<name>_bench`: the bench never touches the real one."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(
            "The bench runs on PostgreSQL: set DATABASE_URL=postgres://... "
            "(make bench uses postgres://postgres@127.0.0.1:5432/vida, so the bench database is vida_bench)."
        )
    name = parts.path.lstrip("/") or "vida"
    if not name.endswith("_bench"):
        name += "_bench"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def maintenance_connection(url):
    """A connection to the server's `postgres` database, in autocommit."""
    import psycopg2

    parts = urllib.parse.urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def server_environment(db_url):
    """Development settings without debug, the bench endpoint on, logging quiet."""
    return {
        "VIDA_ENV": "development",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "VIDA_BENCH_ENDPOINTS": "1",
        "DATABASE_URL": db_url,
    }


def make_api_tokens(users):
    """An API token for each user, made in bulk as the token endpoint makes one (knox: digest stored, expiring).

    Returns the token strings, in the order of ``users``. Bench patients only:
    no second factor is recorded.
    """
    from django.utils import timezone
    from knox.models import get_digest_token
    from knox.settings import CONSTANTS, knox_settings

    from security.models import AuthToken

    expiry = timezone.now() + knox_settings.TOKEN_TTL
    rows, tokens = [], []
    for user in users:
        digest, token = get_digest_token()
        rows.append(
            AuthToken(digest=digest, token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH], user=user, expiry=expiry)
        )
        tokens.append(token)
    AuthToken.objects.bulk_create(rows, batch_size=2000)
    return tokens


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(server):
    if server.poll() is None:
        server.terminate()  # gunicorn's graceful shutdown: the master stops its workers
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def tail(path, lines=20):
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class CpuMeter:
    """CPU seconds used by some processes and the PostgreSQL backends serving the bench database.

    Throughput moves with whatever else the machine runs; the CPU a request costs
    the server moves much less, so CPU per request is the cross-check for a noisy
    run. ``processes()`` names the processes to count, asked afresh at each
    snapshot (workers come and go). Read from /proc (Linux); where it is missing
    the figures are left out (``available`` is False).
    """

    def __init__(self, db_url, processes):
        self.processes = processes
        self.db_name = urllib.parse.urlsplit(db_url).path.lstrip("/")
        self.available = Path("/proc/self/stat").exists()
        self.admin = maintenance_connection(db_url) if self.available else None

    def snapshot(self):
        """{pid: cpu seconds} for the processes and the bench database's backends."""
        if not self.available:
            return {}
        pids = set(self.processes())
        with self.admin.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.db_name],
            )
            pids.update(pid for (pid,) in cursor.fetchall())
        ticks = os.sysconf("SC_CLK_TCK")
        usage = {}
        for pid in pids:
            fields = self._fields(Path(f"/proc/{pid}/stat"))
            if fields:
                usage[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        return usage

    @staticmethod
    def _fields(stat_path):
        """The fields of /proc/<pid>/stat after the command name: state, ppid, ..., utime is [11]."""
        try:
            return stat_path.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None

    @staticmethod
    def used(before, after):
        """CPU seconds between two snapshots (a backend that closed meanwhile loses its last share)."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def close(self):
        if self.admin is not None:
            self.admin.close()


def server_processes(server):
    """For CpuMeter: a gunicorn master (a Popen) and its workers."""

    def pids():
        found = {server.pid}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            fields = CpuMeter._fields(stat)
            if fields and int(fields[1]) == server.pid:
                found.add(int(stat.parent.name))
        return found

    return pids


def git_commit():
    try:

        def git(*args):
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

        return git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain") else "")
    except OSError:
        return None


def recreate_database(url):
    """Drop and create the bench database, then set up Django on it and migrate."""
    from psycopg2 import sql

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = maintenance_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def setup_django(url):
    os.environ.update(server_environment(url))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vida.settings")
    import django

    django.setup()


def vacuum_analyze():
    """Fresh planner statistics after seeding, and no autovacuum of the seed mid-run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def start_gunicorn(db_url, port, log_path, workers=WORKERS):
    # The caller's DJANGO_* and VIDA_* settings stay out: the bench measures the defaults.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIDA_"))}
    env.update(server_environment(db_url))
    log = log_path.open("w")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vida.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
            "--no-control-socket",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: Ctrl-C reaches us, and we stop it
    )


def wait_until_up(server, base, log_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /healthz within {timeout} s:\n{tail(log_path)}")


# The bench clinician's authenticator key (a bench database only; never a real account's).
BENCH_TOTP_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"


def second_factor(user):
    """The authenticator device of a clinician or staff bench user, None for a patient."""
    from security.second_factor import give_fixed_app_device

    return give_fixed_app_device(user, BENCH_TOTP_SECRET) if user.needs_second_factor else None


def api_token(user):
    """An API token for ``user`` made as the token endpoint makes it, after the second factor where needed."""
    from security.tokens import issue_token

    return issue_token(user, second_factor(user))[1]


def count_queries(path, token):
    """Queries of one GET of ``path``, in-process, after a first one has warmed the connection."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def fetch(url, headers=None):
    """Milliseconds from sending a GET to reading the whole answer; exits on anything but 200."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:
        reply.read()
        if reply.status != 200:
            raise SystemExit(f"{url} answered {reply.status}")
    return (time.perf_counter() - started) * 1000


@contextmanager
def serving(db_url, name, workers=WORKERS):
    """gunicorn on a free port for the length of the block; yields its base URL.

    Its log is bench/results/gunicorn-<name>.log; it is stopped whatever happens.
    """
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = RESULTS_DIR / f"gunicorn-{name}.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(db_url, port, log, workers=workers)
    try:
        wait_until_up(server, base, log)
        yield base
    finally:
        stop(server)


def bench_video(slug="bench-stretch", title="Bench stretch", region="hip_flexors"):
    """A published library entry whose files are never fetched (no media is written)."""
    from stretches.models import StretchVideo

    return StretchVideo.objects.create(
        title=title,
        slug=slug,
        region=region,
        duration_seconds=60,
        video_mp4=f"stretches/{slug}/video.mp4",
        captions=f"stretches/{slug}/captions.vtt",
        published=True,
    )


def seed_year(patient, videos, rng, days=365, rated=False):
    """``days`` of check-ins ending today, a flare most weeks, a completed session most days.

    The hip drifts from day to day and the back follows it within two points; sitting runs
    2 to 10 hours. ``rated`` sessions carry before and after pains, so relief can be ranked.
    """
    from checkins.models import CheckIn, Flare
    from stretches.models import StretchSession

    today = patient.local_today()
    checkins, flares, sessions = [], [], []
    for n in range(days):
        day = today - dt.timedelta(days=n)
        hip = rng.randint(1, 8)
        back = max(0, min(10, hip + rng.randint(-2, 2)))
        checkins.append(
            CheckIn(
                patient=patient, date=day, back_pain=back, hip_pain=hip, sitting_hours=rng.randint(4, 20) / 2
            )
        )
        evening = dt.datetime.combine(day, dt.time(19), tzinfo=patient.zone)
        if rng.random() < 0.15:
            flares.append(Flare(patient=patient, occurred_at=evening, region="back", intensity=7))
        if rng.random() < 0.6:
            pains = {}
            if rated:
                before = rng.randint(3, 8)
                pains = {
                    "back_pain_before": before,
                    "back_pain_after": max(0, before - rng.randint(0, 3)),
                    "hip_pain_before": before,
                    "hip_pain_after": max(0, before - rng.randint(0, 3)),
                }
            sessions.append(
                StretchSession(
                    patient=patient,
                    video=rng.choice(videos),
                    started_at=evening,
                    watched_seconds=60,
                    completed=True,
                    **pains,
                )
            )
    CheckIn.objects.bulk_create(checkins)
    Flare.objects.bulk_create(flares)
    StretchSession.objects.bulk_create(sessions)
