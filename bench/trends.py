"""trends: GET /api/v1/trends/?days=365 against the same answer served precomputed, in one run.

    make bench BENCH=trends  [BENCH_ARGS="--requests 400"]

One patient with a year of check-ins, flares and completed stretch sessions.
The real endpoint computes the figures (the summary and flags in one query,
then check-ins, flares and sessions per day, then the patterns in Python);
the plain endpoint (bench/views.py: PlainTrends) has the same authentication
and rendering and returns the same answer kept from its first request, so the
ratio of their medians is what the figures themselves cost. The query count is
read in-process with Django's test client. Goals (issue 7): at most 6 queries
and within 3x of the plain endpoint (GOAL lines); a median under 30 ms on a
quiet machine (printed).
"""

import os
import random
import statistics

from bench.common import (
    bench_database_url,
    bench_video,
    count_queries,
    fetch,
    goal_line,
    make_api_tokens,
    recreate_database,
    seed_year,
    serving,
    vacuum_analyze,
)

DAYS = 365
REAL_PATH = f"/api/v1/trends/?days={DAYS}"
PLAIN_PATH = f"/bench/trends-plain/?days={DAYS}"
GOAL_QUERIES = 6
GOAL_RATIO = 3.0
GOAL_MEDIAN_MS = 30.0


def add_arguments(parser):
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint (default 300)")
    parser.add_argument(
        "--warmup", type=int, default=30, help="untimed requests per endpoint first (default 30)"
    )


def run(args):
    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    print("Preparing a patient with a year of check-ins, flares and sessions ...", flush=True)
    recreate_database(db_url)
    token = seed()
    queries = count_queries(REAL_PATH, token)
    print(f"queries per request of {REAL_PATH}: {queries}")

    headers = {"Authorization": f"Token {token}"}
    with serving(db_url, "trends") as base:
        for _ in range(args.warmup):
            fetch(base + REAL_PATH, headers), fetch(base + PLAIN_PATH, headers)
        real, plain = [], []
        # Interleaved, so both endpoints see the same machine.
        for _ in range(args.requests):
            real.append(fetch(base + REAL_PATH, headers))
            plain.append(fetch(base + PLAIN_PATH, headers))

    real_median, plain_median = statistics.median(real), statistics.median(plain)
    ratio = real_median / plain_median
    print(f"real   GET {REAL_PATH}: median {real_median:.1f} ms, p99 {percentile(real, 99):.1f} ms")
    print(
        f"plain  GET {PLAIN_PATH} (same answer, kept): median {plain_median:.1f} ms, p99 {percentile(plain, 99):.1f} ms"
    )
    print(
        f"median {real_median:.1f} ms against the goal of under {GOAL_MEDIAN_MS:.0f} ms on a quiet machine "
        f"(load average {os.getloadavg()[0]:.2f} now)"
    )
    goals = [
        (
            queries <= GOAL_QUERIES,
            goal_line("trends_queries", queries, f"<= {GOAL_QUERIES}", queries <= GOAL_QUERIES),
        ),
        (
            ratio <= GOAL_RATIO,
            goal_line("trends_vs_plain", f"{ratio:.2f}x", f"<= {GOAL_RATIO:g}x", ratio <= GOAL_RATIO),
        ),
    ]
    for _, line in goals:
        print(line)
    return all(met for met, _ in goals)


def seed():
    """The bench patient: 365 days of check-ins, a flare most weeks, a session most days. Returns a token."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    patient = User.objects.create(
        username="bench-trends", role=User.Role.PATIENT, password=make_password(None)
    )
    seed_year(patient, [bench_video()], random.Random(7), days=DAYS)
    (token,) = make_api_tokens([patient])
    vacuum_analyze()
    return token


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
