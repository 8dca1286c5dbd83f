/*
 * sshsig.h - signing and checking short messages with the user's own SSH
 * key, through ssh-keygen's -Y sign / -Y verify (OpenSSH's SSHSIG format).
 *
 * Contract: main thread only (it forks).  ssh-keygen is run by fork/exec with
 * the message on its standard input; argv carries only paths, the namespace
 * and the principal, never a secret (a passphrase, if the key has one, is
 * asked for by ssh-keygen itself on the terminal, or the agent answers).
 * Strings returned are the caller's to free.
 */
#ifndef ITUI_SSHSIG_H
#define ITUI_SSHSIG_H

#include "itui/err.h"

#define SSHSIG_NAMESPACE "incident-tui"

/* Signs msg with the key at key_path; *sig is the armored signature. */
enum itui_code sshsig_sign(const char *key_path, const char *msg, char **sig,
                           struct itui_err *err);
/*
 * Checks sig over msg for principal against an allowed-signers file.  Sets
 * *good; detail gets ssh-keygen's one-line verdict.  Fails only when
 * ssh-keygen cannot be run.
 */
enum itui_code sshsig_verify(const char *allowed_signers, const char *principal,
                             const char *msg, const char *sig, int *good,
                             char *detail, size_t detail_size,
                             struct itui_err *err);

#endif
