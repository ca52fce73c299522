"""Everything the pages, API, export and import of ServicePoint need: declarations only. The
rest is derived (core.declared): the table, the form, the filters (区划代码（含下级） included),
the serializer and viewset, the django-import-export resource and the importer."""

from core.views.generic import ModelPages

from .models import ServicePoint
from .permissions import CHANGE_POINT


class ServicePointPages(ModelPages):
    model = ServicePoint
    fields = ["area", "name", "phone", "opened"]
    filters = ["name"]
    change_action = CHANGE_POINT
    api = "service-points"
    import_id_fields = ("area", "name")
