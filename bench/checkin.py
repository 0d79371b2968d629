"""checkin: POST /api/v1/checkins/ against a bare insert endpoint of the same app, in one run.

    make bench BENCH=checkin  [BENCH_ARGS="--rounds 3"]

Both endpoints are served by the same gunicorn (2 sync workers) on a database of
their own, and loaded by wrk with 16 connections: warm-up, then the bare insert,
the check-in API, and the bare insert again to show how much the machine drifted
meanwhile (`--rounds N` repeats the last two). The CPU the server spends per
request is read from /proc alongside, as a cross-check that other work on the
machine moves less. Prints a table and the ratio, writes bench/results/latest.json,
and appends the same record to bench/results/history.jsonl. See bench/README.md.
"""

import datetime as dt
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.common import (
    RESULTS_DIR,
    ROOT,
    WORKERS,
    CpuMeter,
    bench_database_url,
    free_port,
    git_commit,
    goal_line,
    make_api_tokens,
    recreate_database,
    server_processes,
    start_gunicorn,
    stop,
    vacuum_analyze,
    wait_until_up,
)

LUA_SCRIPT = ROOT / "bench" / "post.lua"
CONNECTIONS = 16
WRK_THREADS = 2
REAL_PATH = "/api/v1/checkins/"
BARE_PATH = "/bench/insert/"

# Every check-in POST must create a new (patient, date) row. Dates run from
# today - 13 to today (UTC, the bench patients' zone): all still inside the
# 14-day window if the date turns during the run.
DAYS = 14
# Request files are sized for this many requests per second (about 4x the bare
# insert's reference rate), so no check-in line is ever sent twice. If one is,
# the 409s show up as non-2xx and wrk's `reused` count says why.
CEILING_RPS = 5000

GOAL_RATIO = 0.70
GOAL_P99_MS = 50.0
# Beyond this change between the bare runs around a check-in run, the machine was
# not steady enough to trust the ratio.
DRIFT_TOLERANCE = 0.10

BARE_PATIENT = "bench-bare"  # bench/views.py inserts this patient's flares
SMOKE_PATIENT = "bench-smoke"


def add_arguments(parser):
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured phase (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per endpoint (default 3)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="check-in runs, each between two bare runs (default 1: bare, real, bare)",
    )


def run(args):
    """Run the measure; True when every goal is met and the run is valid."""
    started = time.monotonic()
    load_before = os.getloadavg()
    wrk = require_wrk()
    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))

    print(f"Preparing database {urllib.parse.urlsplit(db_url).path.lstrip('/')} ...", flush=True)
    real_lines = CEILING_RPS * args.duration
    warm_lines = CEILING_RPS * args.warmup
    patients = math.ceil((real_lines * args.rounds + warm_lines) / DAYS)
    tokens = prepare_database(db_url, patients)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    server_log = RESULTS_DIR / "gunicorn.log"
    with tempfile.TemporaryDirectory(prefix="vida-bench-") as scratch:
        scratch = Path(scratch)
        files = write_request_files(
            scratch, tokens[SMOKE_PATIENT], tokens["patients"], warm_lines, real_lines, args.rounds
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        print(f"Starting gunicorn ({WORKERS} sync workers) on {base} ...", flush=True)
        server, meter = start_gunicorn(db_url, port, server_log), None
        try:
            wait_until_up(server, base, server_log)
            smoke_test(base, files["smoke"])
            phases = [
                ("warm-up bare", BARE_PATH, args.warmup, files["bare"]),
                ("warm-up real", REAL_PATH, args.warmup, files["real_warmup"]),
            ]
            for n, real_file in enumerate(files["real"], start=1):
                phases.append((f"bare {n}", BARE_PATH, args.duration, files["bare"]))
                phases.append((f"real {n}", REAL_PATH, args.duration, real_file))
            phases.append((f"bare {args.rounds + 1}", BARE_PATH, args.duration, files["bare"]))
            results = []
            meter = CpuMeter(db_url, server_processes(server))
            for name, path, seconds, request_file in phases:
                print(f"  {name:<13} POST {path:<19} {seconds:>3} s ...", flush=True)
                before = meter.snapshot()
                result = run_wrk(wrk, name, base, path, seconds, request_file)
                if meter.available:
                    used = meter.used(before, meter.snapshot())
                    result["server_cpu_ms_per_request"] = round(1000 * used / max(result["requests"], 1), 3)
                results.append(result)
        finally:
            if meter is not None:
                meter.close()
            stop(server)

    record = summarise(results, args, load_before, time.monotonic() - started, server_log)
    print_report(record)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(record, indent=2) + "\n")
    with (RESULTS_DIR / "history.jsonl").open("a") as history:
        phases = [{k: v for k, v in phase.items() if k != "wrk_output"} for phase in record["phases"]]
        history.write(json.dumps({**record, "phases": phases}) + "\n")
    print(f"\nWritten to {(RESULTS_DIR / 'latest.json').relative_to(ROOT)}")
    goal = record["goal"]
    print(goal_line("checkin_ratio", f"{record['ratio']:.1%}", f">= {GOAL_RATIO:.0%}", goal["ratio_met"]))
    return record["valid"] and goal["ratio_met"]


# --- set-up ---------------------------------------------------------------------------------------


def require_wrk():
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's wrk package ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL
        )
        if wrk := shutil.which("wrk"):
            return wrk
    sys.exit("make bench needs wrk, the HTTP load generator: install it with 'sudo apt-get install wrk'.")


def prepare_database(url, patient_count):
    """Recreate the bench database, migrate it and add the bench patients.

    Dropped and made afresh every run, so the tables start empty and the schema is
    exactly what the migrations say today. Returns the patients' API tokens.
    """
    recreate_database(url)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    no_password = make_password(None)  # unusable; hashing thousands of real passwords would take minutes
    usernames = [BARE_PATIENT, SMOKE_PATIENT] + [f"bench-{i:05d}" for i in range(patient_count)]
    users = User.objects.bulk_create(
        [User(username=u, role=User.Role.PATIENT, timezone="UTC", password=no_password) for u in usernames],
        batch_size=2000,
    )
    keys = make_api_tokens(users)
    vacuum_analyze()
    return {BARE_PATIENT: keys[0], SMOKE_PATIENT: keys[1], "patients": keys[2:]}


def write_request_files(folder, smoke_token, patient_tokens, warm_lines, real_lines, rounds=1):
    """One request per line, "<token>\\t<json body>", for bench/post.lua; one check-in file per round."""
    rng = random.Random(2)
    today = dt.datetime.now(dt.UTC).date()
    dates = [(today - dt.timedelta(days=n)).isoformat() for n in range(DAYS)]
    regions = ["hip", "back", "together", "unsure", ""]
    notes = ["", "", "", "Long drive today.", "Stiff after the meeting, better after a walk."]

    def checkin(day):
        return json.dumps(
            {
                "date": day,
                "back_pain": rng.randint(0, 10),
                "hip_pain": rng.randint(0, 10),
                "sitting_hours": rng.randint(0, 24) / 2,
                "worse_after_sitting": rng.choice([True, False, None]),
                "eased_by_walking": rng.choice([True, False, None]),
                "first_region": rng.choice(regions),
                "note": rng.choice(notes),
            }
        )

    # Date by date, patient by patient: consecutive requests are different patients.
    pairs = ((token, day) for day in dates for token in patient_tokens)
    files = {name: folder / f"{name}.txt" for name in ("smoke", "real_warmup", "bare")}
    files["real"] = [folder / f"real_{n}.txt" for n in range(1, rounds + 1)]
    files["smoke"].write_text(f"{smoke_token}\t{checkin(today.isoformat())}\n")
    for path, count in [(files["real_warmup"], warm_lines)] + [(f, real_lines) for f in files["real"]]:
        with path.open("w") as out:
            for _ in range(count):
                token, day = next(pairs)
                out.write(f"{token}\t{checkin(day)}\n")
    with files["bare"].open("w") as out:
        for _ in range(real_lines):
            body = {"region": rng.choice(["back", "hip", "both"]), "intensity": rng.randint(0, 10)}
            out.write(f"\t{json.dumps(body)}\n")
    return files


# --- the server -----------------------------------------------------------------------------------


def smoke_test(base, smoke_file):
    """One request to each endpoint before loading them: a 4xx here would make the figures meaningless."""
    token, body = smoke_file.read_text().rstrip("\n").split("\t", 1)
    for path, headers, data in (
        (REAL_PATH, {"Authorization": f"Token {token}"}, body),
        (BARE_PATH, {}, json.dumps({"region": "back", "intensity": 5})),
    ):
        request = urllib.request.Request(
            base + path,
            data=data.encode(),
            method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                status, text = reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if status != 201:
            sys.exit(f"POST {path} answered {status}, not 201, before any load: {text[:500]}")


# --- load and figures -----------------------------------------------------------------------------


def run_wrk(wrk, name, base, path, seconds, request_file):
    command = [
        wrk,
        "--threads",
        str(WRK_THREADS),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "5s",
        "--script",
        str(LUA_SCRIPT),
        base + path,
        "--",
        str(request_file),
        str(WRK_THREADS),
        path,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in finished.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if finished.returncode != 0 or not lines:
        sys.exit(f"wrk failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    figures = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    seconds_measured = figures["duration_us"] / 1e6
    statuses = {int(code): count for code, count in figures["statuses"].items()}
    return {
        "phase": name,
        "path": path,
        "seconds": round(seconds_measured, 3),
        "requests": figures["requests"],
        "requests_per_s": round(figures["requests"] / seconds_measured, 1),
        "latency_ms": {k: round(v / 1000, 2) for k, v in figures["latency_us"].items()},
        "statuses": dict(sorted(statuses.items())),
        "non_2xx": sum(count for code, count in statuses.items() if not 200 <= code < 300),
        "socket_errors": sum(figures["socket_errors"].values()),
        "socket_error_kinds": figures["socket_errors"],
        "lines_reused": figures["reused"],
        "wrk_output": finished.stdout,
    }


def summarise(results, args, load_before, elapsed, server_log):
    """Each check-in run against the mean of the bare runs either side of it; the median over rounds."""
    measured = [p for p in results if not p["phase"].startswith("warm-up")]
    bares, reals = measured[0::2], measured[1::2]
    rounds = []
    for n, real in enumerate(reals):
        before, after = bares[n]["requests_per_s"], bares[n + 1]["requests_per_s"]
        rounds.append(
            {
                "real_requests_per_s": real["requests_per_s"],
                "bare_requests_per_s": round((before + after) / 2, 1),
                "ratio": round(real["requests_per_s"] / ((before + after) / 2), 4),
                "ratio_range": sorted(round(real["requests_per_s"] / bare, 4) for bare in (before, after)),
                "bare_drift": round(after / before - 1, 4),
                "p50_ms": real["latency_ms"]["p50"],
                "p99_ms": real["latency_ms"]["p99"],
            }
        )
        if "server_cpu_ms_per_request" in real:
            bare_cpu = (bares[n]["server_cpu_ms_per_request"] + bares[n + 1]["server_cpu_ms_per_request"]) / 2
            rounds[-1]["cpu_ratio"] = round(bare_cpu / real["server_cpu_ms_per_request"], 4)
    ratio = statistics.median(r["ratio"] for r in rounds)
    real = {
        "requests_per_s": statistics.median(r["real_requests_per_s"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "worst_p99_ms": max(r["p99_ms"] for r in rounds),
    }
    problems = [
        f"{p['phase']}: {p['non_2xx']} non-2xx responses {p['statuses']}" for p in results if p["non_2xx"]
    ] + [
        f"{p['phase']}: {p['socket_errors']} socket errors {p['socket_error_kinds']}"
        for p in results
        if p["socket_errors"]
    ]
    drift = max((r["bare_drift"] for r in rounds), key=abs)
    cautions = []
    if abs(drift) > DRIFT_TOLERANCE:
        cautions.append(
            f"the bare endpoint's throughput moved {drift:+.0%} across a check-in run: other work on the"
            " machine changed meanwhile, so the ratio is unreliable; run it again (or with --rounds 3)"
        )
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "setup": {
            "server": f"gunicorn, {WORKERS} sync workers, DJANGO_DEBUG=0",
            "load": f"wrk, {CONNECTIONS} connections, {WRK_THREADS} threads",
            "seconds_per_phase": args.duration,
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
        },
        "phases": results,
        "rounds": rounds,
        "real": real,
        "bare_requests_per_s": statistics.median(r["bare_requests_per_s"] for r in rounds),
        "bare_drift": drift,
        "ratio": ratio,
        "ratio_range": [min(r["ratio_range"][0] for r in rounds), max(r["ratio_range"][1] for r in rounds)],
        "cpu_ratio": statistics.median(r["cpu_ratio"] for r in rounds) if "cpu_ratio" in rounds[0] else None,
        "goal": {
            "ratio_at_least": GOAL_RATIO,
            "p99_ms_below": GOAL_P99_MS,
            "ratio_met": ratio >= GOAL_RATIO,
            "p99_met": real["p99_ms"] < GOAL_P99_MS,
        },
        "valid": not problems,
        "problems": problems,
        "cautions": cautions,
        "server_log": str(server_log.relative_to(ROOT)),
        "elapsed_s": round(elapsed, 1),
    }


def print_report(record):
    setup, machine = record["setup"], record["machine"]
    print(
        f"\nPOST under {setup['server']}; {setup['load']}; {setup['seconds_per_phase']} s per phase"
        f"\n{machine['cpus']} CPUs, load average {machine['load_average_before'][0]} before,"
        f" {machine['load_average_after'][0]} after (other work on the machine moves these figures)\n"
    )
    header = (
        f"{'phase':<13} {'endpoint':<24} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        f" {'requests':>9} {'non-2xx':>8} {'sock err':>8} {'CPU ms/req':>10}"
    )
    print(header)
    print("-" * len(header))
    for p in record["phases"]:
        latency = p["latency_ms"]
        print(
            f"{p['phase']:<13} {'POST ' + p['path']:<24} {p['requests_per_s']:>8.1f} {latency['p50']:>7.1f}"
            f" {latency['p99']:>7.1f} {latency['max']:>7.1f} {p['requests']:>9} {p['non_2xx']:>8}"
            f" {p['socket_errors']:>8} {p.get('server_cpu_ms_per_request', float('nan')):>10.2f}"
        )
    goal, real = record["goal"], record["real"]
    low, high = record["ratio_range"]
    of_rounds = f" (medians of {len(record['rounds'])} rounds)" if len(record["rounds"]) > 1 else ""
    verdict = {True: "met", False: "MISSED"}
    print(
        f"\nreal  POST {REAL_PATH} (token auth, validation, insert): {real['requests_per_s']:.0f} req/s,"
        f" p50 {real['p50_ms']:.1f} ms, p99 {real['p99_ms']:.1f} ms{of_rounds}"
        f"\nbare  POST {BARE_PATH} (one INSERT, no auth):"
        f" {record['bare_requests_per_s']:.0f} req/s (mean of the bare runs either side)"
        f"\nratio real / bare throughput: {record['ratio']:.1%}"
        f"   goal >= {goal['ratio_at_least']:.0%}: {verdict[goal['ratio_met']]}"
        f"   (against each neighbouring bare run {low:.1%} to {high:.1%};"
        f" bare drifted {record['bare_drift']:+.1%})"
        f"\nreal p99 {real['p99_ms']:.1f} ms"
        f"   goal < {goal['p99_ms_below']:.0f} ms at {CONNECTIONS} connections: {verdict[goal['p99_met']]}"
    )
    if record["cpu_ratio"] is not None:
        print(
            f"cross-check, server CPU per request (gunicorn + PostgreSQL backends), bare / real:"
            f" {record['cpu_ratio']:.1%} (steadier than throughput when the machine is shared)"
        )
    for caution in record["cautions"]:
        print(f"CAUTION: {caution}")
    if record["problems"]:
        print("\nNOT A VALID RUN:")
        for problem in record["problems"]:
            print(f"  - {problem}")
        print(f"  (server log: {record['server_log']})")
    print(f"took {record['elapsed_s']:.0f} s")
