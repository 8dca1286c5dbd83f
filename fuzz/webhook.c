/*
 * Fuzz target: the webhook payloads the receiver accepts, Alertmanager's
 * (version 4) and Grafana alerting's; the first byte picks which.
 */
#include "fuzz.h"
#include "itui/prom.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert_list l;
	struct itui_err err;

	if (size < 1)
		return 0;
	if (webhook_parse(data[0] & 1 ? WEBHOOK_GRAFANA : WEBHOOK_ALERTMANAGER,
	                  (const char *)data + 1, size - 1, &l,
	                  &err) == ITUI_OK)
		alerts_free(&l);
	return 0;
}
