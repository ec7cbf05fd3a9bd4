import socket

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What a real SMTP server on 127.0.0.1 received: (recipient, subject) per delivery."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        import email

        message = email.message_from_bytes(envelope.content)
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, message["Subject"], message))
        return "250 OK"


class MailServer:
    """An SMTP server on a fixed local port that can be down, then come up."""

    def __init__(self, port):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def delivered(self):
        return sorted((to, subject) for to, subject, _message in self.inbox.received)


@pytest.fixture
def mail_server(settings):
    """Django sends through SMTP to a local port where, at first, nothing listens."""
    server = MailServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
