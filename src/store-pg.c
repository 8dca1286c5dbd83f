/* store-pg.c - the PostgreSQL driver (store-drv.h). */
#include "itui/store-drv.h"

enum itui_code
sd_pg_open(const char *loc, unsigned flags, struct sd_db **out,
           struct itui_err *err)
{
	(void)flags;
	*out = NULL;
	return err_set(err, ITUI_INPUT, "%s: PostgreSQL is not supported yet",
	               loc);
}
