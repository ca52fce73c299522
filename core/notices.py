"""Notices (KIT.md "notices", DESIGN §4): whoever must act next is told.

A notice tells one user that something waits for them — a submission returned, a value awaiting
acceptance, a service awaiting the community's confirmation, a post fallen vacant, a probation
ending — with a link to the page where one acts. Two things send them, both declared by the app
that owns the record:

- a declared transition (core/transitions.py) with `notify=[Notify(...)]`: taking the step tells
  the holders of an action at an area (the returned community's cadres, the district that
  accepts);
- a due date: the app registers a `DueSource` (core.registry) that lists what is due or overdue
  today, each item with the action and the area of who may act on it; the daily job
  (`send_due_notices`, scheduled by the kit) tells them once — a notice is unique per recipient and
  `source` — and sends each user with overdue items one digest of them.

Who holds an action at an area is the gate's question (`core.gate.holders`, answered by `orgs`):
the users whose role gives the action there, the nearest ones — a community's cadres before its
street's, a grid's worker before the community.

The inbox (core/views/notices.py) lists a user's own notices; the menu bar shows the count of the
unread (one query, `unread_count`). Besides the inbox, a notice reaches its recipient through the
senders of `settings.NOTICE_SENDERS` (dotted paths of `NoticeSender` classes): the portal's own
inbox by default; an office adds its 政务微信 or SMS gateway by writing a sender (README).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class NoticeKind(models.TextChoices):
    STEP = "step", _("待办")  # a declared transition was taken: the next step is the recipient's
    DUE = "due", _("到期")  # a due date (registered by the app that owns it)
    DIGEST = "digest", _("逾期汇总")  # the day's digest of what is overdue


class Notice(models.Model):
    """通知: one thing one user is told, with the page where they act on it. Unique per recipient and
    `source`, so that what is due is told once however often the daily job runs, and a step taken
    again (a second return) renews the one notice rather than adding another."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), related_name="notices", on_delete=models.CASCADE
    )
    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices)
    # What told it, stable for the same matter: "assessment.approval:12:return", "party.probation:7:2025-12-20".
    source = models.CharField(_("来源"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("办理页面"), max_length=500, blank=True)
    # The record it concerns, when there is one (a label names it even after it is gone).
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("数据类型"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    object_id = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    record_label = models.CharField(_("相关记录"), max_length=200, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("通知时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "source"], name="core_notice_once_per_source")]
        indexes = [
            # The menu bar's count: the unread notices of one user.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="core_notice_unread"),
            models.Index(fields=["recipient", "-created_at"], name="core_notice_inbox"),
            models.Index(fields=["content_type", "object_id"], name="core_notice_record"),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    def get_absolute_url(self):
        return reverse("core:notice_open", args=[self.pk])

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def overdue(self):
        return self.due_on is not None and self.due_on < timezone.localdate()


# --- senders -----------------------------------------------------------------------------------


class NoticeSender:
    """A way a notice reaches its recipient. `send` gets the notices just created or renewed (each
    with its `recipient`, `title`, `body`, `url`, `due_on`), after their transaction has committed;
    an exception is logged and does not undo anything (a gateway that is down must not stop a
    return). Listed by dotted path in `settings.NOTICE_SENDERS`:

        class WorkWeChatSender(NoticeSender):
            def send(self, notices):
                for notice in notices:
                    account = wechat_account_of(notice.recipient)  # the office's own directory
                    if account:
                        post_message(account, notice.title, absolute(notice.url))
    """

    def send(self, notices):
        raise NotImplementedError


class InboxSender(NoticeSender):
    """The portal's own inbox (收件箱) and the count in the menu bar: they read the notices' rows,
    so a notice is in the inbox as soon as it is written; nothing more to deliver."""

    def send(self, notices):
        return None


def senders():
    return [import_string(path)() for path in getattr(settings, "NOTICE_SENDERS", ["core.notices.InboxSender"])]


def deliver(notices):
    """Hand `notices` to every configured sender once the transaction that wrote them commits."""
    notices = list(notices)
    if not notices:
        return

    def send():
        for sender in senders():
            try:
                sender.send(notices)
            except Exception:  # one channel failing must not stop the others, nor the step taken
                logger.exception("notice sender %s failed", type(sender).__name__)

    transaction.on_commit(send)


# --- telling -----------------------------------------------------------------------------------


def record_fields(record):
    if record is None or getattr(record, "pk", None) is None:
        return {"content_type": None, "object_id": None}
    from django.contrib.contenttypes.models import ContentType

    return {"content_type": ContentType.objects.get_for_model(record), "object_id": record.pk}


def tell(users, *, source, title, body="", url="", kind=NoticeKind.STEP, record=None, record_label="", due_on=None):
    """Tell each of `users` (users or ids) once about `source`; returns the notices written or renewed.

    A transition's notice (kind STEP, DIGEST) that exists already is renewed: its texts replaced,
    unread again, dated now — the step was taken again. A due date's (kind DUE) keeps its read state
    and date and only takes the day's texts: the same matter is not told twice."""
    ids = sorted({getattr(user, "pk", user) for user in users if getattr(user, "pk", user) is not None})
    if not ids:
        return []
    texts = {
        "title": str(title)[:200],
        "body": str(body),
        "url": str(url)[:500],
        "kind": kind,
        "record_label": str(record_label or (record if record is not None else ""))[:200],
        "due_on": due_on,
        **record_fields(record),
    }
    told = []
    with transaction.atomic():
        existing = {
            n.recipient_id: n for n in Notice.objects.select_for_update().filter(source=source, recipient_id__in=ids)
        }
        now = timezone.now()
        fresh = [Notice(recipient_id=pk, source=source, created_at=now, **texts) for pk in ids if pk not in existing]
        told += Notice.objects.bulk_create(fresh)
        renewed = []
        for notice in existing.values():
            changed = any(getattr(notice, name) != value for name, value in texts.items())
            for name, value in texts.items():
                setattr(notice, name, value)
            if kind != NoticeKind.DUE:
                notice.read_at, notice.created_at = None, now
                renewed.append(notice)
            elif not changed:
                continue
            notice.save()
        told += renewed
    deliver(told)
    return told


def notify(
    action,
    area,
    *,
    source,
    title,
    body="",
    url="",
    kind=NoticeKind.STEP,
    record=None,
    record_label="",
    due_on=None,
    exclude=(),
):
    """Tell the users who hold `action` at `area`, the nearest ones (core.gate.holders), but not
    those of `exclude` (the user who took the step)."""
    from . import gate

    skip = {getattr(user, "pk", user) for user in exclude}
    users = [pk for pk in gate.holders(action, area) if pk not in skip]
    return tell(
        users,
        source=source,
        title=title,
        body=body,
        url=url,
        kind=kind,
        record=record,
        record_label=record_label,
        due_on=due_on,
    )


def settle(record, keep=""):
    """The step notices of `record` whose matter a later step has settled read (the district that was
    told of a submission has returned it; the community told of the return has submitted again),
    except the source `keep`. Returns how many."""
    fields = record_fields(record)
    if fields["content_type"] is None:
        return 0
    return (
        Notice.objects.filter(kind=NoticeKind.STEP, read_at__isnull=True, **fields)
        .exclude(source=keep)
        .update(read_at=timezone.now())
    )


# --- the inbox's reading -------------------------------------------------------------------------


def unread_count(user):
    """The menu bar's count: one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(notices):
    return notices.filter(read_at__isnull=True).update(read_at=timezone.now())


# --- due dates and the digest --------------------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """What the daily job did: notices written (new) and the users sent a digest."""

    new: int
    digests: int
    items: int


DIGEST_SOURCE = "core.digest"
DIGEST_LISTED = 20  # items named in a digest; the rest counted


def send_due_notices(today=None):
    """The daily job: every registered due source's items of `today` told to who may act on them
    (once: a matter already told is not told again), then each user with overdue items one digest
    of them, renewed every day while something is overdue and removed once nothing is."""
    from . import gate
    from .registry import registry

    today = today or timezone.localdate()
    new = items = 0
    overdue = {}  # user id → [item]
    for source in registry.due_sources.values():
        for item in source.items(today):
            items += 1
            users = gate.holders(item.action, item.area)
            told = tell(
                users,
                source=item.key,
                title=item.title,
                body=item.body,
                url=item.url,
                kind=NoticeKind.DUE,
                record=item.record,
                record_label=item.record_label,
                due_on=item.due_on,
            )
            new += sum(1 for notice in told if notice.read_at is None and notice.created_at.date() >= today)
            if item.due_on < today:
                for pk in users:
                    overdue.setdefault(pk, []).append(item)
    digests = send_digests(overdue, today)
    return Told(new=new, digests=digests, items=items)


def digest_text(items, today):
    items = sorted(items, key=lambda item: (item.due_on, item.title))
    lines = [
        _("· {title}（期限 {day}，已逾期 {days} 天）").format(
            title=item.title, day=item.due_on.isoformat(), days=(today - item.due_on).days
        )
        for item in items[:DIGEST_LISTED]
    ]
    if len(items) > DIGEST_LISTED:
        lines.append(_("……另有 {count} 项").format(count=len(items) - DIGEST_LISTED))
    return "\n".join(lines)


def send_digests(overdue, today):
    """One digest per user of `overdue` ({user id: [items]}); the digests of the others removed."""
    Notice.objects.filter(source=DIGEST_SOURCE).exclude(recipient_id__in=list(overdue)).delete()
    for pk, items in overdue.items():
        tell(
            [pk],
            source=DIGEST_SOURCE,
            title=_("逾期事项汇总：{count} 项待办理（{day}）").format(count=len(items), day=today.isoformat()),
            body=digest_text(items, today),
            url=reverse("core:notice_list") + "?status=unread",
            kind=NoticeKind.DIGEST,
        )
    return len(overdue)


def fill_demo_notices(size):
    """The demo's part: what is due in the demo city told, as the daily job would (seed_demo)."""
    told = send_due_notices()
    return f"已发送 {told.new} 条到期提醒（{told.items} 项到期事项）和 {told.digests} 份逾期汇总。"
