/*
 * main.c - process set-up shared by every mode: the locale and SIGPIPE, then
 * the command line.  (libcurl is loaded, and its global state initialised,
 * by the HTTP layer when the poller first needs it, before it starts any
 * thread; commands that never speak HTTP never pay for loading it.)
 */
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "itui/cli.h"

int
main(int argc, char **argv)
{
	const char *loc;

	/* Width of wide characters needs a UTF-8 LC_CTYPE. */
	loc = setlocale(LC_CTYPE, "");
	if (loc == NULL ||
	    (strstr(loc, "UTF-8") == NULL && strstr(loc, "utf8") == NULL))
		setlocale(LC_CTYPE, "C.UTF-8");
	/* Writes to a closed pipe or socket fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	return cli_main(argc, argv);
}
