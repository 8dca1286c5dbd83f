/*
 * Fuzz target: Prometheus's query and alerts replies, Alertmanager's alert
 * list, and the error message of any of their bodies.  The first byte picks
 * the parser and the HTTP status.
 */
#include "fuzz.h"
#include "itui/prom.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 400, 422, 503};
	struct prom_result r;
	struct alert_list l;
	struct itui_err err;
	char msg[256];
	long status;

	if (size < 1)
		return 0;
	status = statuses[(data[0] >> 2) & 3];
	switch (data[0] & 3) {
	case 0:
		if (prom_parse_query(status, (const char *)data + 1, size - 1,
		                     &r, &err) == ITUI_OK)
			prom_result_free(&r);
		break;
	case 1:
		if (prom_parse_alerts(status, (const char *)data + 1, size - 1,
		                      &l, &err) == ITUI_OK)
			alerts_free(&l);
		break;
	case 2:
		if (am_parse_alerts(status, (const char *)data + 1, size - 1,
		                    &l, &err) == ITUI_OK) {
			alerts_rekey(&l,
			             (const char *const[]){"replica", NULL});
			alerts_free(&l);
		}
		break;
	default:
		prom_error_message(status, (const char *)data + 1, size - 1,
		                   msg, sizeof msg);
	}
	return 0;
}
