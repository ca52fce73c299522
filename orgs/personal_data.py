"""Phone and ID numbers: stored whole, shown masked (138****1234); seeing them whole needs the
`orgs.view_personal_data` permission and every such view is logged (DESIGN §4)."""

import logging
import re

logger = logging.getLogger("jiceng.personal_data")
PERMISSION = "orgs.view_personal_data"


def mask(value):
    """Keep the first 3 and last 4 characters of a phone, the first 6 and last 4 of an ID number."""
    if not value:
        return ""
    value = str(value)
    digits = re.sub(r"\D", "", value)
    if len(value) >= 15:  # 身份证号
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(digits) >= 7:
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


def reveal(user, obj, field, ip_address=None):
    """The whole value of `field` of `obj`, logged; the caller has checked scope and permission."""
    from .models import PersonalDataAccess

    value = resolve(obj, type(obj).personal_data_fields[field])
    PersonalDataAccess.objects.create(
        user=user, model=obj._meta.label, object_id=str(obj.pk), field=field, ip_address=ip_address
    )
    logger.info("user %s viewed %s of %s #%s", user.pk, field, obj._meta.label, obj.pk)
    return value
