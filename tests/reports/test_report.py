"""The policy report: its figures are the dashboard's, it compares editions across the 2025
mergers, and its PDF is tagged, embeds its fonts and says the right things (read with pypdf)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from campaign.core import media
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.monitoring import services as monitoring
from campaign.reference.models import FormerMunicipality
from campaign.registrations.models import Registration
from campaign.reports import data, document
from campaign.reports import services as report_services
from tests import factories

TODAY = date(2025, 10, 15)
NOW = datetime(2025, 10, 15, 10, 0).astimezone()


@pytest.fixture
def editions(app, now):
    """2024 (before the mergers): Kruibeke (46013) and Gent; 2025: Beveren-Kruibeke-Zwijndrecht
    (46030), Gent and Hasselt, with heroes and actions."""
    now("2025-10-15T10:00:00+02:00")
    previous = factories.make_edition(2024)
    current = factories.make_edition(2025, current=True, focus=(11, 13))
    kruibeke = db.session.scalar(sa.select(FormerMunicipality).where(FormerMunicipality.nis_code == "46013"))
    old = factories.make_registration(previous, "46030")
    old.former_municipalities = [kruibeke]
    factories.make_registration(previous, "44021")
    gent = factories.make_registration(current, "44021")
    factories.make_registration(current, "46030")
    factories.make_registration(current, "71072")
    factories.make_hero(gent, name="Fien Claes")
    factories.make_action(gent, title="Repair Café", sdgs=(12, 13))
    db.session.commit()
    return previous, current


def test_every_figure_is_the_dashboards(editions):
    _, current = editions
    report = data.gather(current, now=NOW, today=TODAY)
    board = monitoring.dashboard(current, list(db.session.scalars(sa.select(Edition))), today=TODAY)
    assert report.key == board.key
    assert [(p.province.id, p.registered, p.rate) for p in report.provinces] == [
        (row.province.id, row.registered, row.rate) for row in board.provinces
    ]
    assert report.dashboard.sdgs == board.sdgs and report.dashboard.pillars == board.pillars
    assert report.dashboard.funnel == board.funnel
    annex = {row.name: row for row in report.annex}
    assert len(annex) == 285 and sum(row.taking_part for row in report.annex) == report.key.registered == 3
    assert annex["Gent"].heroes == 1 and annex["Gent"].actions == 1


def test_participation_is_compared_across_the_mergers(editions):
    _, current = editions
    report = data.gather(current, now=NOW, today=TODAY)
    assert [(h.year, h.comparable) for h in report.history] == [(2024, 2), (2025, 3)]
    turnover = report.dashboard.turnover
    names = lambda ids: set(turnover.names_of(ids))  # noqa: E731
    assert names(turnover.returning) == {"Beveren-Kruibeke-Zwijndrecht", "Gent"}  # Kruibeke took part in 2024
    assert names(turnover.first_time) == {"Hasselt"}
    assert report.annex[[r.name for r in report.annex].index("Beveren-Kruibeke-Zwijndrecht")].editions == 2


def test_the_pdf_is_tagged_embeds_its_fonts_and_states_the_figures(editions, media_root):
    _, current = editions
    report_services.save_texts(current, introduction="Een jaar vol helden.", keep="De vlag.", strengthen="", adjust="")
    report = data.gather(current, now=NOW, today=TODAY)
    pdf = PdfReader(io.BytesIO(document.render_pdf(report, media_root=media_root).data))
    root = pdf.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged
    assert root.get("/Lang") == "nl"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declared PDF/UA-1
    fonts = set()
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("Atkinson" in name for name in fonts)
    assert 12 <= len(pdf.pages) <= 40  # cover, contents, sections, the annex
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "Samenvatting in cijfers" in outline and "Bijlage: alle gemeenten" in outline
    summary = next(page.extract_text() for page in pdf.pages if "gemeenten namen deel" in page.extract_text())
    assert summary.startswith("Samenvatting in cijfers")
    assert re.search(r"(^|\s)3\s+van de 285 gemeenten namen deel", summary)
    assert any("Een jaar vol helden." in page.extract_text() for page in pdf.pages)
    figures = _structure(root["/StructTreeRoot"], "/Figure")
    # every chart is a figure named by its alt text (the survey's four charts wait for answers)
    assert len(figures) == len(document.CHART_NAMES) - 4
    assert "Deelnemende gemeenten per editie" in [str(figure["/Alt"]) for figure in figures]
    assert all(str(figure.get("/Alt", "")).strip() not in ("", "Pygal") for figure in figures)


def test_the_table_of_contents_gives_each_sections_page_and_links_to_it(editions, media_root):
    _, current = editions
    report = data.gather(current, now=NOW, today=TODAY)
    pdf = PdfReader(io.BytesIO(document.render_pdf(report, media_root=media_root).data))
    page_of = {name: pdf.get_destination_page_number(dest) + 1 for name, dest in pdf.named_destinations.items()}
    contents = next(page for page in pdf.pages if page.extract_text().startswith("Inhoud"))
    text = contents.extract_text()
    for anchor, title in document.SECTIONS:  # "Het stappenplan 11": the title, then its page
        assert re.search(rf"^{re.escape(title)} {page_of[anchor]}$", text, re.M), (title, text)
    assert len({page_of[anchor] for anchor, _ in document.SECTIONS}) == len(document.SECTIONS)
    assert "." not in text.replace("Aanhangsel: definities", "")  # no leader dots to read out
    links = {str(annotation.get_object()["/Dest"]) for annotation in contents["/Annots"]}
    assert links == {anchor for anchor, _ in document.SECTIONS}


def _elements(element) -> list[tuple]:
    """The structure elements under ``element`` (a tagged PDF's tree), depth first in reading
    order, each with its depth."""
    found, stack = [], [(element, 0)]
    while stack:
        node, depth = stack.pop()
        if hasattr(node, "get_object"):
            node = node.get_object()
        if isinstance(node, list):
            stack.extend((child, depth) for child in reversed(node))
        elif hasattr(node, "get"):
            if "/S" in node:
                found.append((node, depth))
            if "/K" in node:
                stack.append((node["/K"], depth + 1))
    return found


def _structure(element, kind: str) -> list:
    """The structure elements of type ``kind`` under ``element``."""
    return [node for node, _ in _elements(element) if node.get("/S") == kind]


def test_the_xlsx_holds_the_data_of_every_chart(editions):
    _, current = editions
    report = data.gather(current, now=NOW, today=TODAY)
    book = load_workbook(io.BytesIO(document.render_xlsx(report)))
    assert "Per SDG" in book.sheetnames and "Bijlage gemeenten" in book.sheetnames
    history = list(book["Deelname per editie"].iter_rows(values_only=True))
    assert history == [("editie", "kaart 2025", "zoals toen geteld"), (2024, 2, 2), (2025, 3, 3)]
    assert book["Bijlage gemeenten"].max_row == 286
    provinces = {row[0]: row[1:] for row in book["Helden en acties per provincie"].iter_rows(values_only=True)}
    assert provinces["Oost-Vlaanderen"] == (1, 1) and provinces["Limburg"] == (0, 0)  # Gent's hero and action


def test_cli_builds_the_report_and_keeps_it(app, editions, media_root, tmp_path):
    out, xlsx = tmp_path / "rapport.pdf", tmp_path / "rapport.xlsx"
    result = app.test_cli_runner().invoke(args=["report", "build", "2025", "--out", str(out), "--xlsx", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and zipfile.is_zipfile(xlsx)
    [build] = report_services.builds(editions[1])
    assert build.status == "done" and build.pages == len(PdfReader(out).pages)
    assert media.resolve(media_root, build.pdf_path).read_bytes() == out.read_bytes()
    result = app.test_cli_runner().invoke(args=["report", "build", "1990", "--out", str(out)])
    assert result.exit_code != 0


def test_registrations_are_counted_like_the_dashboard(editions):
    _, current = editions
    withdrawn = db.session.scalar(sa.select(Registration).where(Registration.edition_id == current.id))
    withdrawn.status = "withdrawn"
    db.session.commit()
    report = data.gather(current, now=NOW, today=TODAY)
    assert report.key.registered == 2 and report.history[-1].comparable == 2


def test_the_team_builds_through_the_jobs_process_follows_it_and_publishes(client, auth, team_user, editions, app):
    from campaign.jobs.tasks import report as report_job

    auth.login(team_user)
    response = client.post(
        "/team/report?edition=2025",
        data={"introduction": "Een jaar vol helden.", "keep": "", "strengthen": "", "adjust": "", "action": "build"},
        follow_redirects=True,
    )
    assert "het rapport wordt opgemaakt" in response.get_data(as_text=True)
    [build] = report_services.builds(editions[1])
    assert client.get(f"/team/report/builds/{build.id}/progress").json["status"] == "pending"
    assert client.get(f"/team/report/builds/{build.id}/pdf").status_code == 404  # not built yet

    assert report_job(NOW, worker="jobs-1", alive={"jobs-1"}) == {"built": 1, "failed": 0, "abandoned": 0}
    progress = client.get(f"/team/report/builds/{build.id}/progress").json
    assert progress["status"] == "done" and progress["progress"] == 100 and "pagina's" in progress["message"]
    pdf = client.get(f"/team/report/builds/{build.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert any("Een jaar vol helden." in page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert client.get(f"/team/report/builds/{build.id}/xlsx").status_code == 200

    second = report_services.request_build(editions[1], by_id=None)
    db.session.commit()
    report_job(NOW, worker="jobs-1", alive={"jobs-1"})
    client.post(f"/team/report/builds/{build.id}/publish")
    client.post(f"/team/report/builds/{second.id}/publish")
    published = [b.id for b in report_services.builds(editions[1]) if b.published]
    assert published == [second.id]  # one published version; the drafts stay in the archive
    page = client.get("/team/report?edition=2025").get_data(as_text=True)
    assert page.count("Deze versie publiceren") == 1 and "Gepubliceerde versie" in page

    preview = client.get("/team/report/2025/preview").get_data(as_text=True)
    assert "Samenvatting in cijfers" in preview and "<svg" in preview
    totals = preview.split("<caption>Helden en acties per provincie</caption>")[1].split("</table>")[0]
    assert '<th scope="row">Oost-Vlaanderen</th><td class="num">1</td><td class="num">1</td>' in totals
    assert client.get("/team/report/99999/preview").status_code == 404
    assert client.get(f"/team/report/photo/{build.pdf_path}").status_code == 404  # only practice photos


def test_officers_get_none_of_the_report_pages(client, auth, officer, editions):
    build = report_services.request_build(editions[1], by_id=None)
    db.session.commit()
    auth.login(officer)
    for url in ("/team/report", "/team/report/2025/preview", f"/team/report/builds/{build.id}/progress"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/team/report/builds/{build.id}/publish").status_code == 403


def test_a_build_whose_jobs_process_died_is_marked_failed(app, editions):
    from campaign.jobs.tasks import report as report_job
    from campaign.reports.models import BuildStatus

    build = report_services.request_build(editions[1], by_id=None)
    build.status, build.worker, build.progress = BuildStatus.RUNNING, "jobs-dead", 35
    db.session.commit()
    assert report_job(NOW, worker="jobs-1", alive={"jobs-1"})["abandoned"] == 1
    assert build.status == BuildStatus.FAILED and "jobsproces stopte" in build.error


def test_a_build_pauses_the_garbage_collector_and_turns_it_back_on(editions, media_root, monkeypatch):
    """WeasyPrint's layout runs without cyclic collections (they took 12-20 % of a build); the
    collector is on again afterwards, also when the build fails."""
    import gc

    _, current = editions
    report = data.gather(current, now=NOW, today=TODAY)
    seen = []
    original = document.ReportHTML.render

    def render(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(document.ReportHTML, "render", render)
    assert gc.isenabled()
    assert document.render_pdf(report, media_root=media_root).pages > 10
    assert seen == [False] and gc.isenabled()

    def fail(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(document.ReportHTML, "render", fail)
    with pytest.raises(RuntimeError):
        document.render_pdf(report, media_root=media_root)
    assert gc.isenabled()


def test_the_warm_up_prints_its_sample_page():
    assert document.warm_up() == 1


def test_the_jobs_process_collects_a_builds_garbage_once_the_build_is_recorded(app, editions, media_root, monkeypatch):
    """The layout's garbage is collected after the build is stored and committed as done, so the
    team's page shows it done without waiting for the collection."""
    import gc

    from campaign.reports.models import BuildStatus

    build = report_services.request_build(editions[1], by_id=None)
    db.session.commit()
    seen = []

    def collect(*args):
        with app.app_context():  # a session of its own: what another process reads now
            seen.append(db.session.get(type(build), build.id).status)
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    assert report_services.build_pending(now=NOW, media_root=media_root, worker="jobs-1") == {"built": 1, "failed": 0}
    assert seen == [BuildStatus.DONE]


def test_the_report_prints_as_weasyprints_own_html_parser_and_stylesheet_print_it(
    editions, media_root, monkeypatch, tmp_path
):
    """render_pdf parses the report as XML and gives WeasyPrint a user-agent stylesheet cut to the
    report's elements: every page looks as it does with WeasyPrint's HTML5 parser and its full
    HTML5 stylesheet, and the bookmarks and the tags (PDF/UA's structure tree) are the same."""
    import subprocess

    from PIL import Image, ImageChops
    from weasyprint import HTML

    from campaign.reports import survey

    _, current = editions
    # A control character in a text the team wrote: XML does not allow it.
    report_services.save_texts(current, introduction="Een jaar.\x0bOok dit.", keep="De vlag.", strengthen="Meer")
    for registration in db.session.scalars(sa.select(Registration).where(Registration.edition_id == current.id)):
        answers = survey.Answers(
            participants=120, channels=list(survey.CHANNELS)[:2], ratings={key: 4 for key in survey.MATERIALS},
            effects=list(survey.EFFECTS)[:1], again="yes", keep="De affiches.", strengthen="", adjust="", remarks="",
        )  # fmt: skip
        survey.save(registration, answers, submit=True, by_id=None, now=NOW, today=TODAY)
    db.session.commit()
    registered = {}
    report = data.gather(current, now=NOW, today=TODAY)
    ours = document.render_pdf(report, media_root=media_root).data

    class WeasyPrintsOwn(HTML):
        def __init__(self, markup: str, **options) -> None:
            registered["html"] = markup
            super().__init__(string=markup, **options)

    monkeypatch.setattr(document, "ReportHTML", WeasyPrintsOwn)
    theirs = document.render_pdf(report, media_root=media_root).data
    assert "Een jaar.Ook dit." in registered["html"]

    def tags(pdf: bytes) -> list:
        """The structure tree in reading order: each element's type, alternative text and depth."""
        root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]
        return [(str(node["/S"]), str(node.get("/Alt", "")), depth) for node, depth in _elements(root)]

    assert tags(ours) == tags(theirs)
    assert {"/Table", "/TR", "/TH", "/TD", "/Figure", "/H1", "/L", "/LI"} <= {tag for tag, _, _ in tags(ours)}

    def outline(pdf: bytes) -> list:
        reader = PdfReader(io.BytesIO(pdf))
        flat, stack = [], list(reader.outline)
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            else:
                flat.append((item.title, reader.get_destination_page_number(item)))
        return flat

    assert outline(ours) == outline(theirs) and len(outline(ours)) > 10
    pages = {}
    for name, pdf in (("ours", ours), ("theirs", theirs)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "50", "-png", tmp_path / f"{name}.pdf", tmp_path / name], check=True)
        pages[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(pages["ours"]) == len(pages["theirs"]) >= 12
    for mine, reference in zip(pages["ours"], pages["theirs"], strict=True):
        difference = ImageChops.difference(Image.open(mine).convert("RGB"), Image.open(reference).convert("RGB"))
        assert difference.getbbox() is None, mine.name
