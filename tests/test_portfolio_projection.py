"""Every card a participant posts lands in their own portfolio, with where it came from.

The projection is a pure function of the session logs: these tests run real workshops
over Socket.IO, then read the portfolio back from the database.
"""

from __future__ import annotations

from app.extensions import db
from app.live.engine import fold
from app.live.store import events_after, load_state
from app.portfolio.projection import SessionInput, project

W4 = "w4-professional-competences"
JOB = {"what": "Cook", "where": "Tunis", "setting": "abroad", "kind": "paid"}
SKILL = {"name": "Cooking for 200 people", "category": "professional", "evidence": "Tunis"}


def test_cards_land_in_their_authors_sections_with_the_meeting_step_and_date(w4):
    amina, phone = w4.phone("Amina")
    yusuf, other = w4.phone("Yusuf")
    w4.go("my-experiences")
    w4.post(phone, "experiences", JOB, "amina-job-01")
    w4.go("competences")
    skill = w4.post(phone, "competences", SKILL, "amina-skill-1")
    w4.post(other, "competences", {**SKILL, "name": "Driving"}, "yusuf-skill-1")

    mine = w4.portfolio(amina)

    (job,) = mine.entries("professional_experiences")
    assert job.text == "Cook" and job.fields["setting"] == "abroad"
    (competence,) = mine.entries("competences")
    assert competence.text == "Cooking for 200 people"
    assert competence.provenance.meeting == W4
    assert competence.provenance.step == "competences"
    assert competence.key.endswith(f"c{skill['seq']}")
    assert [e.text for e in w4.portfolio(yusuf).entries("competences")] == ["Driving"]


def test_a_resent_card_is_one_entry_and_a_replay_gives_the_same_portfolio(w4, in_db):
    amina, phone = w4.phone("Amina")
    w4.go("competences")
    w4.post(phone, "competences", SKILL, "resent-00001")
    w4.post(phone, "competences", SKILL, "resent-00001")  # the phone resends after a drop

    first = w4.portfolio(amina)
    assert len(first.entries("competences")) == 1

    def replayed():
        state = fold(events_after(db.session, w4.live.id))
        assert state == load_state(db.session, w4.live.id)
        feeds = {"competences": "competences", "my-experiences": "professional_experiences"}
        return project({amina.id}, [SessionInput(w4.live.id, W4, feeds, state)] * 2, amina.id)

    again = in_db(replayed)
    assert again.sections == first.sections


def test_anonymous_and_hidden_cards_stay_their_authors_and_taken_back_ones_leave(w4):
    amina, phone = w4.phone("Amina")
    w4.go("competences")
    w4.tutor_does("board_anonymous", step="competences", on=True)
    anonymous = w4.post(phone, "competences", SKILL, "anon-000001")["seq"]
    hidden = w4.post(phone, "competences", {**SKILL, "name": "Shouting"}, "hide-000001")["seq"]
    gone = w4.post(phone, "competences", {**SKILL, "name": "Oops"}, "gone-000001")["seq"]
    w4.tutor_does("hide", card_id=hidden, reason="Let's keep it kind")
    ack = phone.emit("withdraw", {"card_id": gone}, namespace="/participant", callback=True)
    assert ack["ok"]

    entries = {e.key: e for e in w4.portfolio(amina).entries("competences")}

    assert entries[f"s{w4.live.id}:c{anonymous}"].anonymous
    kept_hidden = entries[f"s{w4.live.id}:c{hidden}"]
    assert kept_hidden.hidden and kept_hidden.hidden_reason == "Let's keep it kind"
    assert f"s{w4.live.id}:c{gone}" not in entries


def test_a_card_typed_by_the_tutor_goes_to_the_person_it_was_typed_for(w4, make_participant):
    fatou = make_participant(w4.cohort, name="Fatou")
    w4.go("strengths")
    w4.tutor_does(
        "post", board="free_text", on_behalf_of=fatou.id, fields={"text": "Patient and calm"}
    )
    (entry,) = w4.portfolio(fatou).entries("cv")
    assert entry.text == "Patient and calm" and entry.by_staff


def test_a_merged_name_brings_its_entries_along(w4):
    amina, phone = w4.phone("Amina")
    second, _phone = w4.phone("Amina B.")
    w4.go("competences")
    w4.post(phone, "competences", SKILL, "merge-000001")
    w4.tutor_does("merge", kept=second.id, absorbed=amina.id)
    assert [e.text for e in w4.portfolio(second).entries("competences")] == [SKILL["name"]]


def test_rehearsals_and_steps_that_feed_nothing_fill_no_portfolio(w4, in_db):
    amina, phone = w4.phone("Amina")
    w4.go("competences")
    w4.post(phone, "competences", SKILL, "rehearse-001")
    state = in_db(lambda: load_state(db.session, w4.live.id))
    feeds = {"competences": "competences"}
    rehearsal = SessionInput(w4.live.id, W4, feeds, state, rehearsal=True)
    assert project({amina.id}, [rehearsal], amina.id).sections == {}
    collective = SessionInput(w4.live.id, W4, {"competences": None}, state)
    assert project({amina.id}, [collective], amina.id).sections == {}
    assert list(w4.portfolio(amina).sections) == ["competences"]
