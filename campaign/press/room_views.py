"""The press room: the team marks highlights and sets up the press room; the press (no login)
reads the published highlights and key figures, follows the feed and downloads the press
export. Consent and embargo are checked on every request (see press.highlights)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from campaign.actions.models import Action
from campaign.core import clock
from campaign.core.auth import team_required
from campaign.core.forms import EmptyForm
from campaign.editions import services as edition_services
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Hero
from campaign.press import highlights, room
from campaign.press.forms import HighlightForm, PressFilterForm, PressRoomForm
from campaign.press.models import Highlight
from campaign.reference.models import Municipality, Province, Sdg
from campaign.registrations.services import local_date

bp = Blueprint("pressroom", __name__)


def _current_edition() -> Edition:
    edition = edition_services.current_edition()
    if edition is None:
        abort(404)
    return edition


# The team ---------------------------------------------------------------------------------


@bp.route("/team/highlights")
@team_required
def team_highlights() -> str:
    edition = _current_edition()
    now = clock.now()
    listed = [(h, highlights.is_live(h, now=now)) for h in highlights.for_team(edition)]
    return render_template("press/team_highlights.html", edition=edition, listed=listed, now=now, form=EmptyForm())


def _subject(kind: str, subject_id: int) -> Hero | Action:
    model = Hero if kind == "hero" else Action
    subject = db.session.get(model, subject_id)
    if subject is None:
        abort(404)
    return subject


@bp.route("/team/highlights/<any(hero, action):kind>/<int:subject_id>", methods=["GET", "POST"])
@team_required
def edit_highlight(kind: str, subject_id: int) -> str | Response:
    """Mark a hero or an action as a highlight, or change its press text and embargo."""
    subject = _subject(kind, subject_id)
    hero = subject if isinstance(subject, Hero) else None
    action = subject if isinstance(subject, Action) else None
    existing = highlights.highlight_of(hero=hero, action=action)
    now = clock.now()
    form = HighlightForm(obj=existing)
    if existing is None and request.method == "GET":
        form.title.data = hero.name if hero else action.title  # type: ignore[union-attr]
        form.publish_at.data = now
    qualifies = action is not None or highlights.qualifies(hero, today=local_date(now))  # type: ignore[arg-type]
    if form.validate_on_submit():
        try:
            highlights.save(
                hero=hero,
                action=action,
                title=form.title.data,
                text=form.text.data,
                publish_at=form.publish_at.data,
                today=local_date(now),
                by_id=current_user.id,
            )
        except highlights.InvalidHighlight as error:
            target = getattr(form, error.field) if error.field else None
            if target is not None:
                target.errors = [*target.errors, str(error)]
            else:
                flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The highlight is saved."), "success")
            return redirect(url_for("pressroom.team_highlights"))
    return render_template(
        "press/edit_highlight.html",
        form=form,
        hero=hero,
        action=action,
        existing=existing,
        qualifies=qualifies,
    )


@bp.route("/team/highlights/<int:highlight_id>/delete", methods=["POST"])
@team_required
def delete_highlight(highlight_id: int) -> Response:
    highlight = db.session.get(Highlight, highlight_id) or abort(404)
    if EmptyForm().validate_on_submit():
        highlights.remove(highlight)
        db.session.commit()
        flash(_("The highlight is removed from the press room."), "success")
    return redirect(url_for("pressroom.team_highlights"))


@bp.route("/team/press", methods=["GET", "POST"])
@team_required
def team_settings() -> str | Response:
    """The press room's contact and the text of the press release per province."""
    edition = _current_edition()
    settings = room.settings(edition)
    form = PressRoomForm(obj=settings)
    if form.validate_on_submit():
        room.save_settings(
            edition,
            contact_name=form.contact_name.data,
            contact_email=form.contact_email.data,
            contact_phone=form.contact_phone.data,
            release_text=form.release_text.data,
        )
        db.session.commit()
        flash(_("The press room is saved."), "success")
        return redirect(url_for("pressroom.team_settings"))
    return render_template("press/team_settings.html", edition=edition, form=form)


# The press --------------------------------------------------------------------------------


def _filter_form() -> PressFilterForm:
    locale = str(get_locale())
    form = PressFilterForm(request.args)
    form.province.choices = [SelectChoice(0, _("All provinces"))] + [
        SelectChoice(p.id, p.name(locale)) for p in db.session.scalars(db.select(Province).order_by(Province.name_nl))
    ]
    form.sdg.choices = [SelectChoice(0, _("All SDGs"))] + [
        SelectChoice(s.number, f"{s.number}. {s.name(locale)}")
        for s in db.session.scalars(db.select(Sdg).order_by(Sdg.number))
    ]
    form.municipality.choices = [SelectChoice("", _("All municipalities"))] + [
        SelectChoice(nis, name)
        for nis, name in db.session.execute(
            db.select(Municipality.nis_code, Municipality.name_nl).order_by(Municipality.name_nl)
        )
    ]
    form.validate()
    return form


def _selection(form: PressFilterForm) -> tuple[highlights.Selection, Municipality | None]:
    municipality = None
    if form.municipality.data and not form.municipality.errors:
        municipality = db.session.scalar(db.select(Municipality).where(Municipality.nis_code == form.municipality.data))
    return (
        highlights.Selection(
            province_id=form.province.data or None if not form.province.errors else None,
            sdg=form.sdg.data or None if not form.sdg.errors else None,
            municipality_id=municipality.id if municipality else None,
        ),
        municipality,
    )


@bp.route("/pers")
def press_room() -> str:
    edition = _current_edition()
    now = clock.now()
    form = _filter_form()
    selection, _municipality = _selection(form)
    settings = room.settings(edition)
    return render_template(
        "press/room.html",
        edition=edition,
        form=form,
        items=highlights.published(edition, now=now, selection=selection),
        figures=room.key_figures(edition, today=local_date(now)),
        contact=room.contact_lines(settings, fallback_email=current_app.config["TEAM_CONTACT_EMAIL"]),
        provinces=db.session.scalars(db.select(Province).order_by(Province.name_nl)).all(),
    )


@bp.route("/pers/feed.atom")
def feed() -> Response:
    """The published highlights of the current edition as an Atom feed, newest first."""
    edition = _current_edition()
    now = clock.now()
    items = highlights.published(edition, now=now)
    updated = max((i.highlight.updated_at for i in items), default=None)
    updated = max(updated, max(i.highlight.publish_at for i in items)) if items else now
    body = render_template("press/feed.xml", edition=edition, items=items, updated=updated)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, no-cache"  # a withdrawn consent takes effect at once
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/pers/persmap.zip")
def press_export() -> Response:
    """The press export for the whole edition, a province (?province=ID) or a municipality
    (?municipality=NIS), built once per content."""
    edition = _current_edition()
    form = _filter_form()
    selection, municipality = _selection(form)
    if (form.municipality.data and municipality is None) or form.province.errors:
        abort(404)
    digest, path = room.press_export(
        room.ExportRequest(edition, province_id=selection.province_id, municipality_id=selection.municipality_id),
        now=clock.now(),
        media_root=current_app.config["MEDIA_ROOT"],
        fallback_email=current_app.config["TEAM_CONTACT_EMAIL"],
    )
    part = (
        f"-{municipality.nis_code}"
        if municipality
        else (f"-provincie-{selection.province_id}" if selection.province_id else "")
    )
    response = send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"persmap-{edition.year}{part}.zip",
        etag=digest,
        conditional=True,
    )
    response.headers["Cache-Control"] = "public, no-cache"  # checked again each time: consent can change
    return response
