/*
 * outfile.h - writing a command's output into the file a person named with
 * -o FILE, without replacing what that name stood for.
 *
 * Contract: outfile_write() puts all of data into path or fails with one
 * ITUI_IO line naming path and the cause (ITUI_USAGE for a target it will
 * not write); nothing is partly done that can be avoided:
 *   - a new name is created (mode 0666 less the umask) and removed again if
 *     the write fails;
 *   - an existing regular file, or the regular file a symlink names, is
 *     written in place: its inode, mode, owner, group and links stay; the
 *     space is reserved first, so a full disk fails before a byte of the
 *     old contents is touched;
 *   - a character device or a pipe (/dev/stdout, a FIFO) is written as a
 *     stream: a short write or a full device fails;
 *   - anything else (a directory, a block device, a socket, a dangling
 *     symlink) is refused and left alone.
 * Never renames over the target.  Any thread; holds no state.
 */
#ifndef ITUI_OUTFILE_H
#define ITUI_OUTFILE_H

#include <stddef.h>

#include "itui/err.h"

enum itui_code outfile_write(const char *path, const char *data, size_t len,
                             struct itui_err *err);

#endif
