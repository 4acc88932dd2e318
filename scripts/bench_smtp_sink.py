"""The bench's SMTP server handler: accepts and discards, offering PIPELINING (RFC 2920) as
the agencies' servers (Postfix, Exchange) do. `python -m aiosmtpd -c scripts.bench_smtp_sink.Sink`."""


class Sink:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 Ok: discarded"
