"""Settings shared by every profile. Everything that differs between machines comes from
the environment (see README "Configuration"); defaults are safe for a laptop."""

from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, SELF

from .storage import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-only-key-change-me-" + "x" * 20)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our domain apps first so their templates override third-party ones.
    "apps.core",
    "apps.accounts",
    "apps.people",
    "apps.schools",
    "apps.partnerships",
    "apps.frameworks",
    "apps.resources",
    "apps.alumni",
    "apps.reviews",
    "apps.improvement",
    "apps.support",
    "apps.allocation",
    "apps.training",
    "apps.community",
    "apps.notifications",
    "apps.impact",
    "apps.delivery",
    "apps.privacy",
    "apps.home",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "csp",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.language.PersonLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "apps.core.middleware.PrivateByDefaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.sessions.IdleTimeoutMiddleware",
    "apps.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.home.navigation.navigation",
                "apps.home.context_processors.choices",
                "apps.accounts.display.context",
                "apps.accounts.language.context",
                "csp.context_processors.nonce",
            ],
            "builtins": ["apps.core.templatetags.govuk", "apps.core.templatetags.lookup",
                         "django.templatetags.i18n"],
        },
    },
]
FORM_RENDERER = "apps.core.forms.GovUKFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server read and write side by side.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down is an empty cache, not an error (apps/core/cache.py); short timeouts so a
    # Redis that does not answer cannot hold a request for long.
    CACHES = {"default": {"BACKEND": "apps.core.cache.ResilientRedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Partner matching (docs/partner-matching.md): the ranker, "keyword" (the default: it beat
# the light embedding model in bench/matching/) or "embedding", and the embedding model,
# "wordllama" (installed) or "minilm" (the optional extra matching-minilm, with torch). The
# keyword ranker is used whenever the chosen model's package cannot be imported.
PARTNER_MATCHING_RANKER = env.str("PARTNER_MATCHING_RANKER", default="keyword")
PARTNER_MATCHING_MODEL = env.str("PARTNER_MATCHING_MODEL", default="wordllama")

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "apps.accounts.backends.CoreTeamAdminBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Signing out lands on the sign-in page (the next person at a shared school computer signs
# in there); the public start page is at "/".
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email sign-in, no open sign-up (people join by invitation), MFA.
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "apps.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # invitations prove the address
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Wrong passwords slow the guesser down; they never lock the owner out (apps/accounts/
# adapters.py, docs/deploy.md). "login_failed" keys are connection + address: 5 failures
# pause that connection for that address up to 5 minutes, 10 up to an hour, 20 up to a day.
# "login_failed_address" counts every connection; a successful password reset clears it.
SIGN_IN_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATES", default="30/m/ip,5/5m/key,10/1h/key,20/1d/key"),
    "login_failed_address": env.str("LOGIN_FAILED_ADDRESS_RATES", default="60/1h/key"),
}
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = SIGN_IN_RATE_LIMITS
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {
    "login": "apps.accounts.forms.SignInForm",
    "reset_password": "apps.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "apps.accounts.forms.ResetPasswordKeyForm",
    "change_password": "apps.accounts.forms.ChangePasswordForm",
    "set_password": "apps.accounts.forms.SetPasswordForm",
    "reauthenticate": "apps.accounts.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "apps.accounts.forms.AuthenticateForm",
    "reauthenticate": "apps.accounts.forms.MFAReauthenticateForm",
    "activate_totp": "apps.accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Peer Review Platform"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict = {}
if env.str("GOOGLE_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": env.str("GOOGLE_CLIENT_ID"),
                  "secret": env.str("GOOGLE_CLIENT_SECRET"), "key": ""}],
        "SCOPE": ["profile", "email"],
    }
if env.str("MICROSOFT_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [{"client_id": env.str("MICROSOFT_CLIENT_ID"),
                  "secret": env.str("MICROSOFT_CLIENT_SECRET"),
                  "settings": {"tenant": env.str("MICROSOFT_TENANT", default="organizations")}}],
    }

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL",
                             default="Peer Review Platform <no-reply@localhost>")

# The address people reach the site at, for links in emails and calendar entries.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Apps with dated things people attend (apps/notifications/events.py).
CALENDAR_PROVIDERS = ["apps.reviews.calendar", "apps.improvement.calendar",
                      "apps.training.calendar"]
# An open action with no progress update for this many weeks gets a reminder.
ACTION_STALE_WEEKS = env.int("ACTION_STALE_WEEKS", default=4)
# Retention (docs/data-protection.md, `manage.py apply_retention` daily): a review's evidence
# notes are deleted this many years after the review closes.
EVIDENCE_NOTE_RETENTION_YEARS = env.int("EVIDENCE_NOTE_RETENTION_YEARS", default=6)
# Audit log entries are deleted this many years after they were written; looks at review
# content (the hosts' disclosure logs, "disclosure.*") after AUDIT_VIEW_RETENTION_YEARS.
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=6)
AUDIT_VIEW_RETENTION_YEARS = env.int("AUDIT_VIEW_RETENTION_YEARS",
                                     default=AUDIT_RETENTION_YEARS)
# Evidence attachments and self-review documents.
REVIEW_FILE_MAX_BYTES = env.int("REVIEW_FILE_MAX_BYTES", default=15 * 1024 * 1024)

LANGUAGE_CODE = "en-gb"
# English and Welsh (docs/welsh.md). A signed-in person's choice is kept on them
# (User.language, apps/accounts/language.py); signed out, Django's language cookie holds it,
# then the browser's Accept-Language.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "pr_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (Django's default storage): back it up with the database (docs/deploy.md).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Or S3-compatible object storage (django-storages) when S3_BUCKET names a bucket
# (config/settings/storage.py, docs/deploy.md).
STORAGES["default"] = object_storage(env) or STORAGES["default"]

# Register files are large: allow a national extract (about 60 MB) through the upload form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SCHOOL_IMPORT_MAX_BYTES = env.int("SCHOOL_IMPORT_MAX_BYTES", default=120 * 1024 * 1024)
RESOURCE_MAX_BYTES = env.int("RESOURCE_MAX_BYTES", default=25 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
# Shared school computers: a session with no activity for this many minutes is signed out
# (apps/accounts/sessions.py). Programme and partnership roles that see many schools' reviews
# get the shorter limit. A warning with "Stay signed in" shows this many seconds before.
SESSION_IDLE_MINUTES = env.float("SESSION_IDLE_MINUTES", default=8 * 60)
SESSION_IDLE_MINUTES_PRIVILEGED = env.float("SESSION_IDLE_MINUTES_PRIVILEGED", default=30)
SESSION_IDLE_WARNING_SECONDS = env.int("SESSION_IDLE_WARNING_SECONDS", default=120)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): our own scripts and styles only, the one inline script
# in templates/base.html carries the request's nonce, no inline styles, no plug-ins, no
# framing; browsers report violations to /csp-report (apps/core/views.py logs them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # the authenticator QR code is a data: image
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # Signing in with Google or Microsoft posts to us, then redirects to them.
        "form-action": [SELF, *(
            {"google": "https://accounts.google.com",
             "microsoft": "https://login.microsoftonline.com"}[p]
            for p in SOCIALACCOUNT_PROVIDERS)],
        "report-uri": "/csp-report",
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "peerreview.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "peerreview": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console"],
                   "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    },
}

PLATFORM_NAME = "Peer Review Platform"
# How many proxies of our own (load balancer, …) stand in front of the app servers: the
# audit log takes the client's address from X-Forwarded-For that many entries from the right.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # sign-in rate limits count per client
