"""Handing messages over: one SMTP connection for a batch, or the console when mail is off.

Each send says exactly what happened, so that the record can tell "refused for good"
(a bouncing address), "not accepted, try again" and "handed over, reply lost" apart:
only the last is ambiguous, and it is never sent again automatically.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import parseaddr
from typing import Any, Protocol, TextIO
from urllib.parse import urlsplit

from .models import SendStatus
from .settings import base_url


@dataclass(frozen=True)
class Outcome:
    status: SendStatus
    detail: str | None = None


class TransportUnavailable(Exception):
    """The mail server cannot be reached or refuses us: the run stops, the rest waits."""


class Transport(Protocol):
    # The status a delivered message gets, and the statuses a new run may claim again.
    delivered: SendStatus
    retryable: tuple[SendStatus, ...]

    def ready(self) -> None: ...
    def send(self, message: Message, to: str) -> Outcome: ...
    def close(self) -> None: ...


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(text.split())}"[:500]


def _refused(code: int, text: bytes) -> Outcome:
    # 5xx is the server's final word on this message; anything else may pass.
    return Outcome(SendStatus.REFUSED if 500 <= code < 600 else SendStatus.FAILED, _reply(code, text))


def _error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:500]


_CRLF = compat32.clone(linesep="\r\n")  # SMTP's line ends
_LINE_START_DOT = re.compile(rb"^\.", re.MULTILINE)


class SmtpTransport:
    """One connection to MAIL_SERVER for the whole batch, opened again if it drops."""

    delivered = SendStatus.SENT
    # A message only printed to the console (mail was off) still has to be sent.
    retryable = (SendStatus.FAILED, SendStatus.NO_ADDRESS, SendStatus.PRINTED)

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = config["MAIL_SERVER"]
        self.use_ssl = bool(config["MAIL_USE_SSL"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.port = config["MAIL_PORT"] or (465 if self.use_ssl else 587 if self.use_tls else 25)
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = config["MAIL_TIMEOUT"]
        self.sender = config["MAIL_FROM"]
        # Our name in EHLO: the intranet's host (smtplib would ask the resolver for one).
        self.local_hostname = urlsplit(base_url(config)).hostname or "localhost"
        self._smtp: smtplib.SMTP | None = None

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.sender)[1]

    def ready(self) -> None:
        """Connect, unless connected; TransportUnavailable if the server can't be used."""
        if self._smtp is not None:
            return
        context = ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, local_hostname=self.local_hostname,
                    timeout=self.timeout, context=context,
                )
            else:
                smtp = smtplib.SMTP(
                    self.host, self.port, local_hostname=self.local_hostname, timeout=self.timeout
                )
            smtp.ehlo()
            if self.use_tls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password)
        except (smtplib.SMTPException, OSError) as error:
            if smtp is not None:
                smtp.close()
            raise TransportUnavailable(
                f"{self.host}:{self.port}: {_error(error)}"
            ) from error
        self._smtp = smtp

    def send(self, message: Message, to: str) -> Outcome:
        """One SMTP transaction, step by step, so that a failure's stage is known."""
        self.ready()
        smtp = self._smtp
        assert smtp is not None
        data = _LINE_START_DOT.sub(b"..", message.as_bytes(policy=_CRLF))
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        handed_over = False
        try:
            (mail, mail_text), (rcpt, rcpt_text), (start, start_text) = self._envelope(smtp, to)
            if start == 354 and (mail != 250 or rcpt not in (250, 251)):
                # A server that took DATA with no valid recipient: end it empty, then reset.
                smtp.send(b".\r\n")
                smtp.getreply()
            if mail != 250:
                smtp.rset()
                # Our own address refused: every message would be. Stop the run.
                raise TransportUnavailable(f"MAIL FROM {self.envelope_from}: {_reply(mail, mail_text)}")
            if rcpt not in (250, 251):
                smtp.rset()
                return _refused(rcpt, rcpt_text)
            if start != 354:
                smtp.rset()
                return _refused(start, start_text)
            smtp.send(data + b".\r\n")
            handed_over = True
            code, text = smtp.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            if handed_over:
                return Outcome(SendStatus.UNKNOWN, _error(error))
            return Outcome(SendStatus.FAILED, _error(error))
        if code == 250:
            return Outcome(SendStatus.SENT, _reply(code, text))
        return _refused(code, text)

    def _envelope(self, smtp: smtplib.SMTP, to: str) -> list[tuple[int, bytes]]:
        """MAIL FROM, RCPT TO and DATA, with their replies. If the server offers PIPELINING
        (RFC 2920; Postfix and Exchange do), the three go in one packet and the replies are
        read after: two round trips a message instead of four."""
        if not smtp.has_extn("pipelining"):
            mail = smtp.mail(self.envelope_from)
            if mail[0] != 250:
                return [mail, (0, b""), (0, b"")]
            rcpt = smtp.rcpt(to)
            if rcpt[0] not in (250, 251):
                return [mail, rcpt, (0, b"")]
            return [mail, rcpt, smtp.docmd("DATA")]
        smtp.send(
            f"MAIL FROM:{smtplib.quoteaddr(self.envelope_from)}\r\n"
            f"RCPT TO:{smtplib.quoteaddr(to)}\r\nDATA\r\n".encode("ascii")
        )
        return [smtp.getreply() for _ in range(3)]

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class ConsoleTransport:
    """REMINDERS_ENABLED off (the demo): each message is written out, nothing is mailed."""

    delivered = SendStatus.PRINTED
    retryable = (SendStatus.FAILED, SendStatus.NO_ADDRESS)

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def ready(self) -> None:
        pass

    def send(self, message: Message, to: str) -> Outcome:
        plain = next((part for part in message.walk() if part.get_content_type() == "text/plain"), None)
        body = plain.get_payload(decode=True).decode("utf-8") if plain is not None else ""
        subject = str(make_header(decode_header(message["Subject"])))
        self.stream.write(
            f"----- {to}\nSubject: {subject}\n\n{body}\n"
        )
        self.stream.flush()
        return Outcome(SendStatus.PRINTED, None)

    def close(self) -> None:
        pass


def transport_for(config: Mapping[str, Any], console: TextIO) -> SmtpTransport | ConsoleTransport | None:
    """SMTP when reminders are on; the console for the demo; nothing in production with
    reminders off, where printed messages would put everyone's status in the service log."""
    if config["REMINDERS_ENABLED"]:
        return SmtpTransport(config)
    return None if config["INTRANET_ENV"] == "production" else ConsoleTransport(console)


def retryable_for(transport: Transport | None) -> tuple[SendStatus, ...]:
    """What a preview counts as still to send: as the transport would, or as SMTP would."""
    return transport.retryable if transport is not None else SmtpTransport.retryable
