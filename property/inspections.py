"""双随机一公开 (seed 001): a housing department draws a company of its register and an inspector
at random — the seed and the sizes of both pools recorded, so the same seed over the same pools
draws the same pair and the draw can be shown fair — then records the result and publishes it
(Inspection: published, it is seen by every area the company serves)."""

import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.choices import Role
from orgs.models import RoleAssignment

from .models_evaluation import Inspection


def company_pool(department):
    """The companies a housing department may draw: those it registered, by id."""
    from .models import PropertyCompany

    return list(PropertyCompany.objects.filter(department=department).order_by("pk"))


def inspector_pool(department):
    """Its inspectors: the active users serving in the department (its 执法检查人员名录), by id."""
    ids = RoleAssignment.objects.filter(department=department, role=Role.DEPARTMENT, user__is_active=True).values(
        "user_id"
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


def draw(department, user, seed=None):
    """Draw a company and an inspector at random (双随机) with a recorded seed: the same seed over
    the same pools draws the same pair, so the draw can be replayed. Refused in Chinese when a
    pool is empty."""
    companies, inspectors = company_pool(department), inspector_pool(department)
    if not companies:
        raise ValidationError(_("{department}没有登记的物业服务企业，无法抽取。").format(department=department))
    if not inspectors:
        raise ValidationError(_("{department}没有检查人员，无法抽取。").format(department=department))
    seed = random.SystemRandom().randrange(2**62) if seed is None else int(seed)
    chance = random.Random(seed)
    company, inspector = chance.choice(companies), chance.choice(inspectors)
    return Inspection.objects.create(
        department=department,
        company=company,
        inspector=inspector,
        seed=seed,
        drawn_at=timezone.now(),
        drawn_by=user if getattr(user, "pk", None) else None,
        company_pool=len(companies),
        inspector_pool=len(inspectors),
    )


def publish(inspection):
    """Publish an inspection's result (公开): it needs a conclusion; then every area the company serves sees it."""
    if inspection.published_at:
        raise ValidationError(_("该检查结果已公开。"))
    if not inspection.conclusion:
        raise ValidationError(_("请先填写检查结论，再公开。"))
    inspection.published_at = timezone.now()
    inspection.save(update_fields=["published_at"])
    return inspection
