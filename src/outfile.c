/*
 * outfile.c - -o FILE written in place.
 *
 * DESIGN: the usual "write a temporary file, rename it over the target"
 * replaces whatever the name stood for: a device node became a regular
 * file, a symlink was cut, a 0600 file came back 0644 and owned by whoever
 * ran the command.  Writing into the existing inode keeps all of that; what
 * rename bought (never a half-written file) is kept for the common failure,
 * a full disk, by reserving the space before the first byte is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/outfile.h"

/* All of data at offset off (-1: the stream's position); 0 or errno. */
static int
write_all(int fd, const char *data, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t w = off < 0 ? write(fd, data + done, len - done)
		                    : pwrite(fd, data + done, len - done,
		                             off + (off_t)done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return ENOSPC;
		done += (size_t)w;
	}
	return 0;
}

/* Closes fd; ITUI_OK, or the first error (e, else close's) for path. */
static enum itui_code
done(const char *path, int fd, int e, struct itui_err *err)
{
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e != 0)
		return err_set(err, ITUI_IO, "writing %s: %s", path,
		               strerror(e));
	return ITUI_OK;
}

static enum itui_code
write_new(const char *path, int fd, const char *data, size_t len,
          struct itui_err *err)
{
	int e = write_all(fd, data, len, 0);

	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0)
		return ITUI_OK;
	unlink(path);
	return err_set(err, ITUI_IO, "writing %s: %s (nothing written)", path,
	               strerror(e));
}

static enum itui_code
write_regular(const char *path, int fd, const char *data, size_t len,
              struct itui_err *err)
{
	int e = 0;

	/*
	 * The space first, past the end and without changing the size, so a
	 * full disk fails here with the old contents whole.  A file system
	 * that cannot reserve is written anyway.
	 */
	if (len > 0 && fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)len) != 0 &&
	    errno != EOPNOTSUPP && errno != ENOSYS) {
		e = errno;
		close(fd);
		return err_set(err, ITUI_IO, "writing %s: %s (left as it was)",
		               path, strerror(e));
	}
	e = write_all(fd, data, len, 0);
	if (e == 0 && ftruncate(fd, (off_t)len) != 0)
		e = errno;
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	return done(path, fd, e, err);
}

enum itui_code
outfile_write(const char *path, const char *data, size_t len,
              struct itui_err *err)
{
	struct stat sb;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
	          0666);
	if (fd >= 0)
		return write_new(path, fd, data, len, err);
	if (errno != EEXIST)
		return err_set(err, ITUI_IO, "cannot write %s: %s", path,
		               strerror(errno));
	/* What the name stands for, through a symlink, before opening it. */
	if (stat(path, &sb) != 0)
		return err_set(err, ITUI_USAGE,
		               "%s: %s (a dangling symlink is not written)",
		               path, strerror(errno));
	if (!S_ISREG(sb.st_mode) && !S_ISCHR(sb.st_mode) &&
	    !S_ISFIFO(sb.st_mode))
		return err_set(err, ITUI_USAGE,
		               "%s is not a regular file, a character device "
		               "or a pipe: nothing written",
		               path);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_set(err, ITUI_IO, "cannot write %s: %s", path,
		               strerror(errno));
	if (fstat(fd, &sb) != 0 ||
	    (!S_ISREG(sb.st_mode) && !S_ISCHR(sb.st_mode) &&
	     !S_ISFIFO(sb.st_mode))) {
		close(fd);
		return err_set(
		    err, ITUI_USAGE,
		    "%s changed while it was opened: nothing written", path);
	}
	if (S_ISREG(sb.st_mode))
		return write_regular(path, fd, data, len, err);
	return done(path, fd, write_all(fd, data, len, -1), err);
}
