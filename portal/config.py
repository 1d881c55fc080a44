"""Configuration from environment variables (and a mapping in tests)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from kinerja.services.notifications import MailSettings

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. no SECRET_KEY in production)."""


def load_config(overrides=None) -> dict:
    """Build the Flask configuration from the environment and ``overrides``."""
    env = os.environ
    overrides = dict(overrides or {})
    mode = overrides.get("ENV_MODE") or env.get("KINERJA_ENV", "production")
    testing = bool(overrides.get("TESTING"))
    development = mode == "development"
    secret = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret:
        if not (testing or development):
            raise ConfigError(
                "SECRET_KEY wajib diatur di luar mode pengembangan dan pengujian "
                "(export SECRET_KEY=... atau KINERJA_ENV=development)."
            )
        secret = secrets.token_hex(32)
    # Production (the default mode) serves over HTTPS: Secure cookies and HSTS unless turned
    # off explicitly (create_app logs a warning then). Tests and development use plain HTTP.
    https_default = "1" if mode == "production" and not testing else "0"
    default_db = f"sqlite:///{ROOT / 'instance' / 'kinerja.sqlite3'}"
    config = {
        "ENV_MODE": mode,
        "SECRET_KEY": secret,
        "DATABASE_URL": env.get("DATABASE_URL", default_db),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", https_default) == "1",
        "SESSION_COOKIE_NAME": "kinerja_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(env.get("SESSION_IDLE_MINUTES", "30"))),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_ABSOLUTE_LIFETIME": timedelta(
            hours=float(env.get("SESSION_ABSOLUTE_HOURS", "12"))
        ),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024))),
        "MAX_FORM_MEMORY_SIZE": 500_000,
        "MAX_FORM_PARTS": 1000,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "DEMO_BANNER": env.get("KINERJA_DEMO_BANNER"),
        # The portal's public address (e.g. https://kinerja.sibolgakota.go.id): absolute URLs
        # in the open-data descriptors. Never taken from the Host header (pages are cached).
        "PUBLIC_BASE_URL": env.get("KINERJA_PUBLIC_BASE_URL", "").rstrip("/"),
        "HSTS": env.get("KINERJA_HSTS", https_default) == "1",
        "PASSWORD_COST": "default",
        "TESTING": testing,
        # E-mail of notifications (docs/notifications.md): nothing is sent while
        # KINERJA_SMTP_HOST or KINERJA_MAIL_FROM is empty.
        "SMTP_HOST": env.get("KINERJA_SMTP_HOST", ""),
        "SMTP_PORT": _port(env.get("KINERJA_SMTP_PORT", "587")),
        "SMTP_USER": env.get("KINERJA_SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("KINERJA_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("KINERJA_SMTP_STARTTLS", "1") == "1",
        "MAIL_FROM": env.get("KINERJA_MAIL_FROM", ""),
    }
    config.update(overrides)
    return config


def _port(text: str) -> int:
    """A TCP port from the environment, refused in Indonesian when it is not one."""
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"KINERJA_SMTP_PORT harus nomor port 1–65535, bukan {text!r}.")
    return int(text)


def mail_settings(config) -> MailSettings:
    """The SMTP settings of ``config`` as plain values for ``kinerja``."""
    return MailSettings(
        host=config.get("SMTP_HOST") or "",
        port=int(config.get("SMTP_PORT") or 587),
        user=config.get("SMTP_USER") or "",
        password=config.get("SMTP_PASSWORD") or "",
        starttls=bool(config.get("SMTP_STARTTLS")),
        sender=config.get("MAIL_FROM") or "",
        base_url=config.get("PUBLIC_BASE_URL") or "",
    )


def https_warnings(config: dict) -> list[str]:
    """What a production configuration leaves off of the HTTPS protections (logged at start)."""
    if config.get("ENV_MODE") != "production" or config.get("TESTING"):
        return []
    problems = []
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append(
            "SESSION_COOKIE_SECURE mati di mode produksi: cookie sesi dapat terkirim lewat HTTP."
        )
    if not config.get("HSTS"):
        problems.append("KINERJA_HSTS mati di mode produksi: browser tidak dipaksa memakai HTTPS.")
    return problems
