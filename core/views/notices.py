"""The inbox (收件箱): a user's own notices (core/notices.py), unread first; opening one marks it read
and goes to the page where one acts; all can be marked read at once. Nobody sees another's
notices: another user's notice is not found (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from ..notices import Notice, mark_read

STATUSES = {
    "": (gettext_lazy("全部"), Q()),
    "unread": (gettext_lazy("未读"), Q(read_at__isnull=True)),
    "read": (gettext_lazy("已读"), Q(read_at__isnull=False)),
}


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "core/notice_list.html"
    context_object_name = "notices"
    paginate_by = 20

    def status(self):
        status = self.request.GET.get("status", "")
        return status if status in STATUSES else ""

    def get_queryset(self):
        unread_first = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
        return (
            Notice.objects.filter(recipient=self.request.user)
            .filter(STATUSES[self.status()][1])
            .order_by(unread_first.desc(), "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.status()
        context["title"] = _("通知")
        context["status"] = status
        context["tabs"] = [
            {
                "value": value,
                "label": label,
                "active": value == status,
                "url": reverse("core:notice_list") + (f"?status={value}" if value else ""),
            }
            for value, (label, _condition) in STATUSES.items()
        ]
        return context


@login_required
def notice_open(request, pk):
    """Opening a notice reads it: marked read, then on to its page (the inbox when it has none)."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    mark_read(Notice.objects.filter(pk=notice.pk))
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("core:notice_list")


@require_POST
@login_required
def notice_read_all(request):
    """Every unread notice of the user marked read (nothing is lost: they stay in the inbox)."""
    count = mark_read(Notice.objects.filter(recipient=request.user))
    if count:
        messages.success(request, _("已将 {count} 条通知标为已读。").format(count=count))
    status = request.POST.get("status", "")
    return redirect(reverse("core:notice_list") + (f"?status={status}" if status in STATUSES and status else ""))
