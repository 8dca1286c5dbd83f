/*
 * statuspage.h - a static status page that works offline: index.html (the
 * state of each service, active incidents with their public updates, the
 * last 90 days), status.json (a JSON feed) and feed.atom (an Atom feed).
 *
 * Contract: statuspage_write() reads through the caller's store (so it runs
 * on that store's thread) and writes each file atomically (a temporary file
 * in DIR, fsync, rename), creating DIR if needed.  Only public updates
 * appear: `comms` entries rendered from the statuspage template, and entries
 * whose data says "public": true; internal notes never do.  Every stored
 * string is made inert (sanitize.c) and then HTML/XML-escaped; the page
 * needs no JavaScript.  Drills are left out.
 */
#ifndef ITUI_STATUSPAGE_H
#define ITUI_STATUSPAGE_H

#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/policy.h"
#include "itui/store.h"

#define STATUSPAGE_DAYS 90

enum itui_code statuspage_write(struct store *st, const struct policy *p,
                                const struct config *cfg, const char *dir,
                                int64_t now, struct itui_err *err);

#endif
