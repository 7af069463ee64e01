"""Cases, the reports that open them and their append-only timeline.

A case's clear columns are its routing envelope only; whatever identifies a person lives in
Report.sealed (and CaseEvent.sealed_note), opened only through habeas.lib.sealing.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# No 0/O/1/I/L: public ids get read aloud over the phone between dispatcher and lawyer.
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


class Kind(models.TextChoices):
    DETENTION = "detention", _("Detention")
    SUMMONS = "summons", _("Summons")
    SEARCH = "search", pgettext_lazy("kind of case", "Search")
    OTHER = "other", _("Other")
    CONSULTATION = "consultation", _("Consultation")
    COURT = "court", _("Court representation")
    APPEAL = "appeal", _("Help with an appeal")


# Requests for legal aid, not emergencies: offered for hours rather than minutes, never
# escalated within minutes, after every SOS in dispatch order, and worded as requests to the
# person, their contacts and the lawyer. A summons is one: the day is known in advance.
REQUEST_KINDS = frozenset({Kind.SUMMONS, Kind.CONSULTATION, Kind.COURT, Kind.APPEAL})


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for a lawyer")
    ASSIGNED = "assigned", _("Lawyer assigned")
    LAWYER_ON_SITE = "lawyer_on_site", _("Lawyer at the station")
    CLOSED = "closed", _("Closed")


# What "open" means, once: every status but closed. Queues, loads and counts all use it.
OPEN_STATUSES = frozenset(Status) - {Status.CLOSED}


class CaseOutcome(models.TextChoices):
    """How a case ended, for the organisation's counts: it stays after the personal data goes."""

    RELEASED = "released", _("Released without a protocol")
    PROTOCOL = "protocol", _("Protocol drawn up, no court yet")
    FINE = "fine", _("Fine")
    ARREST = "arrest", _("Administrative arrest")
    COMPULSORY_WORK = "work", _("Compulsory work")
    DISMISSED = "dismissed", _("Case dismissed")
    CRIMINAL = "criminal", _("Criminal case opened")
    FALSE_ALARM = "false_alarm", _("False alarm")
    OTHER = "other", _("Other")


class Origin(models.TextChoices):
    """How the SOS was sent: it changes what a lawyer may safely do (call the phone or not)."""

    SOS = "sos", _("SOS")
    TIMER = "timer", _("Check-in timer expired")
    DURESS = "duress", _("Duress PIN")


# Raised above an ordinary case: a timer means the person could not even press the button,
# duress that someone is watching them. A minor (MINOR_PRIORITY 10) still comes first, as the
# law gives a minor a representative from the start.
ORIGIN_PRIORITY = {Origin.SOS: 0, Origin.TIMER: 5, Origin.DURESS: 5}


class Channel(models.TextChoices):
    APP = "app", _("App")
    SMS = "sms", _("SMS")
    TELEGRAM = "telegram", _("Telegram")
    OPERATOR = "operator", _("Operator")
    WEB = "web", _("Web form")


class ReporterRole(models.TextChoices):
    SELF = "self", _("The person themselves")
    RELATIVE = "relative", _("Relative")
    WITNESS = "witness", _("Witness")


class EventKind(models.TextChoices):
    REPORTED = "reported", _("SOS received")
    OFFERED = "offered", _("Offered to a lawyer")
    OFFER_DECLINED = "offer_declined", _("A lawyer declined the offer")
    OFFER_EXPIRED = "offer_expired", _("An offer ran out")
    ESCALATED = "escalated", _("No lawyer accepted: dispatchers alerted")
    ACCEPTED = "accepted", _("A lawyer took the case")
    LAWYER_EN_ROUTE = "lawyer_en_route", _("The lawyer is on the way")
    LAWYER_ARRIVED = "lawyer_arrived", _("The lawyer is at the station")
    ADMITTED = "admitted", _("The lawyer was let in")
    REFUSED_ENTRY = "refused_entry", _("The lawyer was refused entry")
    HELD_AT = "held_at", _("Held at a police station")
    TRANSFERRED = "transferred", _("Moved to another police station")
    PROTOCOL = "protocol", _("Protocol drawn up")
    RELEASED = "released", _("Released")
    COURT_DATE = "court_date", _("Court date set")
    HEARING = "hearing", _("Hearing recorded")
    DECISION = "decision", _("Court decision")
    NOTE = "note", _("Note")
    EVIDENCE = "evidence", _("Evidence file received")
    CLOSED = "closed", _("Case closed")
    WITHDRAWN = "withdrawn", _("Withdrawn: false alarm")
    MERGED = "merged", _("Another report about this person joined the case")
    MERGED_INTO = "merged_into", _("Merged into another case")
    SPLIT = "split", _("A report was moved into a case of its own")


class RefusalReason(models.TextChoices):
    FORTRESS = "fortress", _("“Fortress” plan declared")
    NOT_HERE = "not_here", _("Told the person is not here")
    NO_REASON = "no_reason", _("No reason given")
    OTHER = "other", _("Other")


# What the detainee and their family may see: staff notes and the dispatch back-office stay in
# the console.
PUBLIC_EVENT_KINDS = frozenset(EventKind) - {
    EventKind.NOTE,
    EventKind.OFFERED,
    EventKind.OFFER_DECLINED,
    EventKind.OFFER_EXPIRED,
    EventKind.ESCALATED,
    # That someone else reported the person too is of no use to the family, and a phone the
    # police hold would tell them that friends are involved.
    EventKind.MERGED,
    EventKind.MERGED_INTO,
    EventKind.SPLIT,
}


class CaseQuerySet(models.QuerySet):
    def open(self) -> "CaseQuerySet":
        """Cases not closed. `status IN (...)` is served by the queue index."""
        return self.filter(status__in=sorted(OPEN_STATUSES))

    def queue(self) -> "CaseQuerySet":
        """Open cases, highest priority first, then newest."""
        return (
            self.open()
            .select_related("police_station", "assigned_lawyer")
            .order_by("-priority", "-created_at")
        )

    def triage(self) -> "CaseQuerySet":
        """Open cases in the order dispatch offers them (dispatch.policy.triage): highest
        priority first, then the longest waiting."""
        return (
            self.open()
            .select_related("police_station", "assigned_lawyer")
            .order_by("-priority", "created_at", "id")
        )

    def unassigned(self) -> "CaseQuerySet":
        return self.filter(assigned_lawyer__isnull=True)

    def at_place(self, station) -> "CaseQuerySet":
        """Cases whose `place` is this station: held there, or, where nobody knows yet,
        nearest to where the SOS came from (the queue's station filter reads it alike)."""
        return self.filter(
            Q(police_station=station) | Q(police_station__isnull=True, near_station=station)
        )

    def assigned_to(self, user) -> "CaseQuerySet":
        """A lawyer's own open cases, in triage order."""
        return self.triage().filter(assigned_lawyer=user)

    def requests(self) -> "CaseQuerySet":
        """Open requests for legal aid: the soonest day first, then those with no day, the
        longest waiting first. A day already past stays listed: nobody has closed it."""
        return (
            self.open()
            .filter(kind__in=sorted(REQUEST_KINDS))
            .select_related("assigned_lawyer")
            .order_by(models.F("due_at").asc(nulls_last=True), "created_at", "id")
        )

    def version(self, open_count: int | None = None) -> str:
        """A cheap fingerprint of the queue: changes whenever any case changes or opens.

        Two queries, each answered by an index (updated_at's, and the partial index of the
        open cases); one aggregate with COUNT … FILTER scanned the whole table, 180 ms at a
        million cases on every 304 of every poll (docs/benchmarks.md, section 5). A caller
        that has counted the open cases already passes the count.
        """
        last = self.aggregate(last=Max("updated_at"))["last"]
        if open_count is None:
            open_count = self.filter(status__in=sorted(OPEN_STATUSES)).count()
        return f"{last.timestamp() if last else 0:.6f}-{open_count}"


class Case(models.Model):
    """One person's episode: a detention, summons or search."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DETENTION)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    # Higher goes first. Raised for minors (computed at intake, before the details are sealed).
    priority = models.SmallIntegerField(_("priority"), default=0)
    is_minor = models.BooleanField(_("minor"), default=False)
    # Set by the check-in timer when it fires (timers.services._fire), so the queue, the case
    # page and the lawyer's offer say "do not call their phone" for a duress SOS.
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices, default=Origin.SOS)
    police_station = models.ForeignKey(
        "stations.PoliceStation",
        verbose_name=_("held at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # The station nearest to where the SOS came from: dispatch routes on it without a lookup.
    near_station = models.ForeignKey(
        "stations.PoliceStation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The city the person gave (habeas.lib.places.city_key), in the clear like the coarse
    # location: with no location it decides which lawyers are offered the case.
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Rounded to ~500 m: enough to route, too coarse to find a person.
    lat_coarse = models.FloatField(null=True, blank=True)
    lon_coarse = models.FloatField(null=True, blank=True)
    location_captured_at = models.DateTimeField(null=True, blank=True)
    assigned_lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    purge_after = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when no lawyer accepted in time: the queue flags it for dispatchers.
    escalated_at = models.DateTimeField(null=True, blank=True)
    # When a request is for: the summoned person must appear, the hearing, the day asked for
    # (kinds in REQUEST_KINDS), so a lawyer can plan and be reminded. Empty for an SOS.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "-priority", "-created_at"], name="case_queue_idx"),
            # The queue's default order, which is dispatch's: priority, then the oldest.
            models.Index(fields=["status", "-priority", "created_at"], name="case_triage_idx"),
            # The same over the open cases only, whatever their status: a protest day's few
            # thousand rows, not the archive (bench/scale.py, docs/benchmarks.md).
            models.Index(
                models.F("priority").desc(),
                "created_at",
                condition=~models.Q(status="closed"),
                name="case_open_triage_idx",
            ),
            # A lawyer's load and "my cases": their open cases, never their history.
            models.Index(
                fields=["assigned_lawyer"],
                condition=~models.Q(status="closed"),
                name="case_open_lawyer_idx",
            ),
            # Searches by day and by station, newest first, across the archive.
            models.Index(fields=["-created_at"], name="case_created_idx"),
            models.Index(fields=["police_station", "-created_at"], name="case_station_idx"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_closed(self) -> bool:
        return self.status not in OPEN_STATUSES

    @property
    def is_request(self) -> bool:
        return self.kind in REQUEST_KINDS

    @property
    def place(self):
        """Where the case is, as the envelope tells: the station holding the person, else the
        station nearest to where the SOS came from (noted at intake), else None."""
        return self.police_station or self.near_station

    @property
    def place_is_known(self) -> bool:
        """Whether `place` is where the person is held, not only the nearest station."""
        return self.police_station_id is not None


class Report(models.Model):
    """One incoming report about a case; several can merge into one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.APP)
    reporter_role = models.CharField(
        max_length=16, choices=ReporterRole.choices, default=ReporterRole.SELF
    )
    # The person's details and exact location, AES-GCM sealed; see habeas.lib.sealing.
    sealed = models.BinaryField(null=True)
    # Keyed hash of normalised name + date of birth: matches reports without opening them.
    blind_index = models.CharField(max_length=64, blank=True, db_index=True)
    # Keyed hash of the normalised name alone (another purpose, so it cannot be compared with
    # blind_index): "possible matches" for reports without a date of birth, never a merge.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    # Only the hash: a copy of the database does not let anyone read a family's status page.
    status_token_hash = models.CharField(max_length=64, unique=True)
    # A second, read-only link for trusted contacts: status and station, nothing else.
    watch_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # cases.services.stored_key: a keyed hash of the SOS's public reference, never the key,
    # which derives the status token. The app's key and its SMS share it: one case.
    idempotency_key = models.CharField(max_length=100, unique=True)
    # Keyed hash of the request body, to tell a retry from a different SOS under a reused key.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.channel}"


class PersonClaim(models.Model):
    """Which case a person's blind index belongs to: one row per person, unique.

    Two reports of one person arriving at once both try to insert this row in their own
    transaction; the database lets one win, and the other waits for it and joins its case
    (on PostgreSQL and SQLite alike). Deleted with the case's personal data.
    """

    blind_index = models.CharField(max_length=64, unique=True)
    case = models.ForeignKey(Case, null=True, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"claim:{self.case_id}"


class CaseEvent(models.Model):
    """An append-only step in a case's story."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    station = models.ForeignKey(
        "stations.PoliceStation", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Staff free text may name people, so it is sealed like a report.
    sealed_note = models.BinaryField(null=True)
    # Facts that name nobody: refusal reason, KoAP article, court date, lawyer offered.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            # The events of one kind lately, as the station board counts the day's refusals of
            # entry: through created_at's index alone it read every event of the day, 59 ms
            # at a million cases (bench/scale.py).
            models.Index(fields=["kind", "created_at"], name="event_kind_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_EVENT_KINDS
