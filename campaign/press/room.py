"""The press room: its settings, its key figures (from the monitoring definitions, so they match
the dashboard), and the press export, built once per content and kept in the media folder."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import astuple, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from campaign.core import media
from campaign.editions.models import Edition
from campaign.editions.services import save_edition_texts
from campaign.extensions import db
from campaign.heroes.models import ConsentScope
from campaign.monitoring import figures
from campaign.monitoring.exports import Column, Table, to_csv, to_json
from campaign.press import export, release
from campaign.press.highlights import Item, Selection, published
from campaign.press.models import PressRoom
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration
from campaign.registrations.services import local_date

EXPORT_VERSION = "1"  # part of every export's key: raise it when the archive's layout changes
EXPORT_FOLDER = "press"
KEEP_ARCHIVES = timedelta(days=2)  # archives are built again on demand; old ones hold old photos

DEFAULT_RELEASE = (
    "Van 18 tot 25 september zetten {deelnemers} van de {gemeenten} gemeenten in {provincie} hun "
    "duurzame helden en lokale acties in de kijker tijdens de Week van de Duurzame Gemeente {jaar}.\n\n"
    "In heel {provincie} tonen {helden} duurzame helden en {acties} acties hoe lokale besturen, "
    "verenigingen, bedrijven en inwoners samen werken aan de 17 duurzame ontwikkelingsdoelen van de "
    "Verenigde Naties."
)


# Settings ---------------------------------------------------------------------------------


def settings(edition: Edition) -> PressRoom:
    """The edition's press-room settings (not stored until the team saves them)."""
    room = db.session.get(PressRoom, edition.id)
    return room or PressRoom(
        edition_id=edition.id, contact_name="", contact_email="", contact_phone="", release_text=DEFAULT_RELEASE
    )


def save_settings(edition: Edition, **values: str) -> PressRoom:
    return save_edition_texts(PressRoom, edition, **values)


def contact_lines(room: PressRoom, *, fallback_email: str) -> tuple[str, ...]:
    lines = [room.contact_name or "VVSG, campagneteam Duurzame Gemeente", room.contact_email or fallback_email]
    if room.contact_phone:
        lines.append(room.contact_phone)
    return tuple(lines)


# Key figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    flanders: release.ProvinceFigures
    provinces: tuple[tuple[Province, release.ProvinceFigures], ...]


def key_figures(edition: Edition, *, today) -> KeyFigures:
    """Participants, heroes and actions for Flanders and per province, from ``figures.progress``
    and ``figures.per_province`` (the dashboard's definitions)."""
    rows = figures.progress(edition, today=today)
    province_of = dict(db.session.execute(sa.select(Municipality.id, Municipality.province_id)).all())
    heroes: dict[int, int] = {}
    actions: dict[int, int] = {}
    for row in rows:
        province_id = province_of[row.municipality_id]
        heroes[province_id] = heroes.get(province_id, 0) + row.heroes
        actions[province_id] = actions.get(province_id, 0) + row.actions
    provinces = tuple(
        (
            p.province,
            release.ProvinceFigures(
                p.province.name_nl,
                p.municipalities,
                p.registered,
                heroes.get(p.province.id, 0),
                actions.get(p.province.id, 0),
            ),
        )
        for p in figures.per_province(edition)
    )
    flanders = release.ProvinceFigures(
        "Vlaanderen",
        sum(f.municipalities for _, f in provinces),
        len(rows),
        sum(row.heroes for row in rows),
        sum(row.actions for row in rows),
    )
    return KeyFigures(flanders, provinces)


def figures_table(key: KeyFigures, *, province_id: int | None = None) -> Table:
    columns = [
        Column("gebied", str),
        Column("gemeenten", int),
        Column("deelnemers", int),
        Column("helden", int),
        Column("acties", int),
    ]
    chosen = [f for p, f in key.provinces if province_id in (None, p.id)]
    rows = [[f.name, f.municipalities, f.registered, f.heroes, f.actions] for f in (key.flanders, *chosen)]
    return Table("kerncijfers", columns, rows)


# The press export -------------------------------------------------------------------------


def _markdown(item: Item) -> str:
    h = item.highlight
    sdgs = ", ".join(str(n) for n in item.sdgs)
    lines = [f"# {h.title}", "", f"**{item.municipality.name_nl}** ({item.province.name_nl}) · SDG {sdgs}", "", h.text]
    if item.hero is not None:
        hero = item.hero
        who = f"{hero.name}, {hero.role}" if hero.role else hero.name
        if hero.quote:
            lines += ["", f"> „{hero.quote}” — {who}"]
        if hero.story:
            lines += ["", hero.story]
    elif item.action is not None:
        action = item.action
        lines += ["", f"**{action.title}**", "", action.description] if action.description else []
    credits = sorted({photo.credit for photo in item.photos if photo.credit})
    if credits:
        lines += ["", "Foto: " + "; ".join(credits)]
    return "\n".join(lines).strip() + "\n"


def _scopes(item: Item) -> str:
    if item.hero is None:
        return "publieke actie"
    consent = item.hero.consent
    return ", ".join(scope.value for scope in ConsentScope if getattr(consent, scope.value))


def _export_highlight(item: Item, media_root: Path) -> export.ExportHighlight:
    photos = []
    for photo in item.photos:
        path = media.resolve(media_root, photo.upload.path)
        if path.is_file():
            photos.append(export.ExportPhoto(path, path.suffix.lower() or ".jpg", photo.caption, photo.credit))
    subject = item.hero.name if item.hero is not None else item.action.title  # type: ignore[union-attr]
    return export.ExportHighlight(
        title=item.highlight.title,
        subject=subject,
        municipality=item.municipality.name_nl,
        province=item.province.name_nl,
        sdgs=item.sdgs,
        consent_scope=_scopes(item),
        markdown=_markdown(item),
        photos=tuple(photos),
    )


@dataclass(frozen=True)
class ExportRequest:
    edition: Edition
    province_id: int | None = None
    municipality_id: int | None = None


def _fingerprint(
    request: ExportRequest,
    items: list[Item],
    key: KeyFigures,
    room: PressRoom,
    *,
    now: datetime,
    participants: list[int],
    fallback_email: str,
) -> str:
    """A hash of everything the archive is made of."""
    parts = {
        "version": EXPORT_VERSION,
        "edition": request.edition.id,
        "selection": [request.province_id, request.municipality_id],
        "day": local_date(now).isoformat(),  # consent may expire overnight
        "room": [room.release_text, room.contact_name, room.contact_email, room.contact_phone, fallback_email],
        "edition_texts": [request.edition.title, str(request.edition.week_start), str(request.edition.week_end)],
        "participants": participants,
        "figures": [astuple(f) for _, f in key.provinces] + [astuple(key.flanders)],
        "items": [
            [
                item.highlight.id,
                item.highlight.title,
                item.highlight.text,
                item.highlight.publish_at.isoformat(),
                _markdown(item),
                _scopes(item),
                [(p.upload.sha256, p.caption, p.credit) for p in item.photos],
            ]
            for item in items
        ],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def press_export(request: ExportRequest, *, now: datetime, media_root: Path, fallback_email: str) -> tuple[str, Path]:
    """The archive for ``request``: (its content hash, its file), built only when no archive of
    the same content exists yet."""
    edition = request.edition
    today = local_date(now)
    selection = Selection(province_id=request.province_id, municipality_id=request.municipality_id)
    items = published(edition, now=now, selection=selection)
    key = key_figures(edition, today=today)
    room = settings(edition)
    participants = sorted(db.session.scalars(sa.select(Registration.id).where(figures.active_in(edition.id))))
    digest = _fingerprint(request, items, key, room, now=now, participants=participants, fallback_email=fallback_email)
    relative = f"{EXPORT_FOLDER}/{edition.year}-{digest[:32]}.zip"
    path = media.resolve(media_root, relative)
    if path.is_file():
        os.utime(path)  # in use: pruning goes by the last use, not the first build
        return digest, path
    provinces = [(p, f) for p, f in key.provinces if request.province_id in (None, p.id)]
    if request.municipality_id:
        own = db.session.scalar(sa.select(Municipality.province_id).where(Municipality.id == request.municipality_id))
        provinces = [(p, f) for p, f in provinces if p.id == own]
    releases = tuple(
        (f.name, release.render_release(_release(edition, province, f, key, room, items, fallback_email)))
        for province, f in provinces
    )
    chosen = tuple(_export_highlight(item, media_root) for item in items)
    captions = Table("captions", [Column(name, str) for name in export.CAPTION_COLUMNS], export.caption_rows(chosen))
    key_table = figures_table(key, province_id=request.province_id)
    files = (
        ("captions.csv", to_csv(captions)),
        ("kerncijfers.csv", to_csv(key_table)),
        ("kerncijfers.json", to_json(key_table)),
    )
    data = export.build_zip(export.PressExport(highlights=chosen, files=files, releases=releases))
    written = media.write_atomic(media_root, relative, data)
    prune_archives(media_root, now=now)
    return digest, written


def _release(edition, province, province_figures, key, room, items, fallback_email) -> release.Release:
    participants = tuple(
        db.session.scalars(
            sa.select(Municipality.name_nl)
            .join(Registration, Registration.municipality_id == Municipality.id)
            .where(figures.active_in(edition.id), Municipality.province_id == province.id)
            .order_by(Municipality.name_nl)
        )
    )
    return release.Release(
        edition_title=edition.title,
        year=edition.year,
        dates=f"{edition.week_start:%d/%m}–{edition.week_end:%d/%m/%Y}",
        province=province_figures,
        flanders=key.flanders,
        text=release.fill(room.release_text or DEFAULT_RELEASE, province_figures, edition.year),
        participants=participants,
        highlights=tuple(
            (item.highlight.title, item.municipality.name_nl) for item in items if item.province.id == province.id
        ),
        contact=contact_lines(room, fallback_email=fallback_email),
    )


def prune_archives(media_root: Path, *, now: datetime) -> int:
    """Delete press archives not used for KEEP_ARCHIVES (a hit refreshes the file time): they may
    hold photos and texts of heroes whose consent has since ended. Returns how many went."""
    folder = media.resolve(media_root, EXPORT_FOLDER)
    if not folder.is_dir():
        return 0
    limit = (now - KEEP_ARCHIVES).timestamp()
    removed = 0
    for archive in folder.glob("*.zip"):
        if archive.stat().st_mtime < limit:
            archive.unlink(missing_ok=True)
            removed += 1
    return removed
