"""Officers manage their heroes, photos, focal points and consent."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from campaign.actions import services as action_services
from campaign.actions.forms import ActionFilterForm
from campaign.core import clock
from campaign.core.auth import is_staff, owned_or_404, team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm
from campaign.core.pagination import page_number
from campaign.core.views import save_uploaded_image, save_uploaded_proof
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.heroes import services
from campaign.heroes.forms import ConsentForm, FocalPointForm, HeroForm, HeroPhotoForm
from campaign.heroes.models import ConsentScope, Hero
from campaign.reference.forms import sdg_choices
from campaign.registrations.models import Registration
from campaign.registrations.services import current_registration_of, local_date

bp = Blueprint("heroes", __name__, url_prefix="/heroes")


def today():
    return local_date(clock.now())


def _hero_form(registration: Registration, **kwargs) -> HeroForm:
    form = HeroForm(**kwargs)
    form.sdgs.choices = sdg_choices(str(get_locale()))
    form.action.choices = [SelectChoice(0, _("No linked action"))] + [
        SelectChoice(a.id, a.title) for a in action_services.actions_of(registration)
    ]
    return form


def _apply_error(form, error: DomainError) -> None:
    field = getattr(form, getattr(error, "field", ""), None)
    (field.errors if field is not None and hasattr(field, "errors") else form.form_errors).append(str(error))


@bp.route("/")
@login_required
def index() -> str | Response:
    if is_staff(current_user):
        return redirect(url_for("heroes.overview"))
    registration = current_registration_of(current_user.municipality_id)
    if registration is None:
        return render_template("actions/not_registered.html")
    return render_template(
        "heroes/index.html", registration=registration, heroes=services.heroes_of(registration), today=today()
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    registration = current_registration_of(current_user.municipality_id)
    if registration is None:
        return render_template("actions/not_registered.html")
    form = _hero_form(registration)
    photo_form = HeroPhotoForm()
    if form.validate_on_submit():
        try:
            hero = services.create_hero(registration, **form.values())
            upload = save_uploaded_image(photo_form.photo)
            if upload is not None:
                services.set_photo(hero, upload, credit=photo_form.photo_credit.data or "")
        except DomainError as error:
            db.session.rollback()
            if hasattr(error, "reason"):  # the photo was refused; the rest of the form stays filled in
                photo_form.photo.errors = [str(error)]
            else:
                _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s was added. Now record the consent.", name=hero.name), "success")
            return redirect(url_for("heroes.show", hero_id=hero.id))
    return render_template("heroes/edit.html", form=form, photo_form=photo_form, hero=None, registration=registration)


@bp.route("/<int:hero_id>")
@login_required
def show(hero_id: int) -> str:
    hero = owned_or_404(Hero, hero_id)
    return _show_page(hero, focal_form=FocalPointForm(obj=hero), photo_form=HeroPhotoForm())


def _show_page(hero: Hero, *, focal_form: FocalPointForm, photo_form: HeroPhotoForm) -> str:
    return render_template(
        "heroes/show.html",
        hero=hero,
        today=today(),
        focal_form=focal_form,
        photo_form=photo_form,
        form=EmptyForm(),
        public=services.is_public(hero, today=today()),
        ppi=services.print_ppi(hero.photo) if hero.photo else None,
        min_ppi=services.MIN_PRINT_PPI,
        min_size=services.min_print_size(),
    )


@bp.route("/<int:hero_id>/edit", methods=["GET", "POST"])
@login_required
def edit(hero_id: int) -> str | Response:
    hero = owned_or_404(Hero, hero_id)
    form = _hero_form(hero.registration, obj=hero)
    if request.method == "GET":
        form.sdgs.data = [sdg.number for sdg in hero.sdgs]
        form.action.data = hero.action_id or 0
    if form.validate_on_submit():
        try:
            services.update_hero(hero, **form.values())
        except DomainError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("The hero was saved."), "success")
            return redirect(url_for("heroes.show", hero_id=hero.id))
    return render_template("heroes/edit.html", form=form, photo_form=None, hero=hero, registration=hero.registration)


@bp.route("/<int:hero_id>/delete", methods=["GET", "POST"])
@login_required
def delete(hero_id: int) -> str | Response:
    hero = owned_or_404(Hero, hero_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = hero.name
        services.delete_hero(hero)
        db.session.commit()
        flash(_("%(name)s was deleted.", name=name), "info")
        return redirect(url_for("heroes.index"))
    return render_template("heroes/delete.html", hero=hero, form=form)


@bp.route("/<int:hero_id>/photo", methods=["POST"])
@login_required
def photo(hero_id: int) -> str | Response | tuple[str, int]:
    hero = owned_or_404(Hero, hero_id)
    form = HeroPhotoForm()
    if form.validate_on_submit():
        try:
            upload = save_uploaded_image(form.photo)
            if upload is None:
                form.photo.errors.append(_("Choose a photo."))
            else:
                services.set_photo(hero, upload, credit=form.photo_credit.data or "")
        except DomainError as error:
            form.photo.errors.append(str(error))
        if not form.photo.errors:
            db.session.commit()
            flash(_("The photo was saved. Click on the most important point of the photo."), "success")
            return redirect(url_for("heroes.show", hero_id=hero.id, _anchor="focal"))
    db.session.rollback()
    return _show_page(hero, focal_form=FocalPointForm(obj=hero), photo_form=form), 400


@bp.route("/<int:hero_id>/focal", methods=["POST"])
@login_required
def focal(hero_id: int) -> str | Response | tuple[str, int]:
    hero = owned_or_404(Hero, hero_id)
    form = FocalPointForm()
    if form.validate_on_submit():
        try:
            services.set_focal_point(hero, form.focal_x.data, form.focal_y.data)
        except DomainError as error:
            form.focal_x.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The focal point was saved."), "success")
            return redirect(url_for("heroes.show", hero_id=hero.id))
    return _show_page(hero, focal_form=form, photo_form=HeroPhotoForm()), 400


@bp.route("/<int:hero_id>/consent", methods=["GET", "POST"])
@login_required
def consent(hero_id: int) -> str | Response:
    hero = owned_or_404(Hero, hero_id)
    form = ConsentForm(obj=hero.consent) if hero.consent else ConsentForm()
    if request.method == "GET" and hero.consent is None:
        form.given_on.data = today()
    if request.method == "GET" and hero.consent is not None and hero.consent.is_withdrawn:
        for scope in ConsentScope:
            getattr(form, scope.value).data = False
    if form.validate_on_submit():
        try:
            proof = save_uploaded_proof(form.proof)
            services.record_consent(
                hero,
                scopes=form.scopes(),
                given_on=form.given_on.data,
                expires_on=form.expires_on.data,
                by=current_user,
                proof=proof,
                now=clock.now(),
            )
        except DomainError as error:
            db.session.rollback()
            if hasattr(error, "reason"):
                form.proof.errors = [str(error)]
            else:
                _apply_error(form, error)
        else:
            db.session.commit()
            flash(_("The consent of %(name)s was saved.", name=hero.name), "success")
            return redirect(url_for("heroes.show", hero_id=hero.id))
    return render_template("heroes/consent.html", hero=hero, form=form, today=today())


@bp.route("/<int:hero_id>/consent/withdraw", methods=["POST"])
@login_required
def withdraw_consent(hero_id: int) -> Response:
    hero = owned_or_404(Hero, hero_id)
    if EmptyForm().validate_on_submit():
        try:
            services.withdraw_consent(hero, by=current_user, now=clock.now())
        except DomainError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _("The consent of %(name)s was withdrawn. %(name)s is no longer shown anywhere.", name=hero.name),
                "info",
            )
    return redirect(url_for("heroes.show", hero_id=hero.id))


@bp.route("/team")
@team_required
def overview() -> str:
    form = ActionFilterForm(request.args)
    chosen = form.resolve(
        editions=edition_services.all_editions(),
        current=edition_services.current_edition(),
        provinces=action_services.provinces(),
        locale=str(get_locale()),
        all_provinces=_("All provinces"),
    )
    edition = chosen.edition
    page = services.team_heroes(
        edition, province_id=chosen.province_id, text=chosen.text, page=page_number(request.args.get("page"))
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("heroes/overview.html", form=form, page=page, edition=edition, args=args, today=today())
