"""Email over SMTP, through Django's mailer (MAILERS in settings)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, mailers

from . import PermanentFailure, TemporaryFailure


def configured() -> bool:
    return bool(settings.HABEAS_SMTP_URL)


def send(address: str, subject: str, body: str, key: str) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.HABEAS_EMAIL_FROM,
        to=[address],
        headers={"Message-ID": f"<{key}@habeas>"},
    )
    try:
        mailers.default.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure("recipient refused") from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
