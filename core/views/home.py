from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Each role's start page, built from the widgets the apps register (core.registry): work to
    do, the figures of the user's scope, and what changed there lately."""
    return render(request, "core/home.html")
