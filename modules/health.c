/*
 * GET /healthz: 200 when PostgreSQL answers, 503 otherwise, for the load
 * balancer in front of the app nodes.
 */
#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "api.h"
#include "route.h"

static int	health_done(struct api_ctx *);

int
health_get(struct api_ctx *ctx)
{
	return (api_then(ctx, Q_HEALTH, 0, NULL, health_done));
}

static int
health_done(struct api_ctx *ctx)
{
	return (api_raw(ctx, 200, "{\"status\":\"ok\"}"));
}
