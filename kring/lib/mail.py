"""Mail written to a folder, one ``.eml`` file per message (``EMAIL_BACKEND=file``, the demo).

Django's file backend writes every message of a connection into one ``.log`` file with
separator lines; an ``.eml`` file holds exactly one message, so a mail program opens it as it
would arrive (README: "written as .eml files to sent-mail/").
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends import filebased


class EmlFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(self.file_path) / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            try:
                path.write_bytes(message.message().as_bytes())
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
