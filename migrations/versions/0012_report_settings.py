"""report settings, month notes and unit order, edited by the admin

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-28 06:00:00

The names printed on the report came from AGENCY_NAME and PARENT_AGENCY_NAME (environment,
with defaults in code); they move to a row the admin edits. The row starts with what those
gave, so an upgraded deployment keeps its heading. Units get the order offices list them in:
departments (Phòng), then teams (Đội), then ranger stations (Hạt), then the rest, each group
by name; the admin changes it in the app.
"""
import os

from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KIND_ORDER = ("Phòng", "Đội", "Hạt")


def upgrade():
    op.create_table('report_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('parent_agency_name', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('symbol', sa.String(length=50), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signs_for_head', sa.Boolean(), nullable=False),
    sa.Column('deputy_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['employee.id'], name=op.f('fk_report_settings_updated_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_settings'))
    )
    op.create_table('report_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['employee.id'], name=op.f('fk_report_month_updated_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_month')),
    sa.UniqueConstraint('month', name=op.f('uq_report_month_month'))
    )
    op.create_table('unit_report_order',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_report_order_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_report_order'))
    )
    connection = op.get_bind()
    connection.execute(sa.text(
        "INSERT INTO report_settings (id, agency_name, parent_agency_name, province, place, symbol, "
        "legal_basis, signer_title, signs_for_head, deputy_title, signer_name, recipients) VALUES "
        "(1, :agency, :parent, '', '', '', '', '', false, '', '', '')"
    ), {
        "agency": os.environ.get("AGENCY_NAME", "Chi cục Kiểm lâm"),
        "parent": os.environ.get("PARENT_AGENCY_NAME", "Sở Nông nghiệp và Môi trường"),
    })
    units = connection.execute(sa.text("SELECT id, name, sort_key FROM unit WHERE active")).all()

    def kind(name):
        first = name.split(" ", 1)[0]
        return KIND_ORDER.index(first) if first in KIND_ORDER else len(KIND_ORDER)

    ordered = sorted(units, key=lambda unit: (kind(unit.name), unit.sort_key))
    if ordered:
        connection.execute(
            sa.text("INSERT INTO unit_report_order (unit_id, position) VALUES (:unit_id, :position)"),
            [{"unit_id": unit.id, "position": position} for position, unit in enumerate(ordered, start=1)],
        )


def downgrade():
    op.drop_table('unit_report_order')
    op.drop_table('report_month')
    op.drop_table('report_settings')
