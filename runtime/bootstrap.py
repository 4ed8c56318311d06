"""The one composition root: settings in, wired services and the ASGI app out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from runtime.auth.models import ApiKey
from runtime.catalog.service import CatalogService
from runtime.config import Settings
from runtime.db.session import Database
from runtime.events.dispatcher import Dispatcher
from runtime.events.policy import DeliveryPolicy


@dataclass
class Services:
    """What request handlers and workers may use; built once per process."""

    settings: Settings
    database: Database
    dispatcher: Dispatcher  # delivers the TMF event outbox in the background
    catalog: CatalogService  # releases, the loaded-release cache, drafts

    async def keys_active(self, session: AsyncSession, key_id: str) -> bool:
        key = await session.get(ApiKey, key_id)
        return key is not None and key.revoked_at is None

    async def start(self) -> None:
        await self.database.migrate()
        await self.dispatcher.start()

    async def stop(self) -> None:
        self.catalog.close()
        await self.dispatcher.stop()
        await self.database.dispose()


def build_services(settings: Settings) -> Services:
    database = Database(settings.database_url)
    return Services(
        settings=settings,
        database=database,
        dispatcher=Dispatcher(database, settings.signing_secret, DeliveryPolicy.from_env()),
        catalog=CatalogService(),
    )
