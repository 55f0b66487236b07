from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from yiwang.accounts.demo import demo_people_load
from yiwang.certificates.models import Certificate, CertificateType, SigningKey
from yiwang.certificates.signing.services import jwks_document
from yiwang.certificates.tests.factories import PureKey, qr_text
from yiwang.regions.tests.factories import region_chain


def _verify_subprocess(
    tmp_path: Path, text: str, jwks: dict, revoked: str | None = None
) -> subprocess.CompletedProcess[str]:  # type: ignore[type-arg]
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks))
    args = [sys.executable, "-m", "yiwang.cli", "verify", text, "--keys", str(keys)]
    if revoked is not None:
        (tmp_path / "revoked.txt").write_text(revoked)
        args += ["--revoked", str(tmp_path / "revoked.txt")]
    # A database nobody can reach: the command must not need one.
    env = os.environ | {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "LANGUAGE": "en"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        args, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_offline_verify_command_without_database(tmp_path: Path) -> None:
    key = PureKey()
    done = _verify_subprocess(tmp_path, qr_text(key), key.jwks)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("valid: ")
    assert "number: 44010620261125A1B2C3D4" in lines
    assert "name: 李明" in lines


def test_offline_verify_command_revoked_and_tampered(tmp_path: Path) -> None:
    key = PureKey()
    revoked = _verify_subprocess(
        tmp_path, qr_text(key), key.jwks, revoked='{"revoked": ["44010620261125A1B2C3D4"]}'
    )
    assert revoked.returncode == 1
    assert revoked.stdout.startswith("revoked: ")
    garbage = _verify_subprocess(tmp_path, "YW1:garbage", key.jwks)
    assert garbage.returncode == 1
    assert garbage.stdout.startswith("malformed: ")
    unknown = _verify_subprocess(tmp_path, qr_text(key), PureKey().jwks)
    assert unknown.stdout.startswith("unknown_key: ")


def test_verify_command_bad_key_file(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--keys"):
        call_command("verify", "YW1:x", "--keys", str(tmp_path / "missing.json"))
    (tmp_path / "rev.json").write_text('{"nope": 1}')
    (tmp_path / "k.json").write_text(json.dumps(PureKey().jwks))
    with pytest.raises(CommandError, match="not a revocation list"):
        call_command(
            "verify",
            "YW1:x",
            "--keys",
            str(tmp_path / "k.json"),
            "--revoked",
            str(tmp_path / "rev.json"),
        )
    (tmp_path / "bad.json").write_text('{"nope": 1}')
    with pytest.raises(CommandError, match="not a JWKS document"):
        call_command("verify", "YW1:x", "--keys", str(tmp_path / "bad.json"))


@pytest.mark.django_db
def test_rotate_command() -> None:
    out = io.StringIO()
    call_command("rotate_signing_key", stdout=out)
    call_command("rotate_signing_key", stdout=out)
    kids = [k["kid"] for k in jwks_document()["keys"]]
    assert len(kids) == 2
    assert out.getvalue().splitlines()[-1] == f"active signing key: {kids[0]}"
    assert SigningKey.objects.filter(is_active=True).count() == 1


@pytest.mark.django_db
def test_demo_is_idempotent_and_makes_no_certificate_out_of_thin_air() -> None:
    region_chain(["44", "4401", "440106", "440106006", "440106006002"])
    region_chain(["44", "4401", "440106", "440106006", "440106006004"])
    demo_people_load()
    call_command("demo_certificates", stdout=io.StringIO())
    call_command("demo_certificates", stdout=io.StringIO())
    assert CertificateType.objects.count() == 4
    assert set(CertificateType.objects.values_list("name", flat=True)) == {
        "个体工商户营业执照", "社会保险参保证明", "食品经营许可证", "健康证明",
    }  # fmt: skip
    # The demo citizen's certificates come from approvals (demo_applications), not from here.
    assert not Certificate.objects.exists()
    assert SigningKey.objects.count() == 1


@pytest.mark.django_db
def test_published_files_feed_the_offline_command(tmp_path: Path) -> None:
    """What a verifier downloads from /.well-known/ is exactly what ``yiwang verify`` reads."""
    from django.test import Client

    from yiwang.certificates.models import CertificateStatus
    from yiwang.certificates.tests.factories import issued

    certificate = issued()
    client = Client()
    (tmp_path / "jwks.json").write_bytes(client.get("/.well-known/jwks.json?download=1").content)
    out = io.StringIO()
    call_command(
        "verify", certificate.qr_payload, "--keys", str(tmp_path / "jwks.json"), stdout=out
    )
    assert out.getvalue().startswith("valid: ")
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    (tmp_path / "rev.json").write_bytes(client.get("/.well-known/revocations.json").content)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "verify", certificate.qr_payload, "--keys", str(tmp_path / "jwks.json"),
            "--revoked", str(tmp_path / "rev.json"), stdout=out,
        )  # fmt: skip
    assert exit_info.value.code == 1
    assert out.getvalue().startswith("revoked: ")
