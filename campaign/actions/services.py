"""Actions: creating and changing them, their SDG check and photos, and public lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.actions.models import MAX_PHOTOS, Action, ActionPhoto, ActionSdg, ActionType, Audience
from campaign.core.errors import DomainError, NotAllowed
from campaign.core.pagination import Page, paginate
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Municipality, Province, Sdg
from campaign.registrations.models import Registration, RegistrationStatus

BRUSSELS = ZoneInfo("Europe/Brussels")
FIELDS = (
    "title",
    "description",
    "type",
    "starts_at",
    "ends_at",
    "online",
    "location",
    "audience",
    "expected_reach",
    "actual_reach",
    "is_public",
)


class InvalidAction(DomainError):
    def __init__(self, message: object, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check(values: dict) -> None:
    if values["ends_at"] < values["starts_at"]:
        raise InvalidAction(_l("The action cannot end before it starts."), "ends_at")
    if not values.get("online") and not (values.get("location") or "").strip():
        raise InvalidAction(_l("Fill in the address, or tick that the action is online."), "location")
    if not values.get("sdgs"):
        raise InvalidAction(_l("Choose at least one SDG."), "sdgs")


def _set_sdgs(action: Action, numbers: Iterable[int]) -> None:
    wanted = sorted(set(numbers))
    valid = set(db.session.scalars(sa.select(Sdg.number).where(Sdg.number.in_(wanted))))
    kept = {link.sdg_number: link for link in action.sdg_links if link.sdg_number in valid}
    action.sdg_links = [kept.get(number) or ActionSdg(sdg_number=number) for number in wanted if number in valid]


def create_action(registration: Registration, *, sdgs: list[int], **values: object) -> Action:
    """Add an action to ``registration``. Raises InvalidAction, NotAllowed when withdrawn."""
    if registration.status != RegistrationStatus.ACTIVE:
        raise NotAllowed(_l("This registration was withdrawn. Register again to add actions."))
    _check({**values, "sdgs": sdgs})
    action = Action(
        registration=registration,
        edition_id=registration.edition_id,
        municipality_id=registration.municipality_id,
        **{key: values[key] for key in FIELDS if key in values},
    )
    _set_sdgs(action, sdgs)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: Action, *, sdgs: list[int], **values: object) -> None:
    """Change an action; SDG-check ratings of SDGs that stay are kept. Raises InvalidAction."""
    _check({**values, "sdgs": sdgs})
    for key in FIELDS:
        if key in values:
            setattr(action, key, values[key])
    _set_sdgs(action, sdgs)
    db.session.flush()


def delete_action(action: Action) -> None:
    db.session.delete(action)
    db.session.flush()


def rate_sdgs(action: Action, ratings: dict[int, tuple[int | None, str]]) -> None:
    """Store the SDG check: for each of the action's SDGs an effect (1, 0, -1) and a reason."""
    for link in action.sdg_links:
        if link.sdg_number in ratings:
            effect, reason = ratings[link.sdg_number]
            if effect not in (None, -1, 0, 1):
                raise InvalidAction(_l("Choose +, 0 or − for every SDG."), f"sdg_{link.sdg_number}")
            link.effect = effect
            link.reason = reason.strip()[:500]
    db.session.flush()


def add_photo(action: Action, upload: Upload, *, caption: str = "", credit: str = "") -> ActionPhoto:
    """Attach a stored image. Raises NotAllowed past MAX_PHOTOS."""
    if len(action.photos) >= MAX_PHOTOS:
        raise NotAllowed(_l("An action has at most %(n)d photos. Remove one first.", n=MAX_PHOTOS))
    position = max((p.position for p in action.photos), default=-1) + 1
    photo = ActionPhoto(upload=upload, position=position, caption=caption.strip(), credit=credit.strip())
    action.photos.append(photo)
    db.session.flush()
    return photo


def remove_photo(action: Action, photo_id: int) -> None:
    for photo in action.photos:
        if photo.id == photo_id:
            action.photos.remove(photo)
            db.session.flush()
            return
    raise NotAllowed(_l("This photo does not belong to this action."))


def actions_of(registration: Registration) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action).where(Action.registration_id == registration.id).order_by(Action.starts_at, Action.id)
        )
    )


# Public lists. Only public actions of active registrations.


def public_query() -> sa.Select:
    """Public actions of active registrations: what the public pages and the API may show."""
    return (
        sa.select(Action)
        .join(Registration, Registration.id == Action.registration_id)
        .where(Action.is_public.is_(True), Registration.status == RegistrationStatus.ACTIVE)
    )


def public_actions_of(edition: Edition, municipality: Municipality) -> list[Action]:
    return list(
        db.session.scalars(
            public_query()
            .where(Action.edition_id == edition.id, Action.municipality_id == municipality.id)
            .options(sa.orm.selectinload(Action.sdg_links))
            .order_by(Action.starts_at)
        ).unique()
    )


def calendar(edition: Edition) -> list[tuple[date, list[Action]]]:
    """The edition's public actions during the week, by day (Belgian time)."""
    start = datetime.combine(edition.week_start, datetime.min.time(), tzinfo=BRUSSELS)
    end = datetime.combine(edition.week_end + timedelta(days=1), datetime.min.time(), tzinfo=BRUSSELS)
    actions = db.session.scalars(
        public_query()
        .where(Action.edition_id == edition.id, Action.starts_at < end, Action.ends_at >= start)
        .options(sa.orm.joinedload(Action.municipality))
        .order_by(Action.starts_at, Action.id)
    ).unique()
    days: dict[date, list[Action]] = {}
    day = edition.week_start
    while day <= edition.week_end:
        days[day] = []
        day += timedelta(days=1)
    for action in actions:
        first = max(action.starts_at.astimezone(BRUSSELS).date(), edition.week_start)
        last = min(action.ends_at.astimezone(BRUSSELS).date(), edition.week_end)
        day = first
        while day <= last:
            days[day].append(action)
            day += timedelta(days=1)
    return list(days.items())


@dataclass(frozen=True)
class PracticeQuery:
    text: str = ""
    sdg: int | None = None
    province_id: int | None = None
    type: ActionType | None = None
    audience: Audience | None = None
    edition_id: int | None = None


def practice_bank(query: PracticeQuery, *, page: int, per_page: int = 20) -> Page[Action]:
    """Public actions of every edition, newest first, filtered."""
    stmt = public_query().options(
        sa.orm.joinedload(Action.municipality).joinedload(Municipality.province),
        sa.orm.joinedload(Action.edition),
        sa.orm.selectinload(Action.sdg_links),
    )
    if query.sdg:
        stmt = stmt.where(Action.sdg_links.any(ActionSdg.sdg_number == query.sdg))
    if query.province_id:
        stmt = stmt.where(
            Action.municipality_id.in_(sa.select(Municipality.id).where(Municipality.province_id == query.province_id))
        )
    if query.type:
        stmt = stmt.where(Action.type == query.type)
    if query.audience:
        stmt = stmt.where(Action.audience == query.audience)
    if query.edition_id:
        stmt = stmt.where(Action.edition_id == query.edition_id)
    for word in query.text.lower().split()[:8]:
        term = f"%{word.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Action.title).like(term), sa.func.lower(Action.description).like(term)))
    stmt = stmt.order_by(Action.starts_at.desc(), Action.id.desc())
    return paginate(stmt, page=page, per_page=per_page)


def public_action(action_id: int) -> Action | None:
    return db.session.scalar(public_query().where(Action.id == action_id))


def provinces() -> list[Province]:
    return list(db.session.scalars(sa.select(Province).order_by(Province.name_nl)))


def team_actions(edition: Edition | None, *, province_id: int | None, text: str, page: int) -> Page[Action]:
    """Every action of an edition, for the campaign team, filtered by province and a search text."""
    stmt = sa.select(Action).options(sa.orm.joinedload(Action.municipality)).order_by(Action.starts_at, Action.id)
    if edition is not None:
        stmt = stmt.where(Action.edition_id == edition.id)
    if province_id:
        stmt = stmt.where(
            Action.municipality_id.in_(sa.select(Municipality.id).where(Municipality.province_id == province_id))
        )
    if text.strip():
        term = f"%{text.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Action.title).like(term),
                Action.municipality_id.in_(
                    sa.select(Municipality.id).where(sa.func.lower(Municipality.name_nl).like(term))
                ),
            )
        )
    return paginate(stmt, page=page, per_page=50)
