"""The preparatory meeting: a tutor and a person fill in the interview form together."""

from __future__ import annotations

import re
from html import unescape

import pytest

from app import interviews
from app.extensions import db
from app.interviews import InvalidAnswers, clean_answers
from app.models import Consent, Interview, Membership, Participant, ScriptVersion
from app.participants.consent import CONSENT_TEXT_VERSION
from app.script_access import script_of

EN = {"Accept-Language": "en"}


def interview_form(name="Yusuf", consents=("consent_data",), **overrides):
    data = {
        "profile-display_name": name,
        "profile-countries": "Sudan, Libya, Italy",
        "profile-situation": "French classes three mornings a week",
        "languages-spoken": "Arabic, English, some Italian",
        "languages-french_level": "A2",
        "languages-remarks": "Understands well, speaks slowly",
        "motivation-why": "To know what I can do here",
        "motivation-expectations": "A CV, and meeting people",
        "motivation-available": "yes",
        "referral-source": "friend",
        "referral-detail": "",
        **{box: "y" for box in consents},
    }
    data.update(overrides)
    return data


def stored_interviews(cohort_id):
    def query():
        rows = db.session.query(Interview).filter_by(cohort_id=cohort_id).all()
        return [(row.participant_id, row.answers, row.tutor_id, row.updated_at) for row in rows]

    return query


def test_the_page_walks_through_the_meetings_steps_with_guide_prompt_and_fields(
    make_cohort, make_staff, staff_client, app
):
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))

    page = browser.get(f"/cohorts/{cohort.id}/interviews/new", headers=EN)

    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    meeting = script_of(app).meeting("w0-preparatory", "en")
    positions = [html.index(step.title) for step in meeting.steps]
    assert positions == sorted(positions), "one section per step, in the script's order"
    assert html.count('<details class="guide">') == len(meeting.steps)
    for field in ("profile-display_name", "languages-french_level", "motivation-available-0"):
        assert f'id="{field}"' in html
    assert "Level of French we agreed on" in html
    assert 'name="consent_data"' in html and "Required to take part" in html
    assert " style=" not in html and not re.search(r"<script(?![^>]*\ssrc=)", html)  # strict CSP


def test_a_tutor_interviews_someone_new_who_then_joins_the_group(
    make_cohort, make_staff, staff_client, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    browser = staff_client(tutor)

    saved = browser.post(
        f"/cohorts/{cohort.id}/interviews/new",
        data=interview_form(consents=("consent_data", "consent_rehearsal")),
        headers=EN,
    )

    assert saved.status_code == 302 and saved.headers["Location"] == f"/cohorts/{cohort.id}"
    page = browser.get(saved.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Interview saved" in page and "Yusuf" in page
    [(pid, answers, tutor_id, _when)] = in_db(stored_interviews(cohort.id))
    assert tutor_id == tutor.id
    assert answers == {
        "profile": {
            "display_name": "Yusuf",
            "countries": "Sudan, Libya, Italy",
            "situation": "French classes three mornings a week",
        },
        "languages": {
            "spoken": "Arabic, English, some Italian",
            "french_level": "A2",
            "remarks": "Understands well, speaks slowly",
        },
        "motivation": {
            "why": "To know what I can do here",
            "expectations": "A CV, and meeting people",
            "available": "yes",
        },
        "referral": {"source": "friend", "detail": ""},
    }

    def person():
        member = db.session.query(Membership).filter_by(participant_id=pid).one()
        interview = db.session.query(Interview).one()
        version = db.session.get(ScriptVersion, interview.script_version_id)
        consents = {
            c.purpose: (c.granted, c.text_version, c.recorded_by_id)
            for c in db.session.query(Consent).filter_by(participant_id=pid)
        }
        return member.status, member.cohort_id, version.meeting_slug, consents

    status, cohort_id, slug, consents = in_db(person)
    assert (status, cohort_id, slug) == ("admitted", cohort.id, "w0-preparatory")
    assert consents == {
        "data_processing": (True, CONSENT_TEXT_VERSION, tutor.id),
        "named_in_replays": (False, CONSENT_TEXT_VERSION, tutor.id),
        "rehearsal_reuse": (True, CONSENT_TEXT_VERSION, tutor.id),
    }


def test_the_interview_of_a_member_starts_from_their_name_and_their_consent(
    make_cohort, make_staff, make_participant, staff_client
):
    cohort = make_cohort()
    amina = make_participant(cohort, name="Amina")
    browser = staff_client(make_staff(cohort))

    cohort_page = browser.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert f'href="/cohorts/{cohort.id}/interviews/{amina.id}"' in cohort_page

    html = browser.get(f"/cohorts/{cohort.id}/interviews/{amina.id}").get_data(as_text=True)
    assert 'value="Amina"' in html
    assert 'id="consent_data" name="consent_data" type="checkbox" value="y"' in html
    data_box = html[html.index('id="consent_data"') - 30 : html.index('id="consent_data"') + 120]
    assert "checked" in data_box
    replay_box = html[html.index('id="consent_replay"') - 30 : html.index('id="consent_replay"')]
    assert "checked" not in replay_box


def test_saving_again_updates_the_same_interview_and_records_only_changed_consent(
    make_cohort, make_staff, make_participant, staff_client, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort, name="Amina")
    browser = staff_client(tutor)
    url = f"/cohorts/{cohort.id}/interviews/{amina.id}"

    assert browser.post(url, data=interview_form(name="Amina")).status_code == 302
    [(_pid, first, _tutor, first_saved)] = in_db(stored_interviews(cohort.id))
    consents_before = in_db(lambda: db.session.query(Consent).count())

    again = browser.post(
        url,
        data=interview_form(
            name="  Amina   K. ",
            consents=("consent_data", "consent_replay"),
            **{"languages-french_level": "to_check"},
        ),
    )

    assert again.status_code == 302
    [(pid, answers, _tutor, updated)] = in_db(stored_interviews(cohort.id))
    assert pid == amina.id and updated > first_saved
    assert first["languages"]["french_level"] == "A2"
    assert answers["languages"]["french_level"] == "to_check"
    assert answers["profile"]["display_name"] == "Amina K."
    assert in_db(lambda: db.session.get(Participant, amina.id).display_name) == "Amina K."
    # The first save left consent as she had given it; the second changed one answer.
    assert in_db(lambda: db.session.query(Consent).count()) == consents_before + 3
    latest = in_db(
        lambda: [
            (c.purpose, c.granted, c.recorded_by_id)
            for c in db.session.query(Consent).order_by(Consent.id.desc()).limit(3)
        ]
    )
    assert ("named_in_replays", True, tutor.id) in latest


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Please write your first name or a made-up name."),
        ("x" * 61, "This name is too long."),
    ],
)
def test_a_blank_or_oversized_name_is_refused_and_what_was_typed_stays(
    make_cohort, make_staff, staff_client, in_db, name, message
):
    cohort = make_cohort()
    browser = staff_client(make_staff(cohort))

    response = browser.post(
        f"/cohorts/{cohort.id}/interviews/new", data=interview_form(name=name), headers=EN
    )

    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in html and "Please check the answers marked below." in html
    assert "Understands well, speaks slowly" in html and "Sudan, Libya, Italy" in html
    assert '<option selected value="A2">' in html
    assert 'aria-invalid="true"' in html
    assert in_db(lambda: db.session.query(Participant).count()) == 0
    assert in_db(stored_interviews(cohort.id)) == []


def test_every_free_text_answer_has_a_size_limit_with_a_clear_message(
    make_cohort, make_staff, make_participant, staff_client, in_db
):
    cohort = make_cohort()
    amina = make_participant(cohort, name="Amina")
    browser = staff_client(make_staff(cohort))
    long_story = "word " * 101  # 505 characters

    response = browser.post(
        f"/cohorts/{cohort.id}/interviews/{amina.id}",
        data=interview_form(name="Amina", **{"motivation-why": long_story}),
        headers=EN,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This answer is too long: 500 characters at most." in html
    assert long_story.strip() in html
    assert in_db(stored_interviews(cohort.id)) == []


def test_a_tutor_of_another_cohort_cannot_open_or_save_an_interview(
    make_cohort, make_staff, make_participant, staff_client, in_db
):
    cohort = make_cohort()
    amina = make_participant(cohort, name="Amina")
    stranger = staff_client(make_staff(make_cohort("Other")))
    url = f"/cohorts/{cohort.id}/interviews/{amina.id}"

    assert stranger.get(url).status_code == 403
    assert stranger.post(url, data=interview_form(name="Amina")).status_code == 403
    newcomer = stranger.post(f"/cohorts/{cohort.id}/interviews/new", data=interview_form())
    assert newcomer.status_code == 403
    assert in_db(stored_interviews(cohort.id)) == []


def test_only_members_of_the_cohort_have_an_interview_page_here(
    make_cohort, make_staff, make_participant, staff_client
):
    cohort, other = make_cohort(), make_cohort("Other")
    elsewhere = make_participant(other, name="Lina")
    browser = staff_client(make_staff(cohort))

    assert browser.get(f"/cohorts/{cohort.id}/interviews/{elsewhere.id}").status_code == 404
    assert browser.get("/cohorts/9999/interviews/new").status_code == 404


def test_the_answers_are_cleaned_in_one_place():
    raw = {
        "profile": {"display_name": "  Amina ", "countries": " Mali\r\n"},
        "languages": {"french_level": "B1"},
        "motivation": {"available": "maybe"},
        "referral": {"source": "other", "detail": "x" * 501},
    }
    with pytest.raises(InvalidAnswers) as refused:
        clean_answers(raw)
    assert refused.value.problems == {
        ("motivation", "available"): "bad_field",
        ("referral", "detail"): "answer_too_long",
    }

    raw["motivation"]["available"] = ""
    raw["referral"]["detail"] = "A poster at the library"
    answers = clean_answers(raw)
    assert answers["profile"] == {"display_name": "Amina", "countries": "Mali", "situation": ""}
    assert answers["languages"]["french_level"] == "B1"
    assert set(answers) == set(interviews.FIELDS)


def test_the_interview_and_merge_forms_carry_their_csrf_token(
    app, make_cohort, make_staff, make_participant, staff_client
):
    cohort = make_cohort()
    make_participant(cohort, name="Amina")
    make_participant(cohort, name="Yusuf")
    browser = staff_client(make_staff(cohort))
    app.config["WTF_CSRF_ENABLED"] = True

    interview_page = browser.get(f"/cohorts/{cohort.id}/interviews/new").get_data(as_text=True)
    cohort_page = browser.get(f"/cohorts/{cohort.id}").get_data(as_text=True)

    assert 'name="csrf_token"' in interview_page
    merge_form = cohort_page[cohort_page.index('data-testid="merge-form"') :]
    assert 'name="csrf_token"' in merge_form[: merge_form.index("</form>")]
    refused = browser.post(f"/cohorts/{cohort.id}/interviews/new", data=interview_form())
    assert refused.status_code == 400


def test_the_interview_of_someone_in_two_groups_with_a_name_from_before_cleaning_is_saved(
    app, make_cohort, make_staff, make_participant, staff_client, in_db
):
    first, second = make_cohort(), make_cohort()
    fatou = make_participant(first, name="Fatou")
    with app.app_context():
        from app.live import operations

        person = db.session.get(Participant, fatou.id)
        operations.enrol(db.session, db.session.merge(second), person)
        person.display_name = "Fatou\u200b"  # as stored before names were cleaned
        db.session.commit()
    browser = staff_client(make_staff(second))

    saved = browser.post(
        f"/cohorts/{second.id}/interviews/{fatou.id}", data=interview_form(name="Fatou\u200b")
    )

    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert in_db(lambda: db.session.get(Participant, fatou.id).display_name) == "Fatou\u200b"
