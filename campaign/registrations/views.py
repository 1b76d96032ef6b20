"""Officers register their municipality; the campaign team follows all registrations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from campaign.core import clock
from campaign.core.auth import is_staff, officer_required, owned_or_404, team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm
from campaign.core.views import save_uploaded_image
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.registrations import services
from campaign.registrations.forms import FlagPhotoForm, RegistrationFilterForm, RegistrationForm
from campaign.registrations.models import Registration, RegistrationStatus, Track

bp = Blueprint("registrations", __name__)


def _current_edition_or_404():
    edition = edition_services.current_edition()
    if edition is None:
        abort(404)
    return edition


@bp.route("/registration")
@login_required
def mine() -> Response:
    """The officer's registration for the current edition, or the form to make one."""
    if is_staff(current_user):
        return redirect(url_for("registrations.overview"))
    edition = _current_edition_or_404()
    registration = services.find(edition, current_user.municipality_id)
    if registration is None:
        return redirect(url_for("registrations.new"))
    return redirect(url_for("registrations.show", registration_id=registration.id))


@bp.route("/registrations/new", methods=["GET", "POST"])
@officer_required
def new() -> str | Response:
    edition = _current_edition_or_404()
    municipality = current_user.municipality
    existing = services.find(edition, municipality.id)
    if existing is not None and existing.is_active:
        return redirect(url_for("registrations.show", registration_id=existing.id))
    form = RegistrationForm(obj=existing)
    if request.method == "GET" and existing is None:
        form.contact_name.data = current_user.name
        form.contact_email.data = current_user.email
    if not services.registration_open(edition, now=clock.now()):
        return render_template("registrations/closed.html", edition=edition), 403
    if form.validate_on_submit():
        try:
            registration = services.register(edition, municipality, by=current_user, now=clock.now(), **form.values())
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s is registered for %(title)s.", name=municipality.name_nl, title=edition.title), "success")
            return redirect(url_for("registrations.show", registration_id=registration.id))
    return render_template(
        "registrations/edit.html", form=form, edition=edition, municipality=municipality, registration=None
    )


@bp.route("/registrations/<int:registration_id>")
@login_required
def show(registration_id: int) -> str:
    registration = owned_or_404(Registration, registration_id)
    return render_template(
        "registrations/show.html",
        registration=registration,
        can_change=is_staff(current_user) or services.registration_open(registration.edition, now=clock.now()),
        form=EmptyForm(),
    )


@bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit(registration_id: int) -> str | Response:
    registration = owned_or_404(Registration, registration_id)
    form = RegistrationForm(obj=registration)
    if request.method == "GET":
        form.track.data = registration.track.value
    if form.validate_on_submit():
        try:
            services.update(registration, enforce_deadline=not is_staff(current_user), now=clock.now(), **form.values())
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The registration was saved."), "success")
            return redirect(url_for("registrations.show", registration_id=registration.id))
    return render_template(
        "registrations/edit.html",
        form=form,
        edition=registration.edition,
        municipality=registration.municipality,
        registration=registration,
    )


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(registration_id: int) -> str | Response:
    registration = owned_or_404(Registration, registration_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.withdraw(registration, enforce_deadline=not is_staff(current_user), now=clock.now())
        except DomainError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("The registration of %(name)s was withdrawn.", name=registration.municipality.name_nl), "info")
        return redirect(url_for("registrations.show", registration_id=registration.id))
    return render_template("registrations/withdraw.html", registration=registration, form=form)


@bp.route("/team/registrations")
@team_required
def overview() -> str:
    editions = edition_services.all_editions()
    if not editions:
        return render_template("registrations/overview.html", edition=None, registrations=[], form=None)
    form = RegistrationFilterForm(request.args)
    locale = str(get_locale())
    form.edition.choices = [SelectChoice(e.id, str(e.year)) for e in editions]
    provinces = services.provinces()
    form.province.choices = [SelectChoice(0, _("All provinces"))] + [
        SelectChoice(p.id, p.name(locale)) for p in provinces
    ]
    form.validate()
    current = edition_services.current_edition()
    edition = next((e for e in editions if e.id == form.edition.data), current)
    form.edition.data = edition.id
    status = form.status.data if not form.status.errors else RegistrationStatus.ACTIVE.value
    filters = services.RegistrationFilter(
        province_id=form.province.data if not form.province.errors else None,
        track=Track(form.track.data) if form.track.data and not form.track.errors else None,
        status=None if status == "all" else RegistrationStatus(status or RegistrationStatus.ACTIVE.value),
        query=(form.q.data or "") if not form.q.errors else "",
        flag_commitment={"yes": True, "no": False}.get(form.flag.data) if not form.flag.errors else None,
    )
    registrations = services.list_registrations(edition, filters)
    return render_template("registrations/overview.html", edition=edition, registrations=registrations, form=form)


@bp.route("/registrations/<int:registration_id>/flag-photo", methods=["POST"])
@login_required
def flag_photo(registration_id: int) -> Response:
    registration = owned_or_404(Registration, registration_id)
    form = FlagPhotoForm()
    if form.validate_on_submit():
        try:
            upload = save_uploaded_image(form.photo)
            if upload is None:
                flash(_("Choose a photo."), "error")
            else:
                services.set_flag_photo(registration, upload, now=clock.now())
                db.session.commit()
                flash(_("Thank you! The photo of the SDG flag was saved."), "success")
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("site.index", _anchor="step-5"))
