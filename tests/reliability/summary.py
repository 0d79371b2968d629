"""One summary line per reliability check, printed at the end of the pytest run (tests/conftest.py)."""

LINES = []


def report(line):
    LINES.append(line)
    print(line)
