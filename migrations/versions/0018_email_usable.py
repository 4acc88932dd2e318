"""employee.usable_email: each stored address as a mail server takes it, judged once; the heads, admins and leaders indexed

Revision ID: 0018_email_usable
Revises: 0017_figures_dated
Create Date: 2026-11-28 15:00:00.000000

The admin's reminders page counted ~10,000 staff by reading and judging each address on
every view; it now counts in SQL those whose stored verdict is their address itself. The
directory sync writes the verdict with the address; this revision judges the addresses
stored before, with the rule as written today (a frozen copy of
intranet/reminders/addresses.py, so later changes there never alter what this revision did).

The same page read the few hundred heads, admins and leaders by a scan of all staff:
ix_employee_notice_roles holds only them (a partial index on their roles).
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_email_usable'
down_revision = '0017_figures_dated'
branch_labels = None
depends_on = None

# Frozen as run on 28/11/2026 (intranet/reminders/addresses.py, usable_address, then).
_USABLE = re.compile(r'[^\s<>,;"@]+@(?!\.)[^\s<>,;"@]+')


# Frozen as run on 28/11/2026 (intranet/models.py NOTICE_ROLES_SQL then).
NOTICE_ROLES = {
    'sqlite': "is_head IS 1 OR is_admin IS 1 OR is_leader IS 1",
    'postgresql': "is_head IS true OR is_admin IS true OR is_leader IS true",
}


def _usable_address(text):
    address = (text or "").strip()
    return address if address.isascii() and _USABLE.fullmatch(address) else None


def upgrade():
    # Nullable and without a batch, as 0010: employee's triggers stay as they are (none of
    # them watches this column).
    op.add_column('employee', sa.Column('usable_email', sa.String(length=254), nullable=True))
    connection = op.get_bind()
    judged = [
        {"id": id_, "usable": usable}
        for id_, email in connection.execute(
            sa.text("SELECT id, email FROM employee WHERE email IS NOT NULL")
        )
        if (usable := _usable_address(email)) is not None
    ]
    if judged:
        connection.execute(
            sa.text("UPDATE employee SET usable_email = :usable WHERE id = :id"), judged
        )
    op.create_index('ix_employee_notice_roles', 'employee', ['id'],
                    sqlite_where=sa.text(NOTICE_ROLES['sqlite']),
                    postgresql_where=sa.text(NOTICE_ROLES['postgresql']))


def downgrade():
    op.drop_index('ix_employee_notice_roles', table_name='employee')
    # A plain DROP COLUMN (SQLite 3.35+), as 0010: a batch would rebuild employee under the
    # triggers of other tables that name it, which SQLite then refuses.
    op.execute('ALTER TABLE employee DROP COLUMN usable_email')
