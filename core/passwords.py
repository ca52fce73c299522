"""The password rules of the portal (settings.AUTH_PASSWORD_VALIDATORS): Django's own, told in the
portal's words (您), wherever a password is set — the password change, user management, the admin."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("密码太短，至少需要 {count} 个字符。").format(count=self.min_length)

    def get_help_text(self):
        return _("您的密码至少需要 {count} 个字符。").format(count=self.min_length)


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("这个密码太常见，容易被猜到，请换一个。")

    def get_help_text(self):
        return _("您的密码不能是常见密码（如 12345678、password）。")
