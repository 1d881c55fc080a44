"""Login throttling that a stranger cannot turn into a lockout of the owner (issue 19, 4)."""

from kinerja.clock import utcnow
from kinerja.models.account import Account
from kinerja.services import auth
from kinerja.services.auth import LoginOutcome
from tests.builders import TEST_PASSWORD

WRONG = "salah-sekali-123"


def _fail(nip, client, now, times=1):
    return [auth.authenticate(nip, WRONG, client, now=now).outcome for _ in range(times)]


def test_pair_delay_doubles_up_to_the_cap(world):
    nip = world.people["pegawai"].nip
    now = utcnow()
    assert _fail(nip, "10.9.9.9", now, 4) == [LoginOutcome.WRONG] * 4
    fifth = auth.authenticate(nip, WRONG, "10.9.9.9", now=now)
    assert fifth.outcome is LoginOutcome.LOCKED and fifth.wait == auth.PAIR_DELAY
    waits = []
    for _ in range(10):
        result = auth.authenticate(nip, WRONG, "10.9.9.9", now=now)
        assert result.outcome is LoginOutcome.LOCKED  # refused, not counted
        now = now + result.wait
        result = auth.authenticate(nip, WRONG, "10.9.9.9", now=now)
        waits.append(result.wait)
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [2, 4, 8, 16, 32, 60, 60, 60, 60, 60]


def test_strangers_at_many_addresses_cannot_lock_the_owner(world):
    """Hundreds of failures from 50 addresses: the owner at a clean address waits at most
    the short account-wide delay, then logs in."""
    nip = world.people["admin"].nip
    now = utcnow()
    for i in range(50):
        _fail(nip, f"10.1.0.{i}", now, auth.PAIR_FREE + 2)
    result = auth.authenticate(nip, TEST_PASSWORD, "10.2.0.1", now=now)
    assert result.outcome is LoginOutcome.SLOWED
    assert result.wait <= auth.ACCOUNT_DELAY
    later = now + result.wait
    ok = auth.authenticate(nip, TEST_PASSWORD, "10.2.0.1", now=later)
    assert ok.outcome is LoginOutcome.OK
    assert ok.notice.startswith(
        f"Ada {50 * (auth.PAIR_FREE + 2) + 1} percobaan masuk gagal ke akun Anda"
    )
    # Refused attempts are not counted, so a stranger's flood never extends the wait.
    account = Account.get_by_id(world.accounts["admin"].id)
    assert account.locked_until is None and account.failed_attempts == 0


def test_account_wide_delay_never_grows(world):
    nip = world.people["pegawai"].nip
    now = utcnow()
    for i in range(auth.ACCOUNT_FREE * 3):
        result = auth.authenticate(nip, WRONG, f"10.3.0.{i}", now=now)
        if result.outcome is LoginOutcome.SLOWED:
            assert result.wait <= auth.ACCOUNT_DELAY
            now = now + result.wait
    result = auth.authenticate(nip, TEST_PASSWORD, "10.4.0.1", now=now)
    assert result.outcome in (LoginOutcome.OK, LoginOutcome.SLOWED)
    if result.outcome is LoginOutcome.SLOWED:
        assert result.wait <= auth.ACCOUNT_DELAY


def test_address_delay_grows_across_nips(world, monkeypatch):
    monkeypatch.setattr(auth, "CLIENT_FREE", 3)
    now = utcnow()
    for i in range(3):
        auth.authenticate(f"19800101200501100{i}", WRONG, "10.5.0.1", now=now)
    first = auth.authenticate("198001012005011009", WRONG, "10.5.0.1", now=now)
    assert first.outcome is LoginOutcome.THROTTLED and first.wait == auth.CLIENT_DELAY
    now = now + first.wait
    auth.authenticate("198001012005011008", WRONG, "10.5.0.1", now=now)
    second = auth.authenticate("198001012005011007", WRONG, "10.5.0.1", now=now)
    assert second.wait == 2 * auth.CLIENT_DELAY
    # Another address is not affected.
    other = auth.authenticate(world.people["pegawai"].nip, TEST_PASSWORD, "10.5.0.2", now=now)
    assert other.outcome is LoginOutcome.OK


def test_owner_success_clears_the_wait_of_their_address(world):
    nip = world.people["pegawai"].nip
    now = utcnow()
    _fail(nip, "10.6.0.1", now, auth.PAIR_FREE - 1)
    assert auth.authenticate(nip, TEST_PASSWORD, "10.6.0.1", now=now).outcome is LoginOutcome.OK
    assert _fail(nip, "10.6.0.1", now, auth.PAIR_FREE - 1) == [LoginOutcome.WRONG] * 4
