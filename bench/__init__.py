"""`make bench`: the check-in API measured against a bare insert, under gunicorn (see README.md)."""
