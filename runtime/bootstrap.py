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
from runtime.ordering.no_orchestrator import NoOrchestrator
from runtime.ordering.orchestrator import OrderOrchestrator
from runtime.ordering.starts import OrderStarts


@dataclass
class Services:
    """What request handlers and workers may use; built once per process."""

    settings: Settings
    database: Database
    dispatcher: Dispatcher  # delivers the TMF event outbox in the background
    catalog: CatalogService  # releases, the loaded-release cache, drafts
    orchestrator: OrderOrchestrator  # drives order workflows (NoOrchestrator when none is wired)
    order_starts: OrderStarts  # starts captured orders' workflows from the outbox, in the background

    async def keys_active(self, session: AsyncSession, key_id: str) -> bool:
        key = await session.get(ApiKey, key_id)
        return key is not None and key.revoked_at is None

    async def start(self) -> None:
        await self.database.migrate()
        if self.settings.temporal_address and isinstance(self.orchestrator, NoOrchestrator):
            await self._use_temporal()
        await self.dispatcher.start()
        await self.order_starts.start()

    async def _use_temporal(self) -> None:
        # Imported here: processes without Temporal (the CLI, most tests) need not load its SDK. The client
        # connects on first use, so the API serves (and captures orders into the start outbox) even while
        # Temporal is still starting or away.
        from runtime.temporal.orchestrator import connect_orchestrator

        self.orchestrator = await connect_orchestrator(self.settings)
        self.order_starts.orchestrator = self.orchestrator

    async def stop(self) -> None:
        self.catalog.close()
        await self.order_starts.stop()
        await self.dispatcher.stop()
        await self.database.dispose()


def build_services(settings: Settings, *, orchestrator: OrderOrchestrator | None = None) -> Services:
    database = Database(settings.database_url)
    orchestrator = orchestrator if orchestrator is not None else NoOrchestrator()
    return Services(
        settings=settings,
        database=database,
        dispatcher=Dispatcher(database, settings.signing_secret, DeliveryPolicy.from_env()),
        catalog=CatalogService(),
        orchestrator=orchestrator,
        order_starts=OrderStarts(database, orchestrator),
    )
