"""The import of score sheets (评分表) on the kit's flow (upload → preview → confirm → report): one
row a sheet — 评价编号, 评分主体, 评分人 and a column per item of the scheme — each checked by the
same rules as the form and the API (property/evaluation.py): an evaluation of the user's
community, one sheet a scorer (in the database and in the file), every score within its item's
range; a refused row says why, in Chinese, and nothing of it is saved."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Importer
from core.spreadsheets import Column

from . import evaluation as rules
from .models_evaluation import PropertyEvaluation, SchemeItem, ScorerKind
from .permissions_evaluation import SCORE

DEFAULT_ITEMS = ("党建引领", "服务质量", "设施维护", "环境卫生", "安全管理", "业主满意度")
KIND_BY_LABEL = {str(label): value for value, label in ScorerKind.choices}
FIXED = (
    Column("evaluation", "评价编号"),
    Column("kind", "评分主体"),
    Column("scorer", "评分人", required=False),
)


def item_columns(names):
    return tuple(Column(f"item:{name}", name, required=False) for name in names)


class ScoreSheetImporter(Importer):
    kind = "score_sheets"
    title = gettext_lazy("评分表")
    permission_action = SCORE
    columns = FIXED + item_columns(DEFAULT_ITEMS)  # the template's headers: the default scheme's items

    def __init__(self, user, chosen=None):
        super().__init__(user, chosen)
        names = list(dict.fromkeys([*DEFAULT_ITEMS, *SchemeItem.objects.values_list("name", flat=True)]))
        self.columns = FIXED + item_columns(names)  # every scheme's items, whichever year a sheet is of

    def plan(self, table):
        plan = self.new_plan()
        plan.accepted = []
        evaluations = PropertyEvaluation.objects.scoped(self.user, SCORE).select_related("scheme")
        seen = {}
        for row in self.data_rows(table, plan):
            evaluation = None
            number = row["evaluation"].strip()
            if number.isdigit() and int(number) < 2**31:
                evaluation = evaluations.filter(pk=int(number)).first()
            if evaluation is None:
                plan.reject(row, "评价编号", _("评价编号“{n}”不存在或不在您的管辖范围内。").format(n=number))
                continue
            kind = KIND_BY_LABEL.get(row["kind"].strip(), row["kind"].strip())
            refusal = rules.sheet_refusal(evaluation, kind)
            if refusal is None and (evaluation.pk, kind) in seen:
                refusal = _("与第 {row} 行是同一评价的同一评分主体，每类评分主体只能提交一份。").format(
                    row=seen[(evaluation.pk, kind)]
                )
            if refusal:
                plan.reject(row, "评分主体", refusal)
                continue
            items = list(evaluation.scheme.items.all())
            values = {item.name: row[f"item:{item.name}"] for item in items}
            try:
                scores = rules.clean_scores(evaluation.scheme, values)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    for message in messages:
                        plan.reject(row, name, message)
                continue
            seen[(evaluation.pk, kind)] = row.number
            plan.new.append(row.number)
            plan.accepted.append((row.number, evaluation.pk, kind, row["scorer"].strip(), scores))
            plan.detail(
                "new",
                row,
                evaluation,
                what=[(_("评分主体"), ScorerKind(kind).label), (_("合计"), sum(scores.values()))],
            )
        return plan

    def apply(self, plan, progress=None):
        rejected = set(plan.rejected_rows)
        done = 0
        for number, pk, kind, scorer, scores in plan.accepted:
            if number in rejected:
                continue
            evaluation = PropertyEvaluation.objects.get(pk=pk)
            rules.enter_sheet(evaluation, kind, {str(item): score for item, score in scores.items()}, self.user, scorer)
            done += 1
        if progress:
            progress(done)
