"""The evaluation survey for officers, and its results for the campaign team."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from campaign.core import clock
from campaign.core.auth import officer_required, owned_or_404, team_required
from campaign.core.urls import query_id
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.registrations import services as registration_services
from campaign.registrations.models import Registration
from campaign.registrations.services import local_date
from campaign.reports import survey
from campaign.reports.forms import EvaluationForm

bp = Blueprint("reports", __name__)


@bp.route("/evaluation")
@officer_required
def mine() -> Response:
    """The officer's evaluation for the current edition."""
    edition = edition_services.current_edition()
    registration = registration_services.find(edition, current_user.municipality_id) if edition else None
    if registration is None:
        abort(404)
    return redirect(url_for("reports.evaluation", registration_id=registration.id))


def _fill(form: EvaluationForm, evaluation) -> None:
    form.participants.data = evaluation.participants
    form.channels.data = list(evaluation.channels)
    form.effects.data = list(evaluation.effects)
    form.again.data = evaluation.again
    for name in ("keep", "strengthen", "adjust", "remarks"):
        getattr(form, name).data = getattr(evaluation, name)
    for key, score in evaluation.ratings.items():
        field = getattr(form, f"rating_{key}", None)
        if field is not None:
            field.data = str(score)


@bp.route("/registrations/<int:registration_id>/evaluation", methods=["GET", "POST"])
@officer_required
def evaluation(registration_id: int) -> str | Response | tuple[str, int]:
    registration = owned_or_404(Registration, registration_id)
    edition = registration.edition
    today = local_date(clock.now())
    state = survey.window(edition, today)
    stored = survey.evaluation_of(registration)
    form = EvaluationForm()
    if request.method == "GET" and stored is not None:
        _fill(form, stored)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        try:
            survey.save(
                registration, form.answers(), submit=submit, by_id=current_user.id, now=clock.now(), today=today
            )
        except survey.Incomplete as error:
            for name, message in error.missing.items():
                field = getattr(form, name)
                field.errors = [*field.errors, str(message)]
            form.form_errors.append(str(error))
            status = 400
        except survey.SurveyClosed as error:
            form.form_errors.append(str(error))
            status = 409
        else:
            db.session.commit()
            if submit:
                flash(
                    _("Thank you: your evaluation is submitted. You can still change it until the deadline."), "success"
                )
            else:
                flash(_("Your answers are saved. Come back to finish them before the deadline."), "success")
            return redirect(url_for("reports.evaluation", registration_id=registration.id))
    elif request.method == "POST":
        status = 400
    page = render_template(
        "reports/evaluation.html",
        form=form,
        registration=registration,
        edition=edition,
        state=state,
        stored=stored,
        opens_on=survey.opens_on(edition),
    )
    return page, status


@bp.route("/team/evaluation")
@team_required
def results() -> str:
    """Response rate and results of an edition's evaluation (?edition=YEAR; the current one by default)."""
    editions = edition_services.all_editions()
    year = query_id("edition")
    edition = next((e for e in editions if e.year == year), None) or edition_services.current_edition()
    if edition is None:
        abort(404)
    return render_template(
        "reports/results.html",
        edition=edition,
        editions=editions,
        results=survey.results(edition),
        channels=survey.CHANNELS,
        materials=survey.MATERIALS,
        effects=survey.EFFECTS,
        again=survey.AGAIN,
        number=lambda value, pattern=None: format_decimal(value, format=pattern),
        percent=lambda value: format_percent(value),
    )
