"""Deterministic demo data: editions 2018–2025, about 180 participants, officers and staff.

Run through ``flask seed demo``. The same database and the same code always give the
same data. Demo accounts all use DEMO_PASSWORD.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from campaign.accounts.models import User, UserStatus
from campaign.accounts.services import hash_password
from campaign.actions.models import Action, ActionPhoto, ActionSdg
from campaign.core import uploads
from campaign.core.auth import Role
from campaign.core.uploads import Upload
from campaign.demo import content, photos
from campaign.editions.models import Edition
from campaign.editions.services import default_dates, set_current
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero
from campaign.press.models import Highlight, PressRoom
from campaign.press.room import DEFAULT_RELEASE
from campaign.reference.models import FormerMunicipality, Municipality, Sdg
from campaign.registrations.models import Registration, RegistrationStatus, Track

DEMO_PASSWORD = "duurzaam-2025"  # noqa: S105 - published demo password
TEAM_EMAIL = "team@vvsg.example"
ADMIN_EMAIL = "admin@vvsg.example"
SEED = 2025
BRUSSELS = ZoneInfo("Europe/Brussels")

# year: (title, theme, focus SDGs, participants)
EDITIONS = {
    2018: ("Week van de Duurzame Gemeente 2018", "De SDG's in je gemeente", [17], 118),
    2019: ("Week van de Duurzame Gemeente 2019", "Duurzame helden in de kijker", [3, 4], 137),
    2020: ("Week van de Duurzame Gemeente 2020", "Lokaal verbonden, ook op afstand", [3, 10], 126),
    2021: ("Week van de Duurzame Gemeente 2021", "Samen sterk voor het klimaat – SDG 13", [13], 149),
    2022: ("Week van de Duurzame Gemeente 2022", "Partnerschappen maken het verschil – SDG 17", [17], 158),
    2023: ("Week van de Duurzame Gemeente 2023", "Energie en klimaat – SDG 7 en 13", [7, 13], 166),
    2024: ("Week van de Duurzame Gemeente 2024", "Niemand achterlaten – SDG 10", [10], 174),
    2025: ("Week van de Duurzame Gemeente 2025", "10 jaar Agenda 2030 – SDG 11", [11], 181),
}
CURRENT_YEAR = 2025
# Gent has the demo officer of the README; Beveren-Kruibeke-Zwijndrecht has the longest name.
ALWAYS_TAKING_PART = {"44021", "46030"}

FIRST_NAMES = [
    "An",
    "Bart",
    "Charlotte",
    "Dirk",
    "Els",
    "Filip",
    "Griet",
    "Hanne",
    "Ilse",
    "Jan",
    "Katrien",
    "Lien",
    "Marc",
    "Nele",
    "Olivier",
    "Pieter",
    "Quinten",
    "Ruth",
    "Sofie",
    "Tom",
    "Ward",
    "Yasmine",
    "Zeynep",
    "Elif",
    "Mohamed",
    "Lotte",
    "Jeroen",
    "Sarah",
    "Koen",
    "Inge",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Hermans",
    "Aerts",
    "Van den Broeck",
    "Verhoeven",
    "De Clercq",
    "Claeys",
    "Vermeulen",
    "Lambrechts",
    "Vandenberghe",
    "Coppens",
    "Desmet",
    "Vervoort",
    "Bogaerts",
    "El Amrani",
]


@dataclass(frozen=True)
class DemoSummary:
    editions: int
    registrations: int
    users: int
    actions: int = 0
    heroes: int = 0


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name.lower() if c.isalnum())


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(2, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 17), rng.randint(0, 59)), tzinfo=UTC)


def seed_demo(*, media_root: str) -> DemoSummary:
    """Create the demo data; placeholder photos go to ``media_root``.
    Raises RuntimeError when editions exist already."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Edition)):
        raise RuntimeError("the database holds editions already; demo data goes into an empty database")
    municipalities = list(db.session.scalars(sa.select(Municipality).order_by(Municipality.nis_code)))
    if len(municipalities) != 285:
        raise RuntimeError("load the reference data first: flask seed reference")
    former = list(db.session.scalars(sa.select(FormerMunicipality).order_by(FormerMunicipality.nis_code)))
    sdgs = {s.number: s for s in db.session.scalars(sa.select(Sdg))}
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    password_hash = hash_password(DEMO_PASSWORD)

    staff = [
        User(
            email=TEAM_EMAIL,
            name="Campagneteam VVSG",
            role=Role.TEAM,
            status=UserStatus.ACTIVE,
            password_hash=password_hash,
        ),
        User(
            email=ADMIN_EMAIL,
            name="Beheerder VVSG",
            role=Role.ADMIN,
            status=UserStatus.ACTIVE,
            password_hash=password_hash,
        ),
    ]
    db.session.add_all(staff)

    # How keen each municipality is: the keen ones take part year after year.
    keenness = {m.id: rng.random() for m in municipalities}
    for municipality in municipalities:
        if municipality.nis_code in ALWAYS_TAKING_PART:
            keenness[municipality.id] = 5.0
    editions: dict[int, Edition] = {}
    for year, (title, theme, focus, _count) in EDITIONS.items():
        edition = Edition(year=year, title=title, theme=theme, **default_dates(year))
        edition.focus_sdgs = [sdgs[n] for n in focus]
        editions[year] = edition
        db.session.add(edition)
    db.session.flush()
    set_current(editions[CURRENT_YEAR])

    registrations = 0
    for year, (_title, _theme, _focus, count) in EDITIONS.items():
        edition = editions[year]
        opened = date(year, 3, 1)
        span = (edition.registration_deadline - opened).days
        if year < 2025:
            # Before the 2025 mergers, the 300 old municipalities took part.
            ranked = sorted(former, key=lambda f: keenness[f.successor_id] + rng.gauss(0, 0.25), reverse=True)
            by_successor: dict[int, list[FormerMunicipality]] = {}
            for old in ranked[:count]:
                by_successor.setdefault(old.successor_id, []).append(old)
            chosen = [(successor_id, olds) for successor_id, olds in by_successor.items()]
        else:
            ranked_new = sorted(municipalities, key=lambda m: keenness[m.id] + rng.gauss(0, 0.25), reverse=True)
            chosen = [(m.id, []) for m in ranked_new[:count]]
        for municipality_id, olds in sorted(chosen):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            db.session.add(
                Registration(
                    edition=edition,
                    municipality_id=municipality_id,
                    former_municipalities=olds,
                    status=RegistrationStatus.ACTIVE,
                    contact_name=name,
                    contact_email=f"{_slug(name)}@gemeente.example",
                    contact_phone=_phone(rng),
                    flag_commitment=rng.random() < 0.8,
                    heroes_planned=rng.choice([1, 2, 3, 3, 3, 4, 5, 5, 6, 8, 10, 17]),
                    track=Track.ADVANCED if rng.random() < 0.35 else Track.STARTER,
                    registered_at=_at(opened + timedelta(days=int(rng.triangular(0, span, span * 0.8))), rng),
                )
            )
            registrations += 1
    db.session.flush()

    # One officer for every municipality registered for the current edition.
    current = editions[CURRENT_YEAR]
    officers = 0
    by_id = {m.id: m for m in municipalities}
    current_regs = db.session.scalars(
        sa.select(Registration).where(Registration.edition_id == current.id).order_by(Registration.id)
    )
    for registration in current_regs:
        municipality = by_id[registration.municipality_id]
        user = User(
            email=f"communicatie@{_slug(municipality.name_nl)}.example",
            name=registration.contact_name,
            role=Role.OFFICER,
            status=UserStatus.ACTIVE,
            municipality=municipality,
            password_hash=password_hash,
            email_verified_at=registration.registered_at - timedelta(days=2),
            decided_at=registration.registered_at - timedelta(days=1),
        )
        registration.created_by = user
        registration.contact_email = user.email
        db.session.add(user)
        officers += 1

    # A few officers of municipalities not registered yet, waiting in the approval queue.
    registered_ids = set(
        db.session.scalars(sa.select(Registration.municipality_id).where(Registration.edition_id == current.id))
    )
    waiting = [m for m in municipalities if m.id not in registered_ids][::17][:5]
    for municipality in waiting:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        db.session.add(
            User(
                email=f"duurzaamheid@{_slug(municipality.name_nl)}.example",
                name=name,
                role=Role.OFFICER,
                status=UserStatus.PENDING,
                municipality=municipality,
                password_hash=password_hash,
                email_verified_at=datetime(2025, 6, 20, 9, 0, tzinfo=UTC),
            )
        )
    db.session.flush()
    actions, heroes = seed_actions_and_heroes(rng, media_root=media_root, current_year=CURRENT_YEAR)
    seed_highlights(rng, editions[CURRENT_YEAR], team=staff[0])
    return DemoSummary(
        editions=len(editions),
        registrations=registrations,
        users=len(staff) + officers + len(waiting),
        actions=actions,
        heroes=heroes,
    )


PHOTO_POOL = 12  # distinct placeholder portraits; scenes likewise
LONGEST_NAME_NIS = "46030"  # Beveren-Kruibeke-Zwijndrecht: 3 heroes with every consent, for the hardest layout


def _portrait_pool(media_root: str, count: int) -> list[tuple[Upload, tuple[float, float]]]:
    pool = []
    for index in range(count):
        data, focus = photos.portrait(index)
        pool.append((uploads.save_image(media_root, data), focus))
    return pool


def seed_actions_and_heroes(rng: random.Random, *, media_root: str, current_year: int) -> tuple[int, int]:
    """About 2,000 actions and 900 heroes over all editions, with photos and consent records:
    most consent complete, some partial, some withdrawn, some missing."""
    portraits = _portrait_pool(media_root, PHOTO_POOL)
    scenes = [uploads.save_image(media_root, photos.scene(index)) for index in range(PHOTO_POOL // 2)]
    team = db.session.scalar(sa.select(User).where(User.email == TEAM_EMAIL))
    registrations = list(
        db.session.scalars(
            sa.select(Registration)
            .options(sa.orm.joinedload(Registration.edition), sa.orm.joinedload(Registration.municipality))
            .order_by(Registration.edition_id, Registration.id)
        )
    )
    action_count = hero_count = 0
    for registration in registrations:
        edition = registration.edition
        current = edition.year == current_year
        municipality = registration.municipality
        n_actions = rng.choice([1, 2, 3, 3, 4, 5]) if current else rng.choice([0, 1, 1, 2, 2, 3])
        made = []
        for template in rng.sample(content.ACTIONS, n_actions):
            title, description, kind, audience, sdgs, online = template
            day = edition.week_start + timedelta(days=rng.randint(0, (edition.week_end - edition.week_start).days))
            start = datetime.combine(day, time(rng.choice([9, 10, 14, 16, 19, 20])), tzinfo=BRUSSELS)
            expected = rng.choice([None, 20, 40, 80, 150, 300, 1000])
            action = Action(
                registration=registration,
                edition_id=edition.id,
                municipality_id=municipality.id,
                title=title.format(name=municipality.name_nl),
                description=description,
                type=kind,
                audience=audience,
                starts_at=start,
                ends_at=start + timedelta(hours=rng.choice([1, 2, 2, 3, 4])),
                online=online,
                location="" if online else f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {municipality.name_nl}",
                expected_reach=expected,
                actual_reach=None if current or expected is None else int(expected * rng.uniform(0.5, 1.4)),
                is_public=rng.random() < 0.88,
            )
            rated = rng.random() < 0.65
            for number in sdgs:
                effect = rng.choices([1, 0, -1], weights=[80, 15, 5])[0] if rated else None
                action.sdg_links.append(
                    ActionSdg(
                        sdg_number=number,
                        effect=effect,
                        reason=content.REASONS[effect] if effect is not None else "",
                    )
                )
            for position in range(rng.choice([0, 0, 0, 1, 2])):
                action.photos.append(
                    ActionPhoto(
                        upload=rng.choice(scenes), position=position, caption=title.format(name=municipality.name_nl)
                    )
                )
            db.session.add(action)
            made.append(action)
            action_count += 1

        longest = municipality.nis_code == LONGEST_NAME_NIS and current
        n_heroes = 3 if longest else (rng.choice([1, 1, 2, 2, 3, 3]) if current else rng.choice([0, 0, 0, 0, 1, 1, 2]))
        for index in range(n_heroes):
            is_group = rng.random() < 0.25
            name = (
                rng.choice(content.ORGANISATIONS).format(name=municipality.name_nl)
                if is_group
                else f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.LAST_NAMES)}"
            )
            quote = content.QUOTES[-1] if longest and index == 0 else rng.choice(content.QUOTES)
            portrait, focus = rng.choice(portraits) if longest or rng.random() < 0.92 else (None, (0.5, 0.5))
            hero = Hero(
                registration=registration,
                edition_id=edition.id,
                municipality_id=municipality.id,
                name=name,
                role="" if is_group else rng.choice(content.ROLES),
                quote=quote,
                story=rng.choice(content.STORIES).format(hero=name.split(" ")[0]),
                action=rng.choice(made) if made and rng.random() < 0.6 else None,
                photo=portrait,
                focal_x=focus[0],
                focal_y=focus[1],
            )
            hero.sdgs = [db.session.get(Sdg, n) for n in sorted(rng.sample(range(1, 18), rng.choice([1, 1, 2, 3])))]
            roll = rng.random()
            given = edition.registration_deadline + timedelta(days=rng.randint(0, 50))
            if longest or roll < 0.72:
                scopes = {"web": True, "print": True, "social": True, "press": True}
            elif roll < 0.86:
                scopes = {"web": True, "print": True, "social": rng.random() < 0.5, "press": False}
            elif roll < 0.93:
                scopes = None  # no consent recorded yet
            else:
                scopes = {"web": True, "print": True, "social": True, "press": True, "withdrawn": True}
            if scopes is not None:
                withdrawn = scopes.pop("withdrawn", False)
                hero.consent = Consent(
                    **scopes,
                    given_on=given,
                    expires_on=date(given.year + 1, 12, 31),
                    recorded_by=team,
                    recorded_at=datetime.combine(given, time(10), tzinfo=UTC),
                    withdrawn_at=datetime.combine(given + timedelta(days=30), time(9), tzinfo=UTC)
                    if withdrawn
                    else None,
                )
            db.session.add(hero)
            hero_count += 1
    db.session.flush()
    return action_count, hero_count


def seed_highlights(rng: random.Random, edition: Edition, *, team: User) -> None:
    """The press room of the current edition: ten heroes with press consent and six public actions
    with photos in the spotlight (one action still under embargo until the week starts), and the
    press contact."""
    heroes = list(
        db.session.scalars(
            sa.select(Hero)
            .join(Consent, Consent.hero_id == Hero.id)
            .where(
                Hero.edition_id == edition.id,
                Hero.photo_id.is_not(None),
                Consent.press.is_(True),
                Consent.withdrawn_at.is_(None),
            )
            .order_by(Hero.id)
        )
    )
    actions = list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.edition_id == edition.id, Action.is_public.is_(True), Action.photos.any())
            .order_by(Action.id)
        )
    )
    opened = datetime.combine(edition.registration_deadline, time(10), tzinfo=BRUSSELS)
    for n, hero in enumerate(rng.sample(heroes, min(10, len(heroes)))):
        first = hero.name.split(" ")[0]
        db.session.add(
            Highlight(
                edition_id=edition.id,
                hero=hero,
                title=f"{first} maakt {hero.municipality.name_nl} duurzamer",
                text=f"{hero.story} {first} is een van de duurzame helden die {hero.municipality.name_nl} "
                f"tijdens de Week van de Duurzame Gemeente in de kijker zet.",
                publish_at=opened + timedelta(days=n),
                created_by=team,
            )
        )
    chosen = rng.sample(actions, min(6, len(actions)))
    for n, action in enumerate(chosen):
        embargo = n == len(chosen) - 1
        db.session.add(
            Highlight(
                edition_id=edition.id,
                action=action,
                title=action.title,
                text=f"{action.description} Iedereen is welkom.",
                publish_at=datetime.combine(edition.week_start, time(6), tzinfo=BRUSSELS)
                if embargo
                else opened + timedelta(days=n, hours=2),
                created_by=team,
            )
        )
    db.session.add(
        PressRoom(
            edition_id=edition.id,
            contact_name="Persdienst VVSG, campagne Duurzame Gemeente",
            contact_email="pers@vvsg.example",
            contact_phone="02 211 55 00",
            release_text=DEFAULT_RELEASE,
        )
    )
    db.session.flush()


STREETS = [
    "Kerkstraat",
    "Marktplein",
    "Stationsstraat",
    "Dorpsstraat",
    "Schoolstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Kapelstraat",
    "Gemeenteplein",
    "Beekstraat",
]
