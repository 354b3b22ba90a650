"""The audit table is append-only on PostgreSQL: for the application's role (no UPDATE,
DELETE or TRUNCATE) and, through the trigger, for every role; only a redaction passes."""

import io
import uuid

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory, override_settings
from django.urls import reverse

from rutan.accounts.models import User
from rutan.core.middleware import client_address
from rutan.core.models import REDACTION_MARK, AuditAction, AuditEntry
from rutan.core.services import audit_record, audit_redact

MARK_JSON = psycopg.types.json.Jsonb(REDACTION_MARK)


@pytest.fixture
def app_role(transactional_db):
    """A temporary NOSUPERUSER login role granted as docker-compose grants the app's role;
    yields a psycopg connection as it (autocommit) and drops the role afterwards."""
    name = f"rutan_app_{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER PASSWORD %s", [password])
    call_command("grant_app_role", name, stdout=io.StringIO())
    settings = connection.settings_dict
    conn = psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=name,
        password=password,
        autocommit=True,
    )
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {name}")
            cursor.execute(f"DROP ROLE {name}")


def _insert(conn, **values) -> int:
    row = {
        "at": "2026-12-01T08:00:00+00:00",
        "actor_name": "Bambang Sutrisno",
        "actor_username": "kepala",
        "action": "update",
        "object_type": "inmates.inmate",
        "object_id": "7",
        "object_repr": "Budi Santoso (BI.0001/2025)",
        "inmate_id": 7,
        "before": psycopg.types.json.Jsonb({"name": "Budi", "status": "active"}),
        "after": psycopg.types.json.Jsonb({"name": "Budi Santoso", "status": "active"}),
        "via": "",
        "request_id": "",
        "path": "",
        **values,
    }
    columns = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    return conn.execute(
        f"INSERT INTO core_auditentry ({columns}) VALUES ({marks}) RETURNING id",
        list(row.values()),
    ).fetchone()[0]


def test_app_role_inserts_but_never_updates_deletes_or_truncates(app_role):
    pk = _insert(app_role)
    assert AuditEntry.objects.get(pk=pk).actor_username == "kepala"
    refused = [
        ("UPDATE core_auditentry SET action = 'read' WHERE id = %s", [pk]),
        ("UPDATE core_auditentry SET object_repr = 'Orang lain' WHERE id = %s", [pk]),
        ("DELETE FROM core_auditentry WHERE id = %s", [pk]),
        ("TRUNCATE core_auditentry", []),
    ]
    for sql, params in refused:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app_role.execute(sql, params)
    entry = AuditEntry.objects.get(pk=pk)
    assert (entry.action, entry.object_repr) == ("update", "Budi Santoso (BI.0001/2025)")


def test_app_role_may_only_redact_to_the_mark_once(app_role):
    pk = _insert(app_role)
    forged = [
        # Another text than the mark.
        "UPDATE core_auditentry SET object_repr = 'Andi', redacted_at = now() WHERE id = %s",
        # Another value in the snapshot.
        'UPDATE core_auditentry SET after = after || \'{"status": "released"}\', '
        "redacted_at = now() WHERE id = %s",
        # A key removed from the snapshot.
        "UPDATE core_auditentry SET before = before - 'status', redacted_at = now() WHERE id = %s",
        # The mark without saying the row was redacted.
        "UPDATE core_auditentry SET object_repr = '[dianonimkan]' WHERE id = %s",
    ]
    for sql in forged:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            app_role.execute(sql, [pk])
    app_role.execute(
        "UPDATE core_auditentry SET object_repr = %s, before = jsonb_set(before, '{name}', %s), "
        "after = jsonb_set(after, '{name}', %s), redacted_at = now() WHERE id = %s",
        [REDACTION_MARK, MARK_JSON, MARK_JSON, pk],
    )
    entry = AuditEntry.objects.get(pk=pk)
    assert entry.object_repr == REDACTION_MARK
    assert entry.after == {"name": REDACTION_MARK, "status": "active"}
    assert entry.redacted_at is not None
    # Once redacted, a row never changes again (not even a second "redaction").
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute(
            "UPDATE core_auditentry SET after = jsonb_set(after, '{status}', %s), "
            "redacted_at = now() WHERE id = %s",
            [MARK_JSON, pk],
        )


def test_the_trigger_refuses_the_superuser_too(transactional_db, kepala, balikpapan):
    entry = audit_record(
        actor=kepala,
        action=AuditAction.UPDATE,
        instance=balikpapan,
        before={"name": "Lama"},
        after={"name": "Baru"},
    )
    attempts = [
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action=AuditAction.READ),
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(after={"name": "Lain"}),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: connection.cursor().execute("TRUNCATE core_auditentry"),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).after == {"name": "Baru"}


@pytest.mark.django_db
def test_redaction_through_the_service_passes_the_trigger(kepala, make_inmate, balikpapan):
    inmate = make_inmate(balikpapan, name="Siti Aminah")
    audit_record(actor=kepala, action=AuditAction.READ, instance=inmate, via="web")
    changed = audit_redact(inmate_id=inmate.pk, keys={"name"}, terms=["Siti Aminah"])
    assert changed >= 2
    rows = AuditEntry.objects.filter(inmate_id=inmate.pk)
    assert all(r.redacted_at and r.object_repr == REDACTION_MARK for r in rows)
    assert "Siti" not in str(list(rows.values_list("before", "after")))


@pytest.mark.django_db
def test_grant_app_role_refuses_a_superuser():
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", connection.settings_dict["USER"] or "postgres")


@pytest.mark.django_db
def test_users_are_deactivated_never_deleted(kepala, balikpapan):
    audit_record(actor=kepala, action=AuditAction.READ, instance=balikpapan)
    with pytest.raises(ValidationError, match="nonaktifkan"):
        kepala.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        User.objects.filter(pk=kepala.pk).delete()
    entry = AuditEntry.objects.get(actor=kepala)
    assert (entry.actor_username, entry.actor_name) == ("kepala", str(kepala))


@pytest.mark.django_db
def test_an_entry_keeps_who_from_where_and_which_request(client, kepala, make_inmate, balikpapan):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    response = client.get(
        reverse("inmates:detail", args=[inmate.pk]),
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.filter(action=AuditAction.READ).latest("id")
    assert entry.inmate_id == inmate.pk
    # No trusted proxy by default: the forwarded header is the client's word, not taken.
    assert entry.address == "10.1.2.3"
    assert entry.request_id == response["X-Request-ID"]
    assert entry.path == reverse("inmates:detail", args=[inmate.pk])
    assert (entry.actor_name, entry.actor_username) == (str(kepala), "kepala")


def _request(xff=None, remote="10.0.0.2"):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_client_address_trusts_only_the_configured_proxies():
    assert client_address(_request("1.1.1.1")) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The client wrote 6.6.6.6 itself; the one proxy appended what it saw.
        assert client_address(_request("6.6.6.6, 203.0.113.5")) == "203.0.113.5"
        assert client_address(_request()) == "10.0.0.2"
        assert client_address(_request("not-an-address")) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_address(_request("6.6.6.6, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"
        assert client_address(_request("203.0.113.5")) == "10.0.0.2"
