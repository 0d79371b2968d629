"""clinic: the clinic list of 1,000 linked patients with a year of check-ins each, against hand-written SQL.

    make bench BENCH=clinic  [BENCH_ARGS="--requests 40"]

One clinician linked to 1,000 patients in 30 time zones, each with 365 days of
check-ins (365,000 rows), about 60 completed stretch sessions and a screening
(some with an unreviewed red flag). Measured in the same run:

- the query count of GET /api/v1/clinician/patients/ (in-process, Django's test
  client), goal at most 10: GOAL clinic_queries;
- the median server time of GET /api/v1/clinician/patients/ and of /clinic/
  under gunicorn (50 a page, ranked worst first over all 1,000, the access-log
  INSERT included), goal under 150 ms on a quiet machine (printed);
- the median of one hand-written SQL query computing the same figures and flags
  over the same patients, ranked and cut to the same page (per-patient local
  today, LATERAL with FILTER), run with psycopg2 on the same database; goal:
  the API within 2x of it: GOAL clinic_vs_sql.
"""

import datetime as dt
import io
import os
import random
import statistics
import time
import uuid
from zoneinfo import ZoneInfo

from bench.common import (
    api_token,
    bench_database_url,
    count_queries,
    fetch,
    goal_line,
    recreate_database,
    second_factor,
    serving,
    vacuum_analyze,
)

PATIENTS = 1000
DAYS = 365
ZONES = [
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Athens",
    "Africa/Nairobi",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
    "America/Argentina/Buenos_Aires",
]
API_PATH = "/api/v1/clinician/patients/"
PAGE_PATH = "/clinic/"
GOAL_QUERIES = 10
GOAL_RATIO = 2.0
GOAL_MEDIAN_MS = 150.0

# The same figures, flags and ranking as checkins.trends + careteam.clinic, written by hand.
HAND_WRITTEN_SQL = """
WITH p AS MATERIALIZED (  -- each patient's local today computed once, not in every condition
    SELECT u.id, u.public_id, u.display_name, u.username, u.timezone,
           (now() AT TIME ZONE u.timezone)::date AS today
    FROM accounts_user u
    WHERE u.role = 'patient' AND u.is_active AND EXISTS (
        SELECT 1 FROM careteam_carelink l
        WHERE l.patient_id = u.id AND l.clinician_id = %(clinician)s AND l.unlinked_at IS NULL)
), figures AS (
    SELECT p.*, w.*, b.*, last.last_checkin, s.sessions_7d,
        EXISTS (
            SELECT 1 FROM screening_screeningresponse r
            WHERE r.patient_id = p.id AND r.urgency <> 'none' AND r.reviewed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM screening_screeningresponse later
                              WHERE later.patient_id = p.id AND later.created_at > r.created_at)
        ) AS red_flag
    FROM p
    LEFT JOIN LATERAL (
        SELECT avg(c.back_pain) FILTER (WHERE c.date > p.today - 7) AS back_7d,
               avg(c.hip_pain) FILTER (WHERE c.date > p.today - 7) AS hip_7d,
               avg(c.back_pain) FILTER (WHERE c.date <= p.today - 7) AS back_prev,
               avg(c.hip_pain) FILTER (WHERE c.date <= p.today - 7) AS hip_prev,
               count(*) AS checkins_14d
        FROM checkins_checkin c
        WHERE c.patient_id = p.id AND c.date > p.today - 14 AND c.date <= p.today
    ) w ON true
    LEFT JOIN LATERAL (
        SELECT min(f.date) AS first_day FROM checkins_checkin f WHERE f.patient_id = p.id
    ) first ON true
    LEFT JOIN LATERAL (
        SELECT avg(c.back_pain) AS back_base, avg(c.hip_pain) AS hip_base
        FROM checkins_checkin c
        WHERE c.patient_id = p.id AND c.date >= first.first_day AND c.date < first.first_day + 7
    ) b ON true
    LEFT JOIN LATERAL (
        SELECT max(c.date) AS last_checkin FROM checkins_checkin c WHERE c.patient_id = p.id
    ) last ON true
    LEFT JOIN LATERAL (
        SELECT count(*) AS sessions_7d FROM stretches_stretchsession s
        WHERE s.patient_id = p.id AND s.completed
          AND s.started_at >= ((p.today - 6)::timestamp AT TIME ZONE p.timezone)
    ) s ON true
)
SELECT public_id, display_name, back_7d, hip_7d, back_prev, hip_prev, back_base, hip_base,
       checkins_14d, sessions_7d, last_checkin, red_flag,
       coalesce(back_7d >= back_prev + 2 OR hip_7d >= hip_prev + 2, false) AS worsening,
       (last_checkin IS NULL OR last_checkin <= today - 3) AS no_recent_checkin,
       coalesce((back_base > 0 AND back_7d <= back_base * 0.7 OR hip_base > 0 AND hip_7d <= hip_base * 0.7)
                AND back_7d <= back_base AND hip_7d <= hip_base, false) AS improving
FROM figures
ORDER BY red_flag DESC, worsening DESC, no_recent_checkin DESC, back_7d DESC NULLS LAST, display_name, username
LIMIT 50
"""


def add_arguments(parser):
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint (default 30)")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed requests per endpoint first (default 3)"
    )


def run(args):
    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    print(
        f"Preparing {PATIENTS} patients x {DAYS} days of check-ins, sessions and screenings ...", flush=True
    )
    started = time.monotonic()
    recreate_database(db_url)
    clinician = seed()
    print(f"  seeded in {time.monotonic() - started:.0f} s", flush=True)
    token, session_cookie = credentials(clinician)
    queries = count_queries(API_PATH, token)
    print(f"queries per request of {API_PATH}: {queries}")

    api_headers = {"Authorization": f"Token {token}"}
    page_headers = {"Cookie": f"sessionid={session_cookie}"}
    with serving(db_url, "clinic") as base:
        for _ in range(args.warmup):
            fetch(base + API_PATH, api_headers), fetch(base + PAGE_PATH, page_headers)
            hand_written_sql(clinician.pk)
        api_ms, page_ms, sql_ms = [], [], []
        for _ in range(args.requests):  # interleaved, so all three see the same machine
            api_ms.append(fetch(base + API_PATH, api_headers))
            page_ms.append(fetch(base + PAGE_PATH, page_headers))
            sql_ms.append(hand_written_sql(clinician.pk))

    api, page, sql = statistics.median(api_ms), statistics.median(page_ms), statistics.median(sql_ms)
    ratio = api / sql
    print(f"API    GET {API_PATH}: median {api:.0f} ms, max {max(api_ms):.0f} ms")
    print(f"page   GET {PAGE_PATH}: median {page:.0f} ms, max {max(page_ms):.0f} ms")
    print(f"hand-written SQL (same figures, ranked, one page): median {sql:.0f} ms")
    print(
        f"API median {api:.0f} ms and page median {page:.0f} ms against the goal of under "
        f"{GOAL_MEDIAN_MS:.0f} ms on a quiet machine (load average {os.getloadavg()[0]:.2f} now)"
    )
    met_queries, met_ratio = queries <= GOAL_QUERIES, ratio <= GOAL_RATIO
    print(goal_line("clinic_queries", queries, f"<= {GOAL_QUERIES}", met_queries))
    print(goal_line("clinic_vs_sql", f"{ratio:.2f}x", f"<= {GOAL_RATIO:g}x", met_ratio))
    return met_queries and met_ratio


def seed():
    """The clinician and their patients; bulk rows go in with COPY. Returns the clinician."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from accounts.models import User
    from careteam.models import CareLink
    from screening import scoring
    from screening.models import ScreeningResponse
    from screening.questionnaire import CURRENT
    from stretches.models import StretchVideo

    rng = random.Random(3)
    no_password = make_password(None)
    clinician = User.objects.create(
        username="bench-clinician", role=User.Role.CLINICIAN, password=no_password
    )
    patients = User.objects.bulk_create(
        User(
            username=f"bench-{n:04d}",
            display_name=f"Patient {n:04d}",
            role=User.Role.PATIENT,
            timezone=ZONES[n % len(ZONES)],
            password=no_password,
        )
        for n in range(PATIENTS)
    )
    CareLink.objects.bulk_create(CareLink(clinician=clinician, patient=patient) for patient in patients)
    video = StretchVideo.objects.create(
        title="Bench stretch",
        slug="bench-stretch",
        region="hip_flexors",
        duration_seconds=60,
        video_mp4="stretches/bench/video.mp4",
        captions="stretches/bench/captions.vtt",
        published=True,
    )
    now = dt.datetime.now(dt.UTC)
    checkins, sessions = io.StringIO(), io.StringIO()
    responses = []
    for patient in patients:
        today = now.astimezone(ZoneInfo(patient.timezone)).date()
        level = rng.uniform(2, 7)
        trend = rng.choice([-0.01, 0, 0, 0.005])
        for n in range(DAYS):
            day = today - dt.timedelta(days=DAYS - 1 - n)
            back = max(0, min(10, round(level + trend * n + rng.gauss(0, 1))))
            hip = max(0, min(10, back + rng.choice([-1, 0, 1])))
            checkins.write(
                f"{patient.pk}\t{day}\t{back}\t{hip}\t{rng.randint(4, 20) / 2}\t\\N\t\\N\t\t\t{now}\t{now}\n"
            )
            if rng.random() < 0.17:
                started = dt.datetime.combine(day, dt.time(19), tzinfo=ZoneInfo(patient.timezone))
                sessions.write(f"{uuid.uuid4()}\t{patient.pk}\t{video.pk}\t{started}\t60\tt\t{now}\n")
        answers = {question.id: False for question in CURRENT.questions}
        answers.update(sitting_worse=True, leading_region="hip", night_pain=rng.random() < 0.05)
        result = scoring.score(answers)
        responses.append(
            ScreeningResponse(
                patient=patient,
                version=CURRENT.version,
                answers=answers,
                hip_pattern_score=result.hip_pattern_score,
                hip_component=result.hip_component,
                leading_region=result.leading_region,
                red_flags=list(result.red_flags),
                urgency=result.urgency,
                explanation=list(result.explanation),
                created_at=now - dt.timedelta(days=rng.randint(1, 100)),
            )
        )
    ScreeningResponse.objects.bulk_create(responses, batch_size=500)
    with connection.cursor() as cursor:
        checkins.seek(0)
        cursor.copy_expert(
            "COPY checkins_checkin (patient_id, date, back_pain, hip_pain, sitting_hours, worse_after_sitting, "
            "eased_by_walking, first_region, note, created_at, updated_at) FROM STDIN",
            checkins,
        )
        sessions.seek(0)
        cursor.copy_expert(
            "COPY stretches_stretchsession (id, patient_id, video_id, started_at, watched_seconds, completed, "
            "updated_at) FROM STDIN",
            sessions,
        )
    vacuum_analyze()
    return clinician


def credentials(clinician):
    """An API token and a signed-in session for the clinician, made the way sign-in makes them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(clinician.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = clinician.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = second_factor(
        clinician
    ).persistent_id  # signed in past the second factor
    session.create()
    return api_token(clinician), session.session_key


def hand_written_sql(clinician_id):
    """Milliseconds to run the hand-written query and read its page of rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(HAND_WRITTEN_SQL, {"clinician": clinician_id})
        rows = cursor.fetchall()
        elapsed = (time.perf_counter() - started) * 1000
    assert len(rows) == 50
    return elapsed
