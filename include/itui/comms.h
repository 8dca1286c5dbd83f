/*
 * comms.h - what an incident says for itself: status updates from
 * templates, and the postmortem draft.
 *
 * Contract: main thread; reads through the store, writes nothing.
 * Templates are found first in the user's $XDG_CONFIG_HOME/incident-tui/
 * templates/, then in share/incident-tui/templates/; docs/templates.md lists
 * the placeholders.  Every value is sanitised (newlines kept where a value
 * spans lines), so a template's output is safe to print.
 */
#ifndef ITUI_COMMS_H
#define ITUI_COMMS_H

#include <stdint.h>

#include "itui/err.h"
#include "itui/policy.h"
#include "itui/store.h"
#include "itui/strbuf.h"

/* The templates `update` knows, in the order the help lists them. */
extern const char *const comms_templates[];

/* The template an update uses by default: initial, update or resolution. */
const char *comms_default_template(const struct incident *inc);

/*
 * Renders template `name` for incident `id` into out; "postmortem" is the
 * postmortem draft's template.
 */
enum itui_code comms_render(struct store *st, const struct policy *p,
                            const char *share_dir, int64_t id, const char *name,
                            int64_t now, const char *user, struct strbuf *out,
                            struct itui_err *err);

#endif
