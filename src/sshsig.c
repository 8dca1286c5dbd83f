/*
 * sshsig.c - ssh-keygen -Y sign / -Y verify run as a child process.
 *
 * The message goes in on a pipe and the signature comes out on one; the
 * child's standard error is collected for the verdict.  The signature to
 * check is written to a private temporary file (ssh-keygen reads it by
 * name).  Pipes are drained with poll() so a chatty child cannot block on a
 * full pipe while we write its input.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itui/sshsig.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

#define OUTPUT_CAP (256 * 1024)

/* Runs argv with `in` on stdin; collects stdout and stderr; *status. */
static enum itui_code
run(const char *const argv[], const char *in, struct strbuf *out,
    struct strbuf *errs, int *status, struct itui_err *err)
{
	int pin[2], pout[2], perr[2];
	size_t off = 0, inlen = strlen(in);
	pid_t pid;
	char **v;
	int w, n;

	if (pipe2(pin, O_CLOEXEC) != 0)
		return err_set(err, ITUI_IO, "ssh-keygen: %s", strerror(errno));
	if (pipe2(pout, O_CLOEXEC) != 0) {
		close(pin[0]), close(pin[1]);
		return err_set(err, ITUI_IO, "ssh-keygen: %s", strerror(errno));
	}
	if (pipe2(perr, O_CLOEXEC) != 0) {
		close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]);
		return err_set(err, ITUI_IO, "ssh-keygen: %s", strerror(errno));
	}
	/* A writable copy for execvp(), made before fork(). */
	for (n = 0; argv[n] != NULL; n++)
		;
	v = xcalloc((size_t)n + 1, sizeof *v);
	for (w = 0; w < n; w++)
		v[w] = xstrdup(argv[w]);
	pid = fork();
	if (pid != 0) {
		for (w = 0; w < n; w++)
			free(v[w]);
		free(v);
	}
	if (pid < 0) {
		close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]);
		close(perr[0]), close(perr[1]);
		return err_set(err, ITUI_IO, "ssh-keygen: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execvp(v[0], v);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	{
		struct pollfd p[3] = {{pin[1], POLLOUT, 0},
		                      {pout[0], POLLIN, 0},
		                      {perr[0], POLLIN, 0}};
		int open_fds = 3;

		if (inlen == 0) {
			close(pin[1]);
			p[0].fd = -1;
			open_fds--;
		}
		while (open_fds > 0) {
			int i;

			if (poll(p, 3, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (i = 0; i < 3; i++) {
				char buf[4096];
				ssize_t got;

				if (p[i].fd < 0 || p[i].revents == 0)
					continue;
				if (i == 0) {
					got = write(p[0].fd, in + off,
					            inlen - off);
					if (got > 0)
						off += (size_t)got;
					if (got < 0 || off == inlen) {
						close(p[0].fd);
						p[0].fd = -1;
						open_fds--;
					}
					continue;
				}
				got = read(p[i].fd, buf, sizeof buf);
				if (got > 0) {
					struct strbuf *sb = i == 1 ? out : errs;

					if (sb->len < OUTPUT_CAP)
						strbuf_add(sb, buf,
						           (size_t)got);
				} else if (got == 0 || (errno != EINTR &&
				                        errno != EAGAIN)) {
					close(p[i].fd);
					p[i].fd = -1;
					open_fds--;
				}
			}
		}
	}
	while (waitpid(pid, &w, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
	return ITUI_OK;
}

/* The first line of s, trimmed, into buf. */
static void
first_line(const char *s, char *buf, size_t size)
{
	size_t n = strcspn(s, "\n");

	snprintf(buf, size, "%.*s", (int)n, s);
}

enum itui_code
sshsig_sign(const char *key_path, const char *msg, char **sig,
            struct itui_err *err)
{
	const char *argv[] = {"ssh-keygen",     "-q", "-Y",     "sign", "-n",
	                      SSHSIG_NAMESPACE, "-f", key_path, NULL};
	struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
	char line[256];
	int status = 0;

	*sig = NULL;
	if (run(argv, msg, &out, &errs, &status, err) != ITUI_OK)
		return err->code;
	if (status != 0 ||
	    strstr(strbuf_str(&out), "BEGIN SSH SIGNATURE") == NULL) {
		first_line(strbuf_str(&errs), line, sizeof line);
		strbuf_free(&out);
		strbuf_free(&errs);
		return err_set(err, status == 127 ? ITUI_IO : ITUI_INPUT,
		               "ssh-keygen could not sign with %s: %s",
		               key_path, line[0] ? line : "no signature");
	}
	strbuf_free(&errs);
	*sig = strbuf_detach(&out);
	return ITUI_OK;
}

enum itui_code
sshsig_verify(const char *allowed_signers, const char *principal,
              const char *msg, const char *sig, int *good, char *detail,
              size_t detail_size, struct itui_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/incident-tui-sig-XXXXXX",
	                       tmp != NULL && *tmp ? tmp : "/tmp");
	const char *argv[] = {"ssh-keygen",     "-Y", "verify",  "-f",
	                      allowed_signers,  "-I", principal, "-n",
	                      SSHSIG_NAMESPACE, "-s", NULL,      NULL};
	struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
	size_t len = strlen(sig);
	int fd, status = 0;
	enum itui_code rc;

	*good = 0;
	detail[0] = '\0';
	fd = mkstemp(path);
	if (fd < 0) {
		rc = err_set(err, ITUI_IO, "cannot write the signature: %s",
		             strerror(errno));
		free(path);
		return rc;
	}
	if (write(fd, sig, len) != (ssize_t)len) {
		rc = err_set(err, ITUI_IO, "cannot write the signature: %s",
		             strerror(errno));
		close(fd);
		unlink(path);
		free(path);
		return rc;
	}
	close(fd);
	argv[10] = path;
	rc = run(argv, msg, &out, &errs, &status, err);
	unlink(path);
	free(path);
	if (rc == ITUI_OK) {
		*good = status == 0;
		first_line(status == 0 ? strbuf_str(&out) : strbuf_str(&errs),
		           detail, detail_size);
		if (detail[0] == '\0')
			first_line(strbuf_str(&out), detail, detail_size);
		if (status == 127)
			rc = err_set(err, ITUI_IO, "cannot run ssh-keygen");
	}
	strbuf_free(&out);
	strbuf_free(&errs);
	return rc;
}
