"""Text as people really type it: codes from any keyboard, names with invisible characters
or accents typed either way, and one rule for how long a text is, never cut inside a
character."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import texts
from app.field_limits import field_limits
from app.participants.operations import MAX_NAME, InvalidInput, clean_name
from app.script_access import script_of
from app.vocabulary import PORTFOLIO_SECTIONS as SECTION_SCHEMAS
from app.vocabulary.boards import BOARDS
from app.workshops import load_script
from tests.drivers import SHIPPED_SCRIPTS as SHIPPED

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one character for a person, seven code points
JOSE_COMBINING = "Jose\u0301"


@pytest.mark.parametrize(
    "typed",
    [
        "３ＸＫ３ＪＪ",  # full-width
        "٣XK٣JJ",  # Arabic-Indic digits
        "3XK\u00a03JJ",  # a non-breaking space inside
        "3XK3JJ\u200b",  # a zero-width space after
        "\u200e3xk-3jj ",  # a direction mark, lower case, a dash, a space
        "۳XK۳JJ",  # Persian digits
    ],
)
def test_a_code_typed_on_any_keyboard_is_the_code(typed):
    assert texts.code_as_typed(typed) == "3XK3JJ"


def test_a_name_of_invisible_characters_or_without_letters_is_refused_in_words():
    with pytest.raises(InvalidInput) as blank:
        clean_name("\u200b\u200b\u200b")
    assert blank.value.code == "name_required"
    with pytest.raises(InvalidInput) as signs:
        clean_name("!!! ...")
    assert signs.value.code == "name_without_letters"


def test_a_name_is_kept_as_the_group_will_read_it():
    assert clean_name(JOSE_COMBINING) == clean_name("José") == "José"
    assert clean_name("  Amina\u200b  B.\u00ad ") == "Amina B."
    assert clean_name("مهسا\u200cجان") == "مهسا\u200cجان"  # Persian keeps its non-joiner
    assert clean_name(f"Nour {FAMILY}") == f"Nour {FAMILY}"  # the emoji stays whole
    assert clean_name(" \u200dAmina \u200c") == "Amina"  # a joiner at a word's edge joins nothing


def test_names_that_look_alike_are_told_apart_in_staff_lists():
    names = {1: "Amina", 2: "amina", 3: "Amina\u200b", 4: JOSE_COMBINING, 5: "José", 6: "Yusuf"}
    names[7] = "\u200dAmi\u200dna"  # stored before names were cleaned
    shown = texts.told_apart(names, lambda name, pid: f"{name} (no. {pid})")
    assert shown[1] == "Amina (no. 1)" and shown[2] == "amina (no. 2)"
    assert shown[3] == "Amina\u200b (no. 3)"
    assert shown[4] == f"{JOSE_COMBINING} (no. 4)" and shown[5] == "José (no. 5)"
    assert shown[6] == "Yusuf" and shown[7].endswith("(no. 7)")


def test_a_family_emoji_is_one_character_and_is_never_cut_in_half():
    assert texts.length(FAMILY) == 1
    assert not texts.too_long("x" * (MAX_NAME - 1) + FAMILY, MAX_NAME)
    assert texts.cut("ab" + FAMILY + "c", 3) == "ab" + FAMILY


# Every limit the project puts on what people type.
LIMITS = sorted(set(field_limits().values()))

TYPED = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\u200d", "\u0301", "\u064b", "👩", "🏽", "\U0001f1eb", "\U0001f1f7"]),
    ),
    max_size=900,
)


@settings(max_examples=300, deadline=None)
@given(text=TYPED, limit=st.sampled_from(LIMITS or [60]))
def test_any_text_cut_by_any_limit_stays_whole_characters_and_valid_utf8(text, limit):
    kept = texts.cut(text, limit)
    kept.encode("utf-8")
    assert texts.graphemes(kept) == texts.graphemes(text)[:limit]
    assert texts.length(kept) <= limit
    assert texts.too_long(text, limit) == (texts.length(text) > limit)


def test_what_is_cleaned_is_normalised():
    assert unicodedata.is_normalized("NFC", texts.clean_line(JOSE_COMBINING))


def test_every_field_on_the_phone_counts_to_the_limit_the_server_keeps(
    app, make_cohort, make_staff, make_participant, start_live, phone_client
):
    # A phone's room holds the forms of its meeting's boards: every meeting's room, then.
    pages = []
    script = script_of(app)
    for slug in (s for s in script.slugs() if not script.reference(s).is_interview):
        cohort = make_cohort(f"Cohort of {slug}")
        live = start_live(cohort, make_staff(cohort), slug)
        phone = phone_client(make_participant(cohort))
        pages.append(phone.get(f"/s/{live.id}").get_data(as_text=True))
    page = "".join(pages)

    limits = field_limits()
    checked = 0
    for board in BOARDS.values():
        form = re.search(rf'data-compose-board="{board.name}".*?</form>', page, re.S)
        for field in board.fields:
            kept = limits.get(f"{board.name}.{field.name}")
            if form is None or kept is None:
                continue
            name = "actions-0-what" if field.name == "actions" else field.name
            shown = re.search(rf'name="{re.escape(name)}"[^>]*?data-max-chars="(\d+)"', form[0])
            assert shown and int(shown[1]) == kept, (board.name, field.name)
            checked += 1
    assert checked >= 12  # every text field of every board the phone can write on


def test_an_action_plan_with_every_field_full_of_joined_emoji_is_stored_whole(
    make_cohort, make_staff, make_participant, start_live, phone_client, staff_client, socket_for
):
    """Each counter showed the plan within its limit: no hidden limit may refuse it."""
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor, "w6-action-plan")
    console = socket_for(staff_client(tutor), "/tutor", live)
    plan = load_script(SHIPPED).reference("w6-action-plan").step_ids().index("action-plan")
    assert console.emit("step", {"index": plan}, namespace="/tutor", callback=True)["ok"]
    phone = socket_for(phone_client(make_participant(cohort)), "/participant", live)
    cook = "\U0001f469\u200d\U0001f373"  # woman cook: one character, three code points
    limits = field_limits()
    plan = {
        "goal": cook * limits["action_plan.goal"],
        "actions": [{"what": cook * limits["action_plan.actions"], "deadline": "2027-01"}] * 3,
        "resources": cook * limits["action_plan.resources"],
    }

    ack = phone.emit(
        "post",
        {"client_id": "full-plan-0001", "board": "action_plan", "fields": plan},
        namespace="/participant",
        callback=True,
    )

    assert ack["ok"], ack
    (card,) = console.emit("sync", namespace="/tutor", callback=True)["board"]["cards"]
    assert card["fields"]["goal"] == plan["goal"]
    assert [a["what"] for a in card["fields"]["actions"]] == [plan["actions"][0]["what"]] * 3


def test_every_page_with_a_limited_field_names_a_limit_the_server_keeps(
    make_cohort, make_staff, make_participant, start_live, phone_client, staff_client
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    amina = make_participant(cohort)
    phone, laptop = phone_client(amina), staff_client(tutor)
    pages = {
        phone: [
            f"/s/{live.id}",
            "/me/cv",
            *(f"/me/sections/{section}/new" for section in SECTION_SCHEMAS),
        ],
        laptop: [
            f"/sessions/{live.id}/console",
            f"/cohorts/{cohort.id}",
            f"/cohorts/{cohort.id}/interviews/new",
            f"/participants/{amina.id}/portfolio?cohort={cohort.id}",
        ],
    }
    kept = set(field_limits().values())
    fields = 0
    for browser, paths in pages.items():
        for path in paths:
            page = browser.get(path)
            assert page.status_code == 200, path
            for limit in re.findall(r'data-max-chars="([^"]*)"', page.get_data(as_text=True)):
                assert limit.isdigit() and int(limit) in kept, (path, limit)
                fields += 1
    assert fields >= 40
