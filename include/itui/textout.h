/*
 * textout.h - plain-text output of the command line.
 *
 * Contract: every stored string is passed through the sanitiser on its way
 * to the FILE, so nothing a person or an alert typed can move the cursor or
 * reorder text.  `width` is the terminal width to fit (0: no limit).  Main
 * thread.
 */
#ifndef ITUI_TEXTOUT_H
#define ITUI_TEXTOUT_H

#include <stdint.h>
#include <stdio.h>

#include "itui/model.h"
#include "itui/policy.h"

void textout_incident_list(FILE *f, const struct incident_list *l,
                           const struct policy *p, int64_t now, int width);
void textout_incident(FILE *f, const struct incident *inc,
                      const struct entry_list *timeline,
                      const struct action_list *actions, const struct policy *p,
                      int64_t now, int width);
void textout_audit(FILE *f, const struct audit_list *l, int width);
/*
 * A clock in the one clock format (time_format_clock): "update -12:05
 * (breached)", "acknowledge 09:58 (soon)", and for the escalation clock the
 * tier and whom it reaches, "tier 2 → engineering manager in 1:36".  buf holds
 * TEXTOUT_CLOCK_BUF.
 */
#define TEXTOUT_CLOCK_BUF 160
char *textout_clock(const struct sla_clock *c, char *buf, size_t size);
/* Appends s sanitised and padded to exactly `cols` display columns. */
void textout_cell(struct strbuf *sb, const char *s, size_t cols);

#endif
