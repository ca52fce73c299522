"""The property pages: each model's list, detail, add, edit and delete declared on the kit
(core.views.generic.ModelPages), the ledger's declared steps among them, and the evidence of a
销号 served to those who may see its entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core import files
from core.transitions import UNSEEN, RecordTransitionView
from core.views.generic import ModelPages, ObjectEditView
from orgs.scoping import scoped_area

from . import filters, forms, tables
from .choices import LedgerStatus
from .forms import LedgerCloseForm
from .ledger import LEDGER, close_with
from .models import Checklist, CommitteeMember, Compound, Consultation, LedgerEntry, OwnersCommittee, PropertyCompany
from .permissions import CHANGE_PROPERTY, KEEP_COMPANY, LINK_PARTY
from .resources import CompoundResource, PropertyCompanyResource
from .widgets import area_figures

GROUP = _("物业")


def with_compounds_in_sight(queryset, user):
    """Each company's compounds that `user` may see — counted on the page, named in the export —
    not those of other areas (a company serves several streets; each sees its own)."""
    seen = Compound.objects.scoped(user).filter(company=OuterRef("pk")).order_by().values("company")
    return queryset.annotate(
        served_count=Coalesce(Subquery(seen.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        served_names=Subquery(seen.annotate(names=StringAgg("name", "、", order_by="name")).values("names")),
    )


def covered_codes():
    """A compound's grids and buildings as the sheet writes them: codes separated by spaces."""
    through = Compound.areas.through.objects.filter(compound_id=OuterRef("pk")).order_by().values("compound_id")
    return Subquery(through.annotate(codes=StringAgg("area__code", " ", order_by="area__code")).values("codes"))


class PropertyCompanyPages(ModelPages):
    model = PropertyCompany
    queryset = PropertyCompany.objects.select_related("department").annotate(
        has_party_organisation=ExpressionWrapper(Q(party_organisation__isnull=False), output_field=BooleanField())
    )
    for_user = staticmethod(with_compounds_in_sight)
    table = tables.PropertyCompanyTable
    filterset = filters.PropertyCompanyFilterSet
    form = forms.PropertyCompanyForm
    change_action = KEEP_COMPANY
    detail_fields = PropertyCompany.KEPT_FIELDS + PropertyCompany.PARTY_FIELDS
    resource = PropertyCompanyResource
    import_id_fields = ("credit_code",)
    import_kind = "property_companies"
    menu = {"group": GROUP, "order": 60, "icon": "buildings"}

    @classmethod
    def urls(cls, prefix):
        """Its pages, and its party links' form for the streets and communities it serves."""
        queryset = cls.queryset
        party_links = ObjectEditView.as_view(queryset=queryset, form_class=forms.CompanyPartyForm, action=LINK_PARTY)
        return [*super().urls(prefix), path(f"{prefix}/<int:pk>/party/", party_links, name=cls.url_name("party"))]


class CompoundPages(ModelPages):
    model = Compound
    queryset = Compound.objects.select_related("community", "company").annotate(area_codes=covered_codes())
    table = tables.CompoundTable
    filterset = filters.CompoundFilterSet
    form = forms.CompoundForm
    change_action = CHANGE_PROPERTY
    # its grids and buildings: the compound's panel lists them (widgets.compound_panel)
    detail_fields = tuple(name for name in Compound.KEPT_FIELDS if name != "areas")
    resource = CompoundResource
    import_id_fields = ("community", "name")
    import_kind = "compounds"
    menu = {"group": GROUP, "order": 61, "icon": "houses"}


class LedgerEntryPages(ModelPages):
    model = LedgerEntry
    queryset = LedgerEntry.objects.select_related("compound__community")
    table = tables.LedgerEntryTable
    filterset = filters.LedgerEntryFilterSet
    filter_defaults = {"status": "open"}
    form = forms.LedgerEntryForm
    change_action = CHANGE_PROPERTY
    detail_fields = ("compound", "responsible", "plan", "deadline", "status", "reason", "by", "at")
    transitions = LEDGER
    menu = {"group": GROUP, "order": 62, "icon": "journal-x"}

    @classmethod
    def transition_urls(cls, prefix, queryset):
        """The declared steps' pages, 销号 as one step with its form (LedgerCloseView)."""
        patterns = super().transition_urls(prefix, queryset)
        return [
            path(
                f"{prefix}/<int:pk>/close/",
                LedgerCloseView.as_view(queryset=queryset, machine=LEDGER, transition="close"),
                name=cls.url_name("close"),
            )
            if p.name == cls.url_name("close")
            else p
            for p in patterns
        ]


class LedgerCloseView(RecordTransitionView):
    """销号 in one step: the confirmation asks the compound's new mode, a company when the mode needs
    one and the evidence; confirming sets the mode and closes the entry at once (ledger.close_with)."""

    def get(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        if record.status != LedgerStatus.OPEN:
            messages.error(request, self.machine.refusal(t.name, subject.key, record, subject))
            return HttpResponseRedirect(subject.back)
        return self.confirmation(request, t, subject, record, LedgerCloseForm(user=request.user, entry=record))

    def post(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        form = LedgerCloseForm(request.POST, request.FILES, user=request.user, entry=record)
        if not form.is_valid():
            return self.confirmation(request, t, subject, record, form)
        data = form.cleaned_data
        try:
            close_with(
                record,
                request.user,
                mode=data["mode"],
                company=data.get("company"),
                evidence=data.get("evidence"),
                seen=request.POST.get("state", UNSEEN),
                subject=subject,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, subject.say(t.done))
        return HttpResponseRedirect(subject.back)


class ChecklistPages(ModelPages):
    model = Checklist
    queryset = Checklist.objects.select_related("compound")
    table = tables.ChecklistTable
    filterset = filters.ChecklistFilterSet
    form = forms.ChecklistForm
    change_action = CHANGE_PROPERTY
    api = "property-checklists"
    menu = {"group": GROUP, "order": 63, "icon": "ui-checks"}


class OwnersCommitteePages(ModelPages):
    model = OwnersCommittee
    # Ordered again: a grouped query (the counts) leaves Meta.ordering out.
    queryset = (
        OwnersCommittee.objects.select_related("compound")
        .annotate(member_count=Count("members"), party_count=Count("members", filter=Q(members__is_party_member=True)))
        .order_by("compound__community__code", "compound__name", "-term_start", "pk")
    )
    table = tables.OwnersCommitteeTable
    filterset = filters.OwnersCommitteeFilterSet
    form = forms.OwnersCommitteeForm
    change_action = CHANGE_PROPERTY
    api = "owners-committees"
    menu = {"group": GROUP, "order": 64, "icon": "people"}


class CommitteeMemberPages(ModelPages):
    model = CommitteeMember
    queryset = CommitteeMember.objects.select_related("committee")
    table = tables.CommitteeMemberTable
    filterset = filters.CommitteeMemberFilterSet
    form = forms.CommitteeMemberForm
    change_action = CHANGE_PROPERTY
    api = "committee-members"


class ConsultationPages(ModelPages):
    model = Consultation
    queryset = Consultation.objects.select_related("compound")
    table = tables.ConsultationTable
    filterset = filters.ConsultationFilterSet
    form = forms.ConsultationForm
    change_action = CHANGE_PROPERTY
    api = "consultations"
    detail_fields = ("compound", "held_on", "topic", "participants", "decision", "follow_up")
    menu = {"group": GROUP, "order": 65, "icon": "chat-square-text"}


PAGES = (
    ("property/companies", PropertyCompanyPages),
    ("property/compounds", CompoundPages),
    ("property/ledger", LedgerEntryPages),
    ("property/checklists", ChecklistPages),
    ("property/committees", OwnersCommitteePages),
    ("property/committee-members", CommitteeMemberPages),
    ("property/consultations", ConsultationPages),
)


@login_required
def ledger_evidence(request, pk):
    """The evidence of a ledger entry, to those who may see the entry."""
    entry = get_object_or_404(LedgerEntry.objects.scoped(request.user), pk=pk)
    if not entry.evidence:
        raise Http404
    return files.serve(entry.evidence, entry.evidence_name or entry.evidence.name.rsplit("/", 1)[-1])


@login_required
def area_summary(request, code):
    """The figures of the area page's 物业 panel (loaded by htmx): three queries at any level."""
    figures = area_figures(request, scoped_area(request, code))
    if figures is None:
        raise Http404
    return render(request, "property/panels/area_summary.html", figures)
