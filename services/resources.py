"""The import of list items from the spreadsheets streets keep (django-import-export on the kit's
flow, core.resources): 区划代码 and 清单类型 name the list, whose draft the rows go into; 事项名称
finds an item of that draft (a re-import updates it); 事项类型, 法律依据, 责任主体, 办理流程, 办理时限,
所需材料 as the sheet writes them (办理时限 "5个工作日", "即办"). A list without a draft, a list the
user does not keep, an admission item that is neither 自治 nor 协助: refused with the row's reason."""

import re

from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from core.resources import ScopedResource

from . import tables
from .choices import ListKind, VersionStatus
from .models import ListItem, ListVersion
from .permissions import KEEP_LISTS

KIND_HEADER = "清单类型"
KINDS = {**{str(label): value for value, label in ListKind.choices}, **{value: value for value in ListKind.values}}
# What a sheet may write for a kind, besides its full name.
KINDS.update({"权责清单": ListKind.POWER, "准入清单": ListKind.ADMISSION, "公共服务清单": ListKind.PUBLIC_SERVICE})


class DraftVersionWidget(widgets.ForeignKeyWidget):
    """The draft of the list that the row's 区划代码 and 清单类型 name, among the lists the importing
    user keeps."""

    def __init__(self):
        super().__init__(ListVersion, field="pk")
        self.user = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
        if not code:
            return None
        written = str((row or {}).get(KIND_HEADER) or "").strip()
        kind = KINDS.get(written)
        if kind is None:
            raise ValueError(
                _("清单类型“{value}”无法识别，可填：{labels}。").format(
                    value=written, labels="、".join(str(label) for _value, label in ListKind.choices)
                )
            )
        lists = ListVersion.objects.scoped(self.user, KEEP_LISTS).filter(
            service_list__area__code=code, service_list__kind=kind, status=VersionStatus.DRAFT
        )
        draft = lists.first()
        if draft is None:
            raise ValueError(
                _("区划“{code}”的{kind}没有草稿版本，或不由您维护：请先在清单中起草新版本。").format(
                    code=code, kind=ListKind(kind).label
                )
            )
        return draft

    def render(self, value, obj=None, **kwargs):
        return value.service_list.area.code if value is not None else ""


class TimeLimitWidget(widgets.IntegerWidget):
    """办理时限 as a number of working days: 5, "5个工作日", "即办" (0)."""

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        if text in ("即办", "即时办结", "当场办结"):
            return 0
        found = re.match(r"^(\d{1,3})(?:\.0+)?\s*(?:个)?(?:工作日|日|天)?$", text)
        if found is None:
            raise ValueError(_("办理时限“{value}”应为工作日数，如“5”或“5个工作日”。").format(value=text))
        return int(found.group(1))


class OrderWidget(widgets.IntegerWidget):
    """序号: empty is 0 (the items then keep the sheet's order by their ids)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row=row, **kwargs) or 0


class ListItemResource(ScopedResource):
    version = Field(attribute="version", widget=DraftVersionWidget())
    order = Field(attribute="order", widget=OrderWidget())
    list_kind = Field(column_name=KIND_HEADER, readonly=True)
    time_limit = Field(attribute="time_limit", widget=TimeLimitWidget())

    class Meta:
        model = ListItem
        table = tables.ListItemTable
        fields = ("version", "list_kind", *ListItem.FIELDS[1:])  # 清单类型 beside 区划代码, as the sheet has it
        import_id_fields = ("version", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields["version"].widget.user = user
        # The sheet's order (清单类型 beside 区划代码), which the template and the export write.
        self.fields = {name: self.fields[name] for name in self._meta.fields}

    def dehydrate_list_kind(self, item):
        return item.version.service_list.get_kind_display()
