"""System checks of the installation (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key_is_set(app_configs, **kwargs):
    """A production-like install (DATABASE_URL set) must set SECRET_KEY: a key generated into a
    file on one host differs from the key of every other host, so sessions, CSRF tokens and
    password-reset links signed on one host fail on the others, and the key lives on disk
    beside the code instead of with the other secrets."""
    if getattr(settings, "SECRET_KEY_GENERATED", False) and not getattr(settings, "EMBEDDED_DATABASE", True):
        return [
            Warning(
                "SECRET_KEY is not set: the portal uses a key generated into a file on this host.",
                hint=(
                    "Set the SECRET_KEY environment variable to a long random value, the same on every host "
                    "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
                ),
                id="jiceng.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_metrics_are_readable(app_configs, **kwargs):
    """METRICS_ENABLED with neither METRICS_TOKEN nor METRICS_ALLOW: /metrics refuses everybody,
    Prometheus included (core/metrics.py)."""
    if getattr(settings, "METRICS_ENABLED", False) and not (settings.METRICS_TOKEN or settings.METRICS_ALLOW):
        return [
            Warning(
                "METRICS_ENABLED is set but neither METRICS_TOKEN nor METRICS_ALLOW: nobody may read /metrics.",
                hint="Set METRICS_TOKEN to a long random value (Prometheus sends it as a bearer token) "
                "or METRICS_ALLOW to the scraper's address.",
                id="jiceng.W002",
            )
        ]
    return []
