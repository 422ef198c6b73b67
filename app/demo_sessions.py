"""Two past workshops for the demo: workshop 1 and workshop 4 of a spring group, as a
tutor ran them, reviewed, annotated and shared them with trainees, so that a trainee
trying the tool finds something to learn from (`flask demo seed`).

They are written through the same operations as a live room, on a scripted clock: the
minutes between moves are the replay's rhythm (a silence, a timer, a reveal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.live import operations, store
from app.live.events import EventType as E
from app.models import Cohort, LiveSession, Participant, User
from app.participants import consent
from app.participants.operations import create_participant
from app.replay import annotations, sharing
from app.workshops import Script

# (name, agreed to be named in replays, agreed their cards be reused in rehearsals)
PEOPLE = [
    ("Amina", False, True),
    ("Yusuf", False, True),
    ("Lena", True, True),
    ("Karim", False, False),
    ("Sofia", False, True),
]


WHY_SILENCE = (
    "Je n'insiste pas : écrire devant le groupe peut bloquer. Karim a parlé ensuite, "
    "c'est ce qui compte."
)
WHY_HOLD_RULES = (
    "Les règles restent cachées jusqu'à ce que tout le monde ait écrit : personne ne "
    "recopie la première."
)
BETTER_OBJECTIVES = (
    "J'aurais dû relire les objectifs avant les règles : deux personnes étaient arrivées en retard."
)
WHY_HIDE = (
    "Un numéro de téléphone n'a pas sa place sur le mur : je cache la carte et j'en parle "
    "à Karim à la pause, pas devant le groupe."
)


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.at = int(start.timestamp() * 1000)

    def __call__(self) -> int:
        self.at += 10
        return self.at

    def wait(self, seconds: float) -> None:
        self.at += int(seconds * 1000)


@dataclass
class _Evening:
    db: Session
    live: LiveSession
    tutor: User
    people: list[Participant]
    clock: _Clock

    def do(self, kind: E, **payload: Any) -> int:
        return operations.record(
            self.db, self.live, kind, operations.staff(self.tutor), payload
        ).event.seq

    def go(self, step_id: str, after_s: float = 20) -> int:
        """Move to a step by its id: a script may gain a step (a break) before it."""
        self.clock.wait(after_s)
        ids = [step.id for step in store.load_state(self.db, self.live.id).steps]
        move = {"index": ids.index(step_id)}
        return operations.move_step(self.db, self.live, move, self.tutor).event.seq

    def post(self, who: int, board: str, after_s: float = 25, **fields: Any) -> int:
        self.clock.wait(after_s)
        actor = operations.participant_actor(self.people[who])
        return operations.post_card(self.db, self.live, actor, board, fields, None).event.seq

    def show(self, who: int, card: int) -> None:
        """The author shows their card to the group (on a step whose cards start hidden)."""
        self.clock.wait(10)
        actor = operations.participant_actor(self.people[who])
        payload = {"card_id": card, "shown": True, "details": False}
        operations.record(self.db, self.live, E.CARD_SHOWN, actor, payload)

    def vote(self, who: int, step: str, target: str) -> None:
        self.clock.wait(12)
        actor = operations.participant_actor(self.people[who])
        operations.record(self.db, self.live, E.VOTE_CAST, actor, {"step": step, "target": target})

    def arrive(self) -> None:
        for person in self.people:
            self.clock.wait(40)
            operations.arrive(self.db, self.live, person)

    def note(self, text: str) -> int:
        return self.do(E.NOTE_TAKEN, text=text)

    def annotate(self, seq: int, kind: str, body: str, by: User | None = None) -> None:
        new = annotations.NewAnnotation(seq=seq, kind=kind, body=body)
        annotations.add(self.db, self.live, by or self.tutor, new, may_annotate=by is None)


def _workshop_1(evening: _Evening) -> None:
    e = evening
    e.arrive()
    e.go("presentations", after_s=600)  # the welcome took ten minutes
    e.do(E.TIMER_STARTED, seconds=900)
    e.post(0, "free_text", text="Je m'appelle Amina, j'ai vendu des tissus au marché de Dakar.")
    e.post(1, "free_text", text="Yusuf. Cuisinier, j'aime cuisiner pour beaucoup de monde.")
    e.post(2, "free_text", text="Lena, j'étais infirmière en Ukraine.")
    silence = e.note("Karim n'écrit pas : je lui propose de parler plutôt qu'écrire.")
    e.clock.wait(240)  # four minutes of talk, nobody writes
    e.post(4, "free_text", text="Sofia, je garde des enfants, Amina m'a parlé du groupe.")
    rules_step = e.go("group-rules", after_s=300)
    e.do(E.BOARD_UNTIL_REVEAL, step="group-rules", on=True)
    rules = [
        e.post(0, "group_rules", text="On s'écoute sans couper la parole"),
        e.post(2, "group_rules", text="Ce qui est dit ici reste ici"),
        e.post(4, "group_rules", text="On a le droit de ne pas répondre"),
        e.post(1, "group_rules", text="Téléphone en silencieux"),
    ]
    e.clock.wait(60)
    reveal = e.do(E.BOARD_UNTIL_REVEAL, step="group-rules", on=False)
    for rule in rules[:3]:
        e.clock.wait(45)
        e.do(E.RULE_ADOPTED, card_id=rule, adopted=True)
    e.go("self-assessment", after_s=600)
    e.clock.wait(300)
    e.do(E.SESSION_ENDED)
    e.annotate(silence, "why", WHY_SILENCE)
    e.annotate(reveal, "why", WHY_HOLD_RULES)
    e.annotate(rules_step, "differently", BETTER_OBJECTIVES)


def _workshop_4(evening: _Evening) -> None:
    e = evening
    e.arrive()
    e.go("my-experiences", after_s=480)
    e.do(E.TIMER_STARTED, seconds=600)
    shown = [
        e.post(0, "experiences", what="Vente de tissus au marché", setting="abroad", kind="paid"),
        e.post(
            1,
            "experiences",
            what="Cuisine pour l'association du quartier",
            setting="france",
            kind="voluntary",
        ),
        e.post(
            2,
            "experiences",
            what="Infirmière à l'hôpital de Kharkiv",
            setting="abroad",
            kind="paid",
        ),
    ]
    odd = e.post(
        3, "experiences", what="Appelez-moi au 06 12 34 56 78", setting="france", kind="paid"
    )
    e.post(4, "experiences", what="Garde d'enfants, aidée par Amina", setting="france", kind="paid")
    e.note("Yusuf attend que les autres aient écrit pour commencer.")
    # The experiences start hidden: each author shows theirs (Sofia keeps hers).
    for who, card in ((0, shown[0]), (1, shown[1]), (2, shown[2]), (3, odd)):
        e.show(who, card)
    e.clock.wait(90)
    reveal = e.do(E.BOARD_UNTIL_REVEAL, step="my-experiences", on=False)
    e.clock.wait(200)  # the room talks about what it sees
    hide = e.do(E.CARD_HIDDEN, card_id=odd, reason="un numéro de téléphone")
    e.go("competences", after_s=120)
    e.do(E.TIMER_STARTED, seconds=1500)
    selling = e.post(
        0,
        "competences",
        name="Négocier un prix",
        category="professional",
        evidence="Au marché, chaque jour",
    )
    cooking = e.post(1, "competences", name="Organiser une cuisine", category="professional")
    calm = e.post(2, "competences", name="Rester calme dans l'urgence", category="professional")
    languages = e.post(4, "competences", name="Parler trois langues", category="migration")
    adapting = e.post(0, "competences", name="M'adapter à un nouveau pays", category="migration")
    e.clock.wait(60)
    e.do(E.BOARD_UNTIL_REVEAL, step="competences", on=False)  # written unseen, then shown
    family = e.do(E.CLUSTER_CREATED, step="competences", title="Relation avec les clients")
    for card in (selling, calm, languages):
        e.clock.wait(15)
        e.do(E.CARD_GROUPED, card_id=card, cluster_id=family)
    organising = e.do(E.CLUSTER_CREATED, step="competences", title="Organiser, s'adapter")
    for card in (cooking, adapting):
        e.clock.wait(15)
        e.do(E.CARD_GROUPED, card_id=card, cluster_id=organising)
    vote = e.do(E.VOTING_SET, step="competences", budget=3)
    for who, families in enumerate([(family, family, organising), (organising,), (family,)]):
        for voted in families:
            e.vote(who, "competences", f"cluster:{voted}")
    e.clock.wait(120)
    e.do(E.VOTING_SET, step="competences", budget=0)
    e.go("strengths", after_s=300)
    calm_card = e.post(2, "free_text", text="Je garde mon calme")
    e.post(0, "free_text", text="Je sais convaincre")
    # The strengths start hidden: Lena shows hers, Amina keeps hers; then the cards.
    e.show(2, calm_card)
    e.do(E.BOARD_UNTIL_REVEAL, step="strengths", on=False)
    e.go("closing", after_s=600)
    e.clock.wait(240)
    e.do(E.SESSION_ENDED)
    e.annotate(
        reveal,
        "why",
        "Je révèle toutes les cartes d'un coup : personne ne se sent seul sur le mur.",
    )
    e.annotate(hide, "why", WHY_HIDE)
    e.annotate(
        vote,
        "differently",
        "Trois points chacun, c'était trop pour cinq cartes : deux auraient suffi.",
    )
    e.annotate(family, "why", "Je nomme la famille avec les mots du groupe, pas les miens.")


FOCUS = {
    "w1-presentation": "Observez ce que fait l'animatrice quand quelqu'un n'écrit pas.",
    "w4-professional-competences": "Observez comment l'animatrice gère la carte qu'il faut cacher.",
}
SCENES: dict[str, tuple[Callable[[_Evening], None], int]] = {
    "w1-presentation": (_workshop_1, 21),  # days ago
    "w4-professional-competences": (_workshop_4, 7),
}


def seed_past_workshops(db: Session, script: Script, tutor: User) -> Cohort:
    """A spring group whose workshops 1 and 4 are over, annotated and shared."""
    cohort = Cohort(
        name="Groupe de démonstration — printemps", starts_on=date.today() - timedelta(days=28)
    )
    cohort.tutors.append(tutor)
    db.add(cohort)
    db.flush()
    people = []
    for name, named, reused in PEOPLE:
        person = create_participant(db, name, "fr")
        answers = consent.ConsentAnswers(
            data_processing=True, named_in_replays=named, rehearsal_reuse=reused
        )
        consent.record(db, person, answers)
        operations.enrol(db, cohort, person)
        people.append(person)
    for slug, (scene, days_ago) in SCENES.items():
        day = datetime.now(UTC).replace(hour=16, minute=30, second=0, microsecond=0)
        clock = _Clock(day - timedelta(days=days_ago))
        with store.scripted_clock(clock):
            live = operations.start_session(db, cohort, script, slug, tutor)
            scene(_Evening(db, live, tutor, people, clock))
        live.started_at = datetime.fromtimestamp(
            store.events_after(db, live.id)[0].ts_ms / 1000, UTC
        )
        live.ended_at = datetime.fromtimestamp(clock.at / 1000, UTC)
        sharing.share(live, tutor, FOCUS[slug])
        db.flush()
    return cohort
