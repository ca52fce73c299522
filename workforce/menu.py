"""The workforce's one dropdown of the menu bar (队伍与阵地) and its three sections: nineteen pages in
three dropdowns of their own pushed a 组织部's menu bar past 1366 px; one dropdown with a column per
section keeps it on one line (core.context_processors.grouped)."""

from django.utils.translation import gettext_lazy as _

GROUP = _("队伍与阵地")
WORKERS = _("社区工作者")
COMMITTEES = _("两委与书记")
PLACES = _("阵地与街巷")
