"""Request and response shapes of the public API. Validation lives here, at the edge."""

import datetime as dt
import re
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, field_validator, model_validator
from pydantic_core import PydanticCustomError

from habeas.lib.places import MAX_LENGTH as CITY_MAX_LENGTH
from habeas.lib.places import is_city_name
from habeas.timers.services import PIN_MAX, PIN_MIN

# Input shapes are plain pydantic models: ninja's Schema would read attributes off any object,
# so a string where an object belongs would pass as an empty person.


class In(BaseModel):
    """Every input shape: an unknown field is refused (422), never silently dropped, so a
    client sending `reporter_role` to a server that does not know it hears so."""

    model_config = ConfigDict(extra="forbid")


def refused(code: str, text: str) -> PydanticCustomError:
    """A shape refusal with a code: errors.py words each code in the reader's language, so
    the English `text` here is for logs and programs only."""
    return PydanticCustomError(code, text)


PHONE_PATTERN = r"^(\+?[0-9 ()\-]{3,32})?$"
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{3,32}$")


def check_phone(cls, value):
    """Strip a phone number and refuse anything but digits, spaces, +, ( ) and -."""
    if not isinstance(value, str):
        return value  # the type check that follows names the field
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise refused("bad_phone", "phone may hold digits, spaces, +, ( ) and - only")
    return value


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(cls, value: str) -> str:
    value = value.strip()
    if value and not EMAIL_RE.match(value):
        raise refused("bad_email", "not an email address")
    return value


def check_chat_id(cls, value: str) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"-?\d{1,20}", value):
        raise refused("bad_chat_id", "a Telegram chat id is a number")
    return value


class PersonIn(In):
    full_name: str = Field("", max_length=200)
    date_of_birth: dt.date | None = None
    phone: str = Field("", max_length=32, pattern=PHONE_PATTERN)
    note: str = Field("", max_length=1000)

    @field_validator("full_name", "phone", "note", mode="before")
    @classmethod
    def none_is_empty(cls, value):
        return "" if value is None else value

    @field_validator("full_name", "note")
    @classmethod
    def strip_text(cls, value: str) -> str:
        return value.strip()

    phone_shape = field_validator("phone", mode="before")(check_phone)

    @field_validator("date_of_birth")
    @classmethod
    def born_in_the_past(cls, value: dt.date | None) -> dt.date | None:
        if value is None:
            return value
        if value > timezone.localdate():
            raise refused("born_in_future", "date of birth is in the future")
        if value.year < 1900:
            raise refused("born_too_early", "date of birth is before 1900")
        return value


class LocationIn(In):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0, le=100_000)
    captured_at: dt.datetime | None = None

    @field_validator("captured_at")
    @classmethod
    def not_in_the_future(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return value
        if timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
        # Phones' clocks drift; a few minutes ahead is a clock, an hour ahead is bad data.
        if value > timezone.now() + dt.timedelta(minutes=10):
            raise refused("captured_in_future", "captured_at is in the future")
        return value


class ContactIn(In):
    """A trusted contact to alert: exactly one of phone, email or Telegram chat id."""

    phone: str = Field("", max_length=32, pattern=PHONE_PATTERN)
    email: str = Field("", max_length=254)
    telegram: str = Field(
        "",
        max_length=32,
        description="numeric chat id of someone who has started the organisation's bot",
    )

    phone_shape = field_validator("phone", mode="before")(check_phone)
    email_shape = field_validator("email")(check_email)
    chat_id_shape = field_validator("telegram")(check_chat_id)

    @model_validator(mode="after")
    def exactly_one(self) -> "ContactIn":
        if sum(bool(v) for v in (self.phone, self.email, self.telegram)) != 1:
            raise refused("one_contact_way", "give exactly one of phone, email or telegram")
        return self


class SummonsIn(In):
    date: dt.date
    time: str = Field("", pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^$")
    place: str = Field("", max_length=200)
    text: str = Field("", max_length=2000)
    reason: Literal["witness", "conversation", "metro", "other"] = "other"

    @field_validator("date")
    @classmethod
    def plausible_date(cls, value: dt.date) -> dt.date:
        today = timezone.localdate()
        if value < today - dt.timedelta(days=30):
            raise refused("summons_too_old", "the summons date is more than 30 days ago")
        if value > today + dt.timedelta(days=366):
            raise refused("summons_too_far", "the summons date is more than a year ahead")
        return value


class RequestIn(In):
    """A request for legal aid that is no emergency: the day it is for, where, what is asked."""

    date: dt.date | None = Field(
        None, description="the hearing, the deadline or the day that suits the person"
    )
    time: str = Field("", pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^$")
    place: str = Field("", max_length=200, description="the court or an address")
    text: str = Field("", max_length=2000, description="what the person asks, in their words")

    @field_validator("date")
    @classmethod
    def plausible_date(cls, value: dt.date | None) -> dt.date | None:
        today = timezone.localdate()
        if value is not None and value < today - dt.timedelta(days=30):
            raise refused("request_too_old", "the request's date is more than 30 days ago")
        if value is not None and value > today + dt.timedelta(days=366):
            raise refused("request_too_far", "the request's date is more than a year ahead")
        return value


REQUEST_KINDS = ("consultation", "court", "appeal")


class ReporterIn(In):
    """Who reports someone else's detention, and how to tell them of each step. Sealed."""

    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=32, pattern=PHONE_PATTERN)
    telegram: str = Field(
        "",
        max_length=32,
        description="numeric chat id of someone who has started the organisation's bot",
    )
    email: str = Field("", max_length=254)
    relation: str = Field("", max_length=100, description="e.g. mother, friend, saw it")

    @field_validator("name", "relation")
    @classmethod
    def strip_text(cls, value: str) -> str:
        return value.strip()

    phone_shape = field_validator("phone", mode="before")(check_phone)
    email_shape = field_validator("email")(check_email)
    chat_id_shape = field_validator("telegram")(check_chat_id)


def check_city(cls, value):
    """A city as the person typed it: letters, spaces, hyphens and dots, nothing else."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value  # the type check that follows names the field
    value = " ".join(value.split())
    if not is_city_name(value):
        raise refused("bad_city", "city may hold letters, spaces, hyphens and dots only")
    return value


CITY_DESCRIPTION = (
    "the city the person gave in My details, in the clear like the coarse location: with no "
    "location, the case goes to lawyers covering that city"
)


class SosIn(In):
    kind: Literal["detention", "summons", "search", "other", "consultation", "court", "appeal"] = (
        "detention"
    )
    person: PersonIn | None = None
    location: LocationIn | None = None
    city: str = Field("", max_length=CITY_MAX_LENGTH, description=CITY_DESCRIPTION)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=3)
    summons: SummonsIn | None = None
    request: RequestIn | None = Field(
        None, description="for kinds consultation, court and appeal: what the request is for"
    )
    reporter_role: Literal["self", "relative", "witness"] = Field(
        "self", description="who sends this: the person themselves, a relative or a witness"
    )
    reporter: ReporterIn | None = Field(
        None, description="the relative or witness, when reporter_role is not self"
    )

    city_shape = field_validator("city", mode="before")(check_city)

    @model_validator(mode="after")
    def reporter_goes_with_its_role(self) -> "SosIn":
        if self.reporter is not None and self.reporter_role == "self":
            raise refused(
                "reporter_needs_role", "reporter goes with reporter_role 'relative' or 'witness'"
            )
        return self

    @model_validator(mode="after")
    def summons_goes_with_its_kind(self) -> "SosIn":
        if self.kind == "summons" and self.summons is None:
            raise refused("summons_needs_date", "a summons needs its date: give summons.date")
        if self.kind != "summons" and self.summons is not None:
            raise refused("summons_kind_only", "summons details go with kind 'summons' only")
        if self.kind not in REQUEST_KINDS and self.request is not None:
            raise refused(
                "request_kind_only",
                "request details go with kind 'consultation', 'court' or 'appeal' only",
            )
        return self


class InboundSmsIn(In):
    """What the SMS gateway posts for each incoming message."""

    sender: str = Field(..., alias="from", max_length=32)
    text: str = Field(..., max_length=1600)
    id: str = Field("", max_length=100, description="the gateway's message id, for retries")

    @field_validator("sender")
    @classmethod
    def phone_shape(cls, value: str) -> str:
        value = value.strip()
        if not PHONE_RE.match(value):
            raise refused("bad_phone", "from must be a phone number")
        return value


class InboundSmsOut(Schema):
    case_id: str
    payload: bool
    created: bool


class SosOut(Schema):
    case_id: str
    status_token: str
    status: str
    merged: bool = Field(
        False, description="the report joined the case another report of this person opened"
    )


class EventOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    station: str | None = None


class HearingOut(Schema):
    at: dt.datetime
    court: str
    address: str


class DecisionOut(Schema):
    outcome: str
    text: str = Field(..., description="the decision with its size, in the reader's language")
    appeal_by: dt.date = Field(..., description="the last day to file the appeal")


class CourtOut(Schema):
    hearing: HearingOut | None = Field(None, description="the next hearing not yet decided")
    decision: DecisionOut | None = Field(None, description="the latest decision")


class StatusOut(Schema):
    case_id: str
    status: str
    stage: str
    message: str
    closed: bool
    police_station: str | None
    hotline_phone: str
    events: list[EventOut]
    heading: str = Field(
        "", description="the screen's heading for the stage, in the reader's language"
    )
    lawyer: str | None = Field(None, description="the name of the lawyer on the case")
    court: CourtOut | None = Field(
        None, description="the court stage, once a lawyer recorded a hearing"
    )


class ErrorItem(Schema):
    field: str
    message: str
    # Set when a domain rule refused the request: stable across languages, for programs.
    code: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []


class TimerIn(In):
    deadline: dt.datetime
    pin: str = Field(..., min_length=PIN_MIN, max_length=PIN_MAX, pattern=r"^[0-9]+$")
    duress_pin: str = Field(..., min_length=PIN_MIN, max_length=PIN_MAX, pattern=r"^[0-9]+$")
    person: PersonIn | None = None
    location: LocationIn | None = None
    city: str = Field("", max_length=CITY_MAX_LENGTH, description=CITY_DESCRIPTION)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=3)

    city_shape = field_validator("city", mode="before")(check_city)

    @field_validator("deadline")
    @classmethod
    def aware(cls, value: dt.datetime) -> dt.datetime:
        if timezone.is_naive(value):
            raise refused("deadline_no_offset", "give the deadline with its time zone offset")
        return value


class TimerOut(Schema):
    timer_token: str | None = None
    deadline: dt.datetime
    state: str


class PinIn(In):
    pin: str = Field(..., min_length=1, max_length=PIN_MAX)


class WrongPinOut(Schema):
    detail: str
    attempts_left: int
