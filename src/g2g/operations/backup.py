"""A whole authority as one versioned file, both ways: `g2g export_all` writes it and
`g2g import_all` restores it into a database that does not hold that authority's data yet.

The file is a zip holding `backup.json` and `files/<name>` (evidence files). `backup.json` has
every row of every table the authority owns (found through each model's path to its authority,
the same path the access layer uses), their django-simple-history tables, the many-to-many links
and the people named in them (usernames, names and roles; never passwords). Database ids never
appear: each table's rows are numbered 0, 1, 2 … in id order (ids known only from history, of
deleted rows, included) and references use those numbers; people are named by username and the
authority by slug. A restore keeps the order of ids, so exporting the restored authority gives
the same `backup.json`, byte for byte.

Left out on purpose: pending uploads (transient), API tokens (secrets: issue new ones), single
sign-on links and 2-step devices (people's own, set up again), child-level
Annex A files (kept for days at most; see docs/backup.md), the authorities' reference data
(loaded with `g2g load_authorities`; the authority itself is created if missing) and the
inspection frameworks (reference data the migrations write).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

from g2g.tenancy.models import Authority

FORMAT = "getting-to-good/authority@1"
DATA_NAME = "backup.json"
FILES_DIR = "files/"
SKIPPED_MODELS = {
    "tenancy.authority",  # reference data; written from the backup's "authority" when missing
    "tenancy.statisticalneighbour",  # reference data
    "measures.publishedfigure",  # DfE's published figures: reference data, reloaded from DfE
    "inspections.framework",  # reference data, written by migrations
    "inspections.frameworkarea",
    "importers.upload",  # uploads waiting for confirmation: transient
    "api.apitoken",  # secrets: issue new tokens after a restore
    "sso.usednonce",  # single sign-on replay guard: minutes old, no one's data
}
SKIPPED_FIELDS = {"annexa.annexareturn": {"kept_file"}}  # child-level data stays out of backups
AUTHORITY_FIELDS = (
    "name",
    "slug",
    "ons_code",
    "la_number",
    "region",
    "ofsted_urn",
    "inspection_framework",
    "inspection_start",
    "inspection_end",
    "inspection_published",
    "inspection_link",
    "lead_inspector",
    "grade_overall",
    "grade_leaders",
    "grade_help_and_protection",
    "grade_in_care",
    "grade_care_leavers",
)
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active")
BATCH = 500


class BackupError(Exception):
    """The backup cannot be read or restored; nothing was written."""


@dataclass
class Table:
    """One table of the authority's data and how its rows reach the authority."""

    model: type[models.Model]
    path: str
    ids: list[int] = field(default_factory=list)  # database ids in order; position = number

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def base_label(self) -> str:
        """The model a historical table records (itself otherwise)."""
        return getattr(self.model, "instance_type", self.model)._meta.label_lower

    @property
    def fields(self) -> list[models.Field]:
        skipped = SKIPPED_FIELDS.get(self.base_label, set())
        return [
            f
            for f in self.model._meta.concrete_fields
            if not f.primary_key and f.name not in skipped
        ]

    @property
    def records(self) -> str | None:
        """For a historical table, the field holding the recorded row's id."""
        base = getattr(self.model, "instance_type", None)
        return base._meta.pk.attname if base is not None else None


def authority_tables() -> list[Table]:
    """Every table holding authority data, parents before the link tables that need them."""
    user_model = get_user_model()
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if apps.get_app_config(m._meta.app_label).name.startswith("g2g.")
    ]
    tables: dict[type[models.Model], Table] = {}
    pending = []
    for model in candidates:
        base = getattr(model, "instance_type", model)
        if base._meta.label_lower in SKIPPED_MODELS:
            continue
        path = _own_path(base)
        if path is not None:
            tables[model] = Table(model, path)
        else:
            pending.append(model)
    for _round in range(3):  # links of links (history of many-to-many links) need a second pass
        for model in list(pending):
            parent = next(
                (
                    f
                    for f in model._meta.concrete_fields
                    if f.is_relation and f.related_model in tables
                ),
                None,
            )
            if parent is not None:
                tables[model] = Table(model, f"{parent.name}__{tables[parent.related_model].path}")
                pending.remove(model)
    for model in pending:
        relations = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
        if relations and set(relations) <= {user_model, Authority}:
            continue  # not authority data (e.g. a user's own settings)
        raise BackupError(f"{model._meta.label} has no path to its authority: add one")
    return list(tables.values())


def _own_path(model: type[models.Model]) -> str | None:
    path = getattr(model._default_manager.all(), "authority_path", None)
    if path is not None:
        return path
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Authority:
            return f.name
    return None


# ---------------------------------------------------------------------------------------------
# Export


def export_authority(authority: Authority) -> bytes:
    """The backup file (zip) for one authority."""
    payload, files = authority_payload(authority)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_NAME, dump(payload))
        for name in files:
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as stored:
                    archive.writestr(FILES_DIR + name, stored.read())
    return buffer.getvalue()


def dump(payload: dict) -> str:
    return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def authority_payload(authority: Authority) -> tuple[dict, list[str]]:
    """The backup's JSON and the stored files it names. A fixed number of queries per table."""
    tables = authority_tables()
    rows: dict[str, list[tuple]] = {}
    for table in tables:
        attnames = [table.model._meta.pk.attname] + [f.attname for f in table.fields]
        query = table.model._base_manager.filter(**{table.path: authority}).order_by("pk")
        rows[table.label] = list(query.values_list(*attnames))
    # Rows known only from history (deleted since) keep their place in the numbering too.
    known: dict[type[models.Model], set[int]] = {
        t.model: {r[0] for r in rows[t.label]} for t in tables
    }
    for table in tables:
        if table.records is not None and table.model.instance_type in known:
            column = 1 + [f.attname for f in table.fields].index(table.records)
            known[table.model.instance_type].update(r[column] for r in rows[table.label])
    numbers: dict[type[models.Model], dict[int, int]] = {}
    for table in tables:
        table.ids = sorted(known[table.model])
        numbers[table.model] = {pk: n for n, pk in enumerate(table.ids)}
    user_ids = _user_ids(tables, rows)
    users = get_user_model()._base_manager.filter(pk__in=user_ids).order_by("username")
    usernames = dict(users.values_list("pk", "username"))
    files: list[str] = []
    out_tables = {}
    for table in tables:
        encoded = []
        for row in rows[table.label]:
            values = [numbers[table.model][row[0]]]
            for f, value in zip(table.fields, row[1:], strict=True):
                values.append(_encode(table, f, value, numbers, usernames, authority, files))
            encoded.append(values)
        if encoded or table.ids:
            out_tables[table.label] = {
                "fields": [f.name for f in table.fields],
                "ids": len(table.ids),
                "rows": encoded,
            }
    payload = {
        "format": FORMAT,
        "authority": {name: _plain(getattr(authority, name)) for name in AUTHORITY_FIELDS},
        "users": [{name: getattr(user, name) for name in USER_FIELDS} for user in users],
        "tables": out_tables,
    }
    return payload, sorted(set(files))


def _user_ids(tables: list[Table], rows: dict[str, list[tuple]]) -> set[int]:
    user_model = get_user_model()
    found: set[int] = set()
    for table in tables:
        for column, f in enumerate(table.fields, start=1):
            if f.is_relation and f.related_model is user_model:
                found.update(row[column] for row in rows[table.label] if row[column] is not None)
    return found


def _encode(table, f, value, numbers, usernames, authority, files) -> Any:
    if value is None:
        return None
    if f.is_relation:
        target = f.related_model
        if target is Authority:
            return authority.slug if value == authority.pk else None
        if target is get_user_model():
            return usernames.get(value)
        if target in numbers:
            return numbers[target].get(value)
        raise BackupError(f"{table.label}.{f.name} points outside the authority's data")
    if f.attname == table.records:
        return numbers[table.model.instance_type][value]
    if isinstance(f, models.FileField):
        files.append(str(value))
        return str(value)
    if isinstance(f, models.JSONField):
        return value
    return _plain(value)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)  # Decimal, UUID


# ---------------------------------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class Restored:
    authority: Authority
    rows: int
    users_created: int
    files: int


def import_authority(source: bytes | IO[bytes]) -> Restored:
    """Restore a backup in one transaction: all of it, or nothing (BackupError says why)."""
    archive = _open(source)
    with archive:
        list(_file_entries(archive))  # every name checked before anything is written
        try:
            payload = json.loads(archive.read(DATA_NAME))
        except (KeyError, ValueError) as error:
            raise BackupError(f"{DATA_NAME} is missing or is not JSON: {error}") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise BackupError(f"not a Getting to Good authority backup (format {FORMAT})")
        with transaction.atomic():
            restored = _restore(payload)
            stored = _restore_files(archive)
    return Restored(restored.authority, restored.rows, restored.users_created, stored)


def _open(source: bytes | IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except zipfile.BadZipFile:
        raise BackupError("the file is not a zip archive made by g2g export_all") from None


def _restore(payload: dict) -> Restored:
    authority = _authority(payload["authority"])
    tables = {t.label: t for t in authority_tables()}
    unknown = set(payload["tables"]) - set(tables)
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {sorted(unknown)}")
    for table in tables.values():
        if table.model._base_manager.filter(**{table.path: authority}).exists():
            raise BackupError(
                f"{authority.name} already holds data ({table.model._meta.verbose_name}): "
                "restore into a database without it"
            )
    users, created = _users(payload["users"])
    # New ids, in the backup's order, above every id the table has used.
    first_id = {}
    for label, table in tables.items():
        count = payload["tables"].get(label, {}).get("ids", 0)
        if count:
            first_id[table.model] = _next_free_id(table.model)
    total = 0
    for label, content in payload["tables"].items():
        table = tables[label]
        if content["fields"] != [f.name for f in table.fields]:
            raise BackupError(f"{label}: the backup's columns differ from this version's")
        objects = [_row(table, values, first_id, users, authority) for values in content["rows"]]
        _insert(table.model, objects)
        if content["ids"]:
            _reserve_ids(table.model, first_id[table.model] + content["ids"] - 1)
        total += len(objects)
    return Restored(authority, total, created, 0)


def _authority(data: dict) -> Authority:
    values = {
        name: Authority._meta.get_field(name).to_python(value) for name, value in data.items()
    }
    authority = Authority.objects.filter(slug=values["slug"]).first()
    if authority is None:
        authority = Authority.objects.create(**values)
    return authority


def _users(rows: list[dict]) -> tuple[dict[str, int], int]:
    user_model = get_user_model()
    found, created = {}, 0
    for row in rows:
        user = user_model._base_manager.filter(username=row["username"]).first()
        if user is None:
            user = user_model(**row)
            user.set_unusable_password()  # people set a password (or sign in by SSO) again
            user.save()
            created += 1
        found[user.username] = user.pk
    return found, created


def _row(table: Table, values: list, first_id, users, authority) -> models.Model:
    number, *rest = values
    data = {table.model._meta.pk.attname: first_id[table.model] + number}
    for f, value in zip(table.fields, rest, strict=True):
        data[f.attname] = _decode(table, f, value, first_id, users, authority)
    return table.model(**data)


def _decode(table, f, value, first_id, users, authority) -> Any:
    if value is None:
        return None
    if f.is_relation:
        target = f.related_model
        if target is Authority:
            return authority.pk
        if target is get_user_model():
            return users.get(value)
        return first_id[target] + value
    if f.attname == table.records:
        return first_id[table.model.instance_type] + value
    if isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value)
    return f.to_python(value)


def _insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert as they are: no history rows (the backup brings its own), and the saved
    created/updated times rather than now (bulk_create stamps them; bulk_update puts them back)."""
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    kept = [[getattr(obj, f.attname) for f in stamped] for obj in objects]
    model._base_manager.bulk_create(objects, batch_size=BATCH)
    if stamped and objects:
        for obj, values in zip(objects, kept, strict=True):
            for f, value in zip(stamped, values, strict=True):
                setattr(obj, f.attname, value)
        model._base_manager.bulk_update(objects, [f.name for f in stamped], batch_size=BATCH)


def _next_free_id(model: type[models.Model]) -> int:
    table, column = model._meta.db_table, model._meta.pk.column
    highest = model._base_manager.aggregate(m=models.Max("pk"))["m"] or 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass)",
                [table, column],
            )
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        else:
            return highest + 1
        row = cursor.fetchone()
    return max(highest, (row[0] or 0) if row else 0) + 1


def _reserve_ids(model: type[models.Model], last: int) -> None:
    """Move the table's id sequence past `last`, so new rows never reuse a restored id
    (including ids of deleted rows that only history still names)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [table, column, last]
            )
        elif connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last]
                )


def _restore_files(archive: zipfile.ZipFile) -> int:
    """Evidence files back into storage under their own names (kept if already there)."""
    count = 0
    for info in _file_entries(archive):
        name = info.filename[len(FILES_DIR) :]
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(archive.read(info)))
            if saved != name:
                raise BackupError(f"could not restore {name} under its own name")
        count += 1
    return count


def _file_entries(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        if not info.filename.startswith(FILES_DIR) or info.is_dir():
            continue
        name = info.filename[len(FILES_DIR) :]
        if name.startswith("/") or ".." in name.split("/"):
            raise BackupError(f"unsafe file name in the backup: {info.filename}")
        yield info
