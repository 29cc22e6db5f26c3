"""Mail out: the German text of one notification or a digest, and the SMTP connection.

``SMTP_URL``: ``smtp://[user:pass@]host[:port]`` (STARTTLS when the server offers it),
``smtp+starttls://…`` (STARTTLS required) or ``smtps://…`` (TLS from the first byte).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from etl.workflow.notify.kinds import KINDS, MODE_LABELS

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class MailConfigError(ValueError):
    """SMTP_URL cannot be used; the message is German."""


def greeting(lines: list[str], footer_url: str, network: str) -> str:
    return (
        "\n".join(
            [
                "Guten Tag,",
                "",
                *lines,
                "",
                "-- ",
                f"Fördercockpit · {network}",
                "Diese Nachricht wurde automatisch versendet. Welche Nachrichten Sie wann "
                f"bekommen, stellen Sie hier ein: {footer_url}/einstellungen",
            ]
        )
        + "\n"
    )


def single_text(item: dict, base_url: str) -> list[str]:
    """The lines of one notification: its text and its deep link."""
    return [*item["lines"], "", f"Direkt zur Seite: {base_url}{item['link']}"]


def digest_text(items: list[dict], digest: str, base_url: str) -> list[str]:
    """The lines of a digest: every notification, grouped by kind, each with its link."""
    out = [f"hier ist Ihre {MODE_LABELS[digest]} mit {len(items)} Meldungen."]
    for kind in KINDS.values():
        group = [i for i in items if i["kind"] == kind.key]
        if not group:
            continue
        title = f"{kind.label} ({len(group)})"
        out += ["", title, "=" * len(title)]
        for item in group:
            out += [
                "",
                f"* {item['subject']}",
                *(f"  {line}" for line in item["lines"]),
                f"  {base_url}{item['link']}",
            ]
    return out


def digest_subject(n: int, digest: str) -> str:
    return f"Fördercockpit: {n} Meldungen ({MODE_LABELS[digest]})"


def message(*, sender: str, to: str, subject: str, body: str) -> MIMEText:
    """A plain-text UTF-8 mail (quoted-printable) marked as automatically generated. The
    subject is encoded as whole RFC 2047 words, which every client joins without the stray
    space that folding a half-encoded header can leave."""
    charset = Charset("utf-8")
    charset.body_encoding = QP
    msg = MIMEText(body, "plain", charset)
    msg["From"], msg["To"], msg["Subject"] = sender, to, Header(subject, "utf-8")
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def body_of(msg: MIMEText) -> str:
    """The text of a mail made by :func:`message`."""
    return msg.get_payload(decode=True).decode("utf-8")


def parse_url(url: str) -> dict:
    """Scheme, host, port, user and password of ``SMTP_URL``."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise MailConfigError(
            f"SMTP_URL '{parts.scheme}://…' wird nicht verstanden; erwartet smtp://, "
            "smtp+starttls:// oder smtps:// mit Servername."
        )
    return {
        "scheme": parts.scheme,
        "host": parts.hostname,
        "port": parts.port or SCHEMES[parts.scheme],
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else "",
    }


class SmtpSender:
    """One SMTP connection per run, opened on the first mail; after any error it is closed,
    so the next mail starts on a fresh one."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.cfg, self.timeout, self.conn = parse_url(url), timeout, None

    def _open(self) -> smtplib.SMTP:
        c = self.cfg
        if c["scheme"] == "smtps":
            conn = smtplib.SMTP_SSL(
                c["host"], c["port"], timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(c["host"], c["port"], timeout=self.timeout)
            conn.ehlo()
            if c["scheme"] == "smtp+starttls" or conn.has_extn("starttls"):
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
        if c["user"]:
            conn.login(c["user"], c["password"])
        return conn

    def send(self, msg: MIMEText) -> None:
        """Hand one mail to the server; raises on refusal (the caller keeps it pending)."""
        try:
            if self.conn is None:
                self.conn = self._open()
            self.conn.send_message(msg)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self.conn = None
