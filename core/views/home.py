from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render


@login_required
def home(request):
    """Each role's start page, built from the widgets the apps register (core.registry): work to
    do, the figures of the user's scope, and what changed there lately."""
    return render(request, "core/home.html")


@login_required
def home_widget(request, name):
    """A home-page widget registered as lazy, loaded after the page (htmx): its own context, for
    this user, as on the page; empty when it has nothing for them, 404 for no such widget."""
    from ..registry import registry

    html = registry.render_widget(request, name)
    if html is None:
        raise Http404
    return HttpResponse(html)
