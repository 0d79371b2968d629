"""The bench's email backend: as fast as a backend can honestly be, and countable across processes.

Each message is serialised to bytes exactly as the SMTP backend would before
writing it to a socket, then one line, "<Message-ID> <recipient>", is appended
to a file of this process's own in VIDA_BENCH_MAIL_DIR. Both sides of the
nudges measure (the workers and the plain loop) send through it, so what
differs between them is everything but the delivery.
"""

import os
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = Path(os.environ["VIDA_BENCH_MAIL_DIR"]) / f"{os.getpid()}.log"
        with path.open("a") as log:
            for message in email_messages:
                message.message().as_bytes(linesep="\r\n")
                log.write(f"{message.extra_headers.get('Message-ID', '-')} {','.join(message.to)}\n")
        return len(email_messages)
