"""The self-assessment: five questions a person answers for themself, before the cycle
and after it, that nobody else ever sees; a group's figures only from five people on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from app.extensions import db
from app.live import store
from app.live.views import Audience, snapshot
from app.outcomes.self_assessment import MIN_GROUP, group_figures, own_answers
from app.script_access import script_of
from app.vocabulary.boards import BOARDS, SELF_ASSESSMENT_QUESTIONS, FieldRefused
from app.workshops import ScriptErrors
from app.workshops.loader import load_pinned
from tests.drivers import AppRoom, board_messages

STEP = "self-assessment"
ANSWERS = {"confidence": "2", "network": "1", "labour_market": "3", "skills": "4", "project": "2"}
FIELD_KEY = re.compile(r'"(confidence|network|labour_market|skills|project)"\s*:')


def answers(value: str) -> dict[str, str]:
    return dict.fromkeys(SELF_ASSESSMENT_QUESTIONS, value)


def leaks(payload: Any) -> bool:
    """Whether a payload carries an answer: a field named after one of the questions."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return bool(FIELD_KEY.search(text))


@pytest.fixture
def w1(room_for: Callable[..., AppRoom]) -> AppRoom:
    """Workshop 1 running, on its self-assessment step."""
    room = room_for("w1-presentation")
    room.go(STEP)
    return room


def answer(room: AppRoom, name: str, values: dict[str, str]) -> int:
    return room.post(room.phones[name], "self_assessment", values, f"sa-{name}-0001")["seq"]


# -- the board ---------------------------------------------------------------------------


def test_the_board_takes_five_answers_on_a_scale_of_four_all_required():
    board = BOARDS["self_assessment"]
    assert board.private and board.phased and not board.collective and not board.votes_on_cards
    assert board.clean(ANSWERS) == ANSWERS
    assert board.summary(ANSWERS) == ""  # no words of it in any list
    with pytest.raises(FieldRefused) as missing:
        board.clean({k: v for k, v in ANSWERS.items() if k != "skills"})
    assert missing.value.code == "missing_field"
    for wrong in ("0", "5", "2.5", "", "beaucoup"):
        with pytest.raises(FieldRefused):
            board.clean({**ANSWERS, "project": wrong})


def test_workshop_1_asks_before_and_workshop_7_after_in_both_languages(app):
    script = script_of(app)
    for slug, phase in (("w1-presentation", "before"), ("w7-cv-evaluation", "after")):
        for locale in ("fr", "en"):
            step = script.meeting(slug, locale).step(STEP)
            assert (step.board, step.phase, step.feeds) == ("self_assessment", phase, None)


def _with_step(source: str, lines: str) -> str:
    return source.replace(
        "## Tour de présentation {#presentations}",
        f"## Moi {{#me}}\n\n{lines}\n\n### Guide\n\nTexte.\n\n"
        "## Tour de présentation {#presentations}",
    )


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        ("duration: 1\nboard: self_assessment", 'needs a "phase:" line'),
        ("duration: 1\nboard: self_assessment\nphase: pendant", 'not "pendant"'),
        ("duration: 1\nboard: free_text\nphase: before", '"phase:" is only for'),
        ("duration: 1\nboard: self_assessment\nphase: after\nfeeds: profile", "feeds no portfolio"),
    ],
)
def test_the_loader_says_what_is_wrong_with_a_phase(app, lines, said):
    source = script_of(app).sources("w1-presentation")["fr"]
    with pytest.raises(ScriptErrors) as refused:
        load_pinned("w1-presentation", {"fr": _with_step(source, lines)})
    assert said in str(refused.value)


def test_the_phone_form_asks_the_registry_s_questions(w1):
    w1.phone("Amina")
    page = w1.phone_client(w1.people["Amina"]).get(f"/s/{w1.live.id}")
    html = page.get_data(as_text=True)
    form = html[html.index('data-compose-board="self_assessment"') :]
    form = form[: form.index("</form>")]
    assert re.findall(r'data-question="(\w+)"', form) == list(SELF_ASSESSMENT_QUESTIONS)
    for key in SELF_ASSESSMENT_QUESTIONS:
        assert form.count(f'type="radio" name="{key}"') == 4
        assert f'data-testid="listen-{key}"' in form


# -- nobody else sees the answers -------------------------------------------------------


def test_only_the_author_receives_their_answers_the_others_hear_how_many_answered(w1):
    w1.phone("Amina")
    w1.phone("Yusuf")
    for sock, ns in [(w1.console, "/tutor"), (w1.projector, "/projector")]:
        sock.get_received(ns)
    for sock in w1.phones.values():
        sock.get_received("/participant")

    card_id = answer(w1, "Amina", ANSWERS)

    for sock, ns in [
        (w1.console, "/tutor"),
        (w1.projector, "/projector"),
        (w1.phones["Yusuf"], "/participant"),
    ]:
        received = sock.get_received(ns)
        assert not leaks([m["args"] for m in received]), ns
        (patch,) = [m["args"][0] for m in received if m["name"] == "board"]
        assert patch["cards"] == [] and patch["removed"] == []
        (board,) = patch["boards"]
        assert board["private"] is True and board["answered"] == 1
    amina = w1.phones["Amina"].get_received("/participant")
    (mine,) = [m["args"][0] for m in amina if m["name"] == "personal"]
    assert mine["own"][0]["id"] == card_id and mine["own"][0]["fields"] == ANSWERS
    assert not leaks([m["args"] for m in amina if m["name"] == "board"])

    # The person changes an answer while the step is open: still theirs alone.
    w1.says("Amina", "edit", client_id="sa-edit-0001", card_id=card_id, fields=answers("4"))
    assert not leaks(board_messages(w1.projector, "/projector"))
    assert not leaks(board_messages(w1.console, "/tutor"))
    (again,) = board_messages(w1.phones["Amina"], "/participant", "personal")
    assert again["own"][0]["fields"] == answers("4")


def test_a_snapshot_shows_each_audience_only_the_count_and_the_author_their_own(w1):
    amina, _ = w1.phone("Amina")
    w1.phone("Yusuf")
    answer(w1, "Amina", ANSWERS)
    state = w1.in_db(lambda: store.load_state(db.session, w1.live.id))
    for audience in Audience:
        body = snapshot(state, audience, {}, 0)
        assert not leaks(body), audience
        (board,) = [b for b in body["boards"] if b["step"] == STEP]
        assert board["answered"] == 1
    yusuf = snapshot(state, Audience.PARTICIPANTS, {}, 0, w1.people["Yusuf"].id)
    assert not leaks(yusuf)
    own = snapshot(state, Audience.PARTICIPANTS, {}, 0, amina.id)
    assert [c["fields"] for c in own["own"]] == [ANSWERS]


def test_the_tutor_cannot_put_an_answer_on_the_wall(w1):
    w1.phone("Amina")
    card_id = answer(w1, "Amina", ANSWERS)
    refused = w1.console.emit("spotlight", {"card_id": card_id}, namespace="/tutor", callback=True)
    assert refused["ok"] is False


def test_neither_the_summary_nor_the_replay_carries_the_answers(w1):
    w1.phone("Amina")
    answer(w1, "Amina", ANSWERS)
    w1.go("group-rules")
    w1.says("Amina", "post", client_id="rule-0001", board="group_rules", text="On s'écoute")
    w1.tutor_does("end")
    browser = w1.tutor_browser
    for fmt in ("md", "csv"):
        summary = browser.get(f"/sessions/{w1.live.id}/summary.{fmt}")
        assert summary.status_code == 200
        text = summary.get_data(as_text=True)
        assert "On s'écoute" in text  # the summary is there, the answers are not
        assert "Où j'en suis" not in text and "Where I stand" not in text
    slider = browser.get(f"/replays/{w1.live.id}/timeline.json")
    assert slider.status_code == 200
    for seq in range(slider.get_json()["last_seq"] + 1):
        frame = browser.get(f"/replays/{w1.live.id}/frame/{seq}")
        assert frame.status_code == 200
        assert not leaks(frame.get_data(as_text=True)), seq


# -- a group's figures -------------------------------------------------------------------


def _group_answers(room: AppRoom, people: int, value: Callable[[int], str]) -> None:
    for i in range(people):
        name = f"P{i}"
        room.phone(name)
        answer(room, name, {**answers(value(i)), "project": "4"})


def test_four_people_are_too_few_for_any_figure(w1):
    _group_answers(w1, MIN_GROUP - 1, lambda i: "2")
    figures = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id]))
    assert figures is None


def test_five_people_give_the_before_figures_and_after_stays_empty(w1):
    _group_answers(w1, MIN_GROUP, lambda i: "1" if i < 2 else "3")
    labels = {"confidence": "Confiance"}
    figures = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id], labels))
    assert (figures.answered_before, figures.answered_after) == (5, 0)
    confidence = figures.questions[0]
    assert (confidence.key, confidence.label) == ("confidence", "Confiance")
    assert confidence.before_counts == (2, 0, 3, 0)
    assert confidence.before_mean == pytest.approx(2.2)
    assert confidence.after_mean is None and confidence.after_counts == (0, 0, 0, 0)
    project = figures.questions[-1]
    assert project.key == "project" and project.before_counts == (0, 0, 0, 5)


def test_a_changed_answer_counts_once_and_a_rehearsal_never(w1, start_live, make_staff, in_db):
    _group_answers(w1, MIN_GROUP, lambda i: "2")
    last_card = max(in_db(lambda: store.load_state(db.session, w1.live.id)).cards)
    w1.says("P4", "edit", client_id="sa-change-1", card_id=last_card, fields=answers("4"))
    figures = in_db(lambda: group_figures(db.session, [w1.cohort.id]))
    assert figures.answered_before == 5
    assert figures.questions[0].before_counts == (0, 4, 0, 1)
    assert in_db(lambda: own_answers(db.session, w1.people["P4"].id)) == {
        "before": dict.fromkeys(SELF_ASSESSMENT_QUESTIONS, 4)
    }
    assert in_db(lambda: own_answers(db.session, w1.people["P0"].id))["before"]["project"] == 4

    # A rehearsal of the same group (trainees practising) is never counted.
    rehearsal = start_live(w1.cohort, w1.tutor, "w1-presentation", rehearsal=True)
    assert rehearsal.is_rehearsal
    assert in_db(lambda: group_figures(db.session, [w1.cohort.id])).answered_before == 5


def test_no_group_no_figures(app, in_db):
    assert in_db(lambda: group_figures(db.session, [])) is None


def test_the_person_reads_their_own_before_on_their_portfolio_page_and_nobody_else_s(w1):
    amina, _ = w1.phone("Amina")
    yusuf, _ = w1.phone("Yusuf")
    answer(w1, "Amina", ANSWERS)
    page = w1.phone_client(amina).get("/me").get_data(as_text=True)
    assert 'data-testid="my-self-assessment"' in page
    row = page[page.index('data-testid="self-before-skills"') :]
    assert row[: row.index("</td>")].count('class="dot-on"') == 4  # "4": a lot
    after = page[page.index('data-testid="self-after-skills"') :]
    assert "–" in after[: after.index("</td>")]
    other = w1.phone_client(yusuf).get("/me").get_data(as_text=True)
    assert 'data-testid="my-self-assessment"' not in other


def test_a_small_group_never_counts_so_a_year_less_one_group_gives_nobody_away(w1, room_for):
    """Group A has five answers, group B one: the year's figures are group A's alone."""
    _group_answers(w1, MIN_GROUP, lambda i: "2")
    small = room_for("w1-presentation", cohort_name="Small group")
    small.go(STEP)
    small.phone("Lone")
    answer(small, "Lone", answers("4"))
    both = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id, small.cohort.id]))
    alone = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id]))
    assert both == alone and both.answered_before == MIN_GROUP
    assert w1.in_db(lambda: group_figures(db.session, [small.cohort.id])) is None


def test_a_rehearsal_taken_over_from_the_session_never_retells_the_answers(w1, make_staff):
    from app.models import LiveSession
    from app.permissions import Role
    from app.rehearsal.start import take_over

    w1.phone("Amina")
    seq = answer(w1, "Amina", ANSWERS)
    trainee = make_staff(role=Role.TRAINEE)

    def retold() -> list[dict[str, str]]:
        source = db.session.get_one(LiveSession, w1.live.id)
        live = take_over(db.session, db.session.merge(trainee), source, seq)
        db.session.commit()
        return [dict(card.fields) for card in store.load_state(db.session, live.id).cards.values()]

    (fields,) = w1.in_db(retold)
    assert fields == dict.fromkeys(SELF_ASSESSMENT_QUESTIONS, "1") != ANSWERS


def test_nobody_writes_a_persons_answers_for_them_not_even_their_tutor(w1):
    """Their answers are theirs alone: the console's "write for someone without a phone"
    is refused on a private board."""
    amina, _ = w1.phone("Amina")
    refused = w1.console.emit(
        "post",
        {"board": "self_assessment", "fields": ANSWERS, "on_behalf_of": amina.id},
        namespace="/tutor",
        callback=True,
    )
    assert refused["ok"] is False and refused["error"] == "not_allowed"
    assert w1.in_db(lambda: own_answers(db.session, amina.id)) == {}


def test_one_more_answer_changes_no_figure_so_nobody_s_answers_come_out_by_difference(w1):
    """Five answered: the figures show. A sixth, late, person answers: comparing the two
    would give their answers exactly. Figures count whole blocks of five, the earliest
    first: they stay as they were until ten have answered."""
    _group_answers(w1, MIN_GROUP, lambda i: "2")
    five = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id]))
    w1.phone("Late")
    answer(w1, "Late", answers("4"))
    six = w1.in_db(lambda: group_figures(db.session, [w1.cohort.id]))
    assert six == five and six.answered_before == MIN_GROUP
