"""Send a planned step the way its real sender would: through the verbs' one entrance.

An SOS from the PWA and from the Telegram bot goes to dispatch.receive_sos, one by SMS to the
same with only the public reference its text carries, an operator's call to receive_call
(audited as the operator's change), and a check-in timer to timers.services.arm and check_in,
which leave firing the SOS to the worker, as in life. Nothing here writes with the ORM.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from habeas.accounts.models import User
from habeas.cases import services as cases
from habeas.cases.models import Channel, ReporterRole
from habeas.dispatch import services as dispatch
from habeas.lib import smscodec
from habeas.stations.models import PoliceStation
from habeas.timers import services as timers

from .plan import DAY_END, DAY_START, Person, Plan, Step


@dataclass
class Sent:
    """What the run has sent so far, by kind; the cases it opened, by the person's index."""

    sos: int = 0
    sms: int = 0
    bare: int = 0
    timers: int = 0
    duress: int = 0
    relatives: int = 0
    calls: int = 0
    merged: int = 0
    people: dict[int, int] = field(default_factory=dict)  # case pk -> person index


class Sender:
    def __init__(self, plan: Plan, operator: User | None, start: datetime) -> None:
        self.plan = plan
        self.operator = operator
        self.start = start
        # Keys are per run, not per seed: a replay of the same seed on the same database is
        # a new day's reports, not retries of the last run's.
        self.run = secrets.token_hex(4)
        self.sent = Sent()
        self.stations = {s.pk: s for s in PoliceStation.objects.all()}

    def key(self, person: Person, what: str) -> str:
        return f"demo-{self.run}-{person.index:05d}-{what}"

    def at(self, at_min: float) -> datetime:
        """The wall-clock moment a minute of the day falls on in this run."""
        span = self.plan.minutes * 60 / (DAY_END - DAY_START)
        return self.start + timedelta(seconds=(at_min - DAY_START) * span)

    def send(self, step: Step, now: datetime) -> None:
        person = self.plan.people[step.person]
        if step.kind == "sos":
            self._sos(person)
        elif step.kind == "arm_timer":
            self._arm(person, deadline=max(self.at(person.at_min), now + timedelta(seconds=1)))
            self.sent.timers += 1
        elif step.kind == "duress":
            # Armed earlier that day; now someone makes them "check in", and they type the
            # duress PIN: the answer looks like a check-in, the SOS goes out from the worker.
            later = max(self.at(person.at_min + 180), now + timedelta(minutes=5))
            token = self._arm(person, deadline=later)
            timers.check_in(token, person.duress_pin)
            self.sent.duress += 1
        elif step.kind == "relative":
            self._relative(person, step.relative)

    def _location(self, person: Person) -> cases.Location | None:
        if person.lat is None:
            return None
        return cases.Location(person.lat, person.lon, person.accuracy_m)

    def _own(self, person: Person, channel: str = Channel.APP) -> cases.Intake:
        contacts = ({"email": person.contact},) if person.contact else ()
        return cases.Intake(
            person=cases.Person(person.full_name, person.born, person.phone, person.note),
            location=self._location(person),
            channel=channel,
            contacts=contacts if channel == Channel.APP else (),
        )

    def _sos(self, person: Person) -> None:
        if person.way == "bare":
            intake = cases.Intake(location=self._location(person))
            opened = dispatch.receive_sos(intake, idempotency_key=self.key(person, "sos"))
            self.sent.bare += 1
        elif person.way == "sms":
            # The SMS carries the public reference of a key only the phone knows.
            reference = smscodec.reference(self.key(person, "sos"))
            opened = dispatch.receive_sos(self._own(person, Channel.SMS), reference=reference)
            self.sent.sms += 1
        else:
            opened = dispatch.receive_sos(
                self._own(person), idempotency_key=self.key(person, "sos")
            )
        self.sent.sos += 1
        self._note(opened, person)

    def _arm(self, person: Person, deadline: datetime) -> str:
        _timer, token, _created = timers.arm(
            self._own(person),
            deadline=deadline,
            pin=person.pin,
            duress_pin=person.duress_pin,
            idempotency_key=self.key(person, "timer"),
        )
        return token

    def _relative(self, person: Person, n: int) -> None:
        relative = person.relatives[n]
        named = cases.Person(
            full_name=person.full_name,
            date_of_birth=person.born if relative.knows_birth_date else None,
        )
        key = self.key(person, f"relative{n}")
        station = self.stations.get(person.station_id)
        if relative.channel == "call" and self.operator is not None:
            # The caller names the station; the operator's form routes on its position.
            where = cases.Location(station.lat, station.lon) if station else None
            intake = cases.Intake(
                person=named,
                location=where,
                channel=Channel.OPERATOR,
                reporter_role=ReporterRole.RELATIVE,
                reporter=cases.Reporter(phone=relative.phone, relation=relative.relation),
            )
            opened = dispatch.receive_call(intake, idempotency_key=key, operator=self.operator)
            self.sent.calls += 1
        else:
            telegram = relative.channel == "telegram"
            intake = cases.Intake(
                person=named,
                channel=Channel.TELEGRAM if telegram else Channel.APP,
                reporter_role=ReporterRole.RELATIVE,
                reporter=cases.Reporter(
                    phone=relative.phone,
                    relation=relative.relation,
                    telegram=f"demo-chat-{person.index}-{n}" if telegram else "",
                ),
            )
            opened = dispatch.receive_sos(intake, idempotency_key=key)
        self.sent.relatives += 1
        self._note(opened, person)

    def _note(self, opened: cases.Opened, person: Person) -> None:
        self.sent.merged += int(opened.merged)
        self.sent.people.setdefault(opened.case.pk, person.index)
