"""Two names, one person: a tutor merges a second identity into the first from the group page."""

from __future__ import annotations

from html import unescape

from app.extensions import db
from app.models import Membership, Participant
from tests.drivers import board_messages

EN = {"Accept-Language": "en"}


def merge(browser, cohort, kept, absorbed):
    return browser.post(
        f"/cohorts/{cohort.id}/merge",
        data={"merge-kept": str(kept.id), "merge-absorbed": str(absorbed.id)},
        headers=EN,
    )


def members_table(page: str) -> str:
    start = page.index('data-testid="members-table"')
    return page[start : page.index("</table>", start)]


def test_the_group_page_offers_to_merge_two_names(
    make_cohort, make_staff, make_participant, staff_client
):
    cohort = make_cohort()
    first = make_participant(cohort, name="Amina")
    second = make_participant(cohort, name="Amina")
    page = staff_client(make_staff(cohort)).get(f"/cohorts/{cohort.id}", headers=EN)

    html = unescape(page.get_data(as_text=True))
    assert 'data-testid="merge-form"' in html
    assert f"Amina #{first.id}" in html and f"Amina #{second.id}" in html


def test_a_tutor_merges_a_second_name_and_the_old_phone_now_speaks_as_the_kept_one(
    make_cohort, make_staff, make_participant, staff_client, phone_client, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort, name="Amina")
    second = make_participant(cohort, name="Amina from the new phone")
    browser = staff_client(tutor)

    response = merge(browser, cohort, kept=amina, absorbed=second)

    assert response.status_code == 302
    page = browser.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    assert "The two names are now one person: Amina." in page
    assert "Amina from the new phone" not in members_table(page)
    assert "Amina from the new phone" not in page, "gone from the attendance and merge form too"

    def stored():
        member = db.session.query(Membership).filter_by(participant_id=second.id).one()
        return member.status, db.session.get(Participant, second.id).merged_into_id

    assert in_db(stored) == ("merged", amina.id)
    old_phone = phone_client(second).get("/").get_data(as_text=True)
    you_are = old_phone[old_phone.index('data-testid="you-are"') :]
    assert you_are[: you_are.index("</p>")].endswith("<bdi>Amina</bdi>.")


def test_a_merge_during_a_workshop_reaches_the_live_room_after_it_is_saved(
    make_cohort, make_staff, make_participant, start_live, staff_client, socket_for, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort, name="Amina")
    second = make_participant(cohort, name="Amina 2")
    live = start_live(cohort, tutor)
    browser = staff_client(tutor)
    console = socket_for(browser, "/tutor", live)
    console.get_received("/tutor")

    assert merge(browser, cohort, kept=amina, absorbed=second).status_code == 302

    (message,) = board_messages(console, "/tutor")
    assert message["event"] == "participants.merged"
    assert message["merged"] == {"absorbed": second.id, "kept": amina.id}
    console.disconnect(namespace="/tutor")


def test_a_name_cannot_be_merged_into_itself_nor_with_someone_outside_the_group(
    make_cohort, make_staff, make_participant, staff_client, in_db
):
    cohort = make_cohort()
    amina = make_participant(cohort, name="Amina")
    lina = make_participant(make_cohort("Other"), name="Lina")
    browser = staff_client(make_staff(cohort))

    itself = merge(browser, cohort, kept=amina, absorbed=amina)
    page = browser.get(itself.headers["Location"], headers=EN).get_data(as_text=True)
    assert "These two names cannot be merged." in page

    outsider = merge(browser, cohort, kept=amina, absorbed=lina)
    page = browser.get(outsider.headers["Location"], headers=EN).get_data(as_text=True)
    assert "This person is not in the group." in page
    assert in_db(lambda: db.session.get(Participant, lina.id).merged_into_id) is None


def test_only_the_groups_tutors_may_merge(
    make_cohort, make_staff, make_participant, staff_client, in_db
):
    cohort = make_cohort()
    amina = make_participant(cohort, name="Amina")
    second = make_participant(cohort, name="Amina 2")
    stranger = staff_client(make_staff(make_cohort("Other")))

    assert merge(stranger, cohort, kept=amina, absorbed=second).status_code == 403
    assert in_db(lambda: db.session.get(Participant, second.id).merged_into_id) is None
