import pytest
from cryptography.fernet import Fernet
from django.db import connection

from yiwang.core import crypto


def test_encrypt_then_decrypt_returns_the_text():
    token = crypto.encrypt_text("440106199001011234")

    assert token != "440106199001011234"
    assert crypto.decrypt_text(token) == "440106199001011234"


def test_encryption_is_randomised_but_blind_index_is_deterministic():
    assert crypto.encrypt_text("13800138000") != crypto.encrypt_text("13800138000")
    assert crypto.blind_index("13800138000", purpose="phone") == crypto.blind_index(
        "13800138000", purpose="phone"
    )


def test_blind_index_separates_purposes():
    assert crypto.blind_index("123", purpose="phone") != crypto.blind_index(
        "123", purpose="resident_id"
    )


def test_rotation_keeps_old_tokens_readable(settings):
    old_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    crypto.clear_key_cache()
    token = crypto.encrypt_text("secret")

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    crypto.clear_key_cache()
    try:
        assert crypto.decrypt_text(token) == "secret"
    finally:
        crypto.clear_key_cache()


@pytest.mark.django_db
def test_encrypted_field_stores_ciphertext_in_the_database():
    from yiwang.accounts.models import CitizenProfile, User

    user = User.objects.create_user("c1")
    CitizenProfile.objects.create(
        user=user, real_name="张三", id_number="11010519491231002X", phone="13800138000"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM accounts_citizenprofile")
        stored_id, stored_phone = cursor.fetchone()

    assert "11010519491231002X" not in stored_id
    assert "13800138000" not in stored_phone
    profile = CitizenProfile.objects.get(
        id_number_index=crypto.blind_index("11010519491231002X", purpose="resident_id")
    )
    assert profile.id_number == "11010519491231002X"
    assert profile.masked_id_number == "1101**********002X"
    assert profile.masked_phone == "138****8000"
