"""Files a person, their family or a lawyer upload to a case: photos, video, documents.

The bytes are sealed piece by piece (AES-GCM, each piece bound to its upload and its place)
and kept in the `evidence` storage, never in the database. The row holds what a lawyer files
with a complaint: size, SHA-256, type and the time it was received; the file's name, which
can name the person, is sealed. All of it goes with the case's personal data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class Uploader(models.TextChoices):
    PERSON = "person", _("The person")
    RELATIVE = "relative", _("Family or a friend")
    WITNESS = "witness", _("A witness")
    STAFF = "staff", _("Hotline staff")


class Evidence(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence")
    # The phone's own key for this file: a retry or a resume after a dropped connection
    # names it again, so one file is one upload however often it is sent.
    upload_key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # {"filename"}, AES-GCM sealed (evidence.services.PURPOSE).
    sealed = models.BinaryField(null=True)
    uploader = models.CharField(_("uploaded by"), max_length=12, choices=Uploader.choices)
    # The status link it came through: only that link may resume it or see its receipt.
    report = models.ForeignKey(
        "cases.Report", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bytes stored so far, and the storage names of the sealed pieces in order.
    received = models.BigIntegerField(default=0)
    pieces = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once every byte arrived and the SHA-256 matched: the receipt's time.
    completed_at = models.DateTimeField(_("received"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.sha256[:12]}"

    @property
    def complete(self) -> bool:
        return self.completed_at is not None
