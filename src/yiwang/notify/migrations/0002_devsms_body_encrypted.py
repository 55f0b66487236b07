"""Encrypt the development SMS text (it carries login codes), including rows already there."""

from django.db import migrations

import yiwang.core.crypto


def _rewrite(schema_editor, transform):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, body FROM notify_devsms")
        rows = cursor.fetchall()
        for pk, body in rows:
            cursor.execute("UPDATE notify_devsms SET body = %s WHERE id = %s", [transform(body), pk])


def encrypt_existing(apps, schema_editor):
    _rewrite(schema_editor, yiwang.core.crypto.encrypt_text)


def decrypt_existing(apps, schema_editor):
    _rewrite(schema_editor, yiwang.core.crypto.decrypt_text)


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="devsms",
            name="body",
            field=yiwang.core.crypto.EncryptedTextField(verbose_name="text"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
