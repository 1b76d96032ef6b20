"""The officer's kit page, downloads and previews; the team's edition visual."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaign.core import clock, media
from campaign.core.auth import is_staff, owned_or_404, team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm, read_upload
from campaign.core.uploads import save_logo
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.kits import preview, render_social, services
from campaign.kits.cards import FileSpec, HeroCard, SdgBadge, SocialSize
from campaign.kits.forms import VisualForm
from campaign.kits.models import KitFile
from campaign.kits.plan import visual_of
from campaign.registrations.models import Registration
from campaign.registrations.services import current_registration_of, local_date

bp = Blueprint("kits", __name__)


def _today():
    return local_date(clock.now())


def _media_root() -> str:
    return current_app.config["MEDIA_ROOT"]


@bp.route("/kit")
@login_required
def mine() -> Response | str:
    if is_staff(current_user):
        return redirect(url_for("registrations.overview"))
    registration = current_registration_of(current_user.municipality_id)
    if registration is None:
        return render_template("actions/not_registered.html")
    return redirect(url_for("kits.show", registration_id=registration.id))


@bp.route("/kit/<int:registration_id>")
@login_required
def show(registration_id: int) -> str:
    registration = owned_or_404(Registration, registration_id)
    kit = services.state(registration, today=_today(), media_root=_media_root())
    heroes = hero_services.heroes_of(registration)
    low_resolution = [
        (hero, ppi)
        for hero in heroes
        if hero.photo and (ppi := hero_services.print_ppi(hero.photo)) is not None and ppi < hero_services.MIN_PRINT_PPI
    ]
    without_consent = [hero for hero in heroes if not any(spec.hero_id == hero.id for spec in kit.planned)]
    return render_template(
        "kits/show.html",
        registration=registration,
        kit=kit,
        form=EmptyForm(),
        low_resolution=low_resolution,
        without_consent=without_consent,
        min_ppi=hero_services.MIN_PRINT_PPI,
    )


@bp.route("/kit/<int:registration_id>/render", methods=["POST"])
@login_required
def render(registration_id: int) -> Response:
    registration = owned_or_404(Registration, registration_id)
    if EmptyForm().validate_on_submit():
        services.request_render(registration, by=current_user, now=clock.now())
        db.session.commit()
        flash(_("Your kit is being made. This page shows the progress."), "info")
    return redirect(url_for("kits.show", registration_id=registration.id))


@bp.route("/kit/<int:registration_id>/progress")
@login_required
def progress(registration_id: int) -> Response:
    registration = owned_or_404(Registration, registration_id)
    kit = services.state(registration, today=_today(), media_root=_media_root())
    status = kit.request.status.value if kit.request else None
    return jsonify(
        ready=kit.ready_count,
        total=len(kit.planned),
        status=status,
        complete=kit.complete,
        message=_("%(ready)d of %(total)d files ready", ready=kit.ready_count, total=len(kit.planned)),
    )


def _kit_file(registration_id: int, file_id: int) -> tuple[KitFile, FileSpec]:
    registration = owned_or_404(Registration, registration_id)
    found = services.ready_file(registration, file_id, today=_today(), media_root=_media_root())
    if found is None:  # another kit's, no longer planned (e.g. consent withdrawn), or stale
        abort(404)
    return found


@bp.route("/kit/<int:registration_id>/files/<int:file_id>")
@login_required
def download(registration_id: int, file_id: int) -> Response:
    kit_file, spec = _kit_file(registration_id, file_id)
    spec_name = spec.filename
    response = send_file(
        media.resolve(_media_root(), kit_file.path),
        mimetype=kit_file.content_type.split(";")[0],
        as_attachment=True,
        download_name=spec_name.rsplit("/", 1)[-1],
        conditional=True,
        etag=kit_file.cache_key,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


@bp.route("/kit/<int:registration_id>/files/<int:file_id>/preview")
@login_required
def preview_file(registration_id: int, file_id: int) -> Response:
    kit_file, _spec = _kit_file(registration_id, file_id)
    path, mimetype = kit_file.path, kit_file.content_type
    if kit_file.content_type == "application/pdf":
        path, mimetype = preview.pdf_preview(_media_root(), kit_file.path, key=kit_file.cache_key), "image/png"
    elif not kit_file.content_type.startswith("image/"):
        abort(404)
    response = send_file(
        media.resolve(_media_root(), path),
        mimetype=mimetype,
        conditional=True,
        etag=f"{kit_file.cache_key}-preview",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/kit/<int:registration_id>/download.zip")
@login_required
def download_zip(registration_id: int) -> Response:
    registration = owned_or_404(Registration, registration_id)
    kit = services.state(registration, today=_today(), media_root=_media_root())
    if not kit.ready:
        flash(_("The kit is not ready yet. Make it first."), "error")
        return redirect(url_for("kits.show", registration_id=registration.id))
    etag = kit.zip_etag
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    data = services.build_zip(registration, kit, media_root=_media_root())
    if not is_staff(current_user):
        services.record_download(registration, by=current_user, now=clock.now())
        db.session.commit()
    response = Response(data, mimetype="application/zip")
    response.set_etag(etag)
    response.headers["Content-Disposition"] = f'attachment; filename="{services.zip_name(registration)}.zip"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# The campaign team: the edition's visual, with a live preview.

SAMPLE_QUOTE = "Samen maken we onze gemeente elke dag een beetje duurzamer."


@bp.route("/team/editions/<int:edition_id>/visual", methods=["GET", "POST"])
@team_required
def visual(edition_id: int) -> str | Response:
    edition = db.session.get(Edition, edition_id) or abort(404)
    form = VisualForm(obj=edition)
    if request.method == "GET":
        form.primary.data, form.accent.data = edition.visual_primary, edition.visual_accent
        form.headline.data, form.hashtags.data = edition.visual_headline, edition.visual_hashtags
    if form.validate_on_submit():
        try:
            data = read_upload(form.logo)
            if data is not None:
                edition.visual_logo = save_logo(_media_root(), data)
        except DomainError as error:
            form.logo.errors = [str(error)]
        else:
            edition.visual_primary = form.primary.data.upper()
            edition.visual_accent = form.accent.data.upper()
            edition.visual_headline = form.headline.data
            edition.visual_hashtags = " ".join(form.hashtags.data.split())
            db.session.commit()
            flash(_("The visual of %(year)s was saved. Kits are made again with it.", year=edition.year), "success")
            return redirect(url_for("kits.visual", edition_id=edition.id))
    return render_template("kits/visual.html", edition=edition, form=form)


@bp.route("/team/editions/<int:edition_id>/visual/preview.jpg")
@team_required
def visual_preview(edition_id: int) -> Response:
    """A sample social image with the visual as it is, or with the values being edited."""
    edition = db.session.get(Edition, edition_id) or abort(404)
    form = VisualForm(request.args, meta={"csrf": False})
    base = visual_of(edition, media_root=Path(_media_root()))
    changes = {}
    if form.primary.data and not form.primary.errors and form.validate():
        changes = {
            "primary": form.primary.data.upper(),
            "accent": form.accent.data.upper(),
            "headline": form.headline.data,
            "hashtags": tuple(form.hashtags.data.split()),
        }
    sample = HeroCard(
        name="Fien Claes",
        role="vrijwilliger bij het Repair Café",
        quote=SAMPLE_QUOTE,
        municipality="Gent",
        sdgs=(
            SdgBadge(11, "Duurzame steden en gemeenschappen", "#FD9D24"),
            SdgBadge(12, "Verantwoorde consumptie en productie", "#BF8B2E"),
        ),
        visual=dataclasses.replace(base, **changes),
    )
    response = Response(render_social.render_hero_image(sample, size=SocialSize.SQUARE), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response
