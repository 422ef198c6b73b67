"""device links (phones that can be signed out), staff session generations, and
re-join codes that name the cohort that gave them

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime
from secrets import token_urlsafe

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("secret", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_why", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_device_links_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_links")),
    )
    with op.batch_alter_table("device_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_links_participant_id"), ["participant_id"], unique=False
        )
    # Every phone known so far keeps working: its cookie names no link, and stands for
    # one link per person made here (ended like any other: "This is not me", a re-join
    # code, a tutor's sign-out).
    people = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM participants"))]
    links = sa.table(
        "device_links",
        sa.column("participant_id", sa.Integer()),
        sa.column("via", sa.String()),
        sa.column("secret", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        links,
        [
            {
                "participant_id": pid,
                "via": "before_links",
                "secret": token_urlsafe(16),
                "created_at": now,
            }
            for pid in people
        ],
    )
    with op.batch_alter_table("rejoin_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_rejoin_codes_cohort_id_cohorts"),
            "cohorts",
            ["cohort_id"],
            ["id"],
            ondelete="CASCADE",
        )
    # A code given before the wall was checked may have been given across it: none
    # stays usable (a tutor gives a new one in a click).
    op.execute(sa.text("UPDATE rejoin_codes SET used_at = CURRENT_TIMESTAMP WHERE used_at IS NULL"))
    # Existing accounts stay active; their cookies (without a generation) are ended.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("rejoin_codes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_rejoin_codes_cohort_id_cohorts"), type_="foreignkey"
        )
        batch_op.drop_column("cohort_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
        batch_op.drop_column("active")
    with op.batch_alter_table("device_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_links_participant_id"))
    op.drop_table("device_links")
