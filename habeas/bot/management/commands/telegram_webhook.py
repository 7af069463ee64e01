"""Point Telegram at this server's webhook, with the secret token it must send back."""

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from telegram.error import TelegramError

from habeas.notifications.channels import telegram

# Only what the bot answers: Telegram then never sends edits, polls or reactions at all.
ALLOWED_UPDATES = ["message", "callback_query"]


class Command(BaseCommand):
    help = "Set (or --delete) the Telegram bot's webhook at HABEAS_BASE_URL."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove the webhook")
        parser.add_argument("--url", help="the public URL, if not HABEAS_BASE_URL's webhook")

    def handle(self, *args, **options):
        if not settings.HABEAS_TELEGRAM_TOKEN:
            raise CommandError("HABEAS_TELEGRAM_TOKEN is not set.")
        if not options["delete"] and not settings.HABEAS_TELEGRAM_WEBHOOK_SECRET:
            raise CommandError("HABEAS_TELEGRAM_WEBHOOK_SECRET is not set: the webhook is off.")
        url = options["url"] or settings.HABEAS_BASE_URL + reverse("api:inbound_telegram")
        try:
            asyncio.run(self._run(options["delete"], url))
        except TelegramError as exc:
            raise CommandError(f"Telegram refused: {type(exc).__name__}") from exc
        self.stdout.write("Webhook removed." if options["delete"] else f"Webhook set: {url}")

    async def _run(self, delete: bool, url: str) -> None:
        async with telegram.client() as bot:
            if delete:
                await bot.delete_webhook()
                return
            await bot.set_webhook(
                url=url,
                secret_token=settings.HABEAS_TELEGRAM_WEBHOOK_SECRET,
                allowed_updates=ALLOWED_UPDATES,
                # Updates that waited while the bot was down are still answered.
                drop_pending_updates=False,
            )
