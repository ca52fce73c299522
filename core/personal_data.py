"""Phone and ID numbers: stored whole, shown masked (138****1234); seeing them whole needs the
`core.view_personal_data` permission and every such view is logged (DESIGN §4)."""

import logging
import re

from .client_ip import client_ip

logger = logging.getLogger("jiceng.personal_data")
PERMISSION = "core.view_personal_data"
NON_DIGIT = re.compile(r"\D")


def mask(value):
    """Keep the first 3 and last 4 characters of a phone, the first 6 and last 4 of an ID number."""
    if not value:
        return ""
    value = str(value)
    if len(value) >= 15:  # 身份证号
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) >= 7 and (value.isdigit() or len(NON_DIGIT.sub("", value)) >= 7):  # a phone
        return value[:3] + "****" + value[-4:]
    return "*" * len(value)


def can_reveal(user):
    return user.is_authenticated and user.has_perm(PERMISSION)


def resolve(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return ""
    return obj


def log_access(user, model, object_id, field, ip_address=None, *, object_ids=(), row_count=None, query=""):
    """Record that `user` saw `field` of `model` whole: one record (`object_id`), the records of a
    list or API page (`object_ids`), or an export (`row_count` rows under the filter `query`)."""
    from .models import PersonalDataAccess

    object_ids = [str(pk) for pk in object_ids]
    PersonalDataAccess.objects.create(
        user=user,
        model=model._meta.label,
        object_id=str(object_id),
        object_ids=object_ids,
        row_count=row_count if row_count is not None else (len(object_ids) or None),
        query=query[:1000],
        field=field,
        ip_address=ip_address,
    )
    logger.info("user %s viewed %s of %s #%s", user.pk, field, model._meta.label, object_id)


def log_access_if_whole(request, model, object_id, field=None, **shown):
    """For lists and exports: log when this request shows the numbers whole, with whose
    (`object_ids=`) or how many under which filter (`row_count=`, `query=`); returns whether it does.
    `field`: what was shown, by default the model's personal fields (a unit's contact_phone, a
    member's phone,id_number)."""
    whole = can_reveal(request.user)
    if whole:
        field = field or ",".join(getattr(model, "personal_data_fields", {})) or "phone,id_number"
        log_access(request.user, model, object_id, field, client_ip(request), **shown)
    return whole


def reveal(user, obj, field, ip_address=None):
    """The whole value of `field` of `obj`, logged; the caller has checked scope and permission."""
    value = resolve(obj, type(obj).personal_data_fields[field])
    log_access(user, type(obj), obj.pk, field, ip_address)
    return value
