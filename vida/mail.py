"""Development's email backend: every email as one file a person can open.

With no EMAIL_URL set, ``make run`` writes each email to ``var/mail/`` as an
``.eml`` file: plain text to read in any editor, and a complete message (HTML
part, headers and all) for any mail program to open. Django's own file backend
appends every message of a connection to one log file instead.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import slugify


class FolderBackend(BaseEmailBackend):
    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            # Oldest first in a listing, and the subject says what each one is.
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{slugify(message.subject)[:48]}-{uuid.uuid4().hex[:8]}.eml"
            partial = self.folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\n"))
            partial.rename(self.folder / name)  # a reader never sees half a message
        return len(email_messages)
