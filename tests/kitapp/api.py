from .declarations import ServicePointViewSet  # noqa: F401
