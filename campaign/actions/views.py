"""Officers manage their actions; the campaign team sees and edits every action."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from campaign.actions import sdg_check, services
from campaign.actions.forms import ActionFilterForm, ActionForm, PhotoForm, sdg_check_form
from campaign.actions.labels import ACTION_TYPES, AUDIENCES, EFFECTS
from campaign.actions.models import Action
from campaign.core.auth import is_staff, owned_or_404, team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm
from campaign.core.pagination import page_number
from campaign.core.views import save_uploaded_image
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.reference import forms as reference_forms
from campaign.reference.models import PILLAR_NAMES_NL, Pillar, Sdg
from campaign.registrations import services as registration_services
from campaign.registrations.models import Registration

bp = Blueprint("actions", __name__)

PILLAR_NAMES_EN = {p: p.value.capitalize() for p in Pillar}


@bp.app_context_processor
def labels() -> dict:
    return {"action_types": ACTION_TYPES, "audiences": AUDIENCES, "effect_labels": EFFECTS}


def sdg_choices() -> list[SelectChoice]:
    return reference_forms.sdg_choices(str(get_locale()))


def pillar_names() -> dict[Pillar, str]:
    return PILLAR_NAMES_EN if str(get_locale()) == "en" else PILLAR_NAMES_NL


def officer_registration() -> Registration | None:
    return registration_services.current_registration_of(current_user.municipality_id)


def summary_of(action: Action) -> sdg_check.Summary:
    locale = str(get_locale())
    rated = [
        sdg_check.RatedSdg(
            number=link.sdg_number,
            name=link.sdg.name(locale),
            pillar=link.sdg.pillar,
            effect=link.effect,
            reason=link.reason,
        )
        for link in action.sdg_links
    ]
    return sdg_check.summarize(rated, locale=locale, pillar_names=pillar_names())


@bp.route("/actions/")
@login_required
def index() -> str | Response:
    if is_staff(current_user):
        return redirect(url_for("actions.overview"))
    registration = officer_registration()
    if registration is None:
        return render_template("actions/not_registered.html")
    return render_template("actions/index.html", registration=registration, actions=services.actions_of(registration))


def _form_page(form: ActionForm, *, action: Action | None, registration: Registration) -> str:
    suggestions = []
    if form.suggest.data:
        suggestions = sdg_check.suggest(f"{form.title.data or ''} {form.description.data or ''}")
    locale = str(get_locale())
    names = {sdg.number: sdg.name(locale) for sdg in db.session.scalars(sa.select(Sdg))}
    return render_template(
        "actions/edit.html",
        form=form,
        action=action,
        registration=registration,
        suggestions=suggestions,
        sdg_names=names,
    )


def _apply_errors(form: ActionForm, error: DomainError) -> None:
    field = getattr(form, getattr(error, "field", ""), None)
    (field.errors if field is not None else form.form_errors).append(str(error))


@bp.route("/actions/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    registration = officer_registration()
    if registration is None:
        return render_template("actions/not_registered.html")
    form = ActionForm()
    form.sdgs.choices = sdg_choices()
    if request.method == "POST" and form.suggest.data:
        form.validate()  # show what is already wrong, but only suggest
    elif form.validate_on_submit():
        try:
            action = services.create_action(registration, sdgs=form.sdgs.data, **form.values())
        except DomainError as error:
            _apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("The action was saved. Now do the SDG check."), "success")
            return redirect(url_for("actions.check", action_id=action.id))
    return _form_page(form, action=None, registration=registration)


@bp.route("/actions/<int:action_id>")
@login_required
def show(action_id: int) -> str:
    action = owned_or_404(Action, action_id)
    return render_template(
        "actions/show.html",
        action=action,
        summary=summary_of(action),
        photo_form=PhotoForm(),
        form=EmptyForm(),
        pillar_names=pillar_names(),
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int) -> str | Response:
    action = owned_or_404(Action, action_id)
    form = ActionForm(obj=action)
    form.sdgs.choices = sdg_choices()
    if request.method == "GET":
        form.sdgs.data = [link.sdg_number for link in action.sdg_links]
        form.type.data = action.type.value
        form.audience.data = action.audience.value
    if request.method == "POST" and form.suggest.data:
        form.validate()
    elif form.validate_on_submit():
        try:
            services.update_action(action, sdgs=form.sdgs.data, **form.values())
        except DomainError as error:
            _apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("The action was saved."), "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return _form_page(form, action=action, registration=action.registration)


@bp.route("/actions/<int:action_id>/delete", methods=["GET", "POST"])
@login_required
def delete(action_id: int) -> str | Response:
    action = owned_or_404(Action, action_id)
    form = EmptyForm()
    if form.validate_on_submit():
        title = action.title
        services.delete_action(action)
        db.session.commit()
        flash(_("The action “%(title)s” was deleted.", title=title), "info")
        return redirect(url_for("actions.index"))
    return render_template("actions/delete.html", action=action, form=form)


@bp.route("/actions/<int:action_id>/check", methods=["GET", "POST"])
@login_required
def check(action_id: int) -> str | Response:
    action = owned_or_404(Action, action_id)
    numbers = [link.sdg_number for link in action.sdg_links]
    data = {}
    for link in action.sdg_links:
        data[f"effect_{link.sdg_number}"] = None if link.effect is None else str(link.effect)
        data[f"reason_{link.sdg_number}"] = link.reason
    form = sdg_check_form(numbers, data=data)
    if form.validate_on_submit():
        ratings = {}
        for number in numbers:
            raw = getattr(form, f"effect_{number}").data
            ratings[number] = (
                int(raw) if raw not in (None, "", "None") else None,
                getattr(form, f"reason_{number}").data or "",
            )
        try:
            services.rate_sdgs(action, ratings)
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The SDG check was saved."), "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template(
        "actions/check.html", action=action, form=form, summary=summary_of(action), pillar_names=pillar_names()
    )


@bp.route("/actions/<int:action_id>/photos", methods=["POST"])
@login_required
def add_photo(action_id: int) -> str | Response:
    action = owned_or_404(Action, action_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            upload = save_uploaded_image(form.photo)
            if upload is None:
                form.photo.errors.append(_("Choose a photo."))
            else:
                services.add_photo(action, upload, caption=form.caption.data or "", credit=form.credit.data or "")
        except DomainError as error:
            form.photo.errors.append(str(error))
        if not form.photo.errors:
            db.session.commit()
            flash(_("The photo was added."), "success")
            return redirect(url_for("actions.show", action_id=action.id))
    db.session.rollback()
    return render_template(
        "actions/show.html",
        action=action,
        summary=summary_of(action),
        photo_form=form,
        form=EmptyForm(),
        pillar_names=pillar_names(),
    ), 400


@bp.route("/actions/<int:action_id>/photos/<int:photo_id>/delete", methods=["POST"])
@login_required
def delete_photo(action_id: int, photo_id: int) -> Response:
    action = owned_or_404(Action, action_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_photo(action, photo_id)
        except DomainError:
            abort(404)
        db.session.commit()
        flash(_("The photo was removed."), "info")
    return redirect(url_for("actions.show", action_id=action.id))


@bp.route("/team/actions")
@team_required
def overview() -> str:
    form = ActionFilterForm(request.args)
    chosen = form.resolve(
        editions=edition_services.all_editions(),
        current=edition_services.current_edition(),
        provinces=services.provinces(),
        locale=str(get_locale()),
        all_provinces=_("All provinces"),
    )
    edition = chosen.edition
    page = services.team_actions(
        edition, province_id=chosen.province_id, text=chosen.text, page=page_number(request.args.get("page"))
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("actions/overview.html", form=form, page=page, edition=edition, args=args)
