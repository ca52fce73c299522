"""The street's sheet of its 党群服务阵地, on the kit's flow (core.resources: upload → preview with
Excel row numbers and Chinese reasons → confirm → job → report). Headers are the venues' table's
(区划代码, 阵地层级, 名称, 地址, 建筑面积（平方米）, 开放时间 and the 五有 as 是/否); a venue is found by
区划代码 and 名称 (a re-import updates it). A floor area of zero or absurd size, a level that does not
fit its area, an area outside the user's scope: the row is rejected with the model's reason."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from core.importing import register as register_importer
from core.resources import ChoiceLabelWidget, ResourceImporter, ScopedForeignKeyWidget, ScopedResource
from orgs.models import Area

from .models_venues import Venue, VenueLevel
from .permissions import KEEP_VENUES
from .tables_venues import VenueTable

YES = {"是", "有", "√", "y", "yes", "1", "true"}
NO = {"否", "无", "×", "n", "no", "0", "false", ""}


class YesNoWidget(widgets.Widget):
    """是/否 (有/无, √/×); anything else refused with what it may be."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(_("“{value}”应填“是”或“否”。").format(value=value))

    def render(self, value, obj=None, **kwargs):
        return _("是") if value else _("否")


class FloorAreaWidget(widgets.Widget):
    """平方米 as a number ("1,200", "350.5", "350㎡"); refused in Chinese when not a number."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        for unit in ("平方米", "㎡", "m²", "m2", ",", "，", " "):
            text = text.replace(unit, "")
        if not text:
            raise ValueError(_("请填写建筑面积（平方米）。"))
        try:
            return Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError(_("建筑面积“{value}”不是数字。").format(value=value)) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class VenueResource(ScopedResource):
    area = Field(attribute="area", widget=ScopedForeignKeyWidget(Area, "code", action=KEEP_VENUES))
    level = Field(attribute="level", widget=ChoiceLabelWidget(VenueLevel.choices))
    name = Field(attribute="name")
    address = Field(attribute="address")
    floor_area = Field(attribute="floor_area", widget=FloorAreaWidget())
    opening_hours = Field(attribute="opening_hours")
    has_sign = Field(attribute="has_sign", widget=YesNoWidget())
    has_fixed_site = Field(attribute="has_fixed_site", widget=YesNoWidget())
    has_facilities = Field(attribute="has_facilities", widget=YesNoWidget())
    has_rules = Field(attribute="has_rules", widget=YesNoWidget())
    has_team = Field(attribute="has_team", widget=YesNoWidget())

    class Meta:
        model = Venue
        table = VenueTable
        fields = (
            "area",
            "level",
            "name",
            "address",
            "floor_area",
            "opening_hours",
            "has_sign",
            "has_fixed_site",
            "has_facilities",
            "has_rules",
            "has_team",
        )
        import_id_fields = ("area", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields = {name: self.fields[name] for name in self._meta.fields}


def register():
    register_importer(
        ResourceImporter.declare("workforce_venues", VenueResource, KEEP_VENUES, title=gettext_lazy("党群服务阵地"))
    )
