"""Third-party apps under Chinese names in the admin (their models' names are translated in
locale/zh_Hans)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes, the login lock-out: its label stays "axes" (its tables and migrations)."""

    verbose_name = _("登录保护")
