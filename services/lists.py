"""A list's versions, drafted → published → superseded (issue 19 "Lists as data"), as declared
steps (core/transitions.py): the buttons, the confirmation, the POST view, the history row, the race
refused. Publishing a version supersedes the one published before it, in the same transaction
(`VersionMachine.take`), so a list never has two published versions nor, for a moment, none
between them. A new draft starts from a version's items (`draft_from`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.transitions import StateMachine, Transition

from .choices import VersionStatus
from .models import ListItem, ListVersion, ServiceList
from .permissions import KEEP_LISTS

ITEM_FIELDS = ("order", "name", "category", "legal_basis", "responsible", "steps", "time_limit", "materials")


def publish_refusal(key, version):
    if not version.items.exists():
        return _("{version}还没有事项，不能发布。").format(version=version)
    return None


class VersionMachine(StateMachine):
    """The versions' steps; publishing also supersedes the list's published version."""

    def take(self, name, key, user, **kwargs):
        if name != "publish":
            return super().take(name, key, user, **kwargs)
        with transaction.atomic():
            version = ListVersion.objects.filter(**key).first()
            if version is None:
                raise ValidationError(_("该版本不存在。"))
            # One publication of a list at a time: the second waits here, then finds its draft gone.
            ServiceList.objects.select_for_update().get(pk=version.service_list_id)
            current = (
                ListVersion.objects.filter(service_list=version.service_list_id, status=VersionStatus.PUBLISHED)
                .exclude(pk=version.pk)
                .first()
            )
            if current is not None and version.status == VersionStatus.DRAFT:
                super().take(
                    "supersede",
                    {"pk": current.pk},
                    user,
                    reason=_("已由第{number}版替代。").format(number=version.number),
                )
            record = super().take(name, key, user, **kwargs)
            record.published_at = timezone.now()
            record.save(update_fields=["published_at"])
            return record


VERSIONS = VersionMachine(
    ListVersion,
    [
        Transition(
            "publish",
            _("发布"),
            [VersionStatus.DRAFT],
            VersionStatus.PUBLISHED,
            KEEP_LISTS,
            confirm=_("确定发布{subject}吗？发布后它成为现行清单，原现行版本将被替代；已发布的版本不能再修改。"),
            done=_("已发布{subject}。"),
            guard=publish_refusal,
            style="btn-outline-success",
            icon="bi-megaphone",
        ),
        # Taken only by publishing the next version (VersionMachine.take): no button, no page.
        Transition(
            "supersede",
            _("替代"),
            [VersionStatus.PUBLISHED],
            VersionStatus.SUPERSEDED,
            KEEP_LISTS,
            applies=lambda subject: False,
        ),
    ],
)


def draft_from(service_list, user, base=None):
    """A new draft of `service_list` holding a copy of `base`'s items (default: the published
    version's, or none). Refused when the list already has a draft."""
    with transaction.atomic():
        ServiceList.objects.select_for_update().get(pk=service_list.pk)
        draft = service_list.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ValidationError(
                _("{list}已有草稿（第{number}版），请先发布或删除它。").format(list=service_list, number=draft.number)
            )
        base = base if base is not None else service_list.current()
        version = ListVersion.objects.create(
            service_list=service_list,
            by=user if getattr(user, "pk", None) else None,
            note=_("以第{number}版为基础起草").format(number=base.number) if base is not None else "",
        )
        if base is not None:
            ListItem.objects.bulk_create(
                ListItem(version=version, **{name: getattr(item, name) for name in ITEM_FIELDS})
                for item in base.items.all()
            )
        return version
