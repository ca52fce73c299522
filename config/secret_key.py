"""SECRET_KEY when the environment sets none: generated once, kept in a file.

The portal never runs with a key committed to the repository. Without SECRET_KEY, the first
start writes a random key to SECRET_KEY_FILE (default `.secret_key` next to manage.py,
git-ignored, mode 0600) and every later start, or any other process of the same install,
reads it. Several hosts behind one proxy must share a key: set SECRET_KEY there (the deploy
check jiceng.W001 says so).
"""

import logging
import os
import secrets
import time

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("jiceng.settings")

# Another process that has just created the file may not have written the key yet.
WAIT_FOR_WRITER_SECONDS = 5


def read_or_create(path):
    """The key kept in `path`; on the very first start, a new random key written there."""
    path = os.fspath(path)
    try:
        # O_EXCL: of two processes starting at once, exactly one creates the file.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    except OSError as error:
        raise ImproperlyConfigured(_cannot_keep(path, error)) from None
    key = secrets.token_urlsafe(50)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(key + "\n")
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        _remove_quietly(path)
        raise ImproperlyConfigured(_cannot_keep(path, error)) from None
    logger.warning(
        "SECRET_KEY is not set: generated a random key and saved it in %s (mode 0600). "
        "Set SECRET_KEY in production, the same value on every host. "
        "未设置 SECRET_KEY：已生成随机密钥并保存在该文件中；生产环境请设置 SECRET_KEY。",
        path,
    )
    return key


def _read(path):
    deadline = time.monotonic() + WAIT_FOR_WRITER_SECONDS
    while True:
        try:
            with open(path, encoding="ascii") as file:
                key = file.read().strip()
        except (OSError, UnicodeDecodeError) as error:
            raise ImproperlyConfigured(
                f"Cannot read the generated secret key in {path} ({error}). "
                "Set the SECRET_KEY environment variable, or fix or delete that file."
            ) from None
        if key:
            return key
        if time.monotonic() >= deadline:
            raise ImproperlyConfigured(
                f"The generated secret key file {path} is empty. "
                "Delete it to have a new key generated, or set the SECRET_KEY environment variable."
            )
        time.sleep(0.05)


def _cannot_keep(path, error):
    return (
        f"SECRET_KEY is not set and a generated key cannot be saved in {path} ({error}). "
        "Set the SECRET_KEY environment variable to a long random value, "
        "or SECRET_KEY_FILE to a writable path."
    )


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
