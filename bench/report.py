"""report: a year's visit-ready PDF against the same year as the /history/ page, in one run.

    make bench BENCH=report  [BENCH_ARGS="--rounds 30"]

One patient with a year of check-ins, flares, rated stretch sessions and a
reviewed red flag. Both requests go through Django's test client in this one
process, one after the other, round after round, so they see the same machine:

- **report**: ``GET /api/v1/me/report/?days=365``: the trend figures, the
  screening and the relief per video (reports.build.gather), then WeasyPrint
  lays out the HTML template with its SVG chart and writes a tagged PDF;
- **page**: ``GET /history/?days=365``: the same trend figures rendered as the
  history page's HTML (cards, chart data, the table of 365 days).

Goal (issue 13): the report's median within 10x the page's (GOAL line). The
absolute medians are printed beside it, and the CPU time of each request in
this process as a cross-check on a busy machine.
"""

import io
import os
import random
import statistics
import time

from bench.common import (
    bench_database_url,
    bench_video,
    goal_line,
    recreate_database,
    seed_year,
    vacuum_analyze,
)

DAYS = 365
REPORT_PATH = f"/api/v1/me/report/?days={DAYS}"
PAGE_PATH = f"/history/?days={DAYS}"
GOAL_RATIO = 10.0


def add_arguments(parser):
    parser.add_argument("--rounds", type=int, default=15, help="timed requests of each (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests of each first (default 2)")


def run(args):
    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    print("Preparing a patient with a year of check-ins, flares, sessions and a screening ...", flush=True)
    recreate_database(db_url)
    patient = seed()

    from django.test import Client

    client = Client()
    client.force_login(patient)
    for _ in range(args.warmup):
        fetch(client, REPORT_PATH), fetch(client, PAGE_PATH)
    report, page = [], []
    for _ in range(args.rounds):
        report.append(fetch(client, REPORT_PATH))
        page.append(fetch(client, PAGE_PATH))
    pdf = client.get(REPORT_PATH).content
    pages, size = describe(pdf)

    wall = {
        name: statistics.median(t[0] for t in times) for name, times in (("report", report), ("page", page))
    }
    cpu = {
        name: statistics.median(t[1] for t in times) for name, times in (("report", report), ("page", page))
    }
    ratio = wall["report"] / wall["page"]
    print(
        f"report GET {REPORT_PATH}: median {wall['report']:.0f} ms ({cpu['report']:.0f} ms CPU), {pages} pages, {size / 1024:.0f} KiB"
    )
    print(f"page   GET {PAGE_PATH}: median {wall['page']:.1f} ms ({cpu['page']:.1f} ms CPU)")
    print(
        f"ratio report / page: {ratio:.1f}x wall-clock, {cpu['report'] / cpu['page']:.1f}x CPU "
        f"({args.rounds} rounds, load average {os.getloadavg()[0]:.2f})"
    )
    print(goal_line("report_vs_page", f"{ratio:.1f}x", f"<= {GOAL_RATIO:g}x", ratio <= GOAL_RATIO))
    return ratio <= GOAL_RATIO


def fetch(client, path):
    """(wall-clock ms, CPU ms of this process) of one request, whole answer read."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    body = response.content
    if response.status_code != 200 or not body:
        raise SystemExit(f"{path} answered {response.status_code}")
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def describe(pdf):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages), len(pdf)


def seed():
    """The bench patient: a year of days, a flare most weeks, a rated session most days, a reviewed red flag."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from screening import actions as screening_actions

    rng = random.Random(13)
    patient = User.objects.create(
        username="bench-report",
        display_name="Bench Patient",
        role=User.Role.PATIENT,
        timezone="Europe/London",
        password=make_password(None),
    )
    clinician = User.objects.create(
        username="bench-clinician",
        display_name="Dr Bench",
        role=User.Role.CLINICIAN,
        password=make_password(None),
    )
    videos = [
        bench_video(slug, title, region)
        for slug, title, region in [
            ("kneeling-hip-flexor", "Kneeling hip flexor", "hip_flexors"),
            ("knee-hug", "Knee hug", "lumbar"),
            ("cat-cow", "Cat cow", "both"),
            ("lunge", "Lunge", "hip_flexors"),
        ]
    ]
    seed_year(patient, videos, rng, days=DAYS, rated=True)
    answers = {
        **{qid: False for qid in ("bladder_bowel", "saddle_numbness", "leg_weakness", "bilateral_sciatica")},
        **{qid: False for qid in ("fever_unwell", "cancer_history", "weight_loss", "trauma")},
        "night_pain": True,
        "sitting_worse": True,
        "front_hip": True,
        "walking_better": False,
        "leading_region": "hip",
    }
    flagged = screening_actions.record_screening(patient, "hip-pattern-v1", answers)
    screening_actions.mark_reviewed(flagged, clinician)
    vacuum_analyze()
    return patient
