"""Appointing and relieving people one at a time (forms, the grid worker's phone page, the API).
The bulk path is the importer; both clean cells with grids/normalise.py."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.scoping import Action, in_scopes, user_scopes

from .choices import HEAD_POSTS, POST_LEVEL, Post
from .models import HeadAssignment, Person


def people_serving_elsewhere(person_ids, user):
    """The ids among `person_ids` of people holding a current post outside `user`'s scope.

    Their registered details (name, phone, …) are not changed by this user: a street may
    appoint somebody another street registered, but not rewrite that street's records."""
    if getattr(user, "is_superuser", False) or not person_ids:
        return set()
    scopes = user_scopes(user, Action.CHANGE)
    posts = HeadAssignment.objects.current().filter(person_id__in=list(person_ids))
    return {pid for pid, code in posts.values_list("person_id", "area__code") if not in_scopes(code, scopes)}


def find_or_create_person(*, name, gender="", phone="", id_number="", political_status="", user=None):
    """The registered person with this ID number (or name and phone), updated unless they serve
    outside `user`'s scope; or a new one."""
    person = None
    if id_number:
        person = Person.objects.filter(id_number=id_number).first()
    if person is None and phone:
        person = Person.objects.filter(name=name, phone=phone).order_by("pk").first()
    if person is None:
        return Person.objects.create(
            name=name, gender=gender, phone=phone, id_number=id_number, political_status=political_status
        )
    if user is not None and people_serving_elsewhere({person.pk}, user):
        return person
    changed = False
    for attr, value in (
        ("name", name),
        ("gender", gender),
        ("phone", phone),
        ("id_number", id_number),
        ("political_status", political_status),
    ):
        if value and getattr(person, attr) != value:
            setattr(person, attr, value)
            changed = True
    if changed:
        person.save()
    return person


@transaction.atomic
def appoint(area, post, person, *, employment="", start_date=None, note=""):
    """Give `person` the `post` on `area`; a head post's current holder is relieved (replaced)."""
    if POST_LEVEL[post] != area.level:
        raise ValidationError(
            _("{post}只能设在{level}上。").format(post=Post(post).label, level=POST_LEVEL[post].label)
        )
    start_date = start_date or timezone.localdate()
    current = HeadAssignment.objects.select_for_update().filter(area=area, post=post, end_date__isnull=True)
    if current.filter(person=person).exists():
        raise ValidationError(_("{name}已担任该职务。").format(name=person.name))
    if post in HEAD_POSTS:
        for holder in current:
            if holder.start_date > start_date:
                raise ValidationError(_("任职日期不能早于现任者的任职日期。"))
        current.update(end_date=start_date)
    return HeadAssignment.objects.create(
        person=person, area=area, post=post, employment=employment, start_date=start_date, note=note
    )


@transaction.atomic
def relieve(assignment, end_date=None):
    end_date = end_date or timezone.localdate()
    if end_date < assignment.start_date:
        raise ValidationError(_("离任日期不能早于任职日期。"))
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment
