"""Complete-roster relief: a sheet that is the complete roster of the grids it names ends every
current post there that no row lists (a grid head the user may not relieve is left alone)."""

from django.utils.translation import gettext as _

from core.staging import fetch
from orgs.choices import AreaLevel
from orgs.places import place_names
from orgs.scoping import in_scopes, within_sql

from ..choices import Post
from .place import AREA, PERSON, POST


def listed_grids(stage):
    """The grids of the rows still in play after the duplicates (relief is decided on them)."""
    return {code for (code,) in fetch(f"SELECT DISTINCT grid_code FROM {stage.name} WHERE status = 'ok'")}


def _row_list(numbers, shown=5):
    """3、7、9 (at most `shown` numbers, then 等)."""
    text = "、".join(str(n) for n in numbers[:shown])
    return _("{rows}等").format(rows=text) if len(numbers) > shown else text


def relieve_the_unlisted(stage, plan, changes, grids, scopes, head_scopes):
    """Listed first in the preview, as `plan.relieved`. A grid with a rejected row is not complete:
    nobody there is relieved; a rejected row whose grid cannot be told keeps every grid untouched (it
    may be any grid's). The preview says which grids were left untouched and why (`plan.notes`)."""
    rejected_in = {}  # grid code as written → rejected row numbers
    for number, code in fetch(
        f"SELECT number, grid_code FROM {stage.name} WHERE number = ANY(%s) ORDER BY number", [plan.rejected_rows]
    ):
        rejected_in.setdefault(code or "", []).append(number)
    grids_found = {
        code
        for (code,) in fetch(
            f"SELECT code FROM {AREA} WHERE code = ANY(%s) AND level = %s",
            [[c for c in rejected_in if c.isdigit()], AreaLevel.GRID],
        )
    }
    untold = sorted(n for code, numbers in rejected_in.items() if code not in grids_found for n in numbers)
    if untold:
        plan.notes.append(
            _("第 {rows} 行的网格编码无法识别，无法确定它属于哪个网格：本次不按完整名册离任任何人。").format(
                rows=_row_list(untold)
            )
        )
        return
    incomplete = sorted(c for c in grids_found if scopes is None or in_scopes(c, scopes))
    places = place_names(incomplete)
    for code in incomplete:
        plan.notes.append(
            _("{grid}有未通过校验的行（第 {rows} 行），不算完整名册：本次不离任该网格的任何人。").format(
                grid=places[code], rows=_row_list(rejected_in[code])
            )
        )
    grids = set(grids) - grids_found
    if not grids:
        return
    ending = fetch(
        f"""SELECT h.id, h.post, h.given_name, p.name, a.code
              FROM unnest(%s::text[]) g
              JOIN {AREA} a ON {within_sql("a.code", "g")}
              JOIN {POST} h ON h.area_id = a.id AND h.end_date IS NULL
              JOIN {PERSON} p ON p.id = h.person_id
             WHERE h.id NOT IN (SELECT matched_post FROM {stage.name} WHERE matched_post IS NOT NULL)
             ORDER BY a.code, h.post""",
        [sorted(grids)],
    )
    closing = set(changes.closed_posts) | changes.matched_posts
    ending = [
        (pk, post, given_name, name, code)
        for pk, post, given_name, name, code in ending
        if pk not in closing
        and not (post == Post.GRID_HEAD and head_scopes is not None and not in_scopes(code, head_scopes))
    ]
    places = place_names([code for *_, code in ending])
    for pk, post, given_name, name, code in ending:
        changes.closed_posts.append(pk)
        plan.relieved.append(
            {"name": given_name or name, "post": str(Post(post).label), "area": places[code], "code": code}
        )
        plan.detail(
            "relieved", None, given_name or name, what=[(_("职务"), Post(post).label), (_("区划"), places[code])]
        )
