from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from habeas.lib.keyed import keyed_hash


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    LAWYER = "lawyer", _("Lawyer")
    ADMIN = "admin", _("Administrator")
    # Takes calls on the hotline: enters cases and works the call-back list, sees the queue,
    # is never offered a case.
    OPERATOR = "operator", _("Hotline operator")


class StaffManager(UserManager):
    """Create staff by email; the username mirrors it because Django's admin expects one."""

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)

    def create_superuser(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(email=email, password=password, **extra)


class User(AbstractUser):
    """A member of the organisation's staff. The public never has accounts."""

    email = models.EmailField(_("email"), unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LAWYER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_lawyer(self) -> bool:
        return self.role == Role.LAWYER

    @property
    def is_dispatcher(self) -> bool:
        return self.role in (Role.DISPATCHER, Role.ADMIN)

    @property
    def takes_calls(self) -> bool:
        """Enters cases from phone calls and calls people back: operators and dispatchers."""
        return self.role == Role.OPERATOR or self.is_dispatcher


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed personal data")
    CHANGE = "change", _("Changed a case")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")


class AuditEntry(models.Model):
    """Who did what to which case, and when. Holds no personal data itself: a case is named
    by its public id, a person by their staff account. The application only ever adds rows."""

    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    case_ref = models.CharField(_("case"), max_length=16, blank=True, db_index=True)
    what = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.case_ref}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are never deleted")


class Invitation(models.Model):
    """A single-use, expiring link an administrator issues so that a member of staff can set
    their password and authenticator. Only its hash is kept: a copy of the database opens
    nobody's enrolment."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation for {self.user_id}"


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device, except that its stored `key` is only a seed.

    The secret the authenticator app holds is derived from the seed with the server's secret
    (SECRET_KEY, kept outside the database), so a copy of the database alone cannot make
    second-factor codes. django-otp's own column stays as it is: only `bin_key` changes.
    """

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(keyed_hash("totp-secret", self.key))[:20]
