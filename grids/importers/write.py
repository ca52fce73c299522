"""Writing a planned roster import, set-based from the stage: the buildings and units it needs
(`tree.bulk_load`), the new people (`INSERT … SELECT`, one per person however many rows list them),
the changed people, the ended and updated posts, and the new posts — a fixed number of statements,
each firing its statement-level history trigger once."""

from django.utils import timezone

from core.importing import analyze_if_bulk
from core.staging import run
from orgs import tree

from ..models import HeadAssignment
from .place import AREA, PERSON, POST

GIVEN = ", ".join(HeadAssignment.GIVEN_FIELDS)
DETAILS = ("name", "gender", "phone", "id_number", "political_status")


def write(stage, plan, changes, progress=None):
    with tree.immediate_constraints():  # no quadratic queue of deferred checks (see there)
        _write(stage, plan, changes, progress)


def _write(stage, plan, changes, progress):
    s = stage.name
    total = len(plan.new) + len(plan.changed) + len(plan.relieved)
    if changes.new_areas:
        tree.bulk_load(list(changes.new_areas.values()))
    today, now = timezone.localdate(), timezone.now()
    run("DROP TABLE IF EXISTS roster_new_people")
    run(
        f"""CREATE TEMP TABLE roster_new_people AS
            SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id, *
              FROM (SELECT DISTINCT ON (person_key) person_key, name, gender, phone, id_number, political_status
                      FROM {s} WHERE status = 'ok' AND new_person ORDER BY person_key, number) first_rows""",
        [PERSON],
    )
    run(
        f"""INSERT INTO {PERSON} (id, name, gender, phone, id_number, political_status, note, created_at)
            SELECT id, name, gender, phone, id_number, political_status, '', %s FROM roster_new_people ORDER BY id""",
        [now],
    )
    if changes.changed_people:
        _update_people(changes.changed_people)
    if changes.closed_posts:
        run(
            f"UPDATE {POST} SET end_date = %s WHERE id = ANY(%s) AND end_date IS NULL",
            [today, changes.closed_posts],
        )
    if changes.updated_posts:
        _update_posts(changes.updated_posts)
    given = ", ".join(f"CASE WHEN s.given THEN s.{name} ELSE '' END" for name in DETAILS)
    run(
        f"""INSERT INTO {POST} (person_id, area_id, post, employment, start_date, note, {GIVEN})
            SELECT coalesce(s.person_id, n.id), a.id, s.post, s.employment, %s, s.note, {given}
              FROM {s} s
              JOIN {AREA} a ON a.code = s.area_code
              LEFT JOIN roster_new_people n ON s.person_id IS NULL AND n.person_key = s.person_key
             WHERE s.status = 'ok' AND s.new_post
             ORDER BY s.number""",
        [today],
    )
    run("DROP TABLE roster_new_people")
    analyze_if_bulk(total, PERSON, POST)
    if progress:
        progress(total)


def _update_people(changed):
    """The changed people's details: a blank cell keeps what is registered."""
    pks = list(changed)
    rows = [changed[pk] for pk in pks]
    run(
        f"""UPDATE {PERSON} p
               SET name = c.name,
                   gender = COALESCE(NULLIF(c.gender, ''), p.gender),
                   phone = COALESCE(NULLIF(c.phone, ''), p.phone),
                   id_number = COALESCE(NULLIF(c.id_number, ''), p.id_number),
                   political_status = COALESCE(NULLIF(c.political_status, ''), p.political_status)
              FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
                   AS c(id, name, gender, phone, id_number, political_status)
             WHERE p.id = c.id""",
        [pks, *([getattr(r, name) for r in rows] for name in DETAILS)],
    )


def _update_posts(updated):
    """Employment and note of the listed posts; the typed details when the person is kept elsewhere."""
    pks = list(updated)
    rows = [updated[pk] for pk in pks]
    given = ", ".join(
        f"{field} = CASE WHEN u.given THEN u.{name} ELSE h.{field} END"
        for field, name in zip(HeadAssignment.GIVEN_FIELDS, DETAILS, strict=True)
    )
    run(
        f"""UPDATE {POST} h SET employment = u.employment, note = u.note, {given}
              FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::boolean[], %s::text[], %s::text[], %s::text[],
                          %s::text[], %s::text[])
                   AS u(id, employment, note, given, name, gender, phone, id_number, political_status)
             WHERE h.id = u.id""",
        [
            pks,
            [r.employment for r in rows],
            [r.note for r in rows],
            [r.given for r in rows],
            *([getattr(r, name) for r in rows] for name in DETAILS),
        ],
    )
