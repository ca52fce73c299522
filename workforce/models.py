"""The workforce's models, one module a part; Django finds them all here."""

from .models_committees import *  # noqa: F403
from .models_secretaries import *  # noqa: F403
from .models_venues import *  # noqa: F403
from .models_workers import *  # noqa: F403
