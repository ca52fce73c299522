"""Comparing the placed rows with the roster: duplicates skipped and conflicts rejected, people
recognised by ID number (or name and phone) across every scope, and each row classified in SQL —
a new person on a new post, or a post listed exactly as it stands. The rows left (a head replaced,
details changed, a person kept by another office…) are settled one by one (`rows.compare_rows`).
"""

from django.utils.translation import gettext as _

from core.importing import Plan
from core.staging import SKIPPED, fetch, hash_joins, run
from orgs.places import place_names
from orgs.scoping import scope_sql

from ..choices import HEAD_POSTS, Post
from ..permissions import CHANGE_ROSTER
from .place import AREA, PERSON, POST
from .rows import CurrentPost, PersonFound, RosterRow, compare_rows, describe, warn_replacements

HEADS = [str(p) for p in HEAD_POSTS]
ROW_COLUMNS = "number, area_code, post, employment, name, gender, phone, id_number, political_status, note, person_key"
PERSON_COLUMNS = "p.id, p.name, p.gender, p.phone, p.id_number, p.political_status"


def dedupe(stage, plan):
    """Exact duplicate rows are skipped; conflicting rows about one post or person are rejected. Only
    rows sharing a row, a person or a head's post with another are looked at, in sheet order."""
    s = stage.name
    rows = fetch(  # a row shared with another shares its person (the person is part of it)
        f"""SELECT {ROW_COLUMNS} FROM {s}
             WHERE status = 'ok'
               AND (person_key IN (SELECT person_key FROM {s} WHERE status = 'ok' GROUP BY 1 HAVING count(*) > 1)
                    OR post = ANY(%s) AND (area_code, post) IN (
                        SELECT area_code, post FROM {s} WHERE status = 'ok' GROUP BY 1, 2 HAVING count(*) > 1))
             ORDER BY number""",
        [HEADS],
    )
    seen_rows, holders, people, kept, skipped, rejected = set(), {}, {}, [], [], []
    for row in rows:
        r = RosterRow(*row)
        signature = (r.area_code, r.post, r.person_key, r.employment, r.name, r.gender, r.phone)
        signature += (r.political_status, r.note)
        if signature in seen_rows:
            skipped.append(r.number)
            continue
        seen_rows.add(signature)
        first = people.get(r.person_key)
        if first is not None and (first.name, first.phone, first.id_number) != (r.name, r.phone, r.id_number):
            if r.id_number and first.name != r.name:
                reason = _("该身份证号在第 {n} 行对应的姓名是“{name}”。").format(n=first.number, name=first.name)
                rejected.append((r.number, "身份证号", reason))
                continue
        if r.post in HEAD_POSTS:
            key = (r.area_code, r.post)
            if key in holders and holders[key][1] != r.person_key:
                reason = _("该{post}在第 {n} 行已有人选。").format(post=Post(r.post).label, n=holders[key][0])
                rejected.append((r.number, "职务", reason))
                continue
            holders.setdefault(key, (r.number, r.person_key))
        people.setdefault(r.person_key, r)
        kept.append(r)
    seen_posts = set()  # the same person twice on one multi-holder post: keep the first
    for r in kept:
        key = (r.area_code, r.post, r.person_key)
        if key in seen_posts:
            rejected.append((r.number, "姓名", _("此人在本表中已登记过这一职务。")))
        seen_posts.add(key)
    plan.skipped += len(skipped)
    stage.set_status(skipped, SKIPPED)
    stage.reject(plan, rejected)


SAME_DETAILS = """s.status = 'ok' AND NOT s.head_locked AND h.end_date IS NULL
               AND h.area_id = a.id AND h.post = s.post AND h.person_id = p.id
               AND h.employment = s.employment AND h.note = s.note AND p.name = s.name
               AND s.gender IN ('', p.gender) AND s.phone IN ('', p.phone) AND s.id_number IN ('', p.id_number)
               AND s.political_status IN ('', p.political_status)"""


def listed_as_they_stand(s):
    """Rows with an ID number whose person holds that post with those details: one join with the tree,
    the people and their current posts (one a person, post and area: a unique index), in one UPDATE
    that also records the area and the person."""
    with hash_joins():
        run(
            f"""UPDATE {s} s SET kind = 'same', matched_post = h.id, area_id = a.id, person_id = p.id
                  FROM {AREA} a, {PERSON} p, {POST} h
                 WHERE s.id_number <> '' AND a.code = s.area_code AND p.id_number = s.id_number AND {SAME_DETAILS}"""
        )


def recognise_people(s, user):
    """Each row's registered person: by ID number, else by name and phone (also for a row whose ID
    number is new but whose name and phone match somebody registered without one), else — for a row
    without an ID number — the post's current holder of that name (whose phone changed). People
    with a post outside the user's scope are kept by another office (their rows are settled one by
    one)."""
    open_rows = "r.status = 'ok' AND r.kind IS NULL"
    run(
        f"""UPDATE {s} s SET area_id = m.area_id, person_id = m.person_id
              FROM (SELECT r.number, a.id AS area_id, p.id AS person_id FROM {s} r
                      LEFT JOIN {AREA} a ON a.code = r.area_code
                      LEFT JOIN {PERSON} p ON r.id_number <> '' AND p.id_number = r.id_number
                     WHERE {open_rows} AND (a.id IS NOT NULL OR p.id IS NOT NULL)) m
             WHERE s.number = m.number"""
    )
    run(
        f"""UPDATE {s} s SET person_id = m.id
              FROM (SELECT r.person_key, min(p.id) AS id FROM {s} r
                      JOIN {PERSON} p ON p.name = r.name AND p.phone = r.phone
                     WHERE r.status = 'ok' AND r.phone <> '' AND r.person_id IS NULL
                       AND (r.id_number = '' OR p.id_number = '')
                     GROUP BY r.person_key) m
             WHERE s.status = 'ok' AND s.person_id IS NULL AND s.person_key = m.person_key"""
    )
    run(
        f"""UPDATE {s} s SET person_id = m.id, by_post = true
              FROM (SELECT r.number, min(p.id) AS id FROM {s} r
                      JOIN {POST} h ON h.area_id = r.area_id AND h.post = r.post AND h.end_date IS NULL
                      JOIN {PERSON} p ON p.id = h.person_id AND p.name = r.name
                     WHERE {open_rows} AND r.id_number = '' AND r.person_id IS NULL
                     GROUP BY r.number HAVING count(*) = 1 AND max(p.id_number) = '') m
             WHERE s.number = m.number"""
    )
    if not getattr(user, "is_superuser", False):
        from orgs.scoping import user_scopes

        condition, params = scope_sql("a.code", user_scopes(user, CHANGE_ROSTER))
        run(
            f"""UPDATE {s} SET kept_elsewhere = true, kind = NULL, matched_post = NULL WHERE person_id IN (
                    SELECT h.person_id FROM {POST} h JOIN {AREA} a ON a.id = h.area_id
                     WHERE h.person_id IN (SELECT person_id FROM {s}) AND NOT {condition})""",
            params,
        )


def classify(stage, user):
    """In SQL: a post listed exactly as it stands by the person who holds it (details equal once
    blanks keep what is registered), and a new person on a post nobody holds (or any non-head post)."""
    s = stage.name
    listed_as_they_stand(s)
    recognise_people(s, user)
    run(
        f"""UPDATE {s} s SET kind = 'same', matched_post = h.id
              FROM {AREA} a, {PERSON} p, {POST} h
             WHERE s.kind IS NULL AND NOT s.by_post AND NOT s.kept_elsewhere
               AND a.id = s.area_id AND p.id = s.person_id AND {SAME_DETAILS}"""
    )
    run(
        f"""UPDATE {s} s SET kind = 'new', new_person = true, new_post = true
             WHERE s.status = 'ok' AND s.kind IS NULL AND s.person_id IS NULL AND NOT s.head_locked
               AND (s.post <> ALL(%s) OR s.area_id IS NULL OR NOT EXISTS (
                    SELECT 1 FROM {POST} h WHERE h.area_id = s.area_id AND h.post = s.post AND h.end_date IS NULL))""",
        [HEADS],
    )
    same, new = fetch(f"SELECT count(*) FILTER (WHERE kind = 'same'), count(*) FILTER (WHERE kind = 'new') FROM {s}")[0]
    return same, new


def compare(stage, plan, changes, user):
    """Classify every row; settle the rest one by one; the preview's lines of both."""
    s = stage.name
    same, new = classify(stage, user)
    plan.unchanged += same
    plan.new.extend(n for (n,) in fetch(f"SELECT number FROM {s} WHERE kind = 'new' ORDER BY number"))
    limit = plan.detail_limit
    fast = fetch(
        f"SELECT number, post, employment, area_code, name, phone FROM {s} WHERE kind = 'new' ORDER BY number"
        + ("" if limit is None else f" LIMIT {int(limit)}")
    )
    _settle_the_rest(stage, plan, changes)
    scratch = Plan(detail_limit=None)  # the fast rows' lines, merged with the others' in sheet order
    for number, post, employment, area_code, name, phone in fast:
        entry = describe(scratch, "new", number, post, employment, area_code, name, (), phone=phone)
        changes.described.append((entry, area_code, None))
    merged = sorted(plan.details["new"] + scratch.details["new"], key=lambda entry: entry["row"])
    plan.details["new"] = merged if limit is None else merged[:limit]
    _name_places(plan, changes)


def _settle_the_rest(stage, plan, changes):
    s = stage.name
    rows = fetch(
        f"""SELECT {ROW_COLUMNS}, head_locked, person_id, by_post, kept_elsewhere FROM {s}
             WHERE status = 'ok' AND kind IS NULL ORDER BY number"""
    )
    if not rows:
        return
    found = {}
    ids = list({row[12] for row in rows if row[12] is not None})
    for person in fetch(f"SELECT {PERSON_COLUMNS} FROM {PERSON} p WHERE p.id = ANY(%s)", [ids]) if ids else ():
        found[person[0]] = PersonFound(*person)
    people, by_post, kept_elsewhere, roster_rows = {}, {}, set(), []
    for *values, head_locked, person_id, found_by_post, elsewhere in rows:
        r = RosterRow(*values, head_locked=head_locked)
        roster_rows.append(r)
        if person_id is None:
            continue
        if found_by_post:
            by_post[(r.area_code, r.post, r.name)] = found[person_id]
        else:
            people[r.person_key] = found[person_id]
        if elsewhere:
            kept_elsewhere.add(person_id)
    current = {}  # (area code, post) → [CurrentPost], in HeadAssignment's order
    for post in fetch(
        f"""SELECT h.id, h.post, h.employment, h.note, h.person_id, a.code,
                   ARRAY[h.given_name, h.given_gender, h.given_phone, h.given_id_number, h.given_political_status]
              FROM {POST} h JOIN {AREA} a ON a.id = h.area_id
             WHERE h.end_date IS NULL AND a.code = ANY(%s)
             ORDER BY a.code, h.post, h.start_date DESC""",
        [list({r.area_code for r in roster_rows})],
    ):
        post = CurrentPost(*post[:-1], given=tuple(post[-1]))
        current.setdefault((post.area_code, post.post), []).append(post)
    replaced = compare_rows(
        roster_rows, plan, changes, people=people, by_post=by_post, current=current, kept_elsewhere=kept_elsewhere
    )
    names = {}
    if replaced:
        ids = list({h.person_id for _r, h in replaced})
        names = dict(fetch(f"SELECT id, name FROM {PERSON} WHERE id = ANY(%s)", [ids]))
        warn_replacements(plan, replaced, names)
    changes.names = names
    stage.mark([(n, True) for n in changes.new_people], [("new_person", "boolean")])
    stage.mark([(r.number, True, r.given) for r in changes.new_posts], [("new_post", "boolean"), ("given", "boolean")])


def _name_places(plan, changes):
    """The places of the preview's lines, named in one query (new areas by their pending names); a
    replaced head's line says whom the row replaces: 网格长 张伟 → 新网格长."""
    kept = {id(entry) for kind in ("new", "changed") for entry in plan.details[kind]}
    described = [d for d in changes.described if id(d[0]) in kept]
    places = place_names([code for _entry, code, _holder in described], changes.new_areas.values())
    names = changes.names
    for entry, code, replacing in described:
        entry["what"][1][1] = places.get(code, code)
        if replacing is not None:
            holder, r = replacing
            old = holder.given[0] or names.get(holder.person_id, "")
            entry["changes"].insert(0, [str(Post(r.post).label), old, r.name])
