/* unsent.c - files of text typed into dashboards that were cut off. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/unsent.h"
#include "itui/xalloc.h"

/* The directory, created 0700 when missing; 0 on success. */
static int
state_dir(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		snprintf(buf, size, "%s/incident-tui", xdg);
	else if (home != NULL && *home == '/')
		snprintf(buf, size, "%s/.local/state/incident-tui", home);
	else
		return -1;
	/* The parents as well: ~/.local/state may not exist yet. */
	for (char *p = buf + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(buf, 0700);
			*p = '/';
		}
	return mkdir(buf, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* FNV-1a of the path: files of one database, not of every database. */
static uint32_t
db_tag(const char *db_path)
{
	uint32_t h = 2166136261u;

	for (; *db_path != '\0'; db_path++)
		h = (h ^ (unsigned char)*db_path) * 16777619u;
	return h;
}

void
unsent_add(struct strbuf *sb, const char *what, const char *text)
{
	if (text == NULL || text[strspn(text, " \t\n")] == '\0')
		return;
	strbuf_addf(sb, "%s\n%s\n\n", what, text);
}

int
unsent_save(const char *db_path, const struct strbuf *sb)
{
	char dir[600], path[700];
	int fd;
	ssize_t n;

	if (sb->len == 0)
		return 0;
	if (state_dir(dir, sizeof dir) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/unsent-%08x-%ld.txt", dir,
	         db_tag(db_path), (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	          0600);
	if (fd < 0)
		return -1;
	n = write(fd, strbuf_str(sb), sb->len);
	if (close(fd) != 0 || n != (ssize_t)sb->len) {
		(void)unlink(path);
		return -1;
	}
	return 0;
}

char *
unsent_take(const char *db_path)
{
	char dir[600], prefix[32], path[1000];
	struct strbuf out = STRBUF_INIT;
	struct dirent *de;
	DIR *d;

	if (state_dir(dir, sizeof dir) != 0 || (d = opendir(dir)) == NULL)
		return NULL;
	snprintf(prefix, sizeof prefix, "unsent-%08x-", db_tag(db_path));
	while ((de = readdir(d)) != NULL) {
		long pid;
		char buf[4096];
		FILE *f;
		size_t n;

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		pid = strtol(de->d_name + strlen(prefix), NULL, 10);
		/* Another dashboard still running keeps its file. */
		if (pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			strbuf_add(&out, buf, n);
		fclose(f);
		(void)unlink(path);
	}
	closedir(d);
	if (out.len == 0) {
		strbuf_free(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}
