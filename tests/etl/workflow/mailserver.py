"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, on a free port."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every accepted mail; refuses the next ``refuse`` ones (451)."""

    def __init__(self) -> None:
        self.mails, self.refuse, self.refused = [], 0, 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refuse > 0:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Bitte später erneut versuchen"
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(
            {
                "to": list(envelope.rcpt_tos),
                "msg": msg,
                "subject": str(msg["Subject"]),
                "body": msg.get_content(),
            }
        )
        return "250 OK"


class MailServer:
    """Start/stop an aiosmtpd server; ``url`` is its SMTP_URL."""

    def __init__(self) -> None:
        self.inbox, self.port = Inbox(), free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
