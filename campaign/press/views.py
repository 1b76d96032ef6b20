"""Public pages (no login): participants, a page per municipality, the calendar and the
practice bank. Heroes appear only with valid web consent, checked on every request."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import SelectChoice

from campaign.actions import services as action_services
from campaign.actions.labels import ACTION_TYPES, AUDIENCES
from campaign.actions.models import ActionType, Audience
from campaign.core import clock
from campaign.core.pagination import page_number
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.monitoring.map import participation_map
from campaign.press import services
from campaign.press.forms import ParticipantFilterForm, PracticeBankForm
from campaign.reference.models import Municipality, Sdg
from campaign.registrations.services import local_date

bp = Blueprint("public", __name__)


def _edition_or_404():
    edition = edition_services.current_edition()
    if edition is None:
        abort(404)
    return edition


def _province_choices(all_label: str) -> list[SelectChoice]:
    locale = str(get_locale())
    return [SelectChoice(0, all_label)] + [SelectChoice(p.id, p.name(locale)) for p in action_services.provinces()]


@bp.route("/deelnemers")
def participants() -> str:
    edition = _edition_or_404()
    form = ParticipantFilterForm(request.args)
    form.province.choices = _province_choices(_("All provinces"))
    form.validate()
    province_id = form.province.data if not form.province.errors else None
    rows = services.participants(edition, province_id=province_id or None)
    everyone = rows if not province_id else services.participants(edition, province_id=None)
    legend = {"not-registered": _("Not taking part (yet)"), "registered": _("Taking part")}
    view = participation_map(
        {row.municipality.nis_code: "registered" for row in everyone},
        legend,
        href=url_for("public.municipality", nis_code="NISCODE").replace("NISCODE", "{nis}"),
        title=_("Map of the Flemish municipalities: which take part"),
    )
    return render_template("press/participants.html", edition=edition, rows=rows, form=form, view=view, legend=legend)


@bp.route("/gemeente/<nis_code>")
def municipality(nis_code: str) -> str:
    edition = _edition_or_404()
    found = db.session.scalar(sa.select(Municipality).where(Municipality.nis_code == nis_code[:5]))
    if found is None:
        abort(404)
    today = local_date(clock.now())
    registration = services.active_registration(edition, found)
    return render_template(
        "press/municipality.html",
        edition=edition,
        municipality=found,
        registration=registration,
        actions=action_services.public_actions_of(edition, found) if registration else [],
        heroes=hero_services.public_heroes(today=today, edition=edition, municipality=found) if registration else [],
    )


@bp.route("/kalender")
def calendar() -> str:
    edition = _edition_or_404()
    return render_template("press/calendar.html", edition=edition, days=action_services.calendar(edition))


@bp.route("/praktijkbank")
def practice_bank() -> str:
    locale = str(get_locale())
    form = PracticeBankForm(request.args)
    form.sdg.choices = [SelectChoice(0, _("All SDGs"))] + [
        SelectChoice(s.number, f"{s.number}. {s.name(locale)}")
        for s in db.session.scalars(sa.select(Sdg).order_by(Sdg.number))
    ]
    form.province.choices = _province_choices(_("All provinces"))
    form.type.choices = [SelectChoice("", _("All types"))] + [
        SelectChoice(t.value, label) for t, label in ACTION_TYPES.items()
    ]
    form.audience.choices = [SelectChoice("", _("All audiences"))] + [
        SelectChoice(a.value, label) for a, label in AUDIENCES.items()
    ]
    form.edition.choices = [SelectChoice(0, _("All editions"))] + [
        SelectChoice(e.id, str(e.year)) for e in edition_services.all_editions()
    ]
    form.validate()

    def ok(field):
        return field.data if not field.errors and field.data else None

    query = action_services.PracticeQuery(
        text=(form.q.data or "") if not form.q.errors else "",
        sdg=ok(form.sdg),
        province_id=ok(form.province),
        edition_id=ok(form.edition),
        type=ActionType(form.type.data) if ok(form.type) else None,
        audience=Audience(form.audience.data) if ok(form.audience) else None,
    )
    page = action_services.practice_bank(query, page=page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("press/practice_bank.html", form=form, page=page, args=args)


@bp.route("/praktijkbank/<int:action_id>")
def practice(action_id: int) -> str:
    action = action_services.public_action(action_id)
    if action is None:
        abort(404)
    today = local_date(clock.now())
    return render_template(
        "press/practice.html", action=action, heroes=hero_services.public_heroes(today=today, action=action)
    )
