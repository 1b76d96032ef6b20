"""shared monitoring page fragments

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 10:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('page_fragment',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('is_text', sa.Boolean(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_page_fragment'))
    )
    with op.batch_alter_table('page_fragment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_fragment_built_at'), ['built_at'], unique=False)


def downgrade():
    with op.batch_alter_table('page_fragment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_fragment_built_at'))

    op.drop_table('page_fragment')
