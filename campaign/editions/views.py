"""The campaign team manages editions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from campaign.core.auth import team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm
from campaign.editions import services
from campaign.editions.forms import EditionForm
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Sdg

bp = Blueprint("editions", __name__, url_prefix="/team/editions")


def _with_sdg_choices(form: EditionForm) -> EditionForm:
    locale = str(get_locale())
    form.focus_sdgs.choices = [
        SelectChoice(sdg.number, f"{sdg.number}. {sdg.name(locale)}")
        for sdg in db.session.scalars(sa.select(Sdg).order_by(Sdg.number))
    ]
    return form


@bp.route("/")
@team_required
def index() -> str:
    return render_template("editions/index.html", editions=services.all_editions(), current_form=EmptyForm())


@bp.route("/new", methods=["GET", "POST"])
@team_required
def new() -> str | Response:
    form = _with_sdg_choices(EditionForm())
    if request.method == "GET":
        latest = services.current_edition()
        year = (latest.year + 1) if latest else 2026
        form.year.data = year
        for name, value in services.default_dates(year).items():
            getattr(form, name).data = value
    if form.validate_on_submit():
        try:
            edition = services.create_edition(make_current=form.is_current.data, **form.values())
        except DomainError as error:
            form.year.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Edition %(year)s was created.", year=edition.year), "success")
            return redirect(url_for("editions.index"))
    return render_template("editions/edit.html", form=form, edition=None)


@bp.route("/<int:edition_id>/edit", methods=["GET", "POST"])
@team_required
def edit(edition_id: int) -> str | Response:
    edition = db.session.get(Edition, edition_id) or abort(404)
    form = _with_sdg_choices(EditionForm(obj=edition))
    if request.method == "GET":
        form.focus_sdgs.data = [sdg.number for sdg in edition.focus_sdgs]
    if form.validate_on_submit():
        try:
            services.update_edition(edition, **form.values())
        except DomainError as error:
            form.year.errors.append(str(error))
        else:
            if form.is_current.data:
                services.set_current(edition)
            db.session.commit()
            flash(_("Edition %(year)s was saved.", year=edition.year), "success")
            return redirect(url_for("editions.index"))
    return render_template("editions/edit.html", form=form, edition=edition)


@bp.route("/<int:edition_id>/current", methods=["POST"])
@team_required
def make_current(edition_id: int) -> Response:
    edition = db.session.get(Edition, edition_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.set_current(edition)
        db.session.commit()
        flash(_("Edition %(year)s is now the current edition.", year=edition.year), "success")
    return redirect(url_for("editions.index"))
