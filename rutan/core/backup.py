"""Backups: the database (pg_dump custom format, or SQLite's online backup API) and the
private media, in one directory with a manifest (row counts per table, SHA-256 per file).

A thin layer over pg_dump / pg_restore rather than django-dbbackup: the dump and the row
counts must come from one snapshot (``pg_dump --snapshot``), the restore must refuse a
non-empty database and check itself against the manifest, and the media must be verified
file by file; django-dbbackup's commands do none of that and its connectors add nothing
over calling the two programs (docs/deploy.md, "Backups").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections, transaction
from django.utils.translation import gettext as _

FORMAT = 1
PREFIX = "rutan-backup-"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Target:
    alias: str

    @property
    def conf(self) -> dict:
        return settings.DATABASES[self.alias]

    @property
    def vendor(self) -> str:
        return connections[self.alias].vendor


def _pg_env(conf: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[var] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    env["PGDATABASE"] = conf["NAME"]
    return env


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]}: {done.stderr.strip() or done.returncode}")


def _media_storage_is_local() -> bool:
    return isinstance(storages["default"], FileSystemStorage)


def _media_root() -> Path:
    return Path(storages["default"].location)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> dict[str, dict]:
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found[path.relative_to(root).as_posix()] = {
            "size": path.stat().st_size,
            "sha256": sha256(path),
        }
    return found


def user_tables(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in user_tables(cursor, vendor):
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


# --- backup -------------------------------------------------------------------------------


def backup(output_dir: Path, *, alias: str = "default", media: bool = True, keep=None) -> Path:
    """Write one backup directory under ``output_dir`` and return it; with ``keep``, remove
    the oldest backups there beyond the newest ``keep``."""
    target = Target(alias)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = output_dir / f"{PREFIX}{stamp}"
    work = output_dir / f".{PREFIX}{stamp}.partial"
    work.mkdir()
    try:
        if target.vendor == "postgresql":
            counts = _backup_postgresql(target, work / PG_DUMP)
            database = {"engine": "postgresql", "file": PG_DUMP}
        elif target.vendor == "sqlite":
            counts = _backup_sqlite(target, work / SQLITE_FILE)
            database = {"engine": "sqlite", "file": SQLITE_FILE}
        else:
            raise BackupError(_("Basis data %s tidak didukung.") % target.vendor)
        database["sha256"] = sha256(work / database["file"])
        files: dict[str, dict] = {}
        media_note = "skipped"
        if media and _media_storage_is_local():
            root = _media_root()
            if root.is_dir():
                shutil.copytree(root, work / MEDIA_DIR, symlinks=False)
            files = _files(work / MEDIA_DIR)
            media_note = "local"
        elif media:
            # Object storage keeps its own copies (bucket versioning/replication).
            media_note = "object-storage-not-copied"
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": database,
            "tables": counts,
            "media": media_note,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if keep:
        prune(output_dir, keep)
    return final


def _backup_postgresql(target: Target, out: Path) -> dict[str, int]:
    """pg_dump in the snapshot the row counts were read in, so the manifest matches the
    dump exactly even while the application writes."""
    connection = connections[target.alias]
    with transaction.atomic(using=target.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(cursor, "postgresql")
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={out}"],
            _pg_env(target.conf),
        )
    return counts


def _backup_sqlite(target: Target, out: Path) -> dict[str, int]:
    source = sqlite3.connect(target.conf["NAME"])
    dest = sqlite3.connect(out)
    try:
        source.backup(dest)  # consistent even while others write
        return row_counts(dest.cursor(), "sqlite")
    finally:
        dest.close()
        source.close()


def prune(output_dir: Path, keep: int) -> list[Path]:
    found = sorted(p for p in Path(output_dir).glob(f"{PREFIX}*") if (p / MANIFEST).is_file())
    removed = found[:-keep] if keep > 0 else []
    for path in removed:
        shutil.rmtree(path)
    return removed


# --- restore ------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((Path(source) / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(_("Bukan cadangan Rutan (manifest tidak terbaca): %s") % exc) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format cadangan %s tidak dikenal.") % manifest.get("format"))
    return manifest


def check(source: Path) -> dict:
    """The backup's own files against its manifest (nothing touched)."""
    source = Path(source)
    manifest = read_manifest(source)
    db_file = source / manifest["database"]["file"]
    if not db_file.is_file() or sha256(db_file) != manifest["database"]["sha256"]:
        raise BackupError(_("Berkas basis data cadangan rusak atau hilang."))
    if _files(source / MEDIA_DIR) != manifest["files"]:
        raise BackupError(_("Berkas media cadangan tidak cocok dengan manifest."))
    return manifest


def _database_tables(target: Target) -> list[str]:
    if target.vendor == "sqlite" and not Path(target.conf["NAME"]).exists():
        return []
    with connections[target.alias].cursor() as cursor:
        return user_tables(cursor, target.vendor)


def restore(source: Path, *, alias: str = "default", media: bool = True, force: bool = False):
    """Restore a backup into the database ``alias`` and the media folder. Refuses (changing
    nothing) when the database has tables or the media folder has files, unless ``force``."""
    source = Path(source)
    target = Target(alias)
    manifest = check(source)
    engine = manifest["database"]["engine"]
    if engine != target.vendor:
        raise BackupError(
            _("Cadangan ini dari %(src)s, basis data tujuan %(dst)s.")
            % {"src": engine, "dst": target.vendor}
        )
    restore_media = media and manifest["media"] == "local" and _media_storage_is_local()
    if not force:
        tables = _database_tables(target)
        if tables:
            raise BackupError(
                _(
                    "Basis data tujuan tidak kosong (%(n)d tabel). Pemulihan dibatalkan, tidak "
                    "ada yang diubah; pakai --force untuk menimpanya."
                )
                % {"n": len(tables)}
            )
        if restore_media and _files(_media_root()):
            raise BackupError(
                _(
                    "Folder media tujuan tidak kosong. Pemulihan dibatalkan, tidak ada yang "
                    "diubah; pakai --force untuk menimpanya."
                )
            )
    connections[alias].close()
    if engine == "postgresql":
        _restore_postgresql(target, source / manifest["database"]["file"], force)
    else:
        _restore_sqlite(target, source / manifest["database"]["file"])
    with connections[alias].cursor() as cursor:
        counts = row_counts(cursor, target.vendor)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(_("Jumlah baris setelah pemulihan tidak cocok: %s") % wrong)
    if restore_media:
        _restore_media(source / MEDIA_DIR, _media_root(), manifest["files"])
    return manifest


def _restore_postgresql(target: Target, dump: Path, force: bool) -> None:
    # The schema is restored as dumped, triggers included: pg_restore loads the data before
    # it creates triggers (post-data), so neither the audit log's append-only triggers nor the
    # cached figures' statement triggers fire, and no migrate runs afterwards.
    args = ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner"]
    if force:
        args += ["--clean", "--if-exists"]
    args += ["--dbname", target.conf["NAME"], str(dump)]
    _run(args, _pg_env(target.conf))


def _restore_sqlite(target: Target, file: Path) -> None:
    name = target.conf["NAME"]
    source = sqlite3.connect(file)
    dest = sqlite3.connect(name)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _restore_media(source: Path, root: Path, files: dict[str, dict]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for rel, meta in files.items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.restoring")
        shutil.copyfile(source / rel, tmp)
        if sha256(tmp) != meta["sha256"]:
            tmp.unlink()
            raise BackupError(_("Berkas %s rusak saat dipulihkan.") % rel)
        tmp.replace(dest)
