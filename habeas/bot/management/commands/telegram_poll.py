"""Run the Telegram bot by long polling (getUpdates), for development and for organisations
without a public address. The replies go through the outbox: run db_worker beside it."""

import asyncio
import contextlib
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from telegram.error import Conflict, TelegramError

from habeas.bot import state, updates
from habeas.notifications.channels import telegram

from .telegram_webhook import ALLOWED_UPDATES


class Command(BaseCommand):
    help = "Answer the Telegram bot by long polling until stopped (Ctrl-C) or a bound is reached."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one getUpdates, then stop")
        parser.add_argument("--timeout", type=int, default=30, help="long-poll seconds (0-50)")
        parser.add_argument("--seconds", type=float, default=0, help="stop after this long")
        parser.add_argument("--max-updates", type=int, default=0, help="stop after this many")

    def handle(self, *args, **options):
        if not settings.HABEAS_TELEGRAM_TOKEN:
            raise CommandError("HABEAS_TELEGRAM_TOKEN is not set.")
        self.stopping = False
        previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError):  # not the main thread: the bounds still stop it
                previous[sig] = signal.signal(sig, self._stop)
        loop = asyncio.new_event_loop()
        try:
            handled = self._loop(loop, options)
        except Conflict as exc:
            raise CommandError(
                "A webhook is set for this bot; remove it first: manage.py telegram_webhook "
                "--delete"
            ) from exc
        except TelegramError as exc:
            raise CommandError(f"Telegram refused: {type(exc).__name__}") from exc
        finally:
            loop.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Handled {handled} updates.")

    def _stop(self, *_):
        self.stopping = True  # finish the batch in hand, then stop

    def _loop(self, loop, options) -> int:
        """Poll inside the event loop, handle between polls: the ORM runs synchronously in
        this thread, never while the loop is running."""
        timeout = max(0, min(options["timeout"], 50))
        deadline = time.monotonic() + options["seconds"] if options["seconds"] else None
        handled, offset = 0, None
        bot = telegram.client(read_timeout=timeout + 10)
        loop.run_until_complete(bot.initialize())
        try:
            while not self.stopping:
                batch = loop.run_until_complete(
                    bot.get_updates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
                )
                for update in batch:
                    self.stdout.write(f"update: {updates.handle(update.to_dict())}")
                    offset = update.update_id + 1
                    handled += 1
                if batch:
                    state.purge()
                if options["once"] or (deadline and time.monotonic() > deadline):
                    break
                if options["max_updates"] and handled >= options["max_updates"]:
                    break
                if not batch and timeout == 0:
                    time.sleep(1)  # a short poll that found nothing: do not spin
            if offset is not None:
                # Confirm what was handled, so the next run does not fetch it again.
                loop.run_until_complete(bot.get_updates(offset=offset, timeout=0, limit=1))
        finally:
            loop.run_until_complete(bot.shutdown())
        return handled
