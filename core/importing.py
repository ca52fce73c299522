"""The generic import flow every app uses (DESIGN §4).

An importer declares its columns and two methods: `plan(table)` sorts the rows into new,
changed, unchanged, skipped and rejected without writing anything, and `apply(plan)` writes
the accepted rows. `execute()` runs both in one transaction, under the importer's locks, so
an import is all-or-nothing and a confirmed import re-validates what was previewed. The
browser flow (views.imports), the Celery task and the management commands call these
functions; none of them validates on its own.
"""

from dataclasses import dataclass, field

import pghistory
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import jobs
from .personal_data import mask
from .spreadsheets import Column, FileRejected, is_blank, is_total_row, read_table, write_xlsx

REGISTRY = {}

# The preview shows and stores the first DETAIL_LIMIT changes of each kind (new, changed,
# relieved) row by row; the rest are counted ("还有 M 条") and in the downloadable full list.
DETAIL_LIMIT = 100
DETAIL_KINDS = ("new", "changed", "relieved")


def register(importer_class):
    REGISTRY[importer_class.kind] = importer_class
    return importer_class


def get_importer(kind):
    return REGISTRY[kind]


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str


@dataclass
class Plan:
    rows: int = 0
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # accepted rows the cadre should know about
    message: str = ""  # one sentence about the whole sheet, shown above its rows
    relieved: list = field(default_factory=list)  # what the sheet ends (e.g. posts no longer listed)
    notes: list = field(default_factory=list)  # sentences the cadre should read before confirming
    # Row by row, what confirming will change (see `detail`): the first `detail_limit` of each kind
    # (None: all of them, for the full list).
    detail_limit: int | None = DETAIL_LIMIT
    details: dict = field(default_factory=lambda: {kind: [] for kind in DETAIL_KINDS})

    def wants_detail(self, kind):
        """Whether a detail of `kind` would still be kept: an importer may skip the work otherwise."""
        return self.detail_limit is None or len(self.details[kind]) < self.detail_limit

    def detail(self, kind, row, who, *, what=(), changes=()):
        """Record what confirming does to one row, for the preview: `kind` new, changed or relieved;
        `who` the person or thing; `what` (label, value) pairs that say which and where; `changes`
        (label, old, new) triples of the fields that change (see `change`: blanks are dropped).
        Returns the entry, or None beyond the limit."""
        if not self.wants_detail(kind):
            return None
        entry = {
            "row": row.number if hasattr(row, "number") else row,
            "who": str(who),
            "what": [[str(label), str(value)] for label, value in what if value not in (None, "")],
            "changes": [[str(label), str(old), str(new)] for label, old, new in filter(None, changes)],
        }
        self.details[kind].append(entry)
        return entry

    def reject(self, row, column, reason):
        self.rejected.append(Rejection(row.number if hasattr(row, "number") else row, column, reason))

    def warn(self, row, column, reason):
        self.warnings.append(Rejection(row.number if hasattr(row, "number") else row, column, reason))

    @property
    def rejected_rows(self):
        return sorted({r.row for r in self.rejected})

    def summary(self):
        return {
            "rows": self.rows,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rejected": [
                {"row": r.row, "column": r.column, "reason": r.reason}
                for r in sorted(self.rejected, key=lambda r: r.row)  # in sheet order, whichever check found them
            ],
            "message": self.message,
            "notes": self.notes,
            "relieved": self.relieved[:DETAIL_LIMIT],  # bounded: the full list is a download
            "relieved_count": len(self.relieved),
            "details": {kind: entries[:DETAIL_LIMIT] for kind, entries in self.details.items()},
            "warnings": [
                {"row": r.row, "column": r.column, "reason": r.reason}
                for r in sorted(self.warnings, key=lambda r: r.row)
            ],
        }


def change(label, old, new, *, personal=False):
    """(label, old, new) for `Plan.detail`, or None when the value does not change. A personal
    field (phone, ID number) is shown masked, as everywhere: 139****0001 → 139****0002; two
    numbers that differ only in their hidden digits say so rather than look unchanged."""
    old, new = ("" if old is None else old), ("" if new is None else new)
    if old == new:
        return None
    if personal:
        old, new = mask(old), mask(new)
        if old == new:
            new = _("{value}（中间几位不同）").format(value=new)
    return (label, old, new)


def shown_value(model_field, value, shown=None):
    """A stored value as the preview shows it: a choice's label, 是/否, a date, or what `shown`
    (a callable) makes of a foreign key's id."""
    if value is None or value == "":
        return ""
    if shown is not None:
        return str(shown(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def model_changes(model, old, new, names, shown=None):
    """(label, old, new) of each field of `names` (a model's field names) whose value differs
    between `old` and `new` (dicts by the fields' attnames): labelled with the verbose name, choices
    and booleans in words, the model's personal fields masked. `shown`: {name: callable(value)}
    for foreign keys (an id → the organisation's name)."""
    shown = shown or {}
    personal = set(getattr(model, "personal_data_fields", {}).values())
    result = []
    for name in names:
        model_field = model._meta.get_field(name)
        before, after = old.get(model_field.attname), new.get(model_field.attname)
        if before != after:
            result.append(
                change(
                    str(model_field.verbose_name),
                    shown_value(model_field, before, shown.get(name)),
                    shown_value(model_field, after, shown.get(name)),
                    personal=name in personal,
                )
            )
    return result


class ImportRejected(Exception):
    """Some rows are invalid and the import was asked to be all-or-nothing: nothing was written."""

    def __init__(self, plan):
        super().__init__(_("有 {n} 行数据未通过校验，未写入任何数据。").format(n=len(plan.rejected_rows)))
        self.plan = plan


def analyze_if_bulk(rows, *tables):
    """After a bulk write of `rows` rows: refresh the statistics of `tables` inside the write's
    transaction, so that the next query is planned on what was written (a city's first import
    left the tables without statistics, and the coverage page's query ran for minutes)."""
    from django.conf import settings

    if rows < settings.ANALYZE_AFTER_ROWS or not tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(tables))
    return True


def columns_from_table(table, *, aliases=None, optional=()):
    """The columns an import reads, named and ordered like `table`'s export (so that export →
    edit → re-import round-trips), with the header variants street offices write."""
    aliases = aliases or {}
    return tuple(
        Column(name, header, tuple(aliases.get(name, ())), required=name not in optional)
        for name, header in table.export_columns()
    )


class Importer:
    do_not_call_in_templates = True  # templates get the class itself
    kind = ""
    title = ""
    columns = ()
    permission_action = "change"  # the scoping action (orgs.scoping.Action) a user needs somewhere to import

    # Choices the uploader makes about the whole sheet: (name, Chinese label, help text). They are
    # offered as checkboxes on the upload page, kept with the job, and read as self.chosen[name].
    options = ()

    detail_limit = DETAIL_LIMIT  # row-by-row changes a plan keeps (None: all, for the full list)

    def __init__(self, user, chosen=None):
        self.user = user
        self.chosen = {name: bool((chosen or {}).get(name)) for name, _label, _help in self.options}

    def new_plan(self):
        return Plan(detail_limit=self.detail_limit)

    def read(self, data):
        table = read_table(data, self.columns)
        return table

    def data_rows(self, table, plan):
        """The rows worth planning, each counted in `plan.rows`. Blank rows between data rows
        and total (合计) rows are skipped, not rejected; blank rows after the last one are not rows."""
        last = max((i for i, row in enumerate(table.rows) if not is_blank(row)), default=-1)
        for row in table.rows[: last + 1]:
            plan.rows += 1
            if is_blank(row) or is_total_row(row):
                plan.skipped += 1
                continue
            yield row

    def lock(self, table):
        """Take the locks `apply` needs before planning (inside the transaction)."""

    def plan(self, table):
        raise NotImplementedError

    def apply(self, plan, progress=None):
        raise NotImplementedError

    def close(self):
        """Release what planning held between `plan` and `apply` (a staged import's stage, see
        core.staging): called after every preview and import, whatever happened."""


def preview(importer, data):
    """Read and plan without writing: what the dry run and the preview page show."""
    table = importer.read(data)
    try:
        return importer.plan(table)
    finally:
        importer.close()


def execute(importer, data, *, skip_invalid=False, progress=None):
    """Read, lock, plan and write in one transaction. Raises ImportRejected or FileRejected."""
    table = importer.read(data)
    try:
        with transaction.atomic():
            importer.lock(table)
            plan = importer.plan(table)
            if plan.rejected and not skip_invalid:
                raise ImportRejected(plan)
            importer.apply(plan, progress=progress)
    finally:
        importer.close()
    return plan


def rejected_rows_xlsx(importer, data, rejected):
    """The rejected rows as they were uploaded, with an added 错误原因 column, ready to fix."""
    table = importer.read(data)
    reasons = {}
    for r in rejected:
        reasons.setdefault(r["row"], []).append(f"{r['column']}：{r['reason']}" if r["column"] else r["reason"])
    headers = [c.header for c in table.columns] + ["原行号", "错误原因"]
    rows = [
        [row.values.get(c.key, "") for c in table.columns] + [row.number, "；".join(reasons[row.number])]
        for row in table.rows
        if row.number in reasons
    ]
    return write_xlsx(headers, rows, sheet_title=_("未通过校验的行"))


DETAIL_KIND_LABELS = {"new": gettext_lazy("新增"), "changed": gettext_lazy("修改"), "relieved": gettext_lazy("离任")}


def changes_xlsx(importer, data):
    """Every change the preview lists (not only the first DETAIL_LIMIT of each kind), one line per
    changed field, as the data stands now: the downloadable full list."""
    importer.detail_limit = None
    plan = preview(importer, data)
    headers = [_("类别"), _("行号"), _("人员/对象"), _("说明"), _("变更项"), _("原值"), _("新值")]
    rows = []
    for kind in DETAIL_KINDS:
        label = str(DETAIL_KIND_LABELS[kind])
        for entry in plan.details[kind]:
            what = "；".join(f"{k}：{v}" for k, v in entry["what"])
            first = [label, entry["row"] or "", entry["who"], what]
            if not entry["changes"]:
                rows.append([*first, "", "", ""])
            for field_label, old, new in entry["changes"]:
                rows.append([*first, field_label, old, new])
    return write_xlsx(headers, rows, sheet_title=_("预检变更清单"))


# --- jobs -----------------------------------------------------------------------------------------


class ImportRunner(jobs.JobRunner):
    """A confirmed import's work (core.jobs runs its lifecycle): all the rows or none."""

    model = "core.ImportJob"
    failure = gettext_lazy("导入时发生内部错误，未写入任何数据：{error}")

    def run(self):
        job = self.job
        importer = get_importer(job.kind)(job.user, job.options)
        try:
            with pghistory.context(user=job.user_id, import_job=job.pk, source="import"):
                plan = execute(importer, bytes(job.content), skip_invalid=job.skip_invalid, progress=self.progress)
        except ImportRejected as rejected:
            job.report = rejected.plan.summary()
            raise jobs.JobFailed(str(rejected), fields=["report"]) from rejected
        except FileRejected as rejected:
            raise jobs.JobFailed(str(rejected)) from rejected
        except IntegrityError as error:  # a row written meanwhile by someone else: its detail is not repeated
            raise jobs.JobFailed(_("导入时与刚写入的记录重复或冲突，未写入任何数据。请重新上传预览。")) from error
        job.report = plan.summary()
        return ["report"]


def run_job(job):
    """Run a confirmed ImportJob to its end (already taken by another worker, or cancelled: left alone)."""
    return ImportRunner.execute(job)


# --- command line -------------------------------------------------------------------------------


class CommandLineUser:
    """Who imports from the command line when no --user is given: the operator, unrestricted."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    username = "manage.py"


def run_command_import(command, kind, options, user=None):
    """What `manage.py import_*` does: returns the exit code (0 imported or valid, 1 rejected)."""
    import json

    importer_class = get_importer(kind)
    importer = importer_class(
        user or CommandLineUser(), {name: options.get(name, False) for name, _label, _help in importer_class.options}
    )
    try:
        with open(options["file"], "rb") as handle:
            data = handle.read()
    except OSError as error:
        return _command_error(command, options, _("无法读取文件：{error}").format(error=error.strerror))
    skip_invalid = options.get("skip_invalid", False)
    try:
        if options["dry_run"]:
            plan = preview(importer, data)
        else:
            with pghistory.context(user=getattr(user, "pk", None), source="command", file=str(options["file"])):
                plan = execute(importer, data, skip_invalid=skip_invalid)
    except FileRejected as rejected:
        return _command_error(command, options, str(rejected))
    except ImportRejected as rejected:
        plan = rejected.plan
    summary = plan.summary()
    if options["json"]:
        command.stdout.write(json.dumps(summary, ensure_ascii=False))
    else:
        command.stdout.write(
            _(
                "数据行 {rows}：新增 {new}，修改 {changed}，无变化 {unchanged}，跳过 {skipped}，未通过 {rejected} 行。"
            ).format(rejected=len(plan.rejected_rows), **{k: v for k, v in summary.items() if k != "rejected"})
        )
        for r in plan.rejected:
            command.stderr.write(
                _("第 {row} 行 [{column}]：{reason}").format(row=r.row, column=r.column, reason=r.reason)
            )
        if plan.rejected and not skip_invalid:
            command.stderr.write(_("有未通过校验的行，未写入任何数据。"))
        elif options["dry_run"]:
            command.stdout.write(_("（试运行，未写入任何数据）"))
    return 1 if plan.rejected and not skip_invalid else 0


def _command_error(command, options, message):
    import json

    if options["json"]:
        command.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
    else:
        command.stderr.write(message)
    return 1


class ImportCommand(BaseCommand):
    """The base of `manage.py import_*` commands: FILE [--dry-run] [--skip-invalid] [--json] [--user]."""

    kind = ""
    allow_skip_invalid = True

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 或 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        if self.allow_skip_invalid:
            parser.add_argument("--skip-invalid", action="store_true", help="跳过未通过校验的行，导入其余行")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
        parser.add_argument("--user", help="以该用户的权限导入（默认：不受范围限制）")
        for name, label, help_text in get_importer(self.kind).options:
            parser.add_argument(
                f"--{name.replace('_', '-')}", dest=name, action="store_true", help=f"{label}：{help_text}"
            )

    def handle(self, *args, **options):
        from django.contrib.auth import get_user_model

        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户 {options['user']} 不存在。")
        code = run_command_import(self, self.kind, options, user=user)
        if code:
            raise SystemExit(code)
