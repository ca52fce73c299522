"""社区工作者's tables: workers (their office, post, place on the ladder, dates; phone and ID number
masked), their changes of post and grade, training, certificates and ratings — each sorted,
filtered, paged and exported by the kit; the workers' import reads the workers' headers
(workforce/importers_workers.py)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import DateColumn, LinkedColumn, PersonalColumn, Table, YesNoColumn

from .models_workers import Certificate, TrainingRecord, Worker, WorkerChange, WorkerRating, category_label


class AreaColumn(tables.Column):
    """An office's name with its code under it; its code in the export (what an import reads)."""

    def __init__(self, verbose_name, path="area", **kwargs):
        super().__init__(verbose_name, accessor=f"{path}__code", order_by=f"{path}__code", **kwargs)
        self.path = path

    def render(self, value, record):
        area = record
        for step in self.path.split("__"):
            area = getattr(area, step)
        return format_html('{}<span class="cell-sub code">{}</span>', area.name, value)

    def value(self, value):
        return value


class LabelColumn(tables.Column):
    """A choice shown and exported by its Chinese label."""

    def render(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()

    def value(self, value, record):
        return getattr(record, f"get_{self.accessor}_display")()


class CategoryColumn(tables.Column):
    """A post category (岗) by its label on the city's ladder."""

    def __init__(self, verbose_name, code_path="area__code", **kwargs):
        super().__init__(verbose_name, **kwargs)
        self.code_path = code_path

    def label(self, value, record):
        code = record
        for step in self.code_path.split("__"):
            code = getattr(code, step)
        return category_label(code, value)

    def render(self, value, record):
        return self.label(value, record)

    def value(self, value, record):
        return self.label(value, record)


class WorkerColumn(tables.Column):
    """The worker's name, linked to their page; the export's 身份证号 column says who."""

    def __init__(self, verbose_name=None, **kwargs):
        super().__init__(verbose_name or _("社区工作者"), accessor="worker__name", order_by="worker__name", **kwargs)

    def render(self, value, record):
        return format_html('<a href="{}">{}</a>', record.worker.get_absolute_url(), value)

    def value(self, value):
        return value


class WorkerTable(Table):
    cards_on_phone = True
    name = LinkedColumn(_("姓名"))
    area = AreaColumn(_("社区代码"))
    gender = LabelColumn(_("性别"), accessor="gender")
    birth_date = DateColumn("Y-m-d", verbose_name=_("出生日期"), visible=False)
    id_number = PersonalColumn(_("身份证号"), field="id_number")
    phone = PersonalColumn(_("联系电话"), field="phone")
    education = LabelColumn(_("学历"), accessor="education", visible=False)
    post = LabelColumn(_("岗位"), accessor="post")
    category = CategoryColumn(_("岗位类别"))
    grade = tables.Column(_("等级"))
    hired_on = DateColumn("Y-m-d", verbose_name=_("入职日期"))
    left_on = DateColumn("Y-m-d", verbose_name=_("离职日期"), visible=False)
    part_time = YesNoColumn(verbose_name=_("兼职"))

    class Meta(Table.Meta):
        model = Worker
        fields = ()


class WorkerChangeTable(Table):
    cards_on_phone = True
    changed_on = DateColumn("Y-m-d", verbose_name=_("变动日期"), linkify=True)
    worker = WorkerColumn()
    area = AreaColumn(_("社区代码"), path="worker__area")
    kind = LabelColumn(_("变动类型"), accessor="kind")
    post_before = LabelColumn(_("原岗位"), accessor="post_before")
    grade_before = tables.Column(_("原等级"))
    post = LabelColumn(_("新岗位"), accessor="post")
    category = CategoryColumn(_("新岗位类别"), code_path="worker__area__code")
    grade = tables.Column(_("新等级"))
    reason = tables.Column(_("原因"))

    class Meta(Table.Meta):
        model = WorkerChange
        fields = ()


class TrainingRecordTable(Table):
    cards_on_phone = True
    subject = LinkedColumn(_("培训内容"))
    worker = WorkerColumn()
    area = AreaColumn(_("社区代码"), path="worker__area")
    trained_on = DateColumn("Y-m-d", verbose_name=_("培训日期"))
    hours = tables.Column(_("学时"), attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})

    class Meta(Table.Meta):
        model = TrainingRecord
        fields = ()


class CertificateTable(Table):
    cards_on_phone = True
    number = LinkedColumn(_("证书编号"))
    worker = WorkerColumn()
    area = AreaColumn(_("社区代码"), path="worker__area")
    level = LabelColumn(_("证书等级"), accessor="level")
    obtained_on = DateColumn("Y-m-d", verbose_name=_("取得日期"))
    expires_on = DateColumn("Y-m-d", verbose_name=_("有效期至"))

    class Meta(Table.Meta):
        model = Certificate
        fields = ()


class WorkerRatingTable(Table):
    cards_on_phone = True
    year = tables.Column(_("年度"), linkify=True)
    worker = WorkerColumn()
    area = AreaColumn(_("社区代码"), path="worker__area")
    rating = LabelColumn(_("评定等次"), accessor="rating")
    note = tables.Column(_("备注"), visible=False)

    class Meta(Table.Meta):
        model = WorkerRating
        fields = ()
