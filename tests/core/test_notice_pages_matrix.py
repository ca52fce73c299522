"""The inbox's URLs in the permission matrix: a notice is its recipient's alone — another user's
answers 404 and stays unread; marking all read touches one's own only."""

import pytest
from django.urls import reverse

from core.notices import Notice, NoticeKind
from core.testing import Page, PermissionMatrix
from orgs.choices import Role
from tests.conftest import make_user


def unread(objects):
    return Notice.objects.get(pk=objects["notice"].pk).read_at


class TestNoticeMatrix(PermissionMatrix):
    pages = [
        Page("core:notice_list", lambda o: reverse("core:notice_list"), insider="recipient", max_queries=12),
        Page(
            "core:notice_open",
            lambda o: reverse("core:notice_open", args=[o["notice"].pk]),
            insider="recipient",
            outsider="other",
            ok=302,
            state=unread,
        ),
        Page(
            "core:notice_read_all",
            lambda o: reverse("core:notice_read_all"),
            method="post",
            insider="recipient",
            outsider="other",
            ok=302,
            refused=302,  # the other's own (none): the recipient's notice stays unread
            state=unread,
        ),
    ]

    @pytest.fixture
    def recipient(self, areas):
        return make_user("recipient", Role.COMMUNITY_CADRE, areas["220104001001"])

    @pytest.fixture
    def other(self, areas):
        return make_user("other", Role.COMMUNITY_CADRE, areas["220104001001"])

    @pytest.fixture
    def objects(self, recipient):
        notice = Notice.objects.create(
            recipient=recipient, kind=NoticeKind.STEP, source="s:1", title="A1社区的录入值被退回", url="/"
        )
        return {"notice": notice}
