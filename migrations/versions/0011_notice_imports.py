"""province list imports; case receiving place, channel, online level; notice route and deadline

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-28 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# notice_import is append-only like the other records (the function exists since 0003).
APPEND_ONLY = {
    'sqlite': [
        "CREATE TRIGGER notice_import_no_update BEFORE UPDATE ON notice_import "
        "BEGIN SELECT RAISE(ABORT, 'notice_import is append-only'); END",
        "CREATE TRIGGER notice_import_no_delete BEFORE DELETE ON notice_import "
        "BEGIN SELECT RAISE(ABORT, 'notice_import is append-only'); END",
    ],
    'postgresql': [
        "CREATE TRIGGER notice_import_append_only BEFORE UPDATE OR DELETE ON notice_import "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()",
    ],
}


APPEND_ONLY_LINK = {
    'sqlite': [
        "CREATE TRIGGER notice_import_notice_no_update BEFORE UPDATE ON notice_import_notice "
        "BEGIN SELECT RAISE(ABORT, 'notice_import_notice is append-only'); END",
        "CREATE TRIGGER notice_import_notice_no_delete BEFORE DELETE ON notice_import_notice "
        "BEGIN SELECT RAISE(ABORT, 'notice_import_notice is append-only'); END",
    ],
    'postgresql': [
        "CREATE TRIGGER notice_import_notice_append_only BEFORE UPDATE OR DELETE ON notice_import_notice "
        "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()",
    ],
}


def upgrade():
    op.create_table('notice_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('issuing_body_id', sa.Integer(), nullable=False),
    sa.Column('reference_number', sa.String(length=100), nullable=False),
    sa.Column('notice_date', sa.Date(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_from', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['employee.id'], name=op.f('fk_notice_import_confirmed_by_id_employee')),
    sa.ForeignKeyConstraint(['issuing_body_id'], ['issuing_body.id'], name=op.f('fk_notice_import_issuing_body_id_issuing_body')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['employee.id'], name=op.f('fk_notice_import_uploaded_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_import'))
    )
    op.create_index('ix_notice_import_sha256', 'notice_import', ['sha256'], unique=False)
    op.create_table('notice_import_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('issuing_body_id', sa.Integer(), nullable=False),
    sa.Column('reference_number', sa.String(length=100), nullable=False),
    sa.Column('notice_date', sa.Date(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_notice_import_draft_created_by_id_employee')),
    sa.ForeignKeyConstraint(['issuing_body_id'], ['issuing_body.id'], name=op.f('fk_notice_import_draft_issuing_body_id_issuing_body')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_import_draft')),
    sa.UniqueConstraint('slot', name=op.f('uq_notice_import_draft_slot'))
    )
    dialect = op.get_bind().dialect.name
    for statement in APPEND_ONLY.get(dialect, []):
        op.execute(statement)
    # New nullable columns on append-only tables, added in place: rebuilding notice or
    # notice_case on SQLite (batch mode) would drop their triggers.
    op.add_column('notice_case', sa.Column('receiving_place', sa.String(length=300), nullable=True))
    op.add_column('notice_case', sa.Column('channel', sa.String(length=10), nullable=True))
    op.add_column('notice_case', sa.Column('online_level', sa.String(length=10), nullable=True))
    op.add_column('notice', sa.Column('route', sa.String(length=10), server_default='unit', nullable=False))
    op.add_column('notice', sa.Column('reply_due_on', sa.Date(), nullable=True))
    # Which notices an import made: a table of its own (SQLite cannot add a foreign key to
    # notice without rebuilding it), append-only like both sides.
    op.create_table('notice_import_notice',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['notice_import.id'], name=op.f('fk_notice_import_notice_import_id_notice_import')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_import_notice_notice_id_notice')),
    sa.PrimaryKeyConstraint('import_id', 'notice_id', name=op.f('pk_notice_import_notice')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_notice_import_notice_notice_id'))
    )
    for statement in APPEND_ONLY_LINK.get(dialect, []):
        op.execute(statement)


def downgrade():
    op.drop_table('notice_import_notice')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('reply_due_on')
        batch_op.drop_column('route')
    with op.batch_alter_table('notice_case', schema=None) as batch_op:
        batch_op.drop_column('online_level')
        batch_op.drop_column('channel')
        batch_op.drop_column('receiving_place')
    op.drop_table('notice_import_draft')
    op.drop_index('ix_notice_import_sha256', table_name='notice_import')
    op.drop_table('notice_import')
