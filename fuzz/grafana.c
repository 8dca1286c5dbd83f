/*
 * Fuzz target: what Grafana answers: its Prometheus-compatible alerts
 * endpoint, its webhook contact point's payload, its error bodies and its
 * alert states.
 */
#include "fuzz.h"
#include "itui/prom.h"

#include <stdlib.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert_list l;
	struct itui_err err;
	char msg[256], *s;

	if (prom_parse_alerts(200, (const char *)data, size, &l, &err) ==
	    ITUI_OK)
		alerts_free(&l);
	if (webhook_parse(WEBHOOK_GRAFANA, (const char *)data, size, &l,
	                  &err) == ITUI_OK)
		alerts_free(&l);
	prom_error_message(401, (const char *)data, size, msg, sizeof msg);
	s = fuzz_cstr(data, size < 64 ? size : 64);
	(void)grafana_state_firing(s);
	free(s);
	return 0;
}
