"""Hardening: roles, session epochs and lockout for staff; key history; audit log; attachments; receive order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="admin"))
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("latest_received_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("token_revoked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("bundles") as batch:
        batch.add_column(sa.Column("clock_skew_s", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("key_id", sa.String(100), nullable=True))
    op.create_index("ix_bundles_school_received", "bundles", ["school_id", "received_at"])
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_staff_sessions_username", "staff_sessions", ["username"])
    op.create_table(
        "school_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), sa.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("public_key", sa.String(200), nullable=False),
        sa.Column("key_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_school_keys_school_id", "school_keys", ["school_id"])
    # the keys enrolled before this revision become the first entry of each school's history
    op.execute(
        "INSERT INTO school_keys (school_id, public_key, key_id, created_at) "
        "SELECT id, public_key, key_id, COALESCE(enrolled_at, created_at) FROM schools WHERE public_key IS NOT NULL"
    )
    op.execute("UPDATE schools SET latest_received_at = last_upload_at WHERE latest_bundle_id IS NOT NULL")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attachments")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_staff_sessions_username", table_name="staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_index("ix_school_keys_school_id", table_name="school_keys")
    op.drop_table("school_keys")
    op.drop_index("ix_bundles_school_received", table_name="bundles")
    with op.batch_alter_table("bundles") as batch:
        batch.drop_column("key_id")
        batch.drop_column("clock_skew_s")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("token_revoked_at")
        batch.drop_column("latest_received_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.drop_column("role")
