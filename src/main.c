/*
 * main.c - process set-up shared by every mode: locale, libcurl's global
 * state (before any thread), SIGPIPE, then the command line.
 */
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "itui/cli.h"

int
main(int argc, char **argv)
{
	const char *loc;
	int status;

	/* Width of wide characters needs a UTF-8 LC_CTYPE. */
	loc = setlocale(LC_CTYPE, "");
	if (loc == NULL || (strstr(loc, "UTF-8") == NULL &&
			       strstr(loc, "utf8") == NULL))
		setlocale(LC_CTYPE, "C.UTF-8");
	/* Writes to a closed pipe or socket fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	status = cli_main(argc, argv);
	curl_global_cleanup();
	return status;
}
