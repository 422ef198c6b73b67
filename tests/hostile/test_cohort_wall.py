"""The cohort's wall: staff act on a person only through an admitted membership of a group
they tutor; a person in two groups is the coordinator's to rename, merge or re-link."""

from __future__ import annotations

import re
from typing import Any

import requests

from app.models import Cohort, LiveSession, Participant
from app.permissions import Role
from tests.hostile.conftest import Site

ELSEWHERE = "This person is also in another group: only a coordinator can do this for them."
NOT_HERE = "This person is not in the group."
CODE = re.compile(r'data-testid="rejoin-code"[^>]*>([^<]+)<')


# --- the people at the keyboard ------------------------------------------------------------


def signed_in(site: Site, cohort: Cohort | None = None, role: Role = Role.TUTOR):
    """A member of staff's browser, reading the pages in English."""
    browser = site.logged_in(site.staff(cohort, role))
    browser.headers["Accept-Language"] = "en"
    return browser


def coordinator(site: Site) -> requests.Session:
    return signed_in(site, None, Role.COORDINATOR)


def send(site: Site, browser: requests.Session, cohort: Cohort, path: str, **form: Any):
    """A form posted with a token from the cohort's page, as the page itself would."""
    form["csrf_token"] = site.csrf(browser, f"/cohorts/{cohort.id}")
    return browser.post(f"{site.url}{path}", data=form, timeout=10)


def rejoin(site: Site, browser: requests.Session, cohort: Cohort, person: Participant):
    return send(site, browser, cohort, f"/cohorts/{cohort.id}/participants/{person.id}/rejoin-code")


def merge(site: Site, browser: requests.Session, cohort: Cohort, kept: Participant, gone):
    fields = {"merge-kept": str(kept.id), "merge-absorbed": str(gone.id)}
    return send(site, browser, cohort, f"/cohorts/{cohort.id}/merge", **fields)


def refused_back_home(reply: requests.Response, cohort: Cohort, message: str) -> None:
    """Sent back to the group's page, told why in words."""
    assert reply.status_code == 200
    assert reply.url.endswith(f"/cohorts/{cohort.id}")
    assert message in reply.text


def members_seen(site: Site, browser: requests.Session, live: LiveSession) -> list[dict]:
    console = site.socket(browser, "/tutor", live)
    try:
        return console.call("sync")["board"]["members"]
    finally:
        console.close()


# --- re-join codes ----------------------------------------------------------------------------


def test_a_tutor_cannot_give_a_rejoin_code_for_someone_only_knocking_at_the_door(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    tutor_a = site.staff(a)
    lena = site.person("Lena", b, waiting=(a,))
    browser = site.logged_in(tutor_a)
    before = site.rows()
    reply = browser.post(
        f"{site.url}/cohorts/{a.id}/participants/{lena.id}/rejoin-code",
        data={"csrf_token": site.csrf(browser, f"/cohorts/{a.id}")},
        timeout=10,
    )
    assert reply.status_code == 404
    assert site.rows() == before


def test_a_tutor_cannot_link_a_new_phone_to_someone_who_is_in_another_group_too(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    omar = site.person("Omar", a, b)
    tutor_a = signed_in(site, a)
    before = site.rows()
    refused_back_home(rejoin(site, tutor_a, a, omar), a, ELSEWHERE)
    assert site.rows() == before
    assert before["rejoin_codes"] == []

    given = rejoin(site, coordinator(site), a, omar)
    assert given.status_code == 200
    code = CODE.search(given.text)
    assert code and len(code.group(1).strip()) == 8
    assert len(site.rows()["rejoin_codes"]) == 1


# --- merging two names -------------------------------------------------------------------------


def test_a_tutor_cannot_merge_someone_only_knocking_at_the_door_into_a_member(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    kept = site.person("Samir", a)
    knocking = site.person("Samir", b, waiting=(a,))
    tutor_a = signed_in(site, a)
    before = site.rows()
    refused_back_home(merge(site, tutor_a, a, kept, knocking), a, NOT_HERE)
    assert site.rows() == before


def test_only_a_coordinator_merges_a_name_that_is_also_in_another_group(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    tutor_b = site.staff(b)
    live_b = site.start(b, tutor_b)
    kept = site.person("Nadia", a)
    shared = site.person("Nadiya", a, b)
    tutor_a, browser_b = signed_in(site, a), signed_in(site, b)
    b_members = members_seen(site, browser_b, live_b)
    assert (shared.id, "Nadiya", "admitted") in [
        (m["id"], m["name"], m["status"]) for m in b_members
    ]

    before = site.rows()
    refused_back_home(merge(site, tutor_a, a, kept, shared), a, ELSEWHERE)
    assert site.rows() == before
    assert "Nadiya" in browser_b.get(f"{site.url}/cohorts/{b.id}", timeout=10).text
    assert members_seen(site, browser_b, live_b) == b_members

    done = merge(site, coordinator(site), a, kept, shared)
    assert "The two names are now one person: Nadia." in done.text
    assert site.get(Participant, shared.id).merged_into_id == kept.id


def test_a_tutors_console_cannot_merge_across_the_wall_either(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    tutor = site.staff(a)
    live = site.start(a, tutor)
    kept = site.person("Karim", a)
    knocking = site.person("Karim", b, waiting=(a,))
    shared = site.person("Kareem", a, b)
    console = site.socket(site.logged_in(tutor), "/tutor", live)
    before = site.rows()
    for absorbed, code in ((knocking, "no_such_participant"), (shared, "in_another_group")):
        ack = console.call("merge", {"kept": kept.id, "absorbed": absorbed.id})
        assert (ack["ok"], ack["error"]) == (False, code)
    assert site.rows() == before


# --- the preparatory interview ------------------------------------------------------------------


def interview_path(cohort: Cohort, person: Participant) -> str:
    return f"/cohorts/{cohort.id}/interviews/{person.id}"


def interview(site: Site, browser, cohort: Cohort, person: Participant, name: str, *boxes: str):
    form = {
        "csrf_token": site.csrf(browser, f"/cohorts/{cohort.id}"),
        "profile-display_name": name,
        "languages-spoken": "Arabic, Italian",
        "languages-french_level": "B1",
        "motivation-why": "To find work as a cook",
        "motivation-available": "yes",
        "referral-source": "friend",
        **dict.fromkeys(boxes, "y"),
    }
    url = f"{site.url}{interview_path(cohort, person)}"
    return browser.post(url, data=form, timeout=10)


def test_a_tutor_cannot_open_the_interview_of_someone_only_knocking_at_the_door(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    lena = site.person("Lena", b, waiting=(a,))
    tutor_a = signed_in(site, a)
    before = site.rows()
    assert tutor_a.get(f"{site.url}{interview_path(a, lena)}", timeout=10).status_code == 404
    assert interview(site, tutor_a, a, lena, "Helena", "consent_replay").status_code == 404
    assert site.rows() == before


def test_the_interview_of_someone_in_two_groups_leaves_their_name_and_consent_alone(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    fatou = site.person("Fatou", a, b)
    tutor_a = signed_in(site, a)

    page = tutor_a.get(f"{site.url}{interview_path(a, fatou)}", timeout=10).text
    name_box = re.search(r'<input[^>]*name="profile-display_name"[^>]*>', page)
    assert name_box and "readonly" in name_box.group(0)
    assert 'name="consent_data"' not in page and 'name="consent_replay"' not in page
    assert "Consent they gave" in page

    before = site.rows()
    renamed = interview(site, tutor_a, a, fatou, "Fatima", "consent_data", "consent_replay")
    assert renamed.status_code == 400
    assert ELSEWHERE in renamed.text
    assert site.rows() == before

    kept = interview(site, tutor_a, a, fatou, "Fatou", "consent_replay", "consent_rehearsal")
    assert kept.url.endswith(f"/cohorts/{a.id}") and "Interview saved" in kept.text
    after = site.rows()
    assert len(after["interviews"]) == len(before["interviews"]) + 1
    assert after["consents"] == before["consents"]
    assert site.get(Participant, fatou.id).display_name == "Fatou"


# --- what a tutor reads of a portfolio ---------------------------------------------------------


def post_in_room(site: Site, live: LiveSession, tutor, phone, text: str) -> None:
    """The tutor opens the presentations board (it feeds the portfolio); the phone posts."""
    console = site.socket(tutor, "/tutor", live)
    assert console.call("step", {"index": 1})["ok"]
    room = site.socket(phone, "/participant", live)
    card = {"client_id": f"card-{live.id}-0001", "board": "free_text", "text": text}
    ack = room.call("post", card)
    assert ack["ok"], ack
    room.close()
    console.close()


def shared_portfolio(site: Site, browser: requests.Session, person: Participant) -> str:
    reply = browser.get(f"{site.url}/participants/{person.id}/portfolio", timeout=10)
    assert reply.status_code == 200
    assert "private-count" not in reply.text
    return reply.text


def test_a_tutor_reads_only_the_cards_a_person_wrote_in_their_own_group(site: Site):
    a, b = site.cohort("A"), site.cohort("B")
    amal = site.person("Amal", a, b)
    tutor_a, tutor_b = site.staff(a), site.staff(b)
    browser_a, browser_b = site.logged_in(tutor_a), site.logged_in(tutor_b)
    phone = site.phone(amal)
    post_in_room(site, site.start(a, tutor_a), browser_a, phone, "Lighthouse keeper in Tangier")
    post_in_room(site, site.start(b, tutor_b), browser_b, phone, "Harbour pilot in Genoa")

    seen_by_a = shared_portfolio(site, browser_a, amal)
    assert "Lighthouse keeper" in seen_by_a and "Harbour pilot" not in seen_by_a
    seen_by_b = shared_portfolio(site, browser_b, amal)
    assert "Harbour pilot" in seen_by_b and "Lighthouse keeper" not in seen_by_b
    seen_by_all = shared_portfolio(site, coordinator(site), amal)
    assert "Harbour pilot" in seen_by_all and "Lighthouse keeper" in seen_by_all
