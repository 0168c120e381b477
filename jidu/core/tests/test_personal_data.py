import base64

import pytest
from django.db import connection

from jidu.core import crypto
from jidu.core.masking import mask_id_number, mask_name, mask_phone, mask_text
from jidu.orders.models import WorkOrder


def test_masks_match_the_agreed_formats():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_id_number("330902199001011237") == "330***********1237"
    assert mask_phone("") == "" and mask_name(None) == ""


def test_phone_and_id_numbers_inside_free_text_are_masked():
    text = "我的电话13812345678，身份证330902199001011237，订单号2026112612345678901不是号码"
    masked = mask_text(text)
    assert "13812345678" not in masked and "138****5678" in masked
    assert "330902199001011237" not in masked
    assert "2026112612345678901" in masked  # a 19-digit order number is neither


@pytest.mark.django_db
def test_personal_data_is_ciphertext_in_the_database(ingest, record):
    ingest(record())
    order = WorkOrder.objects.get(order_no="ZS001")
    assert order.caller_phone == "13812345678"
    with connection.cursor() as cur:
        cur.execute("SELECT caller_name, caller_phone, caller_id_number FROM orders_workorder WHERE id = %s",
                    [order.pk])
        raw = cur.fetchone()
    for value, plain in zip(raw, ["张三", "13812345678", "330902199001011237"]):
        assert plain not in value
        assert crypto.decrypt(value) == plain


@pytest.mark.django_db
def test_wrong_key_is_a_clear_error_never_ciphertext(ingest, record, settings):
    from cryptography.fernet import Fernet

    ingest(record())
    settings.JIDU_FIELD_KEYS = [Fernet.generate_key().decode()]
    crypto.reset_key_cache()
    with pytest.raises(ValueError, match="密钥不匹配"):
        WorkOrder.objects.get(order_no="ZS001")


@pytest.mark.django_db
def test_rotated_keys_still_decrypt_old_rows(ingest, record, settings):
    from cryptography.fernet import Fernet

    ingest(record())
    settings.JIDU_FIELD_KEYS = [Fernet.generate_key().decode(), *settings.JIDU_FIELD_KEYS]
    crypto.reset_key_cache()
    assert WorkOrder.objects.get(order_no="ZS001").caller_name == "张三"


@pytest.mark.django_db
def test_values_written_before_v2_with_fernet_still_read(ingest, record):
    ingest(record())
    order = WorkOrder.objects.get(order_no="ZS001")
    old = crypto._fernet().encrypt("李四".encode()).decode()  # how earlier versions stored a name
    with connection.cursor() as cur:
        cur.execute("UPDATE orders_workorder SET caller_name = %s WHERE id = %s", [old, order.pk])
    assert WorkOrder.objects.get(pk=order.pk).caller_name == "李四"


def test_new_values_are_authenticated_aes_gcm_with_a_fresh_nonce(settings):
    crypto.reset_key_cache()
    a, b = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert a.startswith(crypto.PREFIX) and a != b  # same value, different ciphertext
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13812345678"
    raw = bytearray(base64.urlsafe_b64decode(a[len(crypto.PREFIX):]))
    raw[-1] ^= 1  # one flipped bit of the tag
    with pytest.raises(ValueError, match="密钥不匹配"):
        crypto.decrypt(crypto.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode())
    with pytest.raises(ValueError, match="密钥不匹配"):
        crypto.decrypt(crypto.PREFIX + "not base64!")
    assert crypto.encrypt("") == "" and crypto.encrypt(None) is None
