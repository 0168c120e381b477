"""The HTTP API (django-ninja). OpenAPI schema at /api/v1/openapi.json, docs page at /api/v1/docs
(served from the installed `ninja` static files: no CDN)."""

from ninja import NinjaAPI

import jidu.intake.api  # noqa: F401  (registers the push endpoints on the orders router)
import jidu.screening.api  # noqa: F401  (registers GET /orders/{id}/screening)
import jidu.jurisdiction.api  # noqa: F401  (registers GET /orders/{id}/advice)
from jidu.orders.api import router as orders_router

api = NinjaAPI(
    title="即督快响 API",
    version="1",
    description="12345热线工单推送与查询接口。推送需使用来源令牌（Authorization: Bearer <令牌>）。",
    urls_namespace="api",
)
api.add_router("/orders", orders_router)
api.add_router("/directives", "jidu.directives.api.router")
