"""Where the portal keeps its files, from the environment: read by the settings and by
`python -m config.status` (which must answer without starting the embedded database)."""

from pathlib import Path

from config.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def media_root():
    """Uploaded files: evidence, vouchers, photos, import files (MEDIA_ROOT, default `media/`)."""
    return Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")


def backup_dir():
    """Where `manage.py backup` writes (BACKUP_DIR, default `backups/` next to manage.py)."""
    return Path(env_str("BACKUP_DIR") or BASE_DIR / "backups")
