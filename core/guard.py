"""What a record refuses in its present state (KIT §"declared once"): a model declares
`refuses(what)` — the Chinese reason it may not be edited (`CHANGE`) or deleted (`DELETE`) as it
stands, or "" — and the kit asks it everywhere: the record's page offers no 编辑 or 删除 it would
refuse, the edit and delete pages send the user back with the reason, the API answers 400 with it,
and `Guarded.delete()` refuses any other caller (a shell, a task) with the same words.

    class ResidentRequest(Guarded, AreaRecord):
        def refuses(self, what):
            if self.status == RequestStatus.CLOSED:
                return _("已办结的诉求须留存，不能编辑或删除。")
            return ""
"""

from django.core.exceptions import ValidationError

CHANGE, DELETE = "change", "delete"


def refusal(record, what):
    """Why `record` may not be changed (CHANGE) or deleted (DELETE) as it stands; "" when it may."""
    hook = getattr(record, "refuses", None)
    return str(hook(what) or "") if hook is not None else ""


class Guarded:
    """A model mixin: deleting a record its `refuses(DELETE)` forbids raises the reason."""

    def refuses(self, what):
        return ""

    def delete(self, *args, **kwargs):
        reason = refusal(self, DELETE)
        if reason:
            raise ValidationError(reason)
        return super().delete(*args, **kwargs)
