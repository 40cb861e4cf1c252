"""What the retention table has to do in the demo: a former project lead of Varde who has
not logged in for three years (``portal retention --dry-run`` lists them). Loaded once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.auth import services as auth
from portal.auth.models import Role, User
from portal.db import db
from portal.municipalities.models import Municipality

FORMER_LEAD = "tidligere.projektleder.varde@demo.dk"


def load_former_user(now: datetime, password: str) -> None:
    if db.session.scalar(select(User.id).where(User.email == FORMER_LEAD)) is not None:
        return
    varde = db.session.scalar(
        select(Municipality.id).where(Municipality.country == "DK", Municipality.code == 573)
    )
    user = auth.create_user(
        auth.UserData(
            email=FORMER_LEAD,
            name="Tove Tidligere",
            role=Role.MUNICIPAL,
            municipality_id=varde,
            active=False,
        ),
        password,
    )
    user.created_at = user.last_login_at = now - timedelta(days=3 * 365 + 30)
    db.session.flush()
