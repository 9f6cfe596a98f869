"""People in SQLite: caseworkers, cases, participants and their chat accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from companion.flows.ports import Clock, IdFactory
from companion.ports import (
    AlreadyExists,
    Case,
    Caseworker,
    ChannelLink,
    Invite,
    Participant,
    ParticipantRole,
    StaffRole,
    UnknownReference,
)
from companion.store.converters import from_row, to_row
from companion.store.database import INTEGRITY_ERRORS
from companion.store.records import utc_text

M = TypeVar("M", bound=BaseModel)


class SqliteDirectoryStore:
    """``DirectoryStore`` on a migrated database."""

    def __init__(self, db: Database, *, clock: Clock, ids: IdFactory) -> None:
        self.db = db
        self.clock = clock
        self.ids = ids

    def add_caseworker(
        self, username: str, display_name: str, role: StaffRole, password_hash: str
    ) -> Caseworker:
        caseworker = Caseworker(
            id=self.ids.new_id(),
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            created_at=self.clock.now(),
        )
        if self.get_caseworker_by_username(username) is not None:
            raise AlreadyExists(f"username {username!r} is taken")
        self._insert("caseworkers", caseworker)
        return caseworker

    def get_caseworker(self, caseworker_id: str) -> Caseworker | None:
        return self._one(Caseworker, "caseworkers", "id = ?", [caseworker_id])

    def get_caseworker_by_username(self, username: str) -> Caseworker | None:
        return self._one(Caseworker, "caseworkers", "username = ?", [username])

    def list_caseworkers(self) -> list[Caseworker]:
        return self._many(Caseworker, "caseworkers", "1 = 1", [])

    def update_caseworker(
        self,
        caseworker_id: str,
        *,
        display_name: str | None = None,
        role: StaffRole | None = None,
        password_hash: str | None = None,
        disabled: bool | None = None,
    ) -> Caseworker:
        changes = {
            name: value
            for name, value in (
                ("display_name", display_name),
                ("role", role),
                ("password_hash", password_hash),
                ("disabled", disabled),
            )
            if value is not None
        }
        if changes:
            # column names come from the fixed tuple above, never from input
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE caseworkers SET {assignments} WHERE id = ?",  # noqa: S608
                [*(int(v) if isinstance(v, bool) else v for v in changes.values()), caseworker_id],
            )
        found = self.get_caseworker(caseworker_id)
        if found is None:
            raise UnknownReference(f"no such caseworker {caseworker_id}")
        return found

    def set_login_state(
        self, caseworker_id: str, failed_logins: int, locked_until: datetime | None
    ) -> None:
        self.db.execute(
            "UPDATE caseworkers SET failed_logins = ?, locked_until = ? WHERE id = ?",
            [failed_logins, utc_text(locked_until) if locked_until else None, caseworker_id],
        )

    def add_case(
        self, caseworker_id: str, title: str, next_meeting_at: datetime | None = None
    ) -> Case:
        case = Case(
            id=self.ids.new_id(),
            caseworker_id=caseworker_id,
            title=title,
            created_at=self.clock.now(),
            next_meeting_at=next_meeting_at,
        )
        self._insert("cases", case, refers_to=f"caseworker {caseworker_id}")
        return case

    def get_case(self, case_id: str) -> Case | None:
        return self._one(Case, "cases", "id = ?", [case_id])

    def cases_for_caseworker(self, caseworker_id: str) -> list[Case]:
        return self._many(Case, "cases", "caseworker_id = ?", [caseworker_id])

    def add_participant(
        self,
        case_id: str,
        role: ParticipantRole,
        display_name: str,
        locale: str = "nb",
        voice: bool = False,
    ) -> Participant:
        participant = Participant(
            id=self.ids.new_id(),
            case_id=case_id,
            role=role,
            display_name=display_name,
            locale=locale,
            voice=voice,
            created_at=self.clock.now(),
        )
        self._insert("participants", participant, refers_to=f"case {case_id}")
        return participant

    def get_participant(self, participant_id: str) -> Participant | None:
        return self._one(Participant, "participants", "id = ?", [participant_id])

    def participants_in_case(self, case_id: str) -> list[Participant]:
        return self._many(Participant, "participants", "case_id = ?", [case_id])

    def link_channel(self, participant_id: str, channel: str, external_id: str) -> ChannelLink:
        where, params = "channel = ? AND external_id = ?", [channel, external_id]
        existing = self._one(ChannelLink, "channel_links", where, params)
        if existing is not None:
            if existing.participant_id != participant_id:
                raise AlreadyExists(f"{channel} account {external_id} is linked to someone else")
            return existing
        link = ChannelLink(
            participant_id=participant_id,
            channel=channel,
            external_id=external_id,
            linked_at=self.clock.now(),
        )
        self._insert("channel_links", link, refers_to=f"participant {participant_id}")
        return link

    def participant_by_channel(self, channel: str, external_id: str) -> Participant | None:
        found = self._select(
            Participant,
            "SELECT p.* FROM participants p JOIN channel_links l ON l.participant_id = p.id "
            "WHERE l.channel = ? AND l.external_id = ?",
            [channel, external_id],
        )
        return found[0] if found else None

    def links_for(self, participant_id: str) -> list[ChannelLink]:
        return self._many(ChannelLink, "channel_links", "participant_id = ?", [participant_id])

    def set_reachable(self, channel: str, external_id: str, reachable: bool) -> bool:
        if reachable:
            sql = (
                "UPDATE channel_links SET unreachable_at = NULL "
                "WHERE channel = ? AND external_id = ? AND unreachable_at IS NOT NULL"
            )
            params: list[Any] = [channel, external_id]
        else:
            sql = (
                "UPDATE channel_links SET unreachable_at = ? "
                "WHERE channel = ? AND external_id = ? AND unreachable_at IS NULL"
            )
            params = [utc_text(self.clock.now()), channel, external_id]
        return bool(self.db.execute(sql, params).rowcount)

    def update_participant(
        self,
        participant_id: str,
        *,
        locale: str | None = None,
        voice: bool | None = None,
        messages_stopped: bool | None = None,
    ) -> Participant:
        changes = {
            name: value
            for name, value in (
                ("locale", locale),
                ("voice", voice),
                ("messages_stopped", messages_stopped),
            )
            if value is not None
        }
        if changes:
            # column names come from the fixed tuple above, never from input
            assignments = ", ".join(f"{name} = ?" for name in changes)
            self.db.execute(
                f"UPDATE participants SET {assignments} WHERE id = ?",  # noqa: S608  # nosec B608  # fixed column names
                [*(int(v) if isinstance(v, bool) else v for v in changes.values()), participant_id],
            )
        participant = self.get_participant(participant_id)
        if participant is None:
            raise UnknownReference(f"no such participant {participant_id}")
        return participant

    def add_invite(
        self, participant_id: str, code_hash: str, created_by: str, expires_at: datetime
    ) -> Invite:
        invite = Invite(
            id=self.ids.new_id(),
            participant_id=participant_id,
            code_hash=code_hash,
            created_by=created_by,
            created_at=self.clock.now(),
            expires_at=expires_at,
        )
        self._insert("invites", invite, refers_to=f"participant {participant_id} or caseworker")
        return invite

    def redeem_invite(self, code_hash: str, now: datetime) -> Invite | None:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE invites SET redeemed_at = ? WHERE code_hash = ? "
                "AND redeemed_at IS NULL AND expires_at > ?",
                [utc_text(now), code_hash, utc_text(now)],
            )
            if cursor.rowcount != 1:
                return None
            return self._one(Invite, "invites", "code_hash = ?", [code_hash])

    def invites_for(self, participant_id: str) -> list[Invite]:
        return self._many(Invite, "invites", "participant_id = ?", [participant_id])

    def _insert(self, table: str, record: BaseModel, refers_to: str = "") -> None:
        """Insert a record; a broken foreign key becomes ``UnknownReference``."""
        try:
            self.db.table(table).insert(to_row(record))
        except INTEGRITY_ERRORS as error:
            if "FOREIGN KEY" in str(error):
                raise UnknownReference(f"no such {refers_to}") from None
            raise AlreadyExists(f"{table}: {error}") from None

    def _one(self, model: type[M], table: str, where: str, params: list[Any]) -> M | None:
        found = self._many(model, table, where, params)
        return found[0] if found else None

    def _many(self, model: type[M], table: str, where: str, params: list[Any]) -> list[M]:
        # table and clause come from this module, never from input
        sql = f"SELECT * FROM [{table}] WHERE {where} ORDER BY rowid"  # noqa: S608
        return self._select(model, sql, params)

    def _select(self, model: type[M], sql: str, params: list[Any]) -> list[M]:
        # Plain SQL: sqlite-utils' rows_where() and query() look the schema up or open a
        # savepoint on every call, and the bot reads participants on every update (hot path).
        cursor = self.db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [from_row(model, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
