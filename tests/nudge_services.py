"""Real services for the nudge delivery tests: an SMTP server, Celery workers, a Redis of our own.

- ``Mailbox``: aiosmtpd on loopback that keeps every message it accepts; it can
  answer a few DATA commands with 4xx or 5xx, and can hold one RCPT (the client
  waits for an answer that only comes when the test says) so a worker can be
  killed at a known point.
- ``in_process_worker``: Celery's embedded test worker (a thread, solo pool)
  on the test broker; it closes its database connections after each task.
- ``subprocess_worker``: ``celery -A vida worker`` as a process of its own, on
  the test database, for tests that kill it.
- ``PrivateRedis``: a redis-server on a free port that a test may stop and start;
  the shared Redis server is never stopped or flushed.
"""

import asyncio
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections

from vida.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout=20.0, interval=0.05, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Mailbox:
    """The aiosmtpd handler: what the server accepted, and the faults it was told to make."""

    def __init__(self):
        self.messages = []
        self.replies = []  # answers to give to the next DATA commands instead of 250
        self.refuse = {}  # recipient address -> permanent answer to its DATA
        self.hold_rcpt_number = None  # hold the n-th RCPT TO (1-based) until released
        self.held = threading.Event()
        self._release = None
        self._rcpts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._rcpts += 1
        if self._rcpts == self.hold_rcpt_number:
            self._release = asyncio.Event()
            self.held.set()
            await self._release.wait()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.refuse:
                return self.refuse[address]
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(address for message in self.messages for address in message.get_all("To", []))

    def release(self, loop):
        if self._release is not None:
            loop.call_soon_threadsafe(self._release.set)


@contextmanager
def smtp_server(settings):
    """A Mailbox served on a free loopback port, with Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    mailbox.port = controller.port
    mailbox.loop = controller.loop
    try:
        yield mailbox
    finally:
        mailbox.release(controller.loop)
        controller.stop()


class TaskLog:
    """Names of the tasks the embedded worker has finished (or retried), in order."""

    def __init__(self):
        self.names = []

    def finished(self, sender=None, **kwargs):
        # Runs in the worker's thread: close its own database connections, so the
        # test database can be flushed and dropped.
        connections.close_all()
        self.names.append(sender.name)

    def count(self, name):
        return sum(1 for n in self.names if n == name)

    def wait_for(self, name, n, timeout=20.0):
        wait_until(lambda: self.count(name) >= n, timeout=timeout, what=f"{n} runs of {name}")


def empty_queue():
    """Drop our queue's waiting messages and any a killed worker left unacknowledged.

    Only the queue's own keys on the configured Redis database: never a flush. (Redis
    hands an unacknowledged message to the next worker an hour later, which would
    otherwise surprise a later test run.)
    """
    celery_app.control.purge()
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        if hasattr(channel, "unacked_key"):  # the Redis transport
            channel.client.delete(channel.unacked_key, channel.unacked_index_key)


@contextmanager
def in_process_worker():
    """Celery's embedded worker on the configured broker, after emptying our queue of leftovers.

    Yields a TaskLog of the tasks it finishes.
    """
    empty_queue()
    log = TaskLog()
    task_postrun.connect(log.finished, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield log
    finally:
        task_postrun.disconnect(log.finished)


def session_database_url():
    """DATABASE_URL of the test database this session runs on, for processes of our own."""
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_environment(**extra):
    """The environment of a child Vida process: development settings, nothing inherited that decides where it talks."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "VIDA_", "CELERY_", "EMAIL_", "DATABASE_"))
    }
    return {**keep, "VIDA_ENV": "development", "DJANGO_LOG_LEVEL": "WARNING", **extra}


@contextmanager
def subprocess_worker(env, log_path):
    """``celery -A vida worker`` (solo pool: the task runs in this very process) until the block ends."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vida",
                "worker",
                "--pool=solo",
                "--loglevel=warning",
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
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test may stop and start again."""

    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise AssertionError("redis-server is missing: install Debian's redis-server package")
        self.port = free_port()
        self.folder = folder
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def _reset_broker_connections():
    # Forget the app's pools; kombu keeps one per broker URL and hands the right one back.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker(url):
    """Point this process's Celery app (publishers and embedded workers) at another broker for a while."""
    # Celery copies broker_url into these two when it reads the settings; they are what it connects to.
    previous = celery_app.conf.broker_read_url, celery_app.conf.broker_write_url
    celery_app.conf.broker_read_url = celery_app.conf.broker_write_url = url
    _reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_read_url, celery_app.conf.broker_write_url = previous
        _reset_broker_connections()
