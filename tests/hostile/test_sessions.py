"""Sessions end on the server: a phone's device link, a staff log-in. A copy of the cookie
opens nothing once its owner signed out, and the sockets it held are closed. A known
phone sent to a room's link sees a button, not a request made in its name; `next`
addresses stay on the site; a wrong name answers as slowly as a wrong password."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from app.models import Cohort, LiveSession, MembershipStatus, User
from app.participants import device
from tests.hostile.conftest import PASSWORD, Site, Socket, csrf_of, serving

REJOIN_CODE = re.compile(r'data-testid="rejoin-code"[^>]*>\s*([^<\s]+)\s*<')
EVIL = [
    "/\t/evil.test/",
    "//evil.test/",
    "/\\evil.test",
    "https://evil.test/",
    "/tutor\r\nSet-Cookie: x=1",
    "javascript:alert(1)",
    "/%2F%2Fevil.test",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The hostile suite's server, with wrong log-ins unlimited: the timing test makes
    many, and the limits have tests of their own (test_floods.py)."""
    yield from serving(
        tmp_path_factory.mktemp("sessions"),
        MIGRAPASS_RATE_LIMIT_WRONG_LOGINS_PER_ADDRESS="1000/minute",
        MIGRAPASS_RATE_LIMIT_WRONG_LOGINS_PER_ACCOUNT="1000/minute",
    )


# --- helpers -------------------------------------------------------------------------------


def a_running_room(site: Site, name: str) -> tuple[Cohort, User, LiveSession]:
    """A group, its tutor, and a session they run."""
    cohort = site.cohort(name)
    tutor = site.staff(cohort)
    return cohort, tutor, site.start(cohort, tutor)


def copy_of(browser: requests.Session) -> requests.Session:
    """Another browser holding the same cookies: a stolen or backed-up copy."""
    twin = requests.Session()
    twin.cookies.update(browser.cookies)
    return twin


def signed_out(sock: Socket) -> bool:
    """The server closed this socket, within a few seconds."""
    return sock.closed.wait(5)


def reads_me(site: Site, browser: requests.Session) -> int:
    return browser.get(f"{site.url}/me", timeout=10).status_code


def post(site: Site, browser: requests.Session, path: str, **data: str) -> requests.Response:
    return browser.post(f"{site.url}{path}", data=data, allow_redirects=False, timeout=10)


def stays_on_the_site(site: Site, location: str) -> str:
    """The path a redirect leads to, after checking it leads nowhere but here."""
    parts = urlsplit(location)
    assert not location.startswith("//"), location
    assert parts.scheme in ("", "http") and parts.netloc in ("", urlsplit(site.url).netloc)
    assert parts.path.startswith("/") and not parts.path.startswith("//"), location
    return parts.path


# --- a link to the door --------------------------------------------------------------------


def test_a_known_phone_sent_to_a_rooms_link_sees_a_button_and_knocks_only_when_pressed(
    site: Site,
):
    a, _tutor, live = a_running_room(site, "A")
    lena = site.person("Lena", site.cohort("B"))
    phone = site.phone(lena)
    code = site.get(LiveSession, live.id).join_code
    before = site.rows()

    page = phone.get(f"{site.url}/j/{code}", timeout=10)
    assert page.status_code == 200 and 'data-testid="knock-form"' in page.text
    assert site.rows() == before and site.membership(a, lena) is None

    forged = post(site, phone, f"/j/{code}")  # another site's form: no token
    assert forged.status_code == 400
    assert site.rows() == before

    knocked = post(site, phone, f"/j/{code}", csrf_token=csrf_of(page.text))
    assert knocked.status_code == 302
    assert site.membership(a, lena) == MembershipStatus.PENDING.value


# --- phones signed out ------------------------------------------------------------------------


def test_this_is_not_me_ends_every_copy_of_the_phones_cookie_and_its_socket(site: Site):
    a, _tutor, live = a_running_room(site, "A")
    phone = site.phone(site.person("Lena", a))
    stolen = copy_of(phone)
    sock = site.socket(phone, "/participant", live)
    assert sock.connected

    reply = post(site, phone, "/not-me", csrf_token=site.csrf(phone, "/"))
    assert reply.status_code == 302
    assert reads_me(site, stolen) == 403
    assert signed_out(sock)
    assert site.socket(stolen, "/participant", live).refusal is not None


def test_a_rejoin_code_redeemed_on_a_new_phone_retires_the_old_one(site: Site):
    a, tutor, live = a_running_room(site, "A")
    lena = site.person("Lena", a)
    old = site.phone(lena)
    sock = site.socket(old, "/participant", live)
    assert sock.connected
    staff = site.logged_in(tutor)
    page = post(
        site,
        staff,
        f"/cohorts/{a.id}/participants/{lena.id}/rejoin-code",
        csrf_token=site.csrf(staff, f"/cohorts/{a.id}"),
    )
    found = REJOIN_CODE.search(page.text)
    assert page.status_code == 200 and found and len(found.group(1)) == 8

    new = requests.Session()
    redeemed = post(site, new, "/join", code=found.group(1), csrf_token=site.csrf(new, "/"))
    assert redeemed.status_code == 302 and device.COOKIE_NAME in new.cookies
    assert reads_me(site, old) == 403
    assert signed_out(sock)
    assert reads_me(site, new) == 200

    third = requests.Session()  # the code works once
    before = site.rows()
    reused = post(site, third, "/join", code=found.group(1), csrf_token=site.csrf(third, "/"))
    assert reused.status_code == 404 and site.rows() == before
    assert reads_me(site, new) == 200


def test_a_tutors_sign_out_their_phones_ends_every_phone_and_closes_their_sockets(site: Site):
    a, tutor, live = a_running_room(site, "A")
    lena = site.person("Lena", a)
    phones = [site.phone(lena), site.phone(lena)]
    sockets = [site.socket(phone, "/participant", live) for phone in phones]
    assert all(sock.connected for sock in sockets)
    staff = site.logged_in(tutor)

    reply = post(
        site,
        staff,
        f"/cohorts/{a.id}/participants/{lena.id}/sign-out-phones",
        csrf_token=site.csrf(staff, f"/cohorts/{a.id}"),
    )
    assert reply.status_code == 302
    assert [reads_me(site, phone) for phone in phones] == [403, 403]
    assert all(signed_out(sock) for sock in sockets)


def test_logging_out_ends_every_copy_of_the_staff_cookie_and_closes_the_console(site: Site):
    _a, tutor, live = a_running_room(site, "A")
    staff = site.logged_in(tutor)
    console = site.socket(staff, "/tutor", live)
    assert console.connected
    stolen = copy_of(staff)

    reply = post(site, staff, "/logout", csrf_token=site.csrf(staff, "/tutor"))
    assert reply.status_code == 302
    again = stolen.get(f"{site.url}/tutor", allow_redirects=False, timeout=10)
    assert again.status_code == 302 and urlsplit(again.headers["Location"]).path == "/login"
    assert signed_out(console)
    assert site.socket(stolen, "/tutor", live).refusal is not None


# --- next= ----------------------------------------------------------------------------------


def log_in_then(site: Site, user: User, target: str) -> requests.Response:
    browser = requests.Session()
    token = site.csrf(browser, "/login")
    return browser.post(
        f"{site.url}/login",
        params={"next": target},
        data={"csrf_token": token, "username": user.username, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )


def switch_language_then(site: Site, target: str) -> requests.Response:
    browser = requests.Session()
    token = site.csrf(browser, "/")
    return post(site, browser, "/language", csrf_token=token, language="en", next=target)


@pytest.mark.parametrize("target", EVIL)
def test_logging_in_never_sends_anyone_off_the_site(site: Site, target: str):
    reply = log_in_then(site, site.staff(), target)
    assert reply.status_code == 302
    assert stays_on_the_site(site, reply.headers["Location"]) == "/tutor"
    assert "x" not in reply.cookies


@pytest.mark.parametrize("target", EVIL)
def test_switching_language_never_sends_anyone_off_the_site(site: Site, target: str):
    reply = switch_language_then(site, target)
    assert reply.status_code == 302
    assert stays_on_the_site(site, reply.headers["Location"]) == "/"
    assert "x" not in reply.cookies


def test_a_next_address_of_the_apps_own_pages_is_followed(site: Site):
    a = site.cohort("A")
    page = f"/cohorts/{a.id}"
    logged_in = log_in_then(site, site.staff(a), page)
    assert stays_on_the_site(site, logged_in.headers["Location"]) == page
    switched = switch_language_then(site, page)
    assert stays_on_the_site(site, switched.headers["Location"]) == page


# --- which names exist ----------------------------------------------------------------------


def test_an_unknown_name_takes_about_as_long_to_refuse_as_a_wrong_password(site: Site):
    known = site.staff()
    browser = requests.Session()
    token = site.csrf(browser, "/login")

    def attempt(username: str) -> float:
        started = time.perf_counter()
        reply = browser.post(
            f"{site.url}/login",
            data={"csrf_token": token, "username": username, "password": "not the password"},
            timeout=30,
        )
        took = time.perf_counter() - started
        assert reply.status_code == 401
        return took

    attempt(known.username)  # the first hash pays for warming up
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for i in range(8):  # interleaved: the machine's noise falls on both alike
        times["known"].append(attempt(known.username))
        times["unknown"].append(attempt(f"nobody-{i}"))
    known_s, unknown_s = (statistics.median(times[k]) for k in ("known", "unknown"))
    print(f"median wrong password: known name {known_s:.3f} s, unknown name {unknown_s:.3f} s")
    assert unknown_s >= 0.4 * known_s
