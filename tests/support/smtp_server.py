"""A real SMTP server (aiosmtpd) on a free loopback port, recording what arrives, and able
to misbehave on cue: refuse a recipient, drop the connection, or stop answering."""
from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from .process import Service, free_port


@dataclass(frozen=True)
class Arrived:
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    def body(self, subtype: str = "plain") -> str:
        return self.message.get_body((subtype,)).get_content()


@dataclass
class Recorder:
    """The handler: what arrived, and the faults to play for given recipients."""

    arrived: list[Arrived] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # 550 at RCPT, every time
    defer: set[str] = field(default_factory=set)  # 451 at RCPT, every time
    drop_at_rcpt: set[str] = field(default_factory=set)  # connection closed at RCPT, once
    drop_after_data: set[str] = field(default_factory=set)  # kept, then closed before the reply, once
    stall_after_data: set[str] = field(default_factory=set)  # kept, then no reply for `stall` s, once
    stall: float = 0.0
    pipelining: bool = False  # advertise PIPELINING (RFC 2920), as Postfix and Exchange do
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.arrived.clear()
            for faults in (self.refuse, self.defer, self.drop_at_rcpt, self.drop_after_data,
                           self.stall_after_data):
                faults.clear()
            self.stall = 0.0
            self.pipelining = False
            self.connections = 0

    def to(self, address: str) -> list[Arrived]:
        return [m for m in self.arrived if address in m.recipients]

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address in self.defer:
            return "451 4.3.0 Try again later"
        if address in self.drop_at_rcpt:
            self.drop_at_rcpt.discard(address)
            server.transport.close()
            return "421 4.3.0 Closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipients = tuple(envelope.rcpt_tos)
        with self.lock:
            self.arrived.append(Arrived(envelope.mail_from, recipients, envelope.content))
        for address in recipients:
            if address in self.drop_after_data:
                self.drop_after_data.discard(address)
                server.transport.close()
                return "451 closed"
            if address in self.stall_after_data:
                self.stall_after_data.discard(address)
                await asyncio.sleep(self.stall)
        return "250 2.0.0 Ok: queued"


class SmtpServer(Service):
    """aiosmtpd's threaded Controller (no process of its own): started once per test session."""

    def __init__(self) -> None:
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._started = False

    def start(self) -> SmtpServer:
        self.controller.start()
        self._started = True
        self.recorder.reset()  # the controller's own start-up probe is not a client
        return self

    def stop(self) -> None:
        if self._started:
            self._started = False
            self.controller.stop()
