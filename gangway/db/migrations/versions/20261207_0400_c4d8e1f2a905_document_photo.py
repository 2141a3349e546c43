"""document photo: a photo of a person's identity document the SSO keeps on their record
(issue 18 point 6), chained by its SHA-256, the image beside it

Revision ID: c4d8e1f2a905
Revises: b9e4f2a7c3d1
Create Date: 2026-12-07 04:00:00

"""

import sqlalchemy as sa
from alembic import op

import gangway.db.types

# revision identifiers, used by Alembic.
revision = "c4d8e1f2a905"
down_revision = "b9e4f2a7c3d1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("port_call_id", sa.Integer(), nullable=True),
        sa.Column("kept_at", gangway.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kept_by_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", gangway.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_document_photo_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["port_call_id"],
            ["port_call.id"],
            name=op.f("fk_document_photo_port_call_id_port_call"),
        ),
        sa.ForeignKeyConstraint(
            ["kept_by_id"], ["user.id"], name=op.f("fk_document_photo_kept_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["user.id"], name=op.f("fk_document_photo_deleted_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_photo")),
    )
    op.create_index(op.f("ix_document_photo_person_id"), "document_photo", ["person_id"])
    op.create_index(op.f("ix_document_photo_port_call_id"), "document_photo", ["port_call_id"])
    op.create_table(
        "document_photo_image",
        sa.Column("document_photo_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_photo_id"],
            ["document_photo.id"],
            name=op.f("fk_document_photo_image_document_photo_id_document_photo"),
        ),
        sa.PrimaryKeyConstraint("document_photo_id", name=op.f("pk_document_photo_image")),
    )


def downgrade():
    op.drop_table("document_photo_image")
    op.drop_index(op.f("ix_document_photo_port_call_id"), table_name="document_photo")
    op.drop_index(op.f("ix_document_photo_person_id"), table_name="document_photo")
    op.drop_table("document_photo")
