"""社区工作者's pages on the kit (ModelPages): workers, their changes of post and grade, training,
certificates and the 一定双评 ratings; each with its API (derived: area by code, personal data
masked, the model's rules refused in Chinese). The worker's page carries one career timeline (the
roster and the party register's record of the same ID number), their training and certificates;
the staffing page lists per street the communities short of the standard; the area page's card
is loaded after the page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.views.generic import ModelPages
from orgs.choices import AreaLevel
from orgs.scoping import can, can_anywhere, scoped_area

from . import filters_workers as filters
from . import forms_workers as forms
from . import tables_workers as tables
from .menu import GROUP as MENU
from .menu import WORKERS
from .models_workers import Certificate, TrainingRecord, Worker, WorkerChange, WorkerRating, training_requirement
from .permissions import KEEP_WORKERS, READ_WORKERS
from .timeline_workers import career

SECTION = WORKERS


class WorkerPages(ModelPages):
    model = Worker
    queryset = Worker.objects.select_related("area")
    table = tables.WorkerTable
    filterset = filters.WorkerFilterSet
    form = forms.WorkerForm
    change_action = KEEP_WORKERS
    detail_fields = (
        "area",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "education",
        "post",
        "grade",
        "hired_on",
        "left_on",
        "part_time",
        "note",
    )
    api = "workers"
    import_kind = "workforce_workers"
    menu = {"group": MENU, "section": SECTION, "order": 10, "icon": "person-badge", "label": _("社区工作者")}


class WorkerChangePages(ModelPages):
    model = WorkerChange
    queryset = WorkerChange.objects.select_related("worker__area")
    table = tables.WorkerChangeTable
    filterset = filters.WorkerChangeFilterSet
    form = forms.WorkerChangeForm
    change_action = KEEP_WORKERS
    detail_fields = (
        "worker",
        "changed_on",
        "kind",
        "post_before",
        "category_before",
        "grade_before",
        "post",
        "category",
        "grade",
        "reason",
    )
    api = "worker-changes"
    menu = {"group": MENU, "section": SECTION, "order": 11, "icon": "graph-up-arrow", "label": _("岗位等级变动")}


class TrainingRecordPages(ModelPages):
    model = TrainingRecord
    queryset = TrainingRecord.objects.select_related("worker__area")
    table = tables.TrainingRecordTable
    filterset = filters.TrainingRecordFilterSet
    form = forms.TrainingRecordForm
    change_action = KEEP_WORKERS
    detail_fields = ("worker", "trained_on", "hours", "subject")
    api = "worker-trainings"
    menu = {"group": MENU, "section": SECTION, "order": 12, "icon": "mortarboard", "label": _("培训记录")}


class CertificatePages(ModelPages):
    model = Certificate
    queryset = Certificate.objects.select_related("worker__area")
    table = tables.CertificateTable
    filterset = filters.CertificateFilterSet
    form = forms.CertificateForm
    change_action = KEEP_WORKERS
    detail_fields = ("worker", "level", "number", "obtained_on", "expires_on")
    api = "worker-certificates"
    menu = {"group": MENU, "section": SECTION, "order": 13, "icon": "award", "label": _("社工证书")}


class WorkerRatingPages(ModelPages):
    model = WorkerRating
    queryset = WorkerRating.objects.select_related("worker__area")
    table = tables.WorkerRatingTable
    filterset = filters.WorkerRatingFilterSet
    form = forms.WorkerRatingForm
    change_action = KEEP_WORKERS
    detail_fields = ("worker", "year", "rating", "note")
    api = "worker-ratings"
    menu = {"group": MENU, "section": SECTION, "order": 14, "icon": "star", "label": _("年度评定")}


PAGES = (
    ("workforce/workers", WorkerPages),
    ("workforce/worker-changes", WorkerChangePages),
    ("workforce/trainings", TrainingRecordPages),
    ("workforce/certificates", CertificatePages),
    ("workforce/ratings", WorkerRatingPages),
)


def worker_panel(request, worker):
    """The worker's page: one career (the roster's and the party's record of the same ID number), this
    year's training hours against the requirement, the certificates and ratings, and — for who keeps
    the worker — the forms to record a change, a training, a certificate, a rating."""
    today = timezone.localdate()
    hours = sum((t.hours for t in worker.trainings.all() if t.trained_on.year == today.year), 0)
    may_keep = can(request.user, KEEP_WORKERS, worker)
    query = f"?worker={worker.pk}"
    return {
        "worker": worker,
        "career": career(worker),
        "hours": hours,
        "requirement": training_requirement(),
        "year": today.year,
        "certificates": list(worker.certificates.all()),
        "ratings": list(worker.ratings.all()[:5]),
        "may_keep": may_keep,
        "add": {
            "change": reverse("workforce:workerchange_add") + query,
            "training": reverse("workforce:trainingrecord_add") + query,
            "certificate": reverse("workforce:certificate_add") + query,
            "rating": reverse("workforce:workerrating_add") + query,
        },
        "lists": {
            "change": reverse("workforce:workerchange_list") + query,
            "training": reverse("workforce:trainingrecord_list") + query,
        },
    }


def area_panel_place(request, area):
    """The registered Panel's context: the card's place on the area page, or None."""
    levels = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
    if area.level not in levels or not can(request.user, READ_WORKERS, area):
        return None
    return {"title": _("社区工作者"), "url": reverse("workforce:workers_area_panel", args=[area.code])}


@login_required
def area_panel(request, code):
    """The area page's 社区工作者 card (htmx): workers in post, the certified share and the staffing."""
    from .widgets_workers import area_figures

    area = scoped_area(request, code)
    context = area_figures(request.user, area)
    if context is None:
        return HttpResponse("")
    return render(request, "workforce/workers/area_panel.html", {**context, "object": area})


@login_required
def staffing(request):
    """社工配备: per street, the communities short of the standard (workers per 1,000 households) and
    by how many, with the street's total; and each community's certified share."""
    from .models_workers import staffing_standard
    from .staffing_workers import by_street

    if not can_anywhere(request.user, READ_WORKERS):
        raise Http404
    code = request.GET.get("within", "").strip()[:40]
    streets = by_street(request.user, code)
    return render(
        request,
        "workforce/workers/staffing.html",
        {
            "streets": streets,
            "within": code,
            "standard": staffing_standard(code),
            "total_short": sum(s.total_short for s in streets),
        },
    )


urlpatterns = [
    path("workforce/staffing/", staffing, name="staffing"),
    path("areas/<code:code>/workforce/", area_panel, name="workers_area_panel"),
]
