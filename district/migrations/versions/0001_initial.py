"""Initial store: schools, bundles, users, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("ward", sa.String(200), nullable=False, server_default=""),
        sa.Column("district", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enroll_code_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("enroll_code_expires", sa.DateTime(timezone=True), nullable=True),
        sa.Column("public_key", sa.String(200), nullable=True),
        sa.Column("key_id", sa.String(100), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_upload_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latest_bundle_id", sa.String(128), nullable=True),
        sa.Column("latest_finished_at", sa.String(40), nullable=True),
        sa.Column("latest_summary", sa.Text(), nullable=True),
        sa.Column("bundle_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "bundles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("bundle_id", sa.String(128), nullable=False, unique=True),
        sa.Column("school_id", sa.String(64), sa.ForeignKey("schools.id", ondelete="CASCADE"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
    )
    op.create_index("ix_bundles_school_finished", "bundles", ["school_id", "finished_at"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("users")
    op.drop_index("ix_bundles_school_finished", table_name="bundles")
    op.drop_table("bundles")
    op.drop_table("schools")
