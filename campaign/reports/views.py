"""The evaluation survey for officers, and its results for the campaign team."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from campaign.core import clock, media
from campaign.core.auth import officer_required, owned_or_404, team_required
from campaign.core.forms import EmptyForm
from campaign.core.urls import query_id
from campaign.editions import services as edition_services
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.registrations import services as registration_services
from campaign.registrations.models import Registration
from campaign.registrations.services import local_date
from campaign.reports import data, document, services, survey
from campaign.reports.forms import EvaluationForm, ReportTextForm
from campaign.reports.models import BuildStatus, ReportBuild

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


def _chosen_edition() -> tuple[Edition, list[Edition]]:
    """The edition asked for with ?edition=YEAR, else the current one; 404 without one."""
    editions = edition_services.all_editions()
    year = query_id("edition")
    edition = next((e for e in editions if e.year == year), None) or edition_services.current_edition()
    if edition is None:
        abort(404)
    return edition, editions


@bp.route("/team/evaluation")
@team_required
def results() -> str:
    """Response rate and results of an edition's evaluation (?edition=YEAR; the current one by default)."""
    edition, editions = _chosen_edition()
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


def _edition_by_year(year: int) -> Edition:
    edition = db.session.scalar(db.select(Edition).where(Edition.year == year)) if year < 10_000 else None
    if edition is None:
        abort(404)
    return edition


@bp.route("/team/report", methods=["GET", "POST"])
@team_required
def report() -> str | Response:
    """The policy report of an edition: its narrative sections, builds (archive) and preview."""
    edition, editions = _chosen_edition()
    texts = data.texts_of(edition)
    form = ReportTextForm(obj=texts)
    if form.validate_on_submit():
        services.save_texts(
            edition,
            introduction=form.introduction.data,
            keep=form.keep.data,
            strengthen=form.strengthen.data,
            adjust=form.adjust.data,
        )
        if request.form.get("action") == "build":
            services.request_build(edition, by_id=current_user.id)
            flash(_("The texts are saved and the report is being built. This page shows its progress."), "success")
        else:
            flash(_("The texts are saved."), "success")
        db.session.commit()
        return redirect(url_for("reports.report", edition=edition.year))
    builds = services.builds(edition)
    running = builds[0] if builds and builds[0].status in (BuildStatus.PENDING, BuildStatus.RUNNING) else None
    return render_template(
        "reports/report.html",
        edition=edition,
        editions=editions,
        form=form,
        builds=builds,
        running=running,
        action_form=EmptyForm(),
    )


@bp.route("/team/report/builds/<int:build_id>/progress")
@team_required
def build_progress(build_id: int) -> Response:
    build = db.session.get(ReportBuild, build_id) or abort(404)
    return jsonify(status=build.status.value, progress=build.progress, message=_progress_text(build))


def _progress_text(build: ReportBuild) -> str:
    if build.status == BuildStatus.FAILED:
        return _("The build failed: %(error)s", error=build.error or "")
    if build.status == BuildStatus.DONE:
        return _("Ready: %(pages)d pages.", pages=build.pages or 0)
    return _("%(progress)d%% done: %(step)s", progress=build.progress, step=build.step)


@bp.route("/team/report/builds/<int:build_id>/<any(pdf, xlsx):kind>")
@team_required
def build_file(build_id: int, kind: str) -> Response:
    build = db.session.get(ReportBuild, build_id) or abort(404)
    relative = build.pdf_path if kind == "pdf" else build.xlsx_path
    if build.status != BuildStatus.DONE or not relative:
        abort(404)
    path = media.resolve(current_app.config["MEDIA_ROOT"], relative)
    if not path.is_file():
        abort(404)
    mimetype = (
        "application/pdf" if kind == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=Path(relative).name, max_age=0)


@bp.route("/team/report/builds/<int:build_id>/publish", methods=["POST"])
@team_required
def publish_build(build_id: int) -> Response:
    build = db.session.get(ReportBuild, build_id) or abort(404)
    if EmptyForm().validate_on_submit() and build.status == BuildStatus.DONE:
        services.publish(build)
        db.session.commit()
        flash(_("This version is now the published report."), "success")
    edition = db.session.get(Edition, build.edition_id)
    return redirect(url_for("reports.report", edition=edition.year))


@bp.route("/team/report/<int:year>/preview")
@team_required
def preview(year: int) -> str:
    """The report as HTML, built from today's figures (not saved)."""
    edition = _edition_by_year(year)
    now = clock.now()
    report_data = data.gather(edition, now=now, today=local_date(now))
    return document.render_html(
        report_data,
        photo_url=lambda relative: url_for("reports.preview_photo", path=relative),
        logo_url=None,
    )


@bp.route("/team/report/photo/<path:path>")
@team_required
def preview_photo(path: str) -> Response:
    """A practice's photo in the preview (only the team sees the preview): a hero's or an action's
    photo, never another stored file (consent proofs, archives)."""
    if not data.is_practice_photo(path):
        abort(404)
    try:
        file = media.resolve(current_app.config["MEDIA_ROOT"], path)
    except ValueError:
        abort(404)
    if not file.is_file():
        abort(404)
    return send_file(file, max_age=0)
