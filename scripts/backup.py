#!/usr/bin/env python
"""Back up or restore kb: the database plus uploads. The search index is rebuilt, never backed up.

    .venv/bin/python scripts/backup.py backup DIR        → DIR/kb-<timestamp>.tar.gz
    .venv/bin/python scripts/backup.py restore FILE      → database and uploads replaced, index rebuilt

PostgreSQL goes through pg_dump/pg_restore (custom format); SQLite through its online backup API,
so a backup taken while kb serves traffic is consistent. Settings come from the environment (KB_*,
DATABASE_URL) exactly as for the running site.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("KB_DEBUG", "1")


def _setup():
    import django

    django.setup()
    from django.conf import settings

    return settings


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    return args, env


def backup(target_dir: Path, *, database: dict | None = None) -> Path:
    settings = _setup()
    db = database or settings.DATABASES["default"]
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    out = target_dir / f"kb-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if db["ENGINE"].endswith("sqlite3"):
            dump = tmpdir / "database.sqlite3"
            src = sqlite3.connect(str(db["NAME"]))
            dst = sqlite3.connect(str(dump))
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
            engine = "sqlite"
        else:
            dump = tmpdir / "database.pgdump"
            args, env = _pg_env(db)
            subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", *args, "-f", str(dump), str(db["NAME"])], check=True, env=env
            )
            engine = "postgresql"
        manifest = {"created_at": stamp, "engine": engine, "format": 1}
        with tarfile.open(out, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            uploads = Path(settings.MEDIA_ROOT)
            if uploads.exists():
                tar.add(uploads, arcname="uploads")
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def restore(archive: Path, *, database: dict | None = None, rebuild_index: bool = True) -> None:
    settings = _setup()
    from django.db import connections

    db = database or settings.DATABASES["default"]
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        tmpdir = Path(tmp)
        manifest = json.loads((tmpdir / "manifest.json").read_text())
        connections.close_all()
        if manifest["engine"] == "sqlite":
            if not db["ENGINE"].endswith("sqlite3"):
                raise SystemExit("This backup is of a SQLite database; DATABASE_URL points elsewhere.")
            src = sqlite3.connect(str(tmpdir / "database.sqlite3"))
            dst = sqlite3.connect(str(db["NAME"]))
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            if db["ENGINE"].endswith("sqlite3"):
                raise SystemExit("This backup is of a PostgreSQL database; DATABASE_URL points to SQLite.")
            args, env = _pg_env(db)
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    *args,
                    "-d",
                    str(db["NAME"]),
                    str(tmpdir / "database.pgdump"),
                ],
                check=True,
                env=env,
            )
        uploads = Path(settings.MEDIA_ROOT)
        if (tmpdir / "uploads").exists():
            if uploads.exists():
                shutil.rmtree(uploads)
            shutil.copytree(tmpdir / "uploads", uploads)
    if rebuild_index:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
        call_command("rebuild_search_index")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("backup")
    b.add_argument("dir", type=Path)
    r = sub.add_parser("restore")
    r.add_argument("file", type=Path)
    args = parser.parse_args()
    if args.action == "backup":
        print(backup(args.dir))
    else:
        restore(args.file)
        print(f"restored {args.file}; search index rebuilt")


if __name__ == "__main__":
    main()
