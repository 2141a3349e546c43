"""fleet search: what it shows of each record as columns, so a common name skips the JSON

Revision ID: d7a3e9c5b1f4
Revises: d2a7f4c9e8b1
Create Date: 2026-12-07 05:00:00

The columns are filled here from each record's content (persons, movements and refusals), as
the projection (services/shore/projection.py, `_search_keys`) fills them from then on.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d7a3e9c5b1f4"
down_revision = "d2a7f4c9e8b1"
branch_labels = None
depends_on = None

COLUMNS = ("seen_at", "person_ref", "person_family", "person_given", "person_kind", "direction",
           "reason_code")  # fmt: skip
FIELDS = {  # column: the content's fields, the first one there
    "seen_at": ("occurred_at", "created_at"),
    "person_family": ("person_family_name", "family_name"),
    "person_given": ("person_given_names", "given_names"),
    "person_kind": ("person_kind", "kind"),
    "direction": ("direction",),
    "reason_code": ("reason_code",),
}


def upgrade():
    with op.batch_alter_table("shore_record") as batch:
        for name in COLUMNS:
            kind = sa.BigInteger() if name == "person_ref" else sa.Text()
            batch.add_column(sa.Column(name, kind, nullable=True))
    postgresql = op.get_bind().dialect.name == "postgresql"

    def field(name: str) -> str:
        return f"content ->> '{name}'" if postgresql else f"json_extract(content, '$.{name}')"

    person = field("person_id")
    digits = (
        f"{person} ~ '^[0-9]{{1,18}}$'"
        if postgresql
        else f"{person} NOT GLOB '*[^0-9]*' AND length({person}) BETWEEN 1 AND 18"
    )
    sets = [f"{c} = coalesce({', '.join(map(field, f))}, NULL)" for c, f in FIELDS.items()]
    sets.append(
        f"person_ref = CASE WHEN record_table = 'person' THEN record_id "
        f"WHEN {digits} THEN CAST({person} AS BIGINT) END"
    )
    op.execute(
        f"UPDATE shore_record SET {', '.join(sets)} "
        "WHERE record_table IN ('person', 'movement', 'refusal')"
    )


def downgrade():
    with op.batch_alter_table("shore_record") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
