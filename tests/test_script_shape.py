"""The shape of an evening, as the shipped scripts give it to a tutor and to the phones.

A long meeting has its break, workshops 2 to 7 open with a check-in, workshop 7 ends
the cycle with interviews, the after questions and feedback that carries no name, each
participant knows before writing who will see a card, and the words are those a tutor
says to a group: « vous », « cacher les cartes », never the cycle's length."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.vocabulary.boards import BOARDS
from app.workshops import Meeting, Script, Step, load_script

SHIPPED = Path(__file__).resolve().parent.parent / "workshops"
LOCALES = ("fr", "en")
W2, W3, W4 = "w2-migration", "w3-professional-experience", "w4-professional-competences"
W5, W6, W7 = "w5-social-experience", "w6-action-plan", "w7-cv-evaluation"
FORUM, RECRUITERS = "forum-visit", "w-recruiters"

# What a prompt says about who sees a card, in each language (lower case).
WHO_SEES = {
    "fr": {
        "room": "le groupe verra",
        "hidden": "le groupe ne voit pas",
        "later": "plus tard, le groupe verra",
        "private": "personne d'autre ne voit",
        "authorless": "pas de nom",
    },
    "en": {
        "room": "the group will see",
        "hidden": "the group does not see",
        "later": "later, the group will see",
        "private": "nobody else sees",
        "authorless": "no name",
    },
}
NOT_IN_PORTFOLIO = {"fr": "pas dans votre portfolio", "en": "not go into your portfolio"}

# Words the review found in the guides, and those a tutor says instead (issue 18).
NEVER_SAID = {
    "fr": (
        "masquer jusqu'à la révélation",  # « cacher les cartes » / « montrer les cartes »
        "qui le prouve",  # « ce qui le montre »
        "seul à seul",  # « en tête-à-tête »
        "nouveaux arrivés",  # « nouveaux arrivants »
        "j'attends de vous rencontrer",  # « j'ai hâte de vous rencontrer »
        "méta-compétence",  # « compétences de la migration »
    ),
    "en": ("hide until reveal", "meta-competence"),
}
# A participant is always « vous »: "tu", "te", "toi", "ton", "ta", "tes", "t'…".
TU = re.compile(r"\b(?:tu|te|toi|ton|ta|tes)\b|\bt'(?=\w)", re.IGNORECASE)
QUOTED = re.compile(r"«([^»]*)»")
CYCLE_LENGTH = re.compile(r"\b(?:8|huit|eight)[\s\u00a0\u202f-]*(?:semaines?|weeks?)\b", re.I)


@pytest.fixture(scope="module")
def shipped() -> Script:
    return load_script(SHIPPED)


def meetings(script: Script) -> list[Meeting]:
    """Every meeting of the cycle, in each language it ships in."""
    return [script.meeting(slug, locale) for slug in script.slugs() for locale in LOCALES]


def plain(text: str) -> str:
    """Lower case, one kind of apostrophe, one kind of space: what the eye reads."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.lower().split())


def said(step: Step) -> str:
    return plain(f"{step.guide_md}\n{step.prompt_md}")


# --- the shape of an evening -----------------------------------------------------------


def test_every_meeting_of_two_hours_or_more_stops_once_for_a_ten_minute_break(
    shipped: Script,
) -> None:
    long_ones = [m for m in meetings(shipped) if m.duration_minutes >= 120]
    assert {m.slug for m in long_ones} >= {W2, W4, W7, FORUM}
    for meeting in long_ones:
        breaks = [step for step in meeting.steps if step.is_break]
        assert [(s.id, s.duration_minutes, s.board, s.feeds) for s in breaks] == [
            ("break", 10, "none", None)
        ], meeting.path
        # A pause in the evening, not an early end nor a late start.
        assert meeting.steps[0] is not breaks[0] and meeting.steps[-1] is not breaks[0]
        assert sum(s.duration_minutes for s in meeting.steps) == meeting.duration_minutes


@pytest.mark.parametrize("slug", [W2, W3, W4, W5, W6, W7])
def test_workshops_2_to_7_open_with_one_word_for_how_each_person_arrives(
    shipped: Script, slug: str
) -> None:
    for locale in LOCALES:
        ids = shipped.meeting(slug, locale).step_ids()
        assert ids[0] == "check-in" or ids[:2] == ("welcome", "check-in"), (slug, ids)
        check_in = shipped.meeting(slug, locale).step("check-in")
        assert (check_in.duration_minutes, check_in.board, check_in.feeds) == (2, "none", None)
        assert check_in.prompt_md.strip()


def test_no_page_of_the_scripts_writes_the_length_of_the_cycle() -> None:
    # The association runs 9-week cycles now: the length is the group's setting.
    pages = sorted(SHIPPED.rglob("*.md"))
    assert len(pages) > 18
    for page in pages:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            assert not CYCLE_LENGTH.search(line), f"{page.name}, line {number}: {line}"


# --- who sees a card --------------------------------------------------------------------


def test_personal_stories_start_hidden_until_each_author_shows_them(shipped: Script) -> None:
    for locale in LOCALES:
        assert shipped.meeting(W2, locale).step("timeline").visibility == "hidden"
        for step_id in ("abroad", "in-france"):
            assert shipped.meeting(W3, locale).step(step_id).visibility == "hidden"


def test_before_writing_a_card_the_participant_reads_who_will_see_it(shipped: Script) -> None:
    for meeting in meetings(shipped):
        for step in meeting.steps:
            board = BOARDS[step.board]
            if not board.accepts_cards:
                continue
            seen_by = (
                "private"
                if board.private
                else "authorless"
                if board.authorless
                else step.visibility
            )
            prompt = plain(step.prompt_md)
            where = f"{meeting.path} {step.id}"
            assert WHO_SEES[meeting.locale][seen_by] in prompt, where
            if step.feeds:
                assert "portfolio" in prompt, where
            elif not board.private:
                assert NOT_IN_PORTFOLIO[meeting.locale] in prompt, where


# --- workshop 4 to workshop 6 ------------------------------------------------------------


def test_workshop_4s_vote_on_families_makes_the_forum_groups(shipped: Script) -> None:
    for locale, forum_groups in (("fr", "groupes"), ("en", "groups")):
        competences = said(shipped.meeting(W4, locale).step("competences"))
        assert "forum" in competences and forum_groups in competences
        forum = shipped.meeting(FORUM, locale)
        guides = " ".join(plain(step.guide_md) for step in forum.steps)
        workshop_4 = "atelier 4" if locale == "fr" else "workshop 4"
        families = "famille" if locale == "fr" else "famil"
        assert workshop_4 in guides and families in guides
        objectives = "objectifs" if locale == "fr" else "objectives"
        assert objectives in plain(forum.steps[0].guide_md)  # read at the meeting point


def test_the_three_strengths_go_into_the_about_me_of_the_cv(shipped: Script) -> None:
    for locale, about in (("fr", "à propos de moi"), ("en", "about me")):
        strengths = shipped.meeting(W4, locale).step("strengths")
        assert strengths.feeds == "cv"
        assert about in plain(strengths.prompt_md) and "cv" in plain(strengths.prompt_md)


@pytest.mark.parametrize(("slug", "step_id"), [(W4, "competences"), (W5, "social-experiences")])
def test_each_person_has_a_moment_with_their_own_tutor_while_writing(
    shipped: Script, slug: str, step_id: str
) -> None:
    for locale, alone in (("fr", "tête-à-tête"), ("en", "one-to-one")):
        assert alone in said(shipped.meeting(slug, locale).step(step_id))


def test_workshop_6_gives_each_person_their_tutors_word_on_the_portfolio(
    shipped: Script,
) -> None:
    for locale, page in (("fr", "portfolio partagé"), ("en", "shared portfolio")):
        word = shipped.meeting(W6, locale).step("tutor-word")
        assert (word.board, word.feeds) == ("none", None)
        assert word.duration_minutes >= 15 and page in plain(word.guide_md)


def test_workshop_6_practises_a_one_minute_self_presentation(shipped: Script) -> None:
    for locale in LOCALES:
        pitch = shipped.meeting(W6, locale).step("one-minute")
        assert (pitch.board, pitch.feeds) == ("none", None)
        assert pitch.duration_minutes >= 10


def test_the_action_plan_names_the_statement_of_comparability_and_the_vae(
    shipped: Script,
) -> None:
    for locale in LOCALES:
        guide = plain(shipped.meeting(W6, locale).step("action-plan").guide_md)
        for name in ("enic-naric", "attestation de comparabilité", "france éducation", "vae"):
            assert name in guide, (locale, name)


# --- workshop 7: the evaluation ----------------------------------------------------------


def test_workshop_7_evaluates_the_programme_without_a_name_on_any_answer(
    shipped: Script,
) -> None:
    for locale in LOCALES:
        meeting = shipped.meeting(W7, locale)
        by_board: dict[str, list[Step]] = {}
        for step in meeting.steps:
            by_board.setdefault(step.board, []).append(step)
        [feedback] = by_board["programme_feedback"]
        assert feedback.feeds is None
        [after] = by_board["self_assessment"]
        assert (after.phase, after.feeds) == ("after", None)
        [lines] = by_board["cv_lines"]
        assert lines.feeds == "cv"
        assert "evaluation" not in {step.feeds for step in meeting.steps}
        assert "individual-evaluation" not in meeting.step_ids()


def test_workshop_7_asks_about_confidence_on_the_feedback_with_no_name_not_in_a_poll(
    shipped: Script,
) -> None:
    # A poll's votes are kept per voter: the confidence question is asked on the
    # feedback, whose cards have no author, and the discussion moves there with it.
    for locale, question, talk in (
        ("fr", "plus ou moins confiance", "qu'est-ce qui vous a donné plus confiance ?"),
        ("en", "more or less confidence", "what gave you more confidence?"),
    ):
        meeting = shipped.meeting(W7, locale)
        assert "poll" not in {step.board for step in meeting.steps}
        assert "group-evaluation" not in meeting.step_ids()
        feedback = meeting.step("programme-feedback")
        assert question in plain(feedback.prompt_md)
        assert WHO_SEES[locale]["authorless"] in plain(feedback.prompt_md)
        assert talk in plain(feedback.guide_md)


@pytest.mark.parametrize("slug", [W6, W7])
def test_no_poll_guide_promises_an_anonymous_mode_the_console_has_not(
    shipped: Script, slug: str
) -> None:
    for locale, words in (("fr", "mode anonyme"), ("en", "anonymous mode")):
        for step in shipped.meeting(slug, locale).steps:
            assert words not in said(step), (slug, locale, step.id)


def test_workshop_7_rereads_the_expectations_in_a_short_closing_interview(
    shipped: Script,
) -> None:
    for locale, record in (("fr", "entretien de fin"), ("en", "closing interview")):
        review = shipped.meeting(W7, locale).step("cv-workshop")
        guide = plain(review.guide_md)
        assert record in guide and "5 minutes" in guide


def test_workshop_7_ends_with_a_round_where_the_tutors_speak_first(shipped: Script) -> None:
    meeting = shipped.meeting(W7, "fr")
    ids = meeting.step_ids()
    assert ids.index("takeaways") == len(ids) - 2  # just before the goodbye
    round_ = meeting.step("takeaways")
    assert round_.board == "none" and "en premier" in plain(round_.prompt_md)


# --- meetings outside the count ----------------------------------------------------------


def test_the_meeting_with_recruiters_is_offered_not_required(shipped: Script) -> None:
    for locale in LOCALES:
        assert shipped.meeting(RECRUITERS, locale).optional
    assert not any(shipped.reference(slug).optional for slug in (W2, W7, FORUM))


# --- words ---------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_guides_use_the_words_a_tutor_says(locale: str) -> None:
    for page in sorted(SHIPPED.rglob(f"*.{locale}.md")):
        text = plain(page.read_text(encoding="utf-8"))
        for words in NEVER_SAID[locale]:
            assert words not in text, f"{page.name} says « {words} »"


def test_participants_are_always_vous(shipped: Script) -> None:
    for slug in shipped.slugs():
        meeting = shipped.meeting(slug, "fr")
        for step in meeting.steps:
            spoken = [step.prompt_md, *QUOTED.findall(step.guide_md)]
            for text in spoken:
                found = TU.search(text.replace("\u2019", "'"))
                assert found is None, f"{meeting.path} {step.id}: « {found and found[0]} »"
