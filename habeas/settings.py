"""Habeas settings: one file, every value from the environment, failing closed.

Without HABEAS_DEBUG=1 a missing secret key or data key stops start-up: a server that may be
seized must never run on a guessable key. In debug, keys are generated once into var/.
"""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from habeas.lib.sealing import Keyring

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HABEAS_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable, failing start-up with its name on anything else.

    A typo must never flip a safety switch: HABEAS_SSL_REDIRECT=ture once read as "off".
    """
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}, got {value!r}"
    )


def _env_number(name: str, default, minimum, parse, kind: str):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = parse(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {kind}, got {value!r}") from exc
    # nan compares false with everything, so it fails this test as well as a negative does.
    if not (minimum <= number < float("inf")):
        raise ImproperlyConfigured(f"{name} must be {kind} of at least {minimum}, got {value!r}")
    return number


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Read a whole number, failing start-up with the variable's name if it is not one.

    Every numeric setting here is a count, a size or a duration: below `minimum` is a mistake.
    """
    return _env_number(name, default, minimum, int, "a whole number")


def env_float(name: str, default: float, minimum: float = 0.0) -> float:
    """Read a finite number, failing start-up with the variable's name if it is not one."""
    return _env_number(name, default, minimum, float, "a number")


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def map_tiles_url(name: str) -> str:
    """Read the tile server's URL template, failing start-up on one the map cannot use.

    One origin only (no "{s}" subdomains): the pages that show a map allow exactly that
    origin for images, and no other server learns who looks at the map.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    scheme, _, rest = value.partition("://")
    host = rest.split("/", 1)[0]
    if scheme not in ("https", "http") or not host or "{" in host:
        raise ImproperlyConfigured(
            f"{name} must be an http(s) URL template on one host, like "
            f"https://tiles.example.org/{{z}}/{{x}}/{{y}}.png, got {value!r}"
        )
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(f"{name} must contain {{z}}, {{x}} and {{y}}, got {value!r}")
    return value


def dev_secret(filename: str, make) -> str:
    """Return a debug-only secret kept in var/, creating it on first use."""
    path = VAR_DIR / filename
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def required(name: str, dev_file: str, make) -> str:
    """Return a secret from the environment; in debug fall back to a generated one in var/."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return dev_secret(dev_file, make)
    raise ImproperlyConfigured(
        f"{name} is not set. Habeas refuses to start without it outside debug "
        f"(set HABEAS_DEBUG=1 for local development). See the README's configuration table."
    )


def new_data_key() -> str:
    # Key ids let old ciphertexts name the key that opens them after rotation.
    return f"k{secrets.token_hex(3)}:{secrets.token_urlsafe(32)}"


DEBUG = env_bool("HABEAS_DEBUG")
if DEBUG:
    # The development keys sit beside the SQLite database here: with the folder readable by
    # every account on the machine, a copy of both opened every sealed detail.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder someone else owns: theirs to protect
        VAR_DIR.chmod(0o700)

SECRET_KEY = required("SECRET_KEY", "dev-secret-key", lambda: secrets.token_urlsafe(50))
# Comma-separated "id:base64url-key" entries; the first one seals, all of them open.
HABEAS_DATA_KEYS = required("HABEAS_DATA_KEYS", "dev-data-keys", new_data_key)
try:
    Keyring.parse(HABEAS_DATA_KEYS)
except ValueError as exc:
    raise ImproperlyConfigured(f"HABEAS_DATA_KEYS: {exc}") from exc
# Keyed hash for matching reports about the same person without opening them.
HABEAS_INDEX_KEY = required("HABEAS_INDEX_KEY", "dev-index-key", lambda: secrets.token_urlsafe(32))
HABEAS_HOTLINE_PHONE = os.environ.get("HABEAS_HOTLINE_PHONE", "+7 800 000-00-00")
HABEAS_ORG_NAME = os.environ.get("HABEAS_ORG_NAME", "Habeas")
# Personal data of a closed case is destroyed this many days after closure.
HABEAS_RETENTION_DAYS = env_int("HABEAS_RETENTION_DAYS", 30)
# Open statistics (habeas/stats, docs/stats.md): a count under this is published as "< N",
# which case kinds are public (not summons: a summons list names who the police call in),
# and how long one computation serves every reader.
HABEAS_STATS_MIN_COUNT = env_int("HABEAS_STATS_MIN_COUNT", 5, minimum=2)
HABEAS_STATS_KINDS = env_list("HABEAS_STATS_KINDS", "detention,search")
if not set(HABEAS_STATS_KINDS) <= {"detention", "summons", "search", "other"}:
    # Fail closed: a typo must not publish a kind, nor silently publish nothing.
    raise ImproperlyConfigured(f"HABEAS_STATS_KINDS: unknown kind in {HABEAS_STATS_KINDS}")
HABEAS_STATS_CACHE_SECONDS = env_int("HABEAS_STATS_CACHE_SECONDS", 300, minimum=1)
# How often the PWA and console ask for changes; the issue asks for under 2 s.
HABEAS_POLL_MS = env_int("HABEAS_POLL_MS", 1500)

# Where links in messages point (offers to lawyers, status links for trusted contacts).
HABEAS_BASE_URL = os.environ.get("HABEAS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Dispatch: how long a lawyer has to accept an offer, and how many lawyers are tried before
# every dispatcher is alerted.
HABEAS_OFFER_SECONDS = env_int("HABEAS_OFFER_SECONDS", 180)
HABEAS_OFFER_MAX_TRIES = env_int("HABEAS_OFFER_MAX_TRIES", 3)
# Escalation without noise: a case nobody accepted is escalated once it has waited this long
# (not the instant nobody is free: lawyers free up within minutes on a busy day), and each
# dispatcher gets one digest of escalated cases at most this often, not one message per case
# (300 escalations once sent 601 emails).
HABEAS_ESCALATE_AFTER_MINUTES = env_int("HABEAS_ESCALATE_AFTER_MINUTES", 10, minimum=1)
HABEAS_ESCALATION_DIGEST_MINUTES = env_int("HABEAS_ESCALATION_DIGEST_MINUTES", 5, minimum=1)
# A request for legal aid (a consultation, court, an appeal, a summons) is no emergency: a
# lawyer has hours to accept it, and it reaches dispatchers only once HABEAS_OFFER_MAX_TRIES
# lawyers let it pass or nobody covers it, never after HABEAS_ESCALATE_AFTER_MINUTES.
HABEAS_REQUEST_OFFER_HOURS = env_int("HABEAS_REQUEST_OFFER_HOURS", 4, minimum=1)

# Notifications. A channel without its settings is off (printed instead, in debug).
HABEAS_DELIVERY_MAX_ATTEMPTS = env_int("HABEAS_DELIVERY_MAX_ATTEMPTS", 8)
HABEAS_DELIVERY_TIMEOUT = env_int("HABEAS_DELIVERY_TIMEOUT", 10)
HABEAS_DELIVERY_BACKOFF_SECONDS = env_float("HABEAS_DELIVERY_BACKOFF_SECONDS", 5.0)
HABEAS_SMTP_URL = os.environ.get("HABEAS_SMTP_URL", "")
HABEAS_EMAIL_FROM = os.environ.get("HABEAS_EMAIL_FROM", "habeas@localhost")
HABEAS_TELEGRAM_TOKEN = os.environ.get("HABEAS_TELEGRAM_TOKEN", "")
HABEAS_TELEGRAM_API_URL = os.environ.get("HABEAS_TELEGRAM_API_URL", "https://api.telegram.org/bot")
HABEAS_VAPID_PRIVATE_KEY = os.environ.get("HABEAS_VAPID_PRIVATE_KEY", "")
HABEAS_VAPID_PUBLIC_KEY = os.environ.get("HABEAS_VAPID_PUBLIC_KEY", "")
HABEAS_VAPID_SUBJECT = os.environ.get("HABEAS_VAPID_SUBJECT", "mailto:admin@localhost")
# Web Push goes only to the browsers' push services ("*." matches subdomains), extended by
# HABEAS_PUSH_HOSTS: a subscription is a URL the browser chose, and without this list a staff
# account could make the server call internal addresses and read the answer in the outbox.
HABEAS_PUSH_HOSTS = [
    "fcm.googleapis.com",  # Chrome, Edge on Android, Opera
    "updates.push.services.mozilla.com",  # Firefox
    "*.notify.windows.com",  # Edge on Windows
    "web.push.apple.com",  # Safari
    *env_list("HABEAS_PUSH_HOSTS"),
]
# Hosts allowed to be private, loopback and plain http: in debug only, for the local fake push
# service; names reserved for examples (RFC 2606) may be subscribed to and never answer.
HABEAS_PUSH_LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1"] if DEBUG else []
if DEBUG:
    HABEAS_PUSH_HOSTS += ["*.example.com", "*.example.net", "*.example.org"]
HABEAS_SMS_URL = os.environ.get("HABEAS_SMS_URL", "")
HABEAS_SMS_AUTH = os.environ.get("HABEAS_SMS_AUTH", "")
# The hotline's number for "SOS by SMS" when mobile data is cut; empty hides the option.
HABEAS_SMS_NUMBER = os.environ.get("HABEAS_SMS_NUMBER", "")
# Shared secret the SMS gateway signs inbound webhooks with (HMAC-SHA256); empty turns them off.
HABEAS_SMS_WEBHOOK_SECRET = os.environ.get("HABEAS_SMS_WEBHOOK_SECRET", "")
# JSON with $to, $text and $key placeholders, in the gateway's own shape.
HABEAS_SMS_BODY = os.environ.get("HABEAS_SMS_BODY", '{"to": "$to", "text": "$text", "id": "$key"}')
# Which SMS provider sends: "http" (the generic gateway above) or "android" (SMS Gateway for
# Android, docs/sms.md). A typo must not silently leave the SMS replies unsent.
HABEAS_SMS_PROVIDER = os.environ.get("HABEAS_SMS_PROVIDER", "http")
if HABEAS_SMS_PROVIDER not in ("http", "android"):
    raise ImproperlyConfigured("HABEAS_SMS_PROVIDER must be 'http' or 'android'")
# SMS Gateway for Android: its API (local "http://<phone>:8080", private, or the cloud
# "https://api.sms-gate.app/3rdparty/v1"), the app's credentials, and its webhook signing key.
HABEAS_SMS_GATEWAY_URL = os.environ.get("HABEAS_SMS_GATEWAY_URL", "").rstrip("/")
HABEAS_SMS_GATEWAY_LOGIN = os.environ.get("HABEAS_SMS_GATEWAY_LOGIN", "")
HABEAS_SMS_GATEWAY_PASSWORD = os.environ.get("HABEAS_SMS_GATEWAY_PASSWORD", "")
HABEAS_SMS_GATEWAY_SIGNING_KEY = os.environ.get("HABEAS_SMS_GATEWAY_SIGNING_KEY", "")

# The Telegram bot (docs/telegram.md). The webhook compares Telegram's secret_token header
# with this; empty turns the webhook off (404). The bot's @name makes the watch deep link.
HABEAS_TELEGRAM_WEBHOOK_SECRET = os.environ.get("HABEAS_TELEGRAM_WEBHOOK_SECRET", "")
HABEAS_TELEGRAM_BOT_NAME = os.environ.get("HABEAS_TELEGRAM_BOT_NAME", "")
# A conversation (what a person typed so far, sealed) is forgotten after this much silence.
HABEAS_BOT_CONVERSATION_MINUTES = env_int("HABEAS_BOT_CONVERSATION_MINUTES", 30, minimum=1)
# Updates a minute one chat may send before the bot stops answering it until the next minute.
HABEAS_BOT_RATE_PER_CHAT = env_int("HABEAS_BOT_RATE_PER_CHAT", 30)


def smtp_mailer(url: str) -> dict:
    """Turn smtp://user:pass@host:port (smtps:// for TLS) into a MAILERS entry."""
    from urllib.parse import unquote, urlsplit

    if not url:
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured("HABEAS_SMTP_URL must look like smtp://user:pass@host:port")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "timeout": HABEAS_DELIVERY_TIMEOUT,
        },
    }


# Django 6.1 reads MAILERS and ignores EMAIL_* once it is set.
MAILERS = {"default": smtp_mailer(HABEAS_SMTP_URL)}
# Email is optional: without HABEAS_SMTP_URL the email channel says it is not configured and
# nothing is handed to the in-memory mailer, so `check --deploy`'s "development-only backend"
# error (it guards against mail silently going nowhere) does not apply.
SILENCED_SYSTEM_CHECKS = [] if HABEAS_SMTP_URL else ["mail.E001"]
DEFAULT_FROM_EMAIL = HABEAS_EMAIL_FROM

# Rate limits on the public API, per minute (0 turns one off). Raise them during a surge:
# carrier NAT can put hundreds of phones behind one network. A limited SOS waits on the
# phone and is retried, never lost.
HABEAS_RATE_SOS_PER_NETWORK = env_int("HABEAS_RATE_SOS_PER_NETWORK", 120)
HABEAS_RATE_SOS_PER_KEY = env_int("HABEAS_RATE_SOS_PER_KEY", 30)
HABEAS_RATE_STATUS_PER_NETWORK = env_int("HABEAS_RATE_STATUS_PER_NETWORK", 1200)
# First-install reports of the service worker (docs/stats.md): one per browser until a wipe, so a
# network over this is a script, not people; a refused report is dropped, not retried.
HABEAS_RATE_INSTALLS_PER_NETWORK = env_int("HABEAS_RATE_INSTALLS_PER_NETWORK", 60)


def trusted_proxies(name: str) -> list:
    """Read comma-separated addresses and CIDR networks, failing start-up on a bad one."""
    import ipaddress

    networks = []
    for entry in env_list(name):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must be addresses or CIDR networks separated by commas, got {entry!r}"
            ) from exc
    return networks


# Our own reverse proxies. X-Forwarded-For is believed only when the direct peer is one of
# them; HABEAS_BEHIND_PROXY alone would let a client choose its own address for the limits.
HABEAS_TRUSTED_PROXIES = trusted_proxies("HABEAS_TRUSTED_PROXIES")


def cache_from_url(name: str) -> dict:
    """Turn redis://host:port/db, db://table or locmem:// into a CACHES entry.

    The rate limits and login counters live here: one cache shared by every process, or each
    process counts alone and N processes allow N times the limit.
    """
    from urllib.parse import urlsplit

    url = os.environ.get(name, "").strip()
    if not url or url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}") from exc
    if parts.scheme in {"redis", "rediss", "unix"} and (parts.hostname or parts.path):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "habeas",
            # An unreachable cache must cost an SOS milliseconds, not the client's timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if parts.scheme == "db" and not parts.path.strip("/"):
        table = parts.netloc or "habeas_cache"
        if table.replace("_", "").isalnum():
            return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    raise ImproperlyConfigured(
        f"{name} must look like redis://host:6379/0, db://table_name or locmem://"
    )


CACHES = {"default": cache_from_url("HABEAS_CACHE_URL")}

ALLOWED_HOSTS = env_list("HABEAS_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("HABEAS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, served by a site that also demands the second factor.
    "habeas.console.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "habeas.accounts",
    "habeas.stations",
    "habeas.lawyers",
    "habeas.cases",
    "habeas.photos",
    "habeas.dispatch",
    "habeas.timers",
    "habeas.callbacks",
    "habeas.court",
    "habeas.evidence",
    "habeas.stats",
    "habeas.bot",
    "habeas.notifications",
    "habeas.ops",
    "habeas.public",
    "habeas.console",
    "habeas.api",
    # django-ninja as an app: /api/v1/docs then uses its bundled Swagger UI from our static
    # files instead of a CDN (a CDN request tells a third party who reads our API docs).
    "ninja",
]

# Those from habeas.console.pages_only are Django's and the libraries' own, passed by for the
# JSON API (/api/), which has no session, login or page to use them on.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "habeas.lib.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "habeas.console.pages_only.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "habeas.console.pages_only.AuthenticationMiddleware",
    "habeas.console.pages_only.OTPMiddleware",
    "habeas.console.pages_only.MessageMiddleware",
    "habeas.console.pages_only.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out login into the login page with the reason.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "habeas.urls"
WSGI_APPLICATION = "habeas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'habeas.sqlite3'}",
        conn_max_age=env_int("HABEAS_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock up front, so concurrent SOS wait instead of failing
        # with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    # A file, not memory, so that threads in the tests (live server, concurrent SOS) share it;
    # named per process so that two test runs on one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:queue"
LOGOUT_REDIRECT_URL = "console:login"

# Staff: a second factor (TOTP, recovery codes) before any console or admin page.
OTP_TOTP_ISSUER = HABEAS_ORG_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP secret or recovery code
# Console sessions end after this long without a human request (the live polls do not count).
HABEAS_IDLE_MINUTES = env_int("HABEAS_IDLE_MINUTES", 30)

# Login throttling (django-axes, see habeas/accounts/throttling.py). The limit of wrong
# passwords from one source network (/24 or /48) locks that account from that network for the
# cool-off, even with the right password; the owner on another network still logs in. The
# ceiling counts one account's wrong passwords from every network in a clock hour and locks it
# everywhere until the hour ends; administrators are emailed then, and when all accounts
# together reach the alert count.
HABEAS_LOGIN_FAILURE_LIMIT = env_int("HABEAS_LOGIN_FAILURE_LIMIT", 5)
HABEAS_LOGIN_LOCKOUT_MINUTES = env_int("HABEAS_LOGIN_LOCKOUT_MINUTES", 15)
# How long an administrator's invitation link (password and authenticator set-up) stays open.
HABEAS_INVITATION_HOURS = env_int("HABEAS_INVITATION_HOURS", 72, minimum=1)
HABEAS_LOGIN_ACCOUNT_CEILING = env_int("HABEAS_LOGIN_ACCOUNT_CEILING", 50)
HABEAS_LOGIN_ALERT_FAILURES = env_int("HABEAS_LOGIN_ALERT_FAILURES", 200)
AXES_FAILURE_LIMIT = HABEAS_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=HABEAS_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Stored in clear: neither the login name (a keyed hash is stored) nor the address (a keyed
# hash of its network, folded into fd00::/8); no user agent; log lines name the account hash.
AXES_USERNAME_CALLABLE = "habeas.accounts.throttling.username"
AXES_CLIENT_IP_CALLABLE = "habeas.accounts.throttling.source_network"
AXES_CLIENT_STR_CALLABLE = "habeas.accounts.throttling.log_name"
AXES_HANDLER = "habeas.accounts.throttling.AddresslessHandler"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not extend it: the lockout lasts what the login page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "csrfmiddlewaretoken", "next"]
AXES_LOCKOUT_CALLABLE = "habeas.console.views.locked_out"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Operations (habeas/ops). /healthz answers 503 once more messages than this wait in the
# outbox: a channel is down or the workers are too few, and lawyers do not hear of offers.
HABEAS_HEALTH_OUTBOX_LIMIT = env_int("HABEAS_HEALTH_OUTBOX_LIMIT", 500)
# Backups (manage.py backup) are encrypted to this age public key; its secret key is kept off
# the server, so a seized server cannot open its own backups.
HABEAS_BACKUP_RECIPIENT = os.environ.get("HABEAS_BACKUP_RECIPIENT", "")
HABEAS_BACKUP_DIR = os.environ.get("HABEAS_BACKUP_DIR", str(VAR_DIR / "backups"))

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "habeas" / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = os.environ.get("HABEAS_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("HABEAS_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Evidence files (habeas.evidence): sealed pieces, on this machine under var/ by default, or in
# an S3-compatible bucket when HABEAS_EVIDENCE_S3_BUCKET is set (the `s3` extra, django-storages).
# The pieces are sealed before they are written, so the bucket's operator reads nothing.
HABEAS_EVIDENCE_MAX_MB = env_int("HABEAS_EVIDENCE_MAX_MB", 200, minimum=1)
HABEAS_EVIDENCE_MAX_FILES = env_int("HABEAS_EVIDENCE_MAX_FILES", 50, minimum=1)
# An upload that stopped before its last byte is deleted after this long.
HABEAS_EVIDENCE_INCOMPLETE_HOURS = env_int("HABEAS_EVIDENCE_INCOMPLETE_HOURS", 48, minimum=1)
# How much the phone sends per request: small enough to finish on a weak network.
HABEAS_EVIDENCE_CHUNK_KB = env_int("HABEAS_EVIDENCE_CHUNK_KB", 1024, minimum=16)


def evidence_s3_options(env) -> dict:
    """The evidence bucket's django-storages options from the environment (tested on a fake
    S3 server in habeas/evidence/tests)."""
    return {
        "bucket_name": env["HABEAS_EVIDENCE_S3_BUCKET"],
        "endpoint_url": env.get("HABEAS_EVIDENCE_S3_ENDPOINT") or None,
        "region_name": env.get("HABEAS_EVIDENCE_S3_REGION") or None,
        "access_key": env.get("HABEAS_EVIDENCE_S3_ACCESS_KEY") or None,
        "secret_key": env.get("HABEAS_EVIDENCE_S3_SECRET_KEY") or None,
        "location": "evidence",
        "default_acl": "private",
        "querystring_auth": True,
        # Every piece's name is new; never replace one that is there.
        "file_overwrite": False,
    }


HABEAS_EVIDENCE_S3_BUCKET = os.environ.get("HABEAS_EVIDENCE_S3_BUCKET", "")
if HABEAS_EVIDENCE_S3_BUCKET:
    try:
        import storages.backends.s3  # noqa: F401
    except ImportError as exc:
        # Fail closed: evidence must not silently land on the local disk instead.
        raise ImproperlyConfigured(
            "HABEAS_EVIDENCE_S3_BUCKET is set but django-storages is missing: "
            "pip install 'habeas[s3]'"
        ) from exc
    EVIDENCE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": evidence_s3_options(os.environ),
    }
else:
    EVIDENCE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(VAR_DIR / "evidence"),
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Personal data arrives in request bodies; an SOS is small, so anything large is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HABEAS_MAX_BODY_BYTES", 16 * 1024)

# A strict policy: nothing inline, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}


# The console's map (console/maps.py): tiles come only from the organisation's own tile
# server, when set; without it the map draws its points and names on a plain background and
# asks no server for anything.
HABEAS_MAP_TILES_URL = map_tiles_url("HABEAS_MAP_TILES_URL")
# The tiles' credit line, shown in the map's corner (OpenStreetMap data asks for one).
HABEAS_MAP_ATTRIBUTION = os.environ.get("HABEAS_MAP_ATTRIBUTION", "").strip()[:200]

# same-origin, not no-referrer: with no-referrer Chromium posts forms with "Origin: null" and
# Django's CSRF check refuses them. Nothing is ever sent to another origin either way.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only a keyed hash of each session key is stored: a copy of the database replays no session.
SESSION_ENGINE = "habeas.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("HABEAS_SESSION_SECONDS", 8 * 3600)
# The health check and the metrics are asked on the machine itself, over plain http to
# 127.0.0.1 (a redirect to https:// there goes nowhere); Caddy answers them from outside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
HABEAS_BEHIND_PROXY = env_bool("HABEAS_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HABEAS_BEHIND_PROXY else None
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("HABEAS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HABEAS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload: a browser's very first visit is HTTPS too, so a hostile network cannot strip
    # it. Off (and then check --deploy warns) for a host whose domain cannot go all-HTTPS.
    SECURE_HSTS_PRELOAD = env_bool("HABEAS_HSTS_PRELOAD", True)

# Logs must never carry personal data or addresses: Django's request logger prints paths only,
# and our own code logs case ids, never report contents.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HABEAS_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"handlers": [], "propagate": False}},
}
