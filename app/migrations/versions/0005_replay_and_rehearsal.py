"""replay and rehearsal: sessions shared for training (with a focus question),
annotations, trainees' answers, keyframes and view fingerprints, practice groups and
simulated participants' scheduled moves

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _session_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"],
        ["live_sessions.id"],
        name=op.f(f"fk_{table}_session_id_live_sessions"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("shared_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("focus_prompt", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("taken_over_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("taken_over_at_seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("contents_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_live_sessions_shared_by_id_users"),
            "users",
            ["shared_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_live_sessions_taken_over_from_id_live_sessions"),
            "live_sessions",
            ["taken_over_from_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("practice", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _session_fk("annotations"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_annotations_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["annotations.id"],
            name=op.f("fk_annotations_parent_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
    )
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annotations_session_id"), ["session_id"])
        batch_op.create_index(batch_op.f("ix_annotations_parent_id"), ["parent_id"])

    op.create_table(
        "focus_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _session_fk("focus_answers"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_focus_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focus_answers")),
        sa.UniqueConstraint(
            "session_id", "user_id", name=op.f("uq_focus_answers_session_id_user_id")
        ),
    )
    with op.batch_alter_table("focus_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_focus_answers_session_id"), ["session_id"])

    op.create_table(
        "replay_keyframes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("fold_version", sa.String(length=20), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        _session_fk("replay_keyframes"),
        sa.PrimaryKeyConstraint("session_id", "seq", name=op.f("pk_replay_keyframes")),
    )
    op.create_table(
        "view_hashes",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        _session_fk("view_hashes"),
        sa.PrimaryKeyConstraint("session_id", "seq", name=op.f("pk_view_hashes")),
    )
    op.create_table(
        "simulated_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("step_id", sa.String(length=80), nullable=True),
        sa.Column("due_ms", sa.BigInteger(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        _session_fk("simulated_actions"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_simulated_actions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulated_actions")),
    )
    with op.batch_alter_table("simulated_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_simulated_actions_session_id"), ["session_id"])
        batch_op.create_index(batch_op.f("ix_simulated_actions_due_ms"), ["due_ms"])
        batch_op.create_index(batch_op.f("ix_simulated_actions_done_at"), ["done_at"])


def downgrade() -> None:
    op.drop_table("simulated_actions")
    op.drop_table("view_hashes")
    op.drop_table("replay_keyframes")
    op.drop_table("focus_answers")
    op.drop_table("annotations")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("practice")
    with op.batch_alter_table("live_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_live_sessions_taken_over_from_id_live_sessions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_live_sessions_shared_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("contents_version")
        batch_op.drop_column("taken_over_at_seq")
        batch_op.drop_column("taken_over_from_id")
        batch_op.drop_column("focus_prompt")
        batch_op.drop_column("shared_by_id")
        batch_op.drop_column("shared_at")
