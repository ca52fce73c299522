"""The roster import: sheets of the three heads, grid workers and ten-household heads, as
street and community offices keep them (merged cells, title rows, dirty cells; issue #3).

A staged, set-based import on `core.staging` (issue #17): the sheet is read and every cell cleaned
and checked in one pass (`parse`), the rows are COPYed into a stage, then placed in the tree
(`place`: grids, which must already be in the tree; buildings and units, created under their grid
when missing), compared with the roster (`compare`: people recognised by ID number, or name and
phone, across scopes; each row classified in SQL, the rare rest one by one in `rows`), the
unlisted relieved when the sheet is a complete roster (`relieve`), and written set-based (`write`).
"""

from django.utils.translation import gettext_lazy

from core.importing import Importer, register
from core.spreadsheets import fill_down
from core.staging import Stage, StageColumn
from orgs import tree
from orgs.models import Area
from orgs.scoping import user_scopes

from ..permissions import APPOINT_GRID_HEAD, CHANGE_ROSTER
from .compare import compare, dedupe
from .parse import COLUMNS, HEADERS, LOADED, MERGED_COLUMNS, Parser, fill_buildings
from .place import place, recognise, unmask
from .relieve import listed_grids, relieve_the_unlisted
from .rows import RosterChanges, RosterRow
from .write import write

__all__ = ["COLUMNS", "HEADERS", "RosterImporter", "RosterRow"]

WORKING = (
    StageColumn("area_id", "bigint"),
    StageColumn("person_id", "bigint"),
    StageColumn("by_post", "boolean", "false"),  # the person is the post's holder of that name (new phone)
    StageColumn("kept_elsewhere", "boolean", "false"),  # their record is another office's
    StageColumn("kind"),  # 'new' or 'same' when SQL settled the row; NULL: settled one by one
    StageColumn("matched_post", "bigint"),  # the current post the row lists
    StageColumn("new_person", "boolean", "false"),
    StageColumn("new_post", "boolean", "false"),
    StageColumn("given", "boolean", "false"),  # the new post keeps the typed details
)


@register
class RosterImporter(Importer):
    kind = "roster"
    title = gettext_lazy("人员名册")
    options = (
        (
            "complete",
            gettext_lazy("本表是所列网格的完整名册"),
            gettext_lazy("勾选后，所列网格中现任、但本表中已没有的人员将离任；预检时先列出他们，确认前可以核对。"),
        ),
    )
    columns = COLUMNS
    permission_action = CHANGE_ROSTER
    stage = Stage("roster_stage", LOADED, WORKING, keys=("status", "grid_code", "area_code", "id_number", "person_key"))

    def lock(self, table):
        roots = {row["grid_code"][:4] for row in table.rows if row["grid_code"]}
        tree.lock_for_codes(roots)

    def read(self, data):
        table = super().read(data)
        fill_down(table.rows, [k for k in MERGED_COLUMNS if any(c.key == k for c in table.columns)])
        fill_buildings(table.rows)
        return table

    def plan(self, table):
        plan = self.new_plan()
        changes = plan.changes = RosterChanges()
        superuser = self.user.is_superuser
        self.scopes = None if superuser else user_scopes(self.user, CHANGE_ROSTER)
        self.head_scopes = None if superuser else user_scopes(self.user, APPOINT_GRID_HEAD)
        parser = Parser(self.scopes, self.head_scopes)
        stage = self.stage
        stage.load(parser.rows(self.data_rows(table, plan), plan))
        data_rows = plan.rows - plan.skipped
        if data_rows and len(parser.out_of_scope) == data_rows:
            plan.message = self._whose_sheet(parser.out_of_scope)
        recognise(stage.name)
        changes.new_areas = place(stage, plan)
        unmask(stage, plan)
        dedupe(stage, plan)
        grids = listed_grids(stage) if self.chosen.get("complete") else ()
        compare(stage, plan, changes, self.user)
        if self.chosen.get("complete"):
            relieve_the_unlisted(stage, plan, changes, grids, self.scopes, self.head_scopes)
        return plan

    def apply(self, plan, progress=None):
        write(self.stage, plan, plan.changes, progress)

    def close(self):
        self.stage.drop()

    @staticmethod
    def _whose_sheet(grid_codes):
        """One sentence for a sheet whose every row lies outside the user's scope: where it belongs."""
        from django.utils.translation import gettext as _

        from orgs.choices import AreaLevel

        common = grid_codes[0]
        for code in grid_codes[1:]:
            while not code.startswith(common):
                common = common[:-1]
        above = list(
            Area.objects.filter(code__in=[common[:n] for n in range(2, len(common) + 1)])
            .order_by("code")
            .values_list("name", "level")
        )
        streets = [name for name, level in above if level == AreaLevel.STREET]
        owner = ""
        if above:  # the street, and the community or grid below it all rows share
            owner = streets[0] + (above[-1][0] if above[-1][1] != AreaLevel.STREET else "") if streets else above[-1][0]
        if owner:
            return _("此表属于{name}，不在您的管辖范围内，请确认上传的文件。").format(name=owner)
        return _("此表的网格都不在您的管辖范围内，请确认上传的文件。")
