"""The bot's dialogue: one update and the chat's state in, what to say and do out.

It only reads (cases by a watch token, statuses, guides); every write — the SOS, a
subscription, the new state, the replies — is done by habeas.bot.updates with the update
marked as handled, so a re-sent update can change nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from telegram import Update

from habeas.cases import services as cases
from habeas.cases.models import Case, Channel, ReporterRole
from habeas.cases.status import public_status
from habeas.dispatch import messages
from habeas.guides import load_guides
from habeas.lib.places import is_city_name
from habeas.notifications import services as notifications

from . import texts

# Telegram's own limit on a message's text; anything longer was not sent by a client.
MAX_TEXT = 4096
MAX_NAME = 100
MAX_NOTE = 500
# Who writes to a Russian hotline with one of these interface languages reads Russian.
RUSSIAN_READERS = {"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az", "ka"}
PHONE_RE = re.compile(r"^\+?[\d\s()\-]{6,24}$")
WATCH_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass
class Turn:
    """What the bot does for one update."""

    lang: str = "ru"
    replies: list[tuple[str, dict | None]] = field(default_factory=list)
    state: dict | None = None  # None: leave the chat's state as it is
    sos: dict | None = None  # {"flow": "self" | "relative", "data": {...}} to send
    follow: Case | None = None
    callback: dict | None = None  # {"case": <id>, "phone": "..."}: ask for a call-back

    def say(self, text: str, markup: dict | None = None) -> "Turn":
        self.replies.append((text, markup))
        return self


def language_of(update: Update, state: dict) -> str:
    if state.get("lang") in texts.LANGUAGES:
        return state["lang"]
    code = (getattr(update.effective_user, "language_code", None) or "").lower()[:2]
    return "en" if code and code not in RUSSIAN_READERS else "ru"


def respond(update: Update, state: dict) -> Turn:
    """Decide the bot's answer to one update in a private chat."""
    lang = language_of(update, state)
    with translation.override(lang):
        if update.callback_query is not None:
            return _callback(update.callback_query.data or "", state, lang)
        if update.message is None:  # edits, reactions, membership changes: nothing to say
            return Turn(lang)
        return _message(update.message, state, lang)


def _callback(data: str, state: dict, lang: str) -> Turn:
    if data in ("lang:ru", "lang:en"):
        return _switch_language(state, data[5:])
    return Turn(lang)


def _switch_language(state: dict, lang: str) -> Turn:
    with translation.override(lang):
        turn = Turn(lang, state={**state, "lang": lang})
        turn.say(texts.language_set())
        if state.get("step"):
            return turn.say(texts.prompt(state["step"]), texts.step_keyboard(state["step"]))
        return turn.say(texts.welcome(), texts.menu_keyboard())


def _menu(lang: str, state: dict, text: str) -> Turn:
    return Turn(lang, state={"lang": state["lang"]} if "lang" in state else {}).say(
        text, texts.menu_keyboard()
    )


def _message(message, state: dict, lang: str) -> Turn:
    text = (message.text or "").strip()
    if len(text) > MAX_TEXT:
        return Turn(lang).say(texts.help_text(), texts.menu_keyboard())
    if text.startswith("/"):
        return _command(text, state, lang, message)
    meaning = texts.button_meaning(text) if text else None
    if meaning == "cancel":
        return _menu(lang, state, texts.cancelled())
    if state.get("step"):
        return _answer(state, lang, message, text, meaning)
    if meaning == "detained":
        return _ask(state, lang, "self", "location", {})
    if message.location is not None:  # in a hurry, someone sends only where they are
        return _ask(state, lang, "self", "name", {"location": _location(message.location)})
    if meaning == "someone":
        return _ask(state, lang, "relative", "r_name", {})
    if meaning == "cases":
        return Turn(lang).say(_my_cases(message.chat.id), texts.menu_keyboard())
    if meaning == "rights":
        return Turn(lang).say(_rights(lang), texts.menu_keyboard())
    if meaning == "callback":
        return _ask_callback(state, lang, message.chat.id)
    return Turn(lang).say(texts.help_text(), texts.menu_keyboard())


def _ask_callback(state: dict, lang: str, chat_id: int) -> Turn:
    """A call-back is about a case this chat reported or follows: the newest one."""
    case = _followed(chat_id).first()
    if case is None:
        return Turn(lang).say(texts.no_cases(), texts.menu_keyboard())
    return _ask(state, lang, "callback", "cb_phone", {"case": case.pk, "case_id": case.public_id})


def _command(text: str, state: dict, lang: str, message) -> Turn:
    command, _, argument = text.partition(" ")
    command = command.split("@")[0].lower()  # "/start@habeas_bot" in a client's menu
    argument = argument.strip()
    if command == "/start" and argument:
        return _subscribe(argument, lang)
    if command in ("/start", "/help"):
        return _menu(lang, state, texts.welcome())
    if command == "/id":
        return Turn(lang).say(texts.chat_id(message.chat.id))
    if command == "/lang":
        if argument in texts.LANGUAGES:
            return _switch_language(state, argument)
        return Turn(lang).say(texts.choose_language(), texts.language_keyboard())
    if command == "/cancel":
        return _menu(lang, state, texts.cancelled())
    if command == "/cases":
        return Turn(lang).say(_my_cases(message.chat.id))
    if command == "/rights":
        return Turn(lang).say(_rights(lang))
    return Turn(lang).say(texts.help_text(), texts.menu_keyboard())


def _ask(state: dict, lang: str, flow: str, step: str, data: dict) -> Turn:
    new = {"flow": flow, "step": step, "data": data}
    if "lang" in state:
        new["lang"] = state["lang"]
    return Turn(lang, state=new).say(texts.prompt(step), texts.step_keyboard(step))


def _send(state: dict, lang: str, data: dict) -> Turn:
    rest = {"lang": state["lang"]} if "lang" in state else {}
    return Turn(lang, state=rest, sos={"flow": state["flow"], "data": data})


NEXT = {
    "location": "name",
    "city": "name",
    "name": "dob",
    "r_name": "r_dob",
    "r_dob": "r_where",
    "r_where": "r_city",
    "r_city": "r_station",
    "r_station": "r_phone",
}


def _answer(state: dict, lang: str, message, text: str, meaning: str | None) -> Turn:
    """One answer inside a flow: keep it and ask the next question, or send the SOS."""
    step, data = state["step"], dict(state.get("data") or {})
    if meaning == "send" and step in ("city", "name", "dob"):
        return _send(state, lang, data)
    if meaning in ("skip", "unknown") and step == "location":
        # Without a location, the city is how dispatch finds a lawyer nearby.
        return _ask(state, lang, state["flow"], "city", data)
    if meaning in ("skip", "unknown") and step in (
        "city",
        "r_dob",
        "r_city",
        "r_where",
        "r_station",
    ):
        return _ask(state, lang, state["flow"], NEXT[step], data)
    if meaning == "skip" and step == "r_phone":
        return _send(state, lang, data)
    if step == "location":
        if message.location is None:
            return Turn(lang).say(texts.prompt(step), texts.step_keyboard(step))
        data["location"] = _location(message.location)
    elif step in ("r_phone", "cb_phone"):
        phone = message.contact.phone_number if message.contact else text
        if not phone or not PHONE_RE.match(phone):
            return Turn(lang).say(texts.bad_phone(), texts.step_keyboard(step))
        if step == "cb_phone":
            rest = {"lang": state["lang"]} if "lang" in state else {}
            turn = Turn(lang, state=rest, callback={"case": data["case"], "phone": phone})
            return turn.say(texts.callback_asked(data["case_id"]), texts.menu_keyboard())
        data["phone"] = phone
        return _send(state, lang, data)
    elif not text or meaning is not None:
        return Turn(lang).say(texts.prompt(step), texts.step_keyboard(step))
    elif step in ("city", "r_city"):
        if not is_city_name(text):
            return Turn(lang).say(texts.bad_city(), texts.step_keyboard(step))
        data["city"] = " ".join(text.split())
    elif step in ("dob", "r_dob"):
        born = parse_date(text)
        if born is None:
            return Turn(lang).say(texts.bad_date(), texts.step_keyboard(step))
        data["dob"] = born.isoformat()
        if step == "dob":
            return _send(state, lang, data)
    else:
        limit = MAX_NAME if step in ("name", "r_name") else MAX_NOTE
        if len(text) > limit:
            return Turn(lang).say(texts.too_long(), texts.step_keyboard(step))
        data[{"name": "name", "r_name": "name", "r_where": "where"}.get(step, "station")] = text
    return _ask(state, lang, state["flow"], NEXT[step], data)


def _location(location) -> list[float]:
    return [float(location.latitude), float(location.longitude)]


def parse_date(text: str) -> date | None:
    """A date of birth as people type it; None for nonsense, the future or before 1900."""
    for fmt in DATE_FORMATS:
        try:
            born = datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        if date(1900, 1, 1) <= born <= timezone.localdate():
            return born
        return None
    return None


def intake_of(flow: str, data: dict, chat_id: int) -> cases.Intake:
    """The SOS a finished dialogue sends, as every way in builds it."""
    location = None
    if (lat_lon := data.get("location")) and -90 <= lat_lon[0] <= 90 and -180 <= lat_lon[1] <= 180:
        location = cases.Location(lat=lat_lon[0], lon=lat_lon[1], captured_at=timezone.now())
    born = date.fromisoformat(data["dob"]) if data.get("dob") else None
    if flow == "self":
        return cases.Intake(
            person=cases.Person(full_name=data.get("name", ""), date_of_birth=born),
            location=location,
            city=data.get("city", ""),
            channel=Channel.TELEGRAM,
        )
    note = "\n".join(
        f"{label}: {data[key]}"
        for key, label in (("where", "where/when"), ("station", "station"))
        if data.get(key)
    )
    return cases.Intake(
        person=cases.Person(full_name=data.get("name", ""), date_of_birth=born, note=note),
        city=data.get("city", ""),
        channel=Channel.TELEGRAM,
        reporter_role=ReporterRole.RELATIVE,
        reporter=cases.Reporter(telegram=str(chat_id), phone=data.get("phone", "")),
    )


def watch_link(idempotency_key: str) -> str:
    token = cases.watch_token_for(idempotency_key)
    return settings.HABEAS_BASE_URL + reverse("public:watch", args=[token])


def deep_link(idempotency_key: str) -> str:
    """The bot link that subscribes whoever opens it to the case (empty without a bot name)."""
    if not settings.HABEAS_TELEGRAM_BOT_NAME:
        return ""
    token = cases.watch_token_for(idempotency_key)
    return f"https://t.me/{settings.HABEAS_TELEGRAM_BOT_NAME}?start={token}"


def _subscribe(token: str, lang: str) -> Turn:
    case = cases.case_for_watch_token(token) if WATCH_TOKEN_RE.match(token) else None
    if case is None:
        return Turn(lang).say(texts.bad_link(), texts.menu_keyboard())
    status = public_status(case)
    return Turn(lang, follow=case).say(
        texts.following(case.public_id, status.message), texts.menu_keyboard()
    )


def topic(case: Case) -> str:
    return messages.follow_topic(case.pk)


def _followed(chat_id: int):
    """The cases this chat reported or follows, newest first."""
    topics = notifications.topics_of("telegram", str(chat_id))
    ids = [messages.case_of_topic(t) for t in topics]
    return Case.objects.filter(pk__in=ids).select_related("police_station").order_by("-created_at")


def _my_cases(chat_id: int) -> str:
    found = _followed(chat_id)
    lines = []
    for case in found[:10]:
        status = public_status(case)
        lines.append(texts.case_line(case.public_id, status.message, status.police_station))
    return "\n".join(lines) or texts.no_cases()


def _rights(lang: str) -> str:
    lines = [texts.rights_header(), *(f"• {p}" for p in texts.key_phrases()), ""]
    lines.append(texts.rights_guides())
    for guide in load_guides(lang):
        link = settings.HABEAS_BASE_URL + reverse("public:guide", args=[guide.slug])
        lines.append(f"• {guide.title}: {link}")
    return "\n".join(lines)
