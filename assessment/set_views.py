"""Indicator sets (指标体系): read by everyone with a scope; copied and edited — weights, rules,
how parents aggregate, how many are last-placed — by the city's organisation department. A set
some period was scored with is frozen: the old periods keep the set they were scored with, and a
new year starts from a copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseModelFormSet, modelformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from orgs.scoping import Action, can_anywhere

from .forms import IndicatorSetForm, LeafForm, SetCopyForm
from .models import Indicator, IndicatorSet
from .permissions import may_manage_periods
from .queries import indicator_tree


class LeafRows(BaseModelFormSet):
    """One row per leaf of the set, no more: a row added to the page (by hand or by a stale page) is
    refused as a form error, never saved as an indicator of no set."""

    def clean(self):
        super().clean()
        if self.total_form_count() != len(self.get_queryset()):
            raise ValidationError(_("提交的指标行数与本指标体系不符（页面可能已过期），请重新打开修改页面后再保存。"))


LeafFormSet = modelformset_factory(Indicator, form=LeafForm, formset=LeafRows, extra=0, edit_only=True)


def readable(request):
    if not can_anywhere(request.user, Action.VIEW):
        raise Http404


@login_required
def set_list(request):
    readable(request)
    sets = IndicatorSet.objects.select_related("copied_from").order_by("-pk")
    return render(request, "assessment/set_list.html", {"sets": sets, "manager": may_manage_periods(request.user)})


@login_required
def set_detail(request, pk):
    readable(request)
    indicator_set = get_object_or_404(IndicatorSet, pk=pk)
    manager = may_manage_periods(request.user)
    tree = indicator_tree(indicator_set)
    form = SetCopyForm(request.POST or None, initial={"name": _("{name}（副本）").format(name=indicator_set.name)})
    if request.method == "POST":
        if not manager:
            raise Http404
        if form.is_valid():
            copy = copy_set(indicator_set, form.cleaned_data["name"])
            messages.success(request, _("已复制为“{name}”，可修改权重和计分规则。").format(name=copy.name))
            return redirect("assessment:set_edit", pk=copy.pk)
    return render(
        request,
        "assessment/set_detail.html",
        {
            "indicator_set": indicator_set,
            "tree": tree,
            "total_weight": sum(indicator.weight for indicator, _depth in tree if indicator.is_leaf),
            "manager": manager,
            "frozen": indicator_set.frozen,
            "form": form,
            "periods": indicator_set.periods.order_by("-start"),
        },
    )


def copy_set(source, name):
    """A copy of `source` with every indicator, its tree, weights and rules."""
    with transaction.atomic():
        copy = IndicatorSet.objects.create(
            name=name, aggregation=source.aggregation, last_places=source.last_places, copied_from=source
        )
        new_ids = {}
        for indicator, _depth in indicator_tree(source):  # parents before their children
            old_id, parent = indicator.pk, indicator.parent_id
            indicator.pk = None
            indicator.indicator_set = copy
            indicator.parent_id = new_ids.get(parent)
            indicator.save()
            new_ids[old_id] = indicator.pk
    return copy


@login_required
def set_edit(request, pk):
    if not may_manage_periods(request.user):
        raise Http404
    indicator_set = get_object_or_404(IndicatorSet, pk=pk)
    if indicator_set.frozen:
        messages.error(request, _("已有考核周期用此指标体系计分，不能修改；请复制后修改。"))
        return redirect("assessment:set_detail", pk=pk)
    leaves = Indicator.objects.filter(indicator_set=indicator_set).exclude(levels=[]).select_related("parent")
    leaves = leaves.order_by("parent__parent__order", "parent__order", "order", "pk")
    form = IndicatorSetForm(request.POST or None, instance=indicator_set, prefix="set")
    formset = LeafFormSet(request.POST or None, queryset=leaves, prefix="leaf")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
        messages.success(request, _("已保存指标体系“{name}”。").format(name=indicator_set.name))
        return redirect("assessment:set_detail", pk=pk)
    return render(
        request, "assessment/set_edit.html", {"indicator_set": indicator_set, "form": form, "formset": formset}
    )
