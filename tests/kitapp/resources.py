from .declarations import ServicePointResource  # noqa: F401
