from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("考核评价")

    def ready(self):
        from celery.schedules import crontab
        from django.urls import reverse

        from core.registry import Link, MenuItem, Widget, registry
        from orgs.scoping import Action, can_anywhere

        from . import api, permissions, widgets  # noqa: F401  (the assessment's actions)
        from .demo import fill_demo_assessment

        registry.add_demo_filler(fill_demo_assessment, order=300)  # after the roster and the party
        from core.registry import OperatorFigure

        from .operations import last_rollup

        registry.add_operator_figure(OperatorFigure("assessment.last_rollup", _("最近一次汇总计算"), last_rollup))
        # Every open period nightly, and the quarter just ended on a quarter's first day.
        registry.add_schedule("nightly-rollups", "assessment.nightly_rollups", crontab(hour=1, minute=30))
        registry.add_schedule(
            "quarter-end-rollup",
            "assessment.quarter_end_rollup",
            crontab(hour=0, minute=30, day_of_month=1, month_of_year="1,4,7,10"),
        )
        # First of the work tiles: the ranking is what an organisation department opens the portal for.
        registry.add_widget(
            Widget("assessment_ranking", "assessment/widgets/ranking.html", widgets.ranking, section="work", order=5)
        )
        for prefix, viewset, basename in api.ROUTES:
            registry.add_api_route(prefix, viewset, basename)

        registry.add_menu_item(
            MenuItem(
                _("考核"),
                lambda user: reverse("assessment:period_list"),
                lambda user: can_anywhere(user, Action.VIEW),
                active="assessment:",
                icon="bar-chart",
                order=40,
            )
        )
        registry.add_link(
            "orgs.area",
            Link(
                _("考核排名"),
                lambda area: reverse("assessment:dashboard", args=[area.code]),
                lambda request, area: area.level not in ("building", "unit"),
                icon="trophy",
            ),
        )
