"""The kit's own records: background jobs (imports today, rollups and exports tomorrow) and the
log of whole views of personal data. No app's models are imported here."""

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import FINISHED, JobStatus


class Job(models.Model):
    """A long piece of work run by a Celery task (DESIGN §4, KIT "long work runs as a job").

    The row is the truth: status and progress live here, not in Celery's result backend, so a
    page can show a progress bar and a job survives a Redis outage — `dispatch` never hangs,
    and a job queued while the broker was away is re-sent by `redispatch_pending` (beat, and a
    worker when it starts). A concrete job names its Celery task in `task_name`; the task takes
    the job's id, re-fetches it and calls `run` (see core/jobs.py).
    """

    task_name = ""  # the Celery task that runs one job, given its id

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(_("错误信息"), blank=True)
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    dispatched = models.BooleanField(_("已投递到任务队列"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self):
        if not self.progress_total:
            return 100 if self.status == JobStatus.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def is_finished(self):
        return self.status in FINISHED

    def dispatch(self):
        """Queue this job's task; False when the broker is unreachable (the job stays queued and
        undispatched, and `redispatch_pending` sends it later). Never hangs the request."""
        from .jobs import dispatch

        return dispatch(self)


class ImportJob(Job):
    """One spreadsheet import: upload → preview → confirm → background run → report (DESIGN §4).

    The uploaded bytes are kept with the job, so a confirmed import runs the very file that
    was previewed, and the worker needs no shared file system.
    """

    task_name = "core.run_import"

    # An import starts as a preview waiting for confirmation; its progress counts rows.
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.PREVIEWED)
    progress_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    progress_total = models.PositiveIntegerField(_("总行数"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    kind = models.CharField(_("导入类型"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("文件内容"))
    skip_invalid = models.BooleanField(_("仅导入有效行"), default=False)
    options = models.JSONField(_("导入选项"), default=dict, blank=True)  # the importer's `options`, as chosen
    summary = models.JSONField(_("预检结果"), default=dict)
    report = models.JSONField(_("导入报告"), default=dict)

    class Meta(Job.Meta):
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("core:import_detail", kwargs={"pk": self.pk})


class ExportJob(Job):
    """A large export (more rows than settings.EXPORT_JOB_ROWS), run in the background: the list's
    own view is called again with the saved URL and filter, as the requesting user, so that scope,
    filters, masking and logging are the page's; the file waits here for its download."""

    task_name = "core.run_export"

    path = models.CharField(_("页面"), max_length=500)
    query = models.CharField(_("筛选条件"), max_length=2000, blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    content = models.BinaryField(_("文件内容"), null=True, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self):
        return f"{self.filename or self.path}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("core:export_detail", kwargs={"pk": self.pk})


class PersonalDataAccess(models.Model):
    """The log of every unmasked view of a phone or ID number (DESIGN §4)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT)
    model = models.CharField(_("数据类型"), max_length=100)
    object_id = models.CharField(_("记录编号"), max_length=64)
    # Whose numbers were shown: the ids of a list page or API page, the row count and the filter
    # of an export (a single reveal names its record in object_id alone).
    object_ids = ArrayField(models.CharField(max_length=64), verbose_name=_("显示的记录"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("条数"), null=True, blank=True)
    query = models.CharField(_("筛选条件"), max_length=1000, blank=True)
    field = models.CharField(_("字段"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-viewed_at"]
        permissions = [("view_personal_data", _("可查看完整的手机号和身份证号"))]

    def __str__(self):
        return f"{self.user} · {self.model_title()} #{self.object_id} · {self.field_titles()}"

    def model_title(self):
        return model_title(self.model)

    def field_titles(self):
        return field_titles(self.model, self.field)


def logged_model(label):
    """The model of a logged label ("party.ReportingUnit"), None if it is gone."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_title(label):
    """A logged model as the pages name it (报到单位), its label if it is gone."""
    model = logged_model(label)
    return str(model._meta.verbose_name) if model else label


def field_titles(label, fields):
    """Logged fields ("phone,id_number") as the pages name them (联系电话、身份证号)."""
    model = logged_model(label)
    titles = []
    for name in fields.split(","):
        try:
            titles.append(str(model._meta.get_field(name).verbose_name) if model else name)
        except FieldDoesNotExist:
            titles.append(name)
    return "、".join(titles)


class FormSubmission(models.Model):
    """A one-time token of an add form (core.views.generic): the first POST that carries it creates
    the record and keeps its address here; a second POST with the same token (a double click, a
    replayed request) creates nothing and is sent to what the first created. The unique token makes
    a concurrent second POST wait for the first and then find it."""

    token = models.UUIDField(_("表单令牌"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.CASCADE)
    path = models.CharField(_("表单地址"), max_length=300)
    object_url = models.CharField(_("创建的记录"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self):
        return f"{self.path} {self.token}"


class StateChange(models.Model):
    """The history row of a declared transition (core/transitions.py): who took which step of which
    record, when, from which state to which, and why. The record's page lists its rows; the row
    stays when the record's state later changes again (the record keeps only its latest)."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("数据类型"), related_name="+", on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    transition = models.CharField(_("操作"), max_length=32)
    label = models.CharField(_("操作名称"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    reason = models.TextField(_("原因"), max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), related_name="+", null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态流转记录")
        verbose_name_plural = _("状态流转记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_statechange_record")]

    def __str__(self):
        return f"{self.label} {self.from_state or '—'} → {self.to_state}"


from .notices import Notice  # noqa: E402, F401  (the notices' model lives with their mechanism)


class TallyRow(models.Model):
    """The figures of one tally (core.tallies.Tally, by its key) counted over the records of one
    area code (or one bucket of codes): the reader of a subtree sums these rows."""

    pk = models.CompositePrimaryKey("key", "code")
    key = models.CharField(max_length=100)
    code = models.CharField(max_length=64)
    figures = ArrayField(models.BigIntegerField())

    class Meta:
        db_table = "core_tally"
        verbose_name = _("统计")
        verbose_name_plural = _("统计")

    def __str__(self):
        return f"{self.key} {self.code}"


class StaleTally(models.Model):
    """A code whose tally a write has made stale (written by the triggers of the app that declares
    the tally), recounted by the next reader."""

    pk = models.CompositePrimaryKey("key", "code")
    key = models.CharField(max_length=100)
    code = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("待重算的统计")
        verbose_name_plural = _("待重算的统计")

    def __str__(self):
        return f"{self.key} {self.code}"


class TallyState(models.Model):
    """The epoch a tally was counted for (core.tallies.Tally.epoch): a tally without one has never
    been filled."""

    key = models.CharField(max_length=100, primary_key=True)
    epoch = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("统计状态")
        verbose_name_plural = _("统计状态")

    def __str__(self):
        return f"{self.key} {self.epoch}"
