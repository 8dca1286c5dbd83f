/*
 * pgfloor - the least a process per commit can cost on PostgreSQL, for
 * bench/pg.sh: start, connect (libpq linked, as psql is), one INSERT,
 * disconnect.  What incident-tui's log does beyond this is its own cost.
 * Usage: pgfloor CONNINFO (into a table t(id bigserial, x text)).
 */
#include <libpq-fe.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	PGconn *c;
	PGresult *r;
	int ok;

	if (argc != 2) {
		fprintf(stderr, "usage: pgfloor CONNINFO\n");
		return 2;
	}
	c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pgfloor: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	r = PQexec(c, "INSERT INTO t(x) VALUES ('an entry')");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "pgfloor: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : 1;
}
