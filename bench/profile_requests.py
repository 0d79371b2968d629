"""Where a check-in POST spends its time: both bench endpoints in one process, no server, no network.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vida .venv/bin/python bench/profile_requests.py

Recreates the bench database as `make bench` does, then sends the same requests
straight to the WSGI application: the time per request of each endpoint, the
SQL each one runs, and cProfile's view of the check-in request, with its main
parts (token authentication, validation, the write, the response) summed up.
cProfile inflates code that makes many small calls (the serializers) more than
code that waits on PostgreSQL, so read its shares as a ranking, not a split.
"""

import argparse
import cProfile
import io
import math
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.checkin import (  # noqa: E402
    BARE_PATH,
    DAYS,
    REAL_PATH,
    SMOKE_PATIENT,
    prepare_database,
    write_request_files,
)
from bench.common import bench_database_url  # noqa: E402

# (label, file path ending, function name) of the parts worth naming.
PARTS = [
    ("token authentication", "knox/auth.py", "authenticate"),
    ("validation: serializer.is_valid()", "rest_framework/serializers.py", "is_valid"),
    ("write: checkins.actions.create_checkin()", "checkins/actions.py", "create_checkin"),
    ("write: QuerySet.create()", "django/db/models/query.py", "create"),
    ("response: serializer.data", "rest_framework/serializers.py", "data"),
    ("SQL statements: cursor.execute()", "~", "<method 'execute' of 'psycopg2.extensions.cursor' objects>"),
    ("COMMIT: connection.commit()", "~", "<method 'commit' of 'psycopg2.extensions.connection' objects>"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per endpoint and pass (default 2000)"
    )
    parser.add_argument("--top", type=int, default=25, help="cProfile rows to print (default 25)")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    args = parser.parse_args()

    db_url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    # Three passes over the check-in endpoint (warm-up, timing, profile), each on fresh (patient, date) pairs.
    lines = 3 * args.requests
    tokens = prepare_database(db_url, math.ceil(lines / DAYS))
    with tempfile.TemporaryDirectory(prefix="vida-profile-") as scratch:
        files = write_request_files(Path(scratch), tokens[SMOKE_PATIENT], tokens["patients"], 0, lines)
        real = [line.split("\t", 1) for line in files["real"][0].read_text().splitlines()]
        bare = [line.split("\t", 1) for line in files["bare"].read_text().splitlines()]

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = get_wsgi_application()
    n = args.requests
    passes = {
        "bare": (BARE_PATH, bare[:n], bare[n : 2 * n], bare[2 * n : 3 * n]),
        "real": (REAL_PATH, real[:n], real[n : 2 * n], real[2 * n : 3 * n]),
    }

    print(f"\nIn one process, {n} requests each (after {n} to warm up):\n")
    timings = {}
    for name, (path, warm, timed, _) in passes.items():
        send_all(app, path, warm)
        with CaptureQueriesContext(connection) as captured:
            send_all(app, path, timed[:1])
        queries = list(captured.captured_queries)  # read now: the next request resets Django's query log
        wall, cpu = time.perf_counter(), time.process_time()
        send_all(app, path, timed[1:])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        timings[name] = wall / (n - 1)
        print(
            f"POST {path}: {1e6 * wall / (n - 1):.0f} us per request"
            f" ({1e6 * cpu / (n - 1):.0f} us of it this process's CPU)"
        )
        for query in queries:
            print(f"    {query['sql'][:110]}")
    print(
        "    (plus SELECT 1 on each request's first query: CONN_HEALTH_CHECKS, not captured above)\n"
        f"\ncheck-in / bare time per request: {timings['real'] / timings['bare']:.2f}x, a ratio of"
        f" {timings['bare'] / timings['real']:.0%} here; under gunicorn the HTTP and server costs both"
        " endpoints pay narrow the gap"
    )

    for name in ("real", "bare"):
        path, _, _, profiled = passes[name]
        profile = cProfile.Profile()
        profile.runcall(send_all, app, path, profiled)
        stats = pstats.Stats(profile)
        total = part_time(stats, "django/core/handlers/wsgi.py", "__call__")
        print(f"\ncProfile of POST {path}, {n} requests: share of the request's profiled time")
        for label, file_end, function in PARTS:
            spent = part_time(stats, file_end, function)
            if spent:
                print(f"  {label:<42} {spent / total:6.1%}  ({1e6 * spent / n:.0f} us per request, profiled)")
        if name == "real" and args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


def send_all(app, path, lines):
    for token, body in lines:
        data = body.encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Token {token}"
        statuses = []
        response = app(environ, lambda status, headers, exc_info=None, seen=statuses: seen.append(status))
        b"".join(response)
        response.close()
        if not statuses[0].startswith("201"):
            sys.exit(f"POST {path} answered {statuses[0]}, not 201")


def part_time(stats, file_end, function):
    """Cumulative seconds in the named function (the outermost, where an override calls its parent's)."""
    return max(
        (
            cumulative
            for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items()
            if name == function and filename.endswith(file_end)
        ),
        default=0,
    )


if __name__ == "__main__":
    main()
