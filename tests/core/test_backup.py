"""manage.py backup / restore: a seeded database and its private media round-trip into a new,
empty database and media folder, every table (rows and content) and every file (bytes) the
same; a restore over a non-empty database without --force fails and changes nothing."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from rutan.settings.storage import private_storage

ROOT = Path(__file__).resolve().parents[2]


def _conninfo(name: str) -> dict:
    conf = settings.DATABASES["default"]
    info = {"dbname": name, "user": conf["USER"], "host": conf["HOST"] or "127.0.0.1"}
    if conf.get("PORT"):
        info["port"] = conf["PORT"]
    if conf.get("PASSWORD"):
        info["password"] = conf["PASSWORD"]
    return info


def _url(name: str) -> str:
    conf = settings.DATABASES["default"]
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    return f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"


def _tables(cursor) -> dict[str, tuple[int, str]]:
    """Every table of the schema: its row count and an md5 of all its rows as text."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    found = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
            f' FROM "{table}" t'
        )
        found[table] = tuple(cursor.fetchone())
    return found


def _objects(cursor) -> list:
    """Triggers, indexes and constraints, by name: the schema came back as dumped."""
    cursor.execute(
        "SELECT 'trigger', tgname FROM pg_trigger WHERE NOT tgisinternal "
        "UNION ALL SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema() "
        "UNION ALL SELECT 'constraint', conname FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() "
        "ORDER BY 1, 2"
    )
    return cursor.fetchall()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _manage(*args, database: str, media: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rutan.settings.test",
        "DATABASE_URL": _url(database),
        "DJANGO_MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database():
    name = f"{settings.DATABASES['default']['NAME']}_restore_{os.getpid()}"
    admin = psycopg.connect(**_conninfo("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command(
        "seed_national", "--facilities", "3", "--inmates", "300", "--months", "2", verbosity=0
    )
    default_storage.save("reports/2026/laporan.pdf", ContentFile(b"%PDF-1.7\n" + os.urandom(4096)))
    default_storage.save("imports/daftar.xlsx", ContentFile(os.urandom(10_000)))
    default_storage.save("interns/foto/wajah.jpg", ContentFile(b"\xff\xd8\xff" + bytes(range(256))))
    default_storage.save("kosong.txt", ContentFile(b""))
    with connection.cursor() as cursor:
        before = _tables(cursor)
        objects = _objects(cursor)
    media_before = _files(tmp_path / "media")
    assert before["django_migrations"][0] and "core_auditentry" in before
    assert sum(n for n, _ in before.values()) > 5000
    assert sum(1 for n, _ in before.values() if n) > 30
    assert len(media_before) == 4

    out = tmp_path / "backups"
    call_command("backup", output_dir=str(out), verbosity=0)
    (made,) = out.glob("rutan-backup-*")
    assert (made / "manifest.json").is_file()

    restored_media = tmp_path / "restored-media"
    done = _manage("restore", str(made), database=empty_database, media=restored_media)
    assert done.returncode == 0, done.stderr

    with psycopg.connect(**_conninfo(empty_database)) as conn, conn.cursor() as cursor:
        after = _tables(cursor)
        assert _objects(cursor) == objects
    assert after == before
    assert _files(restored_media) == media_before

    # Over a non-empty database (and an empty media folder) without --force: refused, unchanged.
    other_media = tmp_path / "other-media"
    refused = _manage("restore", str(made), database=empty_database, media=other_media)
    assert refused.returncode != 0
    assert "tidak kosong" in refused.stderr and "--force" in refused.stderr
    with psycopg.connect(**_conninfo(empty_database)) as conn, conn.cursor() as cursor:
        assert _tables(cursor) == before
    assert not other_media.exists() or not _files(other_media)

    # With --force it is restored over what is there, the audit log's triggers notwithstanding.
    with psycopg.connect(**_conninfo(empty_database), autocommit=True) as conn:
        conn.execute("CREATE TABLE extra_scratch (x int)")
    forced = _manage("restore", "--force", str(made), database=empty_database, media=other_media)
    assert forced.returncode == 0, forced.stderr
    with psycopg.connect(**_conninfo(empty_database)) as conn, conn.cursor() as cursor:
        again = _tables(cursor)
    assert {t: v for t, v in again.items() if t != "extra_scratch"} == before
    assert _files(other_media) == media_before


@pytest.mark.django_db(transaction=True)
def test_keep_retention_and_corrupt_backup_refused(tmp_path, settings, empty_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    default_storage.save("a.txt", ContentFile(b"satu"))
    out = tmp_path / "backups"
    for _ in range(3):
        call_command("backup", output_dir=str(out), keep=2, verbosity=0)
    kept = sorted(out.glob("rutan-backup-*"))
    assert len(kept) == 2
    (kept[-1] / "media" / "a.txt").write_bytes(b"dua!")
    done = _manage("restore", str(kept[-1]), database=empty_database, media=tmp_path / "m2")
    assert done.returncode != 0 and "manifest" in done.stderr
    with psycopg.connect(**_conninfo(empty_database)) as conn, conn.cursor() as cursor:
        assert _tables(cursor) == {}


def test_sqlite_round_trip(tmp_path):
    """The embedded demo: the SQLite file copied with the online backup API, and media."""
    db, media = tmp_path / "demo.sqlite3", tmp_path / "media"
    media.mkdir()
    (media / "foto.jpg").write_bytes(b"\xff\xd8" + os.urandom(500))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rutan.settings.base"}

    def manage(*args, database, media_root):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={
                **env,
                "DATABASE_URL": f"sqlite:///{database}",
                "DJANGO_MEDIA_ROOT": str(media_root),
            },
            capture_output=True,
            text=True,
            timeout=300,
        )

    import sqlite3

    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE t (id integer primary key, v text); INSERT INTO t (v) VALUES ('a'), ('b');"
    )
    con.commit()
    con.close()
    made = manage("backup", "--output-dir", str(tmp_path / "b"), database=db, media_root=media)
    assert made.returncode == 0, made.stderr
    target = tmp_path / "restored.sqlite3"
    done = manage("restore", made.stdout.strip(), database=target, media_root=tmp_path / "m2")
    assert done.returncode == 0, done.stderr
    assert sqlite3.connect(target).execute("SELECT v FROM t ORDER BY id").fetchall() == [
        ("a",),
        ("b",),
    ]
    assert (tmp_path / "m2" / "foto.jpg").read_bytes() == (media / "foto.jpg").read_bytes()
    again = manage("restore", made.stdout.strip(), database=target, media_root=tmp_path / "m3")
    assert again.returncode != 0 and "tidak kosong" in again.stderr


def test_private_storage_from_env(monkeypatch):
    import environ

    monkeypatch.delenv("PRIVATE_STORAGE", raising=False)
    assert private_storage(environ.Env())["BACKEND"].endswith("FileSystemStorage")
    monkeypatch.setenv("PRIVATE_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "rutan-media")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.example.invalid")
    chosen = private_storage(environ.Env())
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["OPTIONS"]["bucket_name"] == "rutan-media"
    assert chosen["OPTIONS"]["endpoint_url"] == "https://s3.example.invalid"
    assert chosen["OPTIONS"]["default_acl"] is None
    monkeypatch.setenv("PRIVATE_STORAGE", "ftp")
    with pytest.raises(environ.ImproperlyConfigured):
        private_storage(environ.Env())
