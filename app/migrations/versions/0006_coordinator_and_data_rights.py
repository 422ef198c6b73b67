"""coordinator and data rights: a group's end, venue, length and archive; the audit
trail; staff invitations; attendance corrections; the organisation's settings; the
anonymous stand-in of a deleted person

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("venue", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("weeks", sa.Integer(), nullable=False, server_default="9"))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "organisation_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("completion_meetings", sa.Integer(), nullable=False),
        sa.Column("retention_months", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _fk("organisation_settings", "updated_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_settings")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        _fk("audit_entries", "actor_user_id", "users", "SET NULL"),
        _fk("audit_entries", "participant_id", "participants", "SET NULL"),
        _fk("audit_entries", "cohort_id", "cohorts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"])
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_user_id"), ["actor_user_id"])
        batch_op.create_index(batch_op.f("ix_audit_entries_participant_id"), ["participant_id"])
    op.create_table(
        "staff_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _fk("staff_invites", "user_id", "users", "CASCADE"),
        _fk("staff_invites", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invites_token_hash")),
    )
    with op.batch_alter_table("staff_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_invites_user_id"), ["user_id"])
    op.create_table(
        "attendance_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("meeting_slug", sa.String(length=80), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("corrected_by_id", sa.Integer(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        _fk("attendance_corrections", "cohort_id", "cohorts", "CASCADE"),
        _fk("attendance_corrections", "participant_id", "participants", "CASCADE"),
        _fk("attendance_corrections", "corrected_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_corrections")),
    )
    with op.batch_alter_table("attendance_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_corrections_cohort_id"), ["cohort_id"])
        batch_op.create_index(
            batch_op.f("ix_attendance_corrections_participant_id"), ["participant_id"]
        )


def downgrade() -> None:
    op.drop_table("attendance_corrections")
    op.drop_table("staff_invites")
    op.drop_table("audit_entries")
    op.drop_table("organisation_settings")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
        batch_op.drop_column("weeks")
        batch_op.drop_column("venue")
        batch_op.drop_column("ends_on")
