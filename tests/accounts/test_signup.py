import sqlalchemy as sa

from campaign.accounts import services
from campaign.accounts.models import ApprovedDomain, User, UserStatus
from campaign.core.mail import MailStatus, OutboxMail
from campaign.extensions import db
from tests import factories
from tests.mailbox import links, path_of, read_dir, text_of


def signup_data(**overrides):
    data = {
        "name": "Lies Van Damme",
        "email": "Lies.VanDamme@Gent.be",
        "municipality": factories.municipality("44021").id,
        "password": "een-lang-wachtwoord",
        "password_confirm": "een-lang-wachtwoord",
        "works_for_municipality": "y",
    }
    data.update(overrides)
    return data


def test_signup_page_lists_all_285_municipalities_by_province(client):
    html = client.get("/account/signup").get_data(as_text=True)
    assert html.count("<option") == 285
    assert html.count("<optgroup") == 5
    assert "Beveren-Kruibeke-Zwijndrecht" in html


def test_signup_verify_and_team_approval(client, auth, team_user, mail_dir):
    response = client.post("/account/signup", data=signup_data())
    assert response.status_code == 302
    user = services.find_by_email("lies.vandamme@gent.be")
    assert user.status == UserStatus.UNVERIFIED
    assert user.email == "lies.vandamme@gent.be"
    assert user.password_hash != "een-lang-wachtwoord"

    # Not yet confirmed: logging in is refused with a clear message.
    html = auth.login(user, "een-lang-wachtwoord").get_data(as_text=True)
    assert "Bevestig eerst je e-mailadres" in html

    [message] = read_dir(mail_dir)
    assert message["To"] == "lies.vandamme@gent.be"
    assert "Bevestig je e-mailadres" in message["Subject"]
    assert "Gent" in text_of(message)
    link = next(link for link in links(message) if "/account/verify/" in link)

    response = client.get(path_of(link))
    assert response.status_code == 200
    assert user.status == UserStatus.PENDING
    assert user.email_verified_at is not None

    html = auth.login(user, "een-lang-wachtwoord").get_data(as_text=True)
    assert "wacht op goedkeuring" in html

    auth.login(team_user)
    queue = client.get("/account/approvals").get_data(as_text=True)
    assert "Lies Van Damme" in queue
    response = client.post(f"/account/approvals/{user.id}/approve")
    assert response.status_code == 302
    assert user.status == UserStatus.ACTIVE
    assert user.decided_by == team_user
    approval = read_dir(mail_dir)[-1]
    assert "goedgekeurd" in approval["Subject"]
    auth.logout()

    response = auth.login(user, "een-lang-wachtwoord")
    assert response.status_code == 302
    assert "Gent" in client.get("/").get_data(as_text=True)


def test_allow_listed_domain_is_approved_at_once(client, mail_dir, team_user):
    gent = factories.municipality("44021")
    db.session.add(ApprovedDomain(municipality=gent, domain="stad.gent"))
    db.session.flush()
    client.post("/account/signup", data=signup_data(email="an@stad.gent"))
    [message] = read_dir(mail_dir)
    link = next(link for link in links(message) if "/account/verify/" in link)
    html = client.get(path_of(link)).get_data(as_text=True)
    user = services.find_by_email("an@stad.gent")
    assert user.status == UserStatus.ACTIVE
    assert "Je account is actief" in html


def test_domain_of_another_municipality_does_not_approve(client, mail_dir):
    antwerpen = factories.municipality("11002")
    db.session.add(ApprovedDomain(municipality=antwerpen, domain="stad.gent"))
    db.session.flush()
    client.post("/account/signup", data=signup_data(email="an@stad.gent"))
    link = next(link for link in links(read_dir(mail_dir)[0]) if "/account/verify/" in link)
    client.get(path_of(link))
    assert services.find_by_email("an@stad.gent").status == UserStatus.PENDING


def test_signup_errors_are_dutch_and_keep_what_was_typed(client):
    response = client.post(
        "/account/signup",
        data=signup_data(
            email="geen-adres",
            password="kort",
            password_confirm="anders",
            works_for_municipality="",
        ),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in" in html
    assert "minstens 10 tekens" in html
    assert "niet hetzelfde" in html
    assert 'value="Lies Van Damme"' in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_signup_with_an_unknown_municipality_is_refused(client):
    response = client.post("/account/signup", data=signup_data(municipality="999999"))
    assert response.status_code == 200
    assert "Kies je gemeente" in response.get_data(as_text=True)
    response = client.post("/account/signup", data=signup_data(municipality="not-a-number"))
    assert response.status_code == 200


def test_signup_with_a_known_address_reveals_nothing_and_tells_the_owner(client, officer, mail_dir):
    response = client.post("/account/signup", data=signup_data(email=officer.email.upper()))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/signup/done")
    [message] = read_dir(mail_dir)
    assert message["To"] == officer.email
    assert "al een account" in message["Subject"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_mail_requests_are_rate_limited(client, app, monkeypatch, mail_dir):
    monkeypatch.setitem(app.config, "MAIL_REQUESTS_PER_RECIPIENT", 2)
    for _ in range(2):
        client.post("/account/password/forgot", data={"email": "doelwit@example.be"})
    response = client.post("/account/password/forgot", data={"email": "doelwit@example.be"})
    assert response.status_code == 429
    assert "Te veel aanvragen" in response.get_data(as_text=True)


def test_forged_or_expired_verification_link(client, app, monkeypatch, mail_dir):
    response = client.get("/account/verify/not-a-token")
    assert response.status_code == 400
    assert "werkt niet meer" in response.get_data(as_text=True)

    client.post("/account/signup", data=signup_data())
    link = next(link for link in links(read_dir(mail_dir)[0]) if "/account/verify/" in link)
    monkeypatch.setitem(app.config, "EMAIL_VERIFICATION_MAX_AGE", -1)
    response = client.get(path_of(link))
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    assert services.find_by_email("lies.vandamme@gent.be").status == UserStatus.UNVERIFIED


def test_resend_does_not_reveal_which_addresses_exist(client, mail_dir):
    client.post("/account/signup", data=signup_data())
    known = client.post("/account/verify/resend", data={"email": "lies.vandamme@gent.be"}, follow_redirects=True)
    unknown = client.post("/account/verify/resend", data={"email": "nobody@nergens.be"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "Als er een" in known.get_data(as_text=True)
    assert "Als er een" in unknown.get_data(as_text=True)
    assert len(read_dir(mail_dir)) == 2


def test_team_can_reject_with_a_reason(client, auth, team_user, mail_dir):
    user = factories.make_officer(status=UserStatus.PENDING, email="twijfel@example.be")
    auth.login(team_user)
    client.post(f"/account/approvals/{user.id}/reject", data={"reason": "Geen adres van de gemeente."})
    assert user.status == UserStatus.REJECTED
    [message] = read_dir(mail_dir)
    assert "Geen adres van de gemeente." in text_of(message)
    outbox = db.session.scalars(sa.select(OutboxMail)).all()
    assert [m.status for m in outbox] == [MailStatus.SENT]


def test_officers_cannot_reach_the_approval_queue(client, auth, officer):
    pending = factories.make_officer(status=UserStatus.PENDING)
    auth.login(officer)
    assert client.get("/account/approvals").status_code == 403
    assert client.post(f"/account/approvals/{pending.id}/approve").status_code == 403
    assert pending.status == UserStatus.PENDING
    assert client.get("/account/domains").status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/account/approvals")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_team_manages_approved_domains(client, auth, team_user):
    auth.login(team_user)
    gent = factories.municipality("44021")
    response = client.post("/account/domains", data={"municipality": gent.id, "domain": "@Stad.Gent"})
    assert response.status_code == 302
    [approved] = db.session.scalars(sa.select(ApprovedDomain)).all()
    assert approved.domain == "stad.gent"
    again = client.post("/account/domains", data={"municipality": gent.id, "domain": "stad.gent"})
    assert "staat al op de lijst" in again.get_data(as_text=True)
    bad = client.post("/account/domains", data={"municipality": gent.id, "domain": "geen domein"})
    assert bad.status_code == 200
    assert "Vul een domein in" in bad.get_data(as_text=True)
    client.post(f"/account/domains/{approved.id}/delete")
    assert db.session.scalars(sa.select(ApprovedDomain)).all() == []
