"""Appointing and relieving people one at a time (forms, the grid worker's phone page, the API).
The bulk path is the importer; both clean cells with grids/normalise.py and follow the same
identity rule.

Identity: a person is recognised by the ID number (or name and phone without one), across
scopes, so that one person holding posts in two communities is one person. Their registered
details (姓名, 电话, …) belong to the offices whose scopes hold their posts: a user keeps them
— sees and changes them — only when every post of the person, current or relieved, lies in the
user's scope. Otherwise an appointment links the existing person without touching or showing
their record, and the new post keeps what the user typed (`HeadAssignment.given_*`).
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Area
from orgs.scoping import can, scope_sql, user_scopes

from .choices import HEAD_POSTS, POST_LEVEL, Post
from .models import HeadAssignment, Holder, Person
from .permissions import CHANGE_ROSTER, action_for_post

KEPT_ELSEWHERE_NOTICE = gettext_lazy(
    "此人在其他辖区也有任职，其登记信息由对方维护、不会被修改；此职务按您填写的信息记录和显示。"
)


def people_kept_elsewhere(person_ids, user, action=CHANGE_ROSTER):
    """The ids among `person_ids` of people holding a post, current or relieved, outside `user`'s
    scope for `action`: their registered details are not this user's to change (or to see)."""
    person_ids = list(person_ids)
    if getattr(user, "is_superuser", False) or not person_ids:
        return set()
    condition, params = scope_sql("a.code", user_scopes(user, action))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT DISTINCT h.person_id FROM {HeadAssignment._meta.db_table} h
                  JOIN {Area._meta.db_table} a ON a.id = h.area_id
                 WHERE h.person_id = ANY(%s) AND NOT {condition}""",
            [person_ids, *params],
        )
        return {row[0] for row in cursor.fetchall()}


def find_or_create_person(*, name, gender="", phone="", id_number="", political_status="", user=None):
    """The registered person with this ID number (or name and phone), updated when `user` keeps
    their record (or no user is given: the operator), or a new one."""
    person, _kept_elsewhere = match_person(Holder(name, gender, phone, id_number, political_status), user)
    return person


def match_person(details, user=None):
    """The registered person with this ID number (or name and phone), or a new one, for `details`
    (a Holder). Returns (person, kept_elsewhere): when the person's record is kept by another
    office it is left as it is, and the caller keeps `details` on the post instead."""
    person = None
    if details.id_number:
        person = Person.objects.filter(id_number=details.id_number).first()
    if person is None and details.phone:
        person = Person.objects.filter(name=details.name, phone=details.phone).order_by("pk").first()
    if person is None:
        return Person.objects.create(**details._asdict()), False
    if user is not None and people_kept_elsewhere({person.pk}, user):
        return person, True
    changed = False
    for attr, value in details._asdict().items():
        if value and getattr(person, attr) != value:
            setattr(person, attr, value)
            changed = True
    if changed:
        person.save()
    return person, False


def given_fields(details):
    """The `given_*` fields of a post for a holder typed by an office that does not keep the
    person's record."""
    return {
        "given_name": details.name,
        "given_gender": details.gender,
        "given_phone": details.phone,
        "given_id_number": details.id_number,
        "given_political_status": details.political_status,
    }


@transaction.atomic
def appoint_holder(area, post, details, *, user, employment="", start_date=None, note=""):
    """Find or register the person of `details` and give them `post` on `area`, in one transaction
    (a refused appointment neither creates nor updates the person). Returns (post, kept_elsewhere)."""
    check_may_change(user, post, area)
    person, kept_elsewhere = match_person(details, user)
    assignment = appoint(
        area,
        post,
        person,
        employment=employment,
        start_date=start_date,
        note=note,
        given=details if kept_elsewhere else None,
    )
    return assignment, kept_elsewhere


@transaction.atomic
def appoint(area, post, person, *, employment="", start_date=None, note="", given=None):
    """Give `person` the `post` on `area`; a head post's current holder is relieved (replaced).
    `given`: the holder as typed, kept on the post when the person's record is kept elsewhere."""
    if POST_LEVEL[post] != area.level:
        raise ValidationError(
            _("{post}只能设在{level}上。").format(post=Post(post).label, level=POST_LEVEL[post].label)
        )
    start_date = start_date or timezone.localdate()
    current = HeadAssignment.objects.select_for_update().filter(area=area, post=post, end_date__isnull=True)
    if current.filter(person=person).exists():
        raise ValidationError(_("此人已担任该职务。"))
    if post in HEAD_POSTS:
        for holder in current:
            if holder.start_date > start_date:
                raise ValidationError(_("任职日期不能早于现任者的任职日期。"))
        current.update(end_date=start_date)
    return HeadAssignment.objects.create(
        person=person,
        area=area,
        post=post,
        employment=employment,
        start_date=start_date,
        note=note,
        **(given_fields(given) if given is not None else {}),
    )


def check_may_change(user, post, area):
    """Refuse, in Chinese, a post the user may not appoint or relieve on `area` (a grid worker and
    the grid head, chosen by the community)."""
    if not can(user, action_for_post(post), area):
        raise ValidationError(
            _("{post}由社区任免，网格员不能任命或更换。").format(post=Post(post).label)
            if post == Post.GRID_HEAD
            else _("您无权任免该职务。")
        )


@transaction.atomic
def relieve(assignment, end_date=None, *, user=None):
    if user is not None:
        check_may_change(user, assignment.post, assignment.area)
    end_date = end_date or timezone.localdate()
    if end_date < assignment.start_date:
        raise ValidationError(_("离任日期不能早于任职日期。"))
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


__all__ = [
    "Holder",
    "KEPT_ELSEWHERE_NOTICE",
    "appoint",
    "appoint_holder",
    "find_or_create_person",
    "match_person",
    "relieve",
]
