"""Racing requests against the real database, for the tests of "exactly one wins"."""

import threading

from django.db import connection


def race(requests):
    """Run the callables at the same moment in threads; return their results in order."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i, request):
        try:
            barrier.wait()
            results[i] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
