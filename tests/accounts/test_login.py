from datetime import timedelta

import pytest

from campaign.accounts import services
from campaign.accounts.models import UserStatus
from campaign.core import ratelimit
from campaign.core.db import utcnow
from tests import factories
from tests.mailbox import links, path_of, read_dir

LIMITS = services.LoginLimits(per_account_and_address=5, per_address=20, per_account=50, window=900)


def test_login_and_logout(client, auth, officer):
    response = auth.login(officer)
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200
    auth.logout()
    assert client.get("/account/profile").status_code == 302


def test_wrong_password_gives_a_clear_message(client, auth, officer):
    response = auth.login(officer, "wrong password")
    assert response.status_code == 200
    assert "niet juist" in response.get_data(as_text=True)


def test_email_is_case_insensitive(client, officer):
    response = client.post("/account/login", data={"email": officer.email.upper(), "password": factories.PASSWORD})
    assert response.status_code == 302


def test_login_is_rate_limited_per_account(client, auth, officer):
    for _ in range(5):
        auth.login(officer, "wrong password")
    response = auth.login(officer)  # even the right password is refused now
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)
    assert client.get("/account/profile").status_code == 302


def test_a_stranger_cannot_lock_someone_out(app, officer):
    for _ in range(10):
        with pytest.raises((services.InvalidCredentials, services.TooManyAttempts)):
            services.authenticate(officer.email, "guess", address="203.0.113.9", limits=LIMITS)
    assert services.authenticate(officer.email, factories.PASSWORD, address="192.0.2.1", limits=LIMITS) == officer


def test_many_addresses_guessing_one_account_are_stopped(app, officer):
    for n in range(50):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(officer.email, "guess", address=f"198.51.100.{n}", limits=LIMITS)
    with pytest.raises(services.TooManyAttempts):
        services.authenticate(officer.email, factories.PASSWORD, address="192.0.2.1", limits=LIMITS)


def test_rate_limit_window_expires(app, officer):
    past = utcnow() - timedelta(minutes=20)
    for _ in range(5):
        ratelimit.record_failure("login-pair", f"{officer.email}|127.0.0.1", now=past)
    user = services.authenticate(officer.email, factories.PASSWORD, address="127.0.0.1", limits=LIMITS)
    assert user == officer


def test_rate_limit_per_address_covers_many_accounts(app):
    for n in range(20):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(f"guess{n}@example.be", "x", address="10.9.9.9", limits=LIMITS)
    with pytest.raises(services.TooManyAttempts):
        services.authenticate("another@example.be", "x", address="10.9.9.9", limits=LIMITS)


def test_successful_login_clears_the_account_counter(app, officer):
    for _ in range(4):
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(officer.email, "wrong", address="1.1.1.1", limits=LIMITS)
    services.authenticate(officer.email, factories.PASSWORD, address="1.1.1.1", limits=LIMITS)
    assert ratelimit.count_failures("login-pair", f"{officer.email}|1.1.1.1", window=900) == 0


def test_disabled_and_rejected_accounts_cannot_log_in(client, auth):
    for status, text in ((UserStatus.DISABLED, "uitgeschakeld"), (UserStatus.REJECTED, "niet goedgekeurd")):
        user = factories.make_officer(status=status)
        response = auth.login(user)
        assert response.status_code == 200
        assert text in response.get_data(as_text=True)


def test_login_ignores_foreign_next_urls(client, officer):
    response = client.post(
        "/account/login?next=//evil.example/x", data={"email": officer.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] in ("/", "http://localhost/")
    client.post("/account/logout")
    response = client.post(
        "/account/login?next=/account/profile", data={"email": officer.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"].endswith("/account/profile")


def test_password_reset_by_mail(client, auth, officer, mail_dir):
    response = client.post("/account/password/forgot", data={"email": officer.email})
    assert response.status_code == 302
    [message] = read_dir(mail_dir)
    assert message["To"] == officer.email
    link = next(link for link in links(message) if "/account/password/reset/" in link)

    # An unknown address gets the same answer and no mail.
    client.post("/account/password/forgot", data={"email": "niemand@example.be"})
    assert len(read_dir(mail_dir)) == 1

    short = client.post(path_of(link), data={"password": "kort", "password_confirm": "kort"})
    assert "minstens 10 tekens" in short.get_data(as_text=True)

    new = "nieuw-en-lang-genoeg"
    response = client.post(path_of(link), data={"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert auth.login(officer).status_code == 200  # the old password no longer works
    assert auth.login(officer, "nieuw-en-lang-genoeg").status_code == 302

    # The link works only once.
    auth.logout()
    again = client.get(path_of(link))
    assert again.status_code == 400


def test_password_change_ends_other_sessions(app, officer):
    first = app.test_client()
    first.post("/account/login", data={"email": officer.email, "password": factories.PASSWORD})
    assert first.get("/account/profile").status_code == 200
    services.set_password(officer, "een-ander-wachtwoord")
    assert first.get("/account/profile").status_code == 302


def test_mail_in_the_users_language(client, mail_dir):
    factories.make_officer(email="english@example.be", locale="en")
    client.post("/account/password/forgot", data={"email": "english@example.be"})
    [message] = read_dir(mail_dir)
    assert message["Subject"] == "Choose a new password"
    assert message["Content-Language"] == "en"
