"""Behind a reverse proxy every request comes from the proxy's address. The login lock-out keys
on the client's own address, read from X-Forwarded-For only when the request comes from a
proxy in TRUSTED_PROXIES: five wrong passwords from one client lock out that client, not every
user of the portal; and without TRUSTED_PROXIES a forged X-Forwarded-For changes nothing."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from core.client_ip import client_ip

from ..conftest import PASSWORD

PROXY = "127.0.0.1"
ATTACKER = "203.0.113.5"
COLLEAGUE = "203.0.113.9"
LOCKED_OUT = "登录失败次数过多"


def log_in(client, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": "street_a", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
    )


def fail_until_locked_out(forwarded_for):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(REMOTE_ADDR=PROXY), "wrong-password", forwarded_for)


def test_behind_a_trusted_proxy_the_lockout_of_one_client_lets_another_log_in(street_a, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    fail_until_locked_out(ATTACKER)

    locked = log_in(Client(REMOTE_ADDR=PROXY), PASSWORD, ATTACKER)
    colleague = Client(REMOTE_ADDR=PROXY)
    allowed = log_in(colleague, PASSWORD, COLLEAGUE)

    assert locked.status_code == 429
    assert LOCKED_OUT in locked.content.decode()
    assert allowed.status_code == 302
    assert allowed["Location"] == reverse("home")
    assert colleague.get(reverse("home")).wsgi_request.user == street_a


def test_the_lockout_remembers_the_clients_address_not_the_proxys(street_a, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = [PROXY]
    fail_until_locked_out(ATTACKER)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]


def test_without_trusted_proxies_a_forged_x_forwarded_for_is_ignored(street_a, settings):
    settings.TRUSTED_PROXIES = []
    fail_until_locked_out(ATTACKER)

    response = log_in(Client(REMOTE_ADDR=PROXY), PASSWORD, COLLEAGUE)

    assert response.status_code == 429  # the same address as the failures: REMOTE_ADDR
    assert LOCKED_OUT in response.content.decode()


def test_a_client_cannot_escape_its_lockout_by_forging_x_forwarded_for_through_the_proxy(street_a, settings):
    """The proxy appends the real address; what the client wrote stays on the left, unread."""
    settings.TRUSTED_PROXIES = [PROXY]
    fail_until_locked_out(ATTACKER)

    response = log_in(Client(REMOTE_ADDR=PROXY), PASSWORD, f"{COLLEAGUE}, {ATTACKER}")

    assert response.status_code == 429


# --- client_ip -------------------------------------------------------------------------------------


def request_from(remote_addr, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)


@pytest.mark.parametrize(
    "trusted, remote_addr, forwarded_for, expected",
    [
        ([], "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # no trusted proxy: the header is not read
        (["10.0.0.1"], "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # not from the trusted proxy
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),  # no header: the proxy itself
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.7, 203.0.113.5", "203.0.113.5"),  # the left is the client's word
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.5, 10.0.0.9, 10.0.0.8", "203.0.113.5"),  # a chain of proxies
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.9, 10.0.0.8", "10.0.0.9"),  # only proxies: the first of them
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5:51234", "203.0.113.5"),  # with a port
        (["10.0.0.1"], "10.0.0.1", "[2001:db8::5]:51234", "2001:db8::5"),
        (["10.0.0.1"], "::ffff:10.0.0.1", "2001:db8::5", "2001:db8::5"),  # IPv4 mapped into IPv6
        (["2001:db8:ffff::/48"], "2001:db8:ffff::1", "203.0.113.5", "203.0.113.5"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.5, unknown", "10.0.0.1"),  # garbage from our proxy
        (["10.0.0.1"], "10.0.0.1", "unknown, 203.0.113.5", "203.0.113.5"),  # garbage from the client: unread
    ],
)
def test_client_ip(trusted, remote_addr, forwarded_for, expected, settings):
    settings.TRUSTED_PROXIES = trusted

    assert client_ip(request_from(remote_addr, forwarded_for)) == expected


def test_a_bad_trusted_proxies_value_stops_the_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_networks

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/8 ,2001:db8::/32")
    assert env_networks("TRUSTED_PROXIES") == ["10.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"]

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.example")
    with pytest.raises(ImproperlyConfigured, match="proxy.example"):
        env_networks("TRUSTED_PROXIES")
