"""Small lists imported with django-import-export (the card's package), through the kit's own
flow: upload → preview with Excel row numbers and Chinese reasons → confirm → job → report.

An app declares a `ScopedResource` — its fields, widgets and natural key, as django-import-export
wants them — names its table (the column headers come from the table, so that export → edit →
re-import round-trips) and registers a `ResourceImporter` for it:

    class ServicePointResource(ScopedResource):
        area = Field(attribute="area", widget=ScopedForeignKeyWidget(Area, "code"))

        class Meta:
            model = ServicePoint
            table = ServicePointTable
            fields = ("area", "name", "phone")
            import_id_fields = ("area", "name")

    register(ResourceImporter.declare("servicepoint", ServicePointResource, "kitapp.change_point"))

Reading (encodings, title rows, merged cells, NUL bytes, size limits) is the kit's
(core.spreadsheets); django-import-export classifies and writes the rows. Every related object a
row names is looked up among those the importing user may change: a foreign one is rejected like
a missing one, with the row's number.
"""

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources, widgets

from .importing import Importer, change
from .personal_data import mask
from .spreadsheets import Column


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related object by a natural key (an area by its code), among those the importing user may
    `action` on; a foreign one and a missing one get the same Chinese reason."""

    def __init__(self, model, field="pk", *, action="change", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.action = action
        self.user = None  # set by ScopedResource for the importing user

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model._default_manager.scoped(self.user, self.action)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("{model}“{value}”不存在或不在您的管辖范围内。").format(
                    model=self.model._meta.verbose_name, value=value
                )
            ) from None


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its Chinese label, as the table exports it (专业物业), or by its stored value; a
    cell that is neither is refused with the labels it may take."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(value), str(label)) for value, label in choices]

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for stored, label in self.choices:
            if text in (stored, label):
                return stored
        raise ValueError(
            _("“{value}”不是可选的值，可填：{labels}。").format(
                value=text, labels="、".join(label for _stored, label in self.choices)
            )
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value or ""), value or "")


class PlainDiff(resources.Diff):
    """The row's fields before and after, as the export writes them: the kit's preview shows them
    itself (`ResourceImporter.plan`), so the row result's `diff` holds (column, old, new, personal)
    instead of django-import-export's HTML."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.fields = resource.get_import_fields()
        self.personal = set(getattr(resource._meta.model, "personal_data_fields", {}).values())

    def as_html(self):
        return [
            (field.column_name, "" if self.new else before, after, field.attribute in self.personal)
            for field, before, after in zip(self.fields, self.left, self.right, strict=False)
        ]


class ScopedResource(resources.ModelResource):
    """A django-import-export resource for one importing user: related objects are looked up in
    that user's scope, and existing rows are found only among those the user may change. Its
    Meta may name a `table` (core.tables): the headers are then the table's."""

    def __init__(self, user=None, action=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.action = action
        table = getattr(self._meta, "table", None)
        headers = dict(table.export_columns()) if table is not None else {}
        for name, field in self.fields.items():
            if name in headers:
                field.column_name = headers[name]
            if isinstance(field.widget, ScopedForeignKeyWidget):
                field.widget.user = user

    def get_queryset(self):
        return self._meta.model._default_manager.scoped(self.user, self.action)

    def get_diff_class(self):
        return PlainDiff

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A personal field (the model's `personal_data_fields`) whose cell is the mask of the
        number on record — an export re-imported by a user who sees numbers masked — is left as
        it is; any other masked cell is rejected, since the number it hides cannot be known."""
        personal = set(getattr(self._meta.model, "personal_data_fields", {}).values())
        if field.attribute in personal and field.column_name in row:
            value = str(row[field.column_name] or "").replace(" ", "")
            if "*" in value:
                recorded = getattr(instance, field.attribute, "") if instance.pk else ""
                if recorded and mask(recorded) == value:
                    return
                raise ValueError(
                    _("{column}是隐藏了中间位的号码（{value}），与系统中的登记不符：请填写完整号码。").format(
                        column=field.column_name, value=value
                    )
                )
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # a foreign or missing related key: its field reports it with its column


class ResourceImporter(Importer):
    """An Importer (core.importing) whose rows a django-import-export resource classifies and
    writes. `declare` makes one for a resource class."""

    resource_class = None

    @classmethod
    def declare(cls, kind, resource_class, permission_action, title=None):
        return type(
            f"{resource_class.__name__}Importer",
            (cls,),
            {
                "kind": kind,
                "resource_class": resource_class,
                "permission_action": permission_action,
                "title": title or resource_class._meta.model._meta.verbose_name,
                "columns": tuple(
                    Column(name, field.column_name, required=name in resource_class._meta.import_id_fields)
                    for name, field in resource_class(None).fields.items()
                ),
            },
        )

    def resource(self):
        """The resource for the importing user; existing rows are those the user may change."""
        return self.resource_class(self.user, action=self.permission_action)

    def dataset(self, table, plan):
        """The rows worth importing as a tablib Dataset, and their Excel row numbers."""
        columns = [c for c in self.columns if any(found.key == c.key for found in table.columns)]
        dataset = tablib.Dataset(headers=[c.header for c in columns])
        numbers = []
        for row in self.data_rows(table, plan):
            dataset.append([row[c.key] for c in columns])
            numbers.append(row.number)
        return dataset, numbers

    def plan(self, table):
        plan = self.new_plan()
        dataset, numbers = self.dataset(table, plan)
        plan.dataset, plan.numbers = dataset, numbers
        result = self.resource().import_data(dataset, dry_run=True, use_transactions=False)
        headers = {c.key: c.header for c in self.columns}
        for index, row_result in enumerate(result.rows):
            number = numbers[index]
            if row_result.import_type == row_result.IMPORT_TYPE_NEW:
                plan.new.append(number)
                if plan.wants_detail("new"):
                    fields = [
                        (column, mask(new) if personal else new)
                        for column, _old, new, personal in row_result.diff or ()
                    ]
                    plan.detail("new", number, row_result.object_repr, what=fields)
            elif row_result.import_type == row_result.IMPORT_TYPE_UPDATE:
                plan.changed.append(number)
                if plan.wants_detail("changed"):
                    changes = [
                        change(column, old, new, personal=personal)
                        for column, old, new, personal in row_result.diff or ()
                    ]
                    plan.detail("changed", number, row_result.object_repr, changes=changes)
            elif row_result.import_type == row_result.IMPORT_TYPE_SKIP:
                plan.unchanged += 1
        for invalid in result.invalid_rows:
            number = numbers[invalid.number - 1]
            for field, messages in invalid.error_dict.items():
                for message in messages:
                    plan.reject(number, headers.get(field, ""), str(message))
        for index, errors in result.row_errors():
            for error in errors:
                plan.reject(numbers[index - 1], "", _("无法导入：{error}").format(error=error.error))
        return plan

    def apply(self, plan, progress=None):
        rejected = set(plan.rejected_rows)  # rows left out when the cadre chose to import the valid ones
        dataset = tablib.Dataset(headers=plan.dataset.headers)
        for number, row in zip(plan.numbers, plan.dataset, strict=True):
            if number not in rejected:
                dataset.append(row)
        result = self.resource().import_data(dataset, dry_run=False, use_transactions=False, raise_errors=True)
        if result.has_validation_errors():
            raise ValidationError(_("数据在确认前已被修改，请重新上传。"))
        if progress:
            progress(len(plan.new) + len(plan.changed))
