"""The campaign team's monitoring pages: dashboard, map, gap list. Team only."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.core import clock
from campaign.core.auth import team_required
from campaign.core.forms import read_upload
from campaign.core.pagination import page_number
from campaign.core.urls import query_id
from campaign.editions import services as edition_services
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.monitoring import cache, charts, exports, figures, history, services
from campaign.monitoring.forms import HistoryForm
from campaign.monitoring.map import participation_map as participation_map_view
from campaign.reference.models import PILLAR_NAMES_NL, Pillar
from campaign.registrations import services as registration_services
from campaign.registrations.services import BRUSSELS, local_date

bp = Blueprint("monitoring", __name__)

STEP_TITLES = {
    "registered": _l("Registered"),
    "hero": _l("Heroes entered"),
    "consent": _l("Consent complete"),
    "kit": _l("Kit downloaded"),
    "flag": _l("SDG flag photo"),
}
PILLAR_NAMES_EN = {p: p.value.capitalize() for p in Pillar}
MAP_LEGEND = {
    services.MapStatus.NOT_REGISTERED: _l("Not registered"),
    services.MapStatus.REGISTERED: _l("Registered"),
    services.MapStatus.HEROES: _l("Heroes entered"),
    services.MapStatus.KIT: _l("Kit downloaded"),
}


def _today():
    return local_date(clock.now())


def _edition() -> tuple[Edition, list[Edition]]:
    """The edition asked for with ?edition=YEAR, else the current one; 404 without editions."""
    editions = edition_services.all_editions()
    if not editions:
        abort(404)
    year = query_id("edition")
    chosen = next((e for e in editions if e.year == year), None)
    return chosen or next((e for e in editions if e.is_current), editions[0]), editions


def _detail_href(edition: Edition) -> str:
    """The address of a municipality's detail page for ``edition``, with "{nis}" for its code."""
    return url_for("monitoring.municipality", nis_code="NISCODE", edition=edition.year).replace("NISCODE", "{nis}")


def pillar_name(pillar: Pillar) -> str:
    return PILLAR_NAMES_EN[pillar] if str(get_locale()) == "en" else PILLAR_NAMES_NL[pillar]


def _cache_key(page: str, edition: Edition, editions: list[Edition], today, *filters: object) -> tuple:
    """What a fragment depends on. Pages depend on the language; CSV, XLSX and JSON files do not."""
    signature = tuple((e.id, e.year, e.is_current) for e in editions)
    language = None if page in LANGUAGE_FREE else str(get_locale())
    return (page, edition.id, signature, language, today, filters, cache.data_version())


LANGUAGE_FREE = frozenset({"gaps.csv", "export"})


def _cached_page(page: str, title: str, edition: Edition, editions: list[Edition], today, build, *filters) -> str:
    """A monitoring page around its body, which ``build`` renders only when the data changed."""
    body = cache.fragment(lambda: _cache_key(page, edition, editions, today, *filters), build)
    return render_template("monitoring/page.html", title=f"{title} {edition.year}", body=body)


@bp.route("/team/dashboard")
@team_required
def dashboard() -> str:
    edition, editions = _edition()
    today = _today()
    return _cached_page(
        "dashboard", _("Dashboard"), edition, editions, today, lambda: _dashboard_body(edition, editions, today)
    )


def _dashboard_body(edition: Edition, editions: list[Edition], today) -> str:
    data = services.dashboard(edition, editions, today=today)
    locale = str(get_locale())
    province_chart = charts.bars(
        tuple(row.province.name(locale) for row in data.provinces),
        tuple(round(row.rate * 100, 1) for row in data.provinces),
        label=_("Registered municipalities per province, in percent"),
        percent=True,
    )
    sdg_chart = charts.bars(
        tuple(f"{row.sdg.number}{' ★' if row.focus else ''}" for row in data.sdgs),
        tuple(row.actions for row in data.sdgs),
        colours=tuple(row.sdg.color_hex for row in data.sdgs),
        label=_("Actions per SDG"),
        horizontal=False,
        height=340,
    )
    pillar_chart = charts.bars(
        tuple(pillar_name(row.pillar) for row in data.pillars),
        tuple(row.actions for row in data.pillars),
        label=_("Actions per pillar"),
    )
    funnel_chart = charts.bars(
        tuple(str(STEP_TITLES[key]) for key in figures.FUNNEL_STEPS),
        tuple(data.funnel[key] for key in figures.FUNNEL_STEPS),
        label=_("Municipalities per step of the step plan"),
    )
    series = [(str(edition.year), tuple(data.timeline.current))]
    if data.timeline.previous is not None and data.previous is not None:
        series.append((str(data.previous.year), tuple(data.timeline.previous)))
    timeline_chart = charts.lines(
        tuple(str(-d) for d in data.timeline.days_before),
        tuple(series),
        label=_("Registrations by day before the week"),
    )
    body = render_template(
        "monitoring/dashboard.html",
        data=data,
        editions=editions,
        step_titles=STEP_TITLES,
        steps=figures.FUNNEL_STEPS,
        pillar_name=pillar_name,
        charts={
            "provinces": province_chart,
            "sdgs": sdg_chart,
            "pillars": pillar_chart,
            "funnel": funnel_chart,
            "timeline": timeline_chart,
        },
    )
    if services.keep_snapshot(data, today=today):
        db.session.commit()
    return body


@bp.route("/team/map")
@team_required
def participation_map() -> str:
    edition, editions = _edition()
    today = _today()
    return _cached_page(
        "map", _("Participation map"), edition, editions, today, lambda: _map_body(edition, editions, today)
    )


def _map_body(edition: Edition, editions: list[Edition], today) -> str:
    statuses = services.map_statuses(edition, today=today)
    by_id = services.nis_codes()
    legend = {status.value: str(label) for status, label in MAP_LEGEND.items()}
    view = participation_map_view(
        {by_id[mid]: status.value for mid, status in statuses.items()},
        legend,
        href=_detail_href(edition),
        title=_("Map of the Flemish municipalities by participation status"),
    )
    names = services.municipality_names()
    by_status: dict[str, list[tuple[str, str]]] = {}
    for mid, nis in sorted(by_id.items(), key=lambda item: names[item[0]]):
        status = statuses.get(mid, services.MapStatus.NOT_REGISTERED).value
        by_status.setdefault(status, []).append((nis, names[mid]))
    return render_template(
        "monitoring/map.html",
        edition=edition,
        editions=editions,
        view=view,
        legend=legend,
        by_status=by_status,
        detail_href=_detail_href(edition),
    )


def _numeric_moment(moment) -> str:
    """A moment as 21/11/2026 14:05, Belgian time: what the long gap list shows in every row
    (Babel's formatting costs a fifth of a millisecond per call)."""
    return moment.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M") if moment else "–"


def _gap_filters() -> tuple[int | None, str | None]:
    province = query_id("province")
    step = request.args.get("step") or None
    return province, step if step in figures.FUNNEL_STEPS else None


@bp.route("/team/gaps")
@team_required
def gaps() -> str:
    edition, editions = _edition()
    province, step = _gap_filters()
    today = _today()
    build = partial(_gaps_body, edition, editions, today, province, step)
    return _cached_page("gaps", _("Gap list"), edition, editions, today, build, province, step)


def _gaps_body(edition: Edition, editions: list[Edition], today, province: int | None, step: str | None) -> str:
    gap_rows = services.gaps(edition, today=today, province_id=province, step=step)
    return render_template(
        "monitoring/gaps.html",
        edition=edition,
        editions=editions,
        gaps=gap_rows,
        deadlines={day: format_date(day, "d MMMM yyyy") for day in {g.deadline for g in gap_rows if g.deadline}},
        moment=_numeric_moment,
        detail_href=_detail_href(edition),
        absent=services.not_registered(edition, province_id=province),
        provinces=registration_services.provinces(),
        province=province,
        step=step,
        step_titles={key: str(title) for key, title in STEP_TITLES.items()},  # once, not per row
        steps=figures.FUNNEL_STEPS,
    )


@bp.route("/team/gaps.csv")
@team_required
def gaps_csv() -> Response:
    edition, editions = _edition()
    province, step = _gap_filters()
    today = _today()

    data = cache.fragment(
        lambda: _cache_key("gaps.csv", edition, editions, today, province, step),
        partial(_gaps_csv, edition, today, province, step),
    )
    return Response(
        data,
        mimetype=exports.MIME["csv"],
        headers={"Content-Disposition": f'attachment; filename="opvolglijst-{edition.year}.csv"'},
    )


def _gaps_csv(edition: Edition, today, province: int | None, step: str | None) -> bytes:
    gaps = services.gaps(edition, today=today, province_id=province, step=step)
    absent = [] if step else services.not_registered(edition, province_id=province)
    return exports.to_csv(exports.gap_list(gaps, absent))


# Built ahead by the jobs process ----------------------------------------------------------


def _usual_fragments(edition: Edition, editions: list[Edition], today) -> tuple[list, list]:
    """(page, filters, build) of what the team opens without choosing anything: the dashboard,
    the map and the gap list (in each language), the gap list's CSV and every export."""
    pages = [
        ("dashboard", (), partial(_dashboard_body, edition, editions, today)),  # first: it may take the snapshot
        ("map", (), partial(_map_body, edition, editions, today)),
        ("gaps", (None, None), partial(_gaps_body, edition, editions, today, None, None)),
    ]
    files = [("gaps.csv", (None, None), partial(_gaps_csv, edition, today, None, None))] + [
        ("export", (name, fmt), partial(exports.export, name, edition, fmt, today=today))
        for name in exports.EXPORTS
        for fmt in exports.FORMATS
    ]
    return pages, files


def refresh(now, *, attempts: int = 2) -> dict[str, int]:
    """Build the current edition's usual fragments for the data as it is ``now`` and share them
    with the web processes, so that the first view after a change is served ready-made. Does
    nothing when this process already did so for the same data, day and editions. The jobs
    process runs it every few seconds (``monitoring`` in ``jobs.schedule``), inside a request
    context for the links.

    Everything is built first and published in one short transaction at the end (SQLite's
    write lock is not held during the builds). When the data changed during a build (today's
    snapshot taken by the dashboard, another process's commit), nothing is published under the
    old data's key and the refresh starts again, up to ``attempts`` times."""
    for _attempt in range(attempts):
        editions = edition_services.all_editions()
        edition = next((e for e in editions if e.is_current), None)
        today = local_date(now)
        state = (cache.data_version(), today, tuple((e.id, e.year, e.is_current) for e in editions))
        kept = cache.refreshed(state)
        if edition is None or kept is not None:  # nothing to build; earlier data's fragments go in time
            removed = cache.prune(kept or (), now=now)
            if removed:
                db.session.commit()
            return {"built": 0, "removed": removed}
        bodies = _build_usual(edition, editions, today)
        if bodies is None:
            continue
        kept = [cache.publish(key, body, now=now) if body is not None else cache.digest(key) for key, body in bodies]
        removed = cache.prune(kept, now=now)
        db.session.commit()
        cache.mark_refreshed(state, kept)
        return {"built": sum(body is not None for _, body in bodies), "removed": removed}
    return {"built": 0, "removed": 0, "retry": 1}  # the data kept changing: the next tick tries again


def _build_usual(edition: Edition, editions: list[Edition], today) -> list[tuple] | None:
    """(key, body or None when already shared) of every usual fragment, or None when the data
    changed while they were built."""
    pages, files = _usual_fragments(edition, editions, today)
    bodies = []
    for number, language in enumerate(current_app.config["LANGUAGES"]):
        with force_locale(language):
            for page, filters, build in pages + (files if number == 0 else []):
                key = _cache_key(page, edition, editions, today, *filters)
                if cache.shared(key) is not None:
                    bodies.append((key, None))
                    continue
                body = build()
                if _cache_key(page, edition, editions, today, *filters) != key:
                    return None
                bodies.append((key, body))
    return bodies


@bp.route("/team/municipalities/<nis_code>")
@team_required
def municipality(nis_code: str) -> str:
    found = services.municipality_by_nis(nis_code[:5])
    if found is None:
        abort(404)
    today = _today()
    edition, _editions = _edition()  # ?edition=YEAR, as on the map and the gap list
    detail = services.municipality_detail(found, edition, today=today)
    return render_template(
        "monitoring/municipality.html", detail=detail, today=today, step_titles=STEP_TITLES, steps=figures.FUNNEL_STEPS
    )


EXPORT_TITLES = {
    "registrations": _l("Registrations"),
    "actions": _l("Actions"),
    "heroes": _l("Heroes (with valid consent)"),
    "municipalities": _l("Municipalities and their status"),
    "sdgs": _l("Figures per SDG"),
}


@bp.route("/team/exports")
@team_required
def export_index() -> str:
    edition, editions = _edition()
    return render_template(
        "monitoring/exports.html", edition=edition, editions=editions, titles=EXPORT_TITLES, formats=exports.FORMATS
    )


@bp.route("/team/exports/<name>.<fmt>")
@team_required
def export_file(name: str, fmt: str) -> Response:
    if name not in exports.EXPORTS or fmt not in exports.FORMATS:
        abort(404)
    edition, editions = _edition()
    today = _today()
    data = cache.fragment(
        lambda: _cache_key("export", edition, editions, today, name, fmt),
        lambda: exports.export(name, edition, fmt, today=today),
    )
    return Response(
        data,
        mimetype=exports.MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}-{edition.year}.{fmt}"'},
    )


@bp.route("/team/history", methods=["GET", "POST"])
@team_required
def history_import() -> str | Response:
    form = HistoryForm()
    result = None
    if form.validate_on_submit():
        data = read_upload(form.file)
        if data is None:
            form.file.errors.append(_("Choose a CSV file."))
        else:
            result = history.import_history(data, before_year=history.first_open_year(_today()))
            if result.errors:
                db.session.rollback()
            else:
                db.session.commit()
                flash(
                    ngettext("%(num)d participation imported.", "%(num)d participations imported.", result.imported),
                    "success",
                )
                return redirect(url_for("monitoring.history_import"))
    status = 400 if result is not None and result.errors else 200
    return render_template("monitoring/history.html", form=form, result=result), status


AUDIT_TYPES = {
    "registration": _l("Registration"),
    "action": _l("Action"),
    "hero": _l("Hero"),
    "consent": _l("Consent"),
    "user": _l("User"),
    "edition": _l("Edition"),
}
AUDIT_ACTIONS = {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
AUDIT_FIELDS = {  # the fields people change most; others show as stored
    "contact_name": _l("contact person"),
    "contact_email": _l("e-mail address"),
    "contact_phone": _l("phone number"),
    "status": _l("status"),
    "track": _l("track"),
    "heroes_planned": _l("heroes planned"),
    "flag_photo_id": _l("SDG flag photo"),
    "name": _l("name"),
    "role": _l("role"),
    "quote": _l("quote"),
    "story": _l("story"),
    "photo_id": _l("photo"),
    "focal_x": _l("focal point"),
    "focal_y": _l("focal point"),
    "sdgs": _l("SDGs"),
    "sdg_links": _l("SDGs"),
    "title": _l("title"),
    "description": _l("description"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "location": _l("place"),
    "web": _l("consent for the website"),
    "print": _l("consent for print"),
    "social": _l("consent for social media"),
    "press": _l("consent for the press"),
    "withdrawn_at": _l("withdrawal"),
    "expires_on": _l("end of consent"),
    "password": _l("password"),
    "email": _l("e-mail address"),
}


def audit_fields(fields: str) -> str:
    """The changed fields in the reader's language, each once."""
    names = [str(AUDIT_FIELDS.get(key, key)) for key in fields.split(", ") if key]
    return ", ".join(dict.fromkeys(names))


@bp.route("/team/audit")
@team_required
def audit_log() -> str:
    municipality = request.args.get("municipality", "").strip()[:5]
    user_id = query_id("user")
    entity = request.args.get("type") if request.args.get("type") in AUDIT_TYPES else None
    page = services.audit_entries(
        nis_code=municipality or None, user_id=user_id, entity=entity, page=page_number(request.args.get("page"))
    )
    return render_template(
        "monitoring/audit.html",
        page=page,
        municipalities=services.municipalities_by_nis(),
        users=services.audit_users(),
        types=AUDIT_TYPES,
        actions=AUDIT_ACTIONS,
        audit_fields=audit_fields,
        filters={"municipality": municipality, "user": user_id or "", "type": entity or ""},
    )
