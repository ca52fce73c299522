"""The comparison of the rows the set-based classification leaves open, one by one: a head replaced,
a person's details changed, a person kept by another office (the post keeps the typed details), a
holder whose phone changed, a grid head listed by a grid worker. Few rows of any real sheet; the
rules are those of the row-by-row import, unchanged.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from core.importing import change
from core.personal_data import mask

from ..choices import HEAD_POSTS, Employment, Gender, PoliticalStatus, Post
from ..models import Holder
from ..roster import KEPT_ELSEWHERE_NOTICE


class PersonFound(NamedTuple):
    pk: int
    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str


class CurrentPost(NamedTuple):
    pk: int
    post: str
    employment: str
    note: str
    person_id: int
    area_code: str
    given: tuple  # (name, gender, phone, ID number, political status) as typed; name "": none


@dataclass
class RosterRow:
    number: int
    area_code: str
    post: str
    employment: str
    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str
    note: str
    person_key: str
    head_locked: bool = False  # the grid head, whom this user may not appoint: only as on record
    given: bool = False  # the person's record is kept by another office: the post keeps these details

    @property
    def details(self):
        return Holder(self.name, self.gender, self.phone, self.id_number, self.political_status)


@dataclass
class RosterChanges:
    """What the write does beyond the stage's own columns, gathered by the comparison."""

    new_areas: dict = field(default_factory=dict)  # code → tree.AreaRow
    changed_people: dict = field(default_factory=dict)  # person id → RosterRow with the new details
    closed_posts: list = field(default_factory=list)  # HeadAssignment ids
    updated_posts: dict = field(default_factory=dict)  # HeadAssignment id → RosterRow
    matched_posts: set = field(default_factory=set)  # current posts a row of the sheet lists (rows settled here)
    new_people: list = field(default_factory=list)  # numbers of the rows whose person is new
    new_posts: list = field(default_factory=list)  # RosterRow
    described: list = field(default_factory=list)  # (detail entry, area code, (replaced holder, row) or None)
    names: dict = field(default_factory=dict)  # person id → name of the heads replaced


def post_label(post, employment):
    label = str(Post(post).label)
    return (
        _("{post}（{employment}）").format(post=label, employment=Employment(employment).label) if employment else label
    )


def describe(plan, kind, number, post, employment, area_code, name, changes, phone=""):
    """The preview's line for a row: who, which post where (the place is the area code until the
    comparison names it), and what changes."""
    what = [(_("职务"), post_label(post, employment)), (_("区划"), area_code)]
    if phone:
        what.append((_("联系电话"), mask(phone)))
    return plan.detail(kind, number, name, what=what, changes=changes)


def person_changes(old, new):
    """(label, old, new) of the fields that differ between two (name, gender, phone, ID number,
    political status) tuples; numbers masked."""

    def label(choices, value):
        return str(choices(value).label) if value else ""

    return [
        change(_("姓名"), old[0], new[0]),
        change(_("性别"), label(Gender, old[1]), label(Gender, new[1])),
        change(_("联系电话"), old[2], new[2], personal=True),
        change(_("身份证号"), old[3], new[3], personal=True),
        change(_("政治面貌"), label(PoliticalStatus, old[4]), label(PoliticalStatus, new[4])),
    ]


def compare_rows(rows, plan, changes, *, people, by_post, current, kept_elsewhere):
    """Sort `rows` (RosterRow, in sheet order) into new, changed, unchanged and rejected; gather
    the writes in `changes`. Returns [(row, holder it replaces)]."""
    replaced = []
    described = changes.described
    for r in rows:
        person = people.get(r.person_key)
        if person is None and not r.id_number:
            person = by_post.get((r.area_code, r.post, r.name))  # the holder, with a new phone
        if r.head_locked:
            _keep_locked_head(r, person, current, kept_elsewhere, plan, changes)
            continue
        person_changed = False
        old_details = None  # the person's record as it stands, when this row changes it
        if person is None:
            changes.new_people.append(r.number)
        elif person.pk in kept_elsewhere:
            r.given = True  # their record belongs to another office: the post keeps this row's details
        else:
            details = (
                r.name,
                r.gender or person.gender,
                r.phone or person.phone,
                r.id_number or person.id_number,
                r.political_status or person.political_status,
            )
            if details != tuple(person[1:]):
                changes.changed_people[person.pk] = r
                person_changed = True
                old_details, new_details = tuple(person[1:]), details
        holders = current.get((r.area_code, r.post), [])
        mine = next((h for h in holders if person is not None and h.person_id == person.pk), None)
        if mine is not None:
            changes.matched_posts.add(mine.pk)
            shown = mine.given if mine.given[0] else tuple(person[1:])
            if (mine.employment, mine.note) != (r.employment, r.note) or (r.given and shown != tuple(r.details)):
                changes.updated_posts[mine.pk] = r
                plan.changed.append(r)
                _warn_if_kept_elsewhere(plan, r)
                if plan.wants_detail("changed"):
                    posts = [
                        change(_("职务"), post_label(r.post, mine.employment), post_label(r.post, r.employment)),
                        change(_("备注"), mine.note, r.note),
                    ]
                    if r.given:
                        posts += person_changes(shown, tuple(r.details))
                    if old_details is not None:
                        posts += person_changes(old_details, new_details)
                    described.append((_describe(plan, "changed", r, posts), r.area_code, None))
            elif person_changed:
                plan.changed.append(r)
                if plan.wants_detail("changed"):
                    entry = _describe(plan, "changed", r, person_changes(old_details, new_details))
                    described.append((entry, r.area_code, None))
            else:
                plan.unchanged += 1
            continue
        changes.new_posts.append(r)
        _warn_if_kept_elsewhere(plan, r)
        if r.post in HEAD_POSTS and holders:
            changes.closed_posts.extend(h.pk for h in holders)  # the head was replaced
            replaced.extend((r, h) for h in holders)
            plan.changed.append(r)
            if plan.wants_detail("changed"):
                changed = person_changes(old_details, new_details) if old_details else []
                described.append((_describe(plan, "changed", r, changed), r.area_code, (holders[0], r)))
        else:
            plan.new.append(r.number)
            if plan.wants_detail("new"):
                described.append((_describe(plan, "new", r, (), phone=r.phone), r.area_code, None))
    return replaced


def _describe(plan, kind, r, changes, phone=""):
    return describe(plan, kind, r.number, r.post, r.employment, r.area_code, r.name, changes, phone=phone)


def _keep_locked_head(r, person, current, kept_elsewhere, plan, changes):
    """A grid head row of a user who may not appoint grid heads: unchanged when it lists the
    current head as on record, else refused (it would appoint, replace or change them)."""
    holders = current.get((r.area_code, r.post), [])
    mine = next((h for h in holders if person is not None and h.person_id == person.pk), None)
    if mine is not None and (mine.employment, mine.note) == (r.employment, r.note):
        if mine.given[0] or person.pk in kept_elsewhere:
            shown = mine.given if mine.given[0] else tuple(person[1:])
            same = shown == tuple(r.details)
        else:
            filled = tuple(new or old for new, old in zip(r.details[1:], person[2:], strict=True))
            same = (r.name, *filled) == tuple(person[1:])
        if same:
            changes.matched_posts.add(mine.pk)
            plan.unchanged += 1
            return
    plan.reject(r.number, "职务", _("网格长由社区任免，网格员不能任命或更换。"))


def _warn_if_kept_elsewhere(plan, r):
    if r.given:
        plan.warn(r.number, "姓名", str(KEPT_ELSEWHERE_NOTICE))


def warn_replacements(plan, replaced, names):
    """Before confirming, the cadre sees each head who will be relieved, and by whom (`names`:
    {person id: name} of those heads)."""
    for r, holder in replaced:
        plan.warn(
            r.number,
            "职务",
            _("{old}将离任{post}，由{new}接任。").format(
                old=holder.given[0] or names.get(holder.person_id, ""), post=Post(r.post).label, new=r.name
            ),
        )
