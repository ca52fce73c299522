"""The imports of red property through django-import-export on the kit's flow (core.resources):
the housing bureau's register of companies and a community's compounds. Columns are the tables'
headers, so that an export re-imports; every refusal names its reason in Chinese."""

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from core.resources import ChoiceLabelWidget, ScopedForeignKeyWidget, ScopedResource
from orgs.models import Area

from . import tables
from .choices import ManagementMode
from .models import Compound, PropertyCompany, coverage_error
from .permissions import CHANGE_PROPERTY, ENGAGE_COMPANY, housing_departments

SEPARATORS = re.compile(r"[\s,，、;；]+")


class PropertyCompanyResource(ScopedResource):
    """企业名称, 统一社会信用代码, 法定代表人, 联系电话, 资质等级, 注册地址, 服务小区: a row is found by its
    credit code among the importing department's companies; a new one is registered by it. 服务小区
    is what the export writes (the compounds the exporting user sees); compounds name their company
    themselves, so the import reads past it. A company twice in the sheet is refused on each row."""

    served = Field(column_name="服务小区", readonly=True)

    class Meta:
        model = PropertyCompany
        table = tables.PropertyCompanyTable
        fields = ("name", "credit_code", "legal_representative", "phone", "qualification", "address", "served")
        import_id_fields = ("credit_code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def dehydrate_served(self, company):
        return getattr(company, "served_names", "") or ""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.repeated = {}
        for name in ("credit_code", "name"):
            header = self.fields[name].column_name
            if header in dataset.headers:
                counts = Counter(normalised(value) for value in dataset[header] if normalised(value))
                self.repeated[name] = {value for value, n in counts.items() if n > 1}

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for name, label in (("credit_code", _("统一社会信用代码")), ("name", _("企业名称"))):
            value = normalised(row.get(self.fields[name].column_name))
            if value and value in getattr(self, "repeated", {}).get(name, ()):
                raise ValidationError(
                    {
                        name: _("{label}“{value}”在表中出现了不止一次：同一企业只能占一行，请合并后重新上传。").format(
                            label=label, value=value
                        )
                    }
                )

    def after_init_instance(self, instance, new, row, **kwargs):
        """A new company is registered by the importing user's housing department."""
        super().after_init_instance(instance, new, row, **kwargs)
        if new:
            departments = housing_departments(self.user)
            if not departments:
                raise ValidationError(_("只有住建部门的用户可以登记物业服务企业。"))
            instance.department_id = departments[0]


def normalised(value):
    return re.sub(r"\s", "", str(value or "")).upper()


class AreaCodesWidget(widgets.ManyToManyWidget):
    """Areas by their codes, separated by spaces, commas or 、, among those the importing user may
    `action` on; a foreign code and a missing one get the same reason."""

    def __init__(self, *, action):
        super().__init__(Area, field="code", separator=" ")
        self.action = action
        self.user = None  # set by the resource for the importing user

    def clean(self, value, row=None, **kwargs):
        codes = [code for code in SEPARATORS.split(str(value or "").strip()) if code]
        if not codes:
            return Area.objects.none()
        found = Area.objects.scoped(self.user, self.action).filter(code__in=codes)
        missing = sorted(set(codes) - set(found.values_list("code", flat=True)))
        if missing:
            raise ValueError(_("网格编码“{codes}”不存在或不在您的管辖范围内。").format(codes="、".join(missing[:5])))
        return found

    def render(self, value, obj=None, **kwargs):
        return " ".join(area.code for area in value.all()) if value is not None else ""


class CompoundResource(ScopedResource):
    """小区名称, 所属社区 (its code), 网格编码, 户数, 管理模式, 物业企业 (its name), 合同开始日期,
    合同截止日期: a row is found by its community and name; a community outside the user's scope,
    a grid of another community or a company the user may not name is refused with its reason."""

    community = Field(attribute="community", widget=ScopedForeignKeyWidget(Area, "code", action=CHANGE_PROPERTY))
    areas = Field(attribute="areas", widget=AreaCodesWidget(action=CHANGE_PROPERTY))
    mode = Field(attribute="mode", widget=ChoiceLabelWidget(ManagementMode.choices))
    company = Field(attribute="company", widget=ScopedForeignKeyWidget(PropertyCompany, "name", action=ENGAGE_COMPANY))

    class Meta:
        model = Compound
        table = tables.CompoundTable
        fields = tuple(name for name in Compound.KEPT_FIELDS if name != "note")  # the register has no note
        import_id_fields = ("community", "name")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(user, action, **kwargs)
        self.fields["areas"].widget.user = user

    def import_instance(self, instance, row, **kwargs):
        """The fields, then the grids and buildings (written after the compound is saved): each must
        lie in the row's community, checked in the preview as on confirming."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
            if "mode" in errors:
                instance.mode = ""  # not the default's rules (a company for 专业物业) on top of the reason
        field = self.fields["areas"]
        if field.column_name in row:
            try:
                areas = list(field.clean(row))
            except ValueError as error:
                errors["areas"] = [str(error)]
            else:
                community = instance.community if instance.community_id and "community" not in errors else None
                message = coverage_error(community, areas)
                if message:
                    errors["areas"] = [str(message)]
        if errors:
            raise ValidationError(errors)
