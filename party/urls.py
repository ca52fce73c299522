"""The party's pages, in the `party` namespace; their paths are those they had under orgs
(party/..., areas/<code>/party/...), so that bookmarks keep working."""

from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("party/members/<int:pk>/transfer/", views.transfer_member, name="partymember_transfer"),
    path("party/services/<int:pk>/confirm/", views.confirm_service, name="servicerecord_confirm"),
    path("party/services/<int:pk>/reopen/", views.reopen_service, name="servicerecord_reopen"),
    path("party/meeting-photos/<int:pk>/", views.meeting_photo, name="meetingphoto_download"),
    path("areas/<code:code>/party/chart/", views.organisation_chart, name="party_chart"),
    path("areas/<code:code>/party/schedule/", views.meeting_schedule, name="meeting_schedule"),
    path("areas/<code:code>/party/summary/", views.party_summary, name="party_summary"),
]
for prefix, pages in views.PAGES:
    urlpatterns += pages.urls(prefix)
