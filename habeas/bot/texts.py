"""What the bot says, and its buttons. Every text goes through gettext; the caller picks the
language with translation.override. Texts stay short: they are read on a phone, in a hurry."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LANGUAGES = ("ru", "en")

# The reply keyboard's buttons, by what they mean. A tap sends the label as text, so a text
# is matched against the labels of every language (the keyboard may predate a /lang switch).
BUTTONS = {
    "detained": gettext_lazy("🆘 I am detained"),
    "someone": gettext_lazy("Someone was detained"),
    "cases": gettext_lazy("My cases"),
    "rights": gettext_lazy("Know your rights"),
    "skip": gettext_lazy("Skip"),
    "send": gettext_lazy("Send now"),
    "unknown": gettext_lazy("Not known"),
    "cancel": gettext_lazy("Cancel"),
    "location": gettext_lazy("📍 Share my location"),
    "contact": gettext_lazy("📞 Share my phone number"),
    "callback": gettext_lazy("Call me back"),
}


def button_meaning(text: str) -> str | None:
    """Which button a text is, in any language, or None."""
    for lang in LANGUAGES:
        with translation.override(lang):
            for name, label in BUTTONS.items():
                if text == str(label):
                    return name
    return None


def _key(*rows: list[str], location: bool = False, contact: bool = False) -> dict:
    keyboard = []
    if location:
        keyboard.append([{"text": str(BUTTONS["location"]), "request_location": True}])
    if contact:
        keyboard.append([{"text": str(BUTTONS["contact"]), "request_contact": True}])
    keyboard += [[{"text": str(BUTTONS[name])} for name in row] for row in rows]
    return {"keyboard": keyboard, "resize_keyboard": True}


def menu_keyboard() -> dict:
    return _key(["detained"], ["someone"], ["cases", "rights"], ["callback"])


def step_keyboard(step: str) -> dict:
    """The buttons shown while the bot waits for one answer."""
    return {
        "location": lambda: _key(["skip"], ["cancel"], location=True),
        "city": lambda: _key(["skip", "send"], ["cancel"]),
        "name": lambda: _key(["send"], ["cancel"]),
        "dob": lambda: _key(["send"], ["cancel"]),
        "r_name": lambda: _key(["cancel"]),
        "r_dob": lambda: _key(["unknown"], ["cancel"]),
        "r_city": lambda: _key(["unknown"], ["cancel"]),
        "r_where": lambda: _key(["skip"], ["cancel"]),
        "r_station": lambda: _key(["unknown"], ["cancel"]),
        "r_phone": lambda: _key(["skip"], ["cancel"], contact=True),
        "cb_phone": lambda: _key(["cancel"], contact=True),
    }[step]()


def language_keyboard() -> dict:
    return {
        "inline_keyboard": [
            [
                {"text": "Русский", "callback_data": "lang:ru"},
                {"text": "English", "callback_data": "lang:en"},
            ]
        ]
    }


def welcome() -> str:
    return _(
        "%(org)s: legal help for people detained at protests.\n"
        "If you are being detained now, press “I am detained”. "
        "If someone you know was detained, press “Someone was detained”.\n"
        "/id shows your chat id, /lang changes the language."
    ) % {"org": settings.HABEAS_ORG_NAME}


def help_text() -> str:
    return _("Use the buttons below, or /start to begin again.")


def prompt(step: str) -> str:
    return {
        "location": lambda: _(
            "Share your location with the button below, so the lawyer knows where to go. "
            "If you cannot, press “Skip”."
        ),
        "city": lambda: _(
            "Which city are you in? Without a location this is how a lawyer nearby is found. "
            "Or press “Skip”."
        ),
        "name": lambda: _("Your full name, for the lawyer. Or press “Send now”."),
        "dob": lambda: _("Your date of birth, like 12.04.1995. Or press “Send now”."),
        "r_name": lambda: _("The detained person's full name."),
        "r_dob": lambda: _("Their date of birth, like 12.04.1995, or press “Not known”."),
        "r_city": lambda: _("In which city were they detained? Or press “Not known”."),
        "r_where": lambda: _("Where and when were they detained? Or press “Skip”."),
        "r_station": lambda: _("Which police station are they held at? Or press “Not known”."),
        "r_phone": lambda: _(
            "Your phone number for updates (optional). We will also write to you here."
        ),
        "cb_phone": lambda: _(
            "The number the hotline should call you at. Share it with the button below, or type it."
        ),
    }[step]()


def bad_city() -> str:
    return _("Write only the city's name, like Екатеринбург.")


def bad_date() -> str:
    return _("That is not a date we can read. Write it like 12.04.1995.")


def too_long() -> str:
    return _("That is too long. Please write it shorter.")


def bad_phone() -> str:
    return _("That does not look like a phone number. Write it like +7 916 555-01-02.")


def cancelled() -> str:
    return _("Cancelled. Nothing was sent.")


def received(case_id: str, link: str) -> str:
    return _(
        "%(org)s received your SOS. Case %(id)s. We are finding a lawyer. "
        "You will hear every step here. Status: %(link)s\n"
        "Hotline: %(phone)s"
    ) % {
        "org": settings.HABEAS_ORG_NAME,
        "id": case_id,
        "link": link,
        "phone": settings.HABEAS_HOTLINE_PHONE,
    }


def reported(case_id: str, link: str) -> str:
    return _(
        "%(org)s received your report. Case %(id)s. We are finding a lawyer. "
        "You will hear every step here. Private status link: %(link)s"
    ) % {"org": settings.HABEAS_ORG_NAME, "id": case_id, "link": link}


def following(case_id: str, message: str) -> str:
    return _("You now follow case %(id)s: %(status)s You will hear every step here.") % {
        "id": case_id,
        "status": message,
    }


def bad_link() -> str:
    return _("This link is not valid. Ask the person who sent it for a new one.")


def chat_id(value: int) -> str:
    return _(
        "Your chat id is %(id)s. Give it to someone who names you as a trusted contact in "
        "the app, and you will be told here if they send an SOS."
    ) % {"id": value}


def no_cases() -> str:
    return _("This chat follows no cases.")


def case_line(case_id: str, message: str, station: str | None) -> str:
    if station:
        return _("Case %(id)s: %(status)s (%(station)s)") % {
            "id": case_id,
            "status": message,
            "station": station,
        }
    return _("Case %(id)s: %(status)s") % {"id": case_id, "status": message}


def rights_header() -> str:
    return _("Know your rights. Key phrases:")


def key_phrases() -> list[str]:
    # Only facts shared/legal-facts-ru.md gives with a source (Const. 51, Const. 48 p.2,
    # ZoP 14 p.7); a guide's page says the rest, with its date of legal review.
    return [
        _("“I refuse to testify under article 51 of the Constitution.”"),
        _("“I want my lawyer. I have the right to one from the moment of detention.”"),
        _("“I want to make my phone call to a relative.” (within 3 hours)"),
    ]


def rights_guides() -> str:
    return _("Guides (they also work offline in the app):")


def language_set() -> str:
    return _("Language: English.")


def choose_language() -> str:
    return _("Choose a language.")


def slow_down() -> str:
    return _("Too many messages. Please wait a minute.")


def share(link: str) -> str:
    return _("Family and friends can follow the case in Telegram: %(link)s") % {"link": link}


def callback_asked(case_id: str) -> str:
    return _(
        "Asked: the hotline will call you back about case %(id)s. Keep your phone near you."
    ) % {"id": case_id}
