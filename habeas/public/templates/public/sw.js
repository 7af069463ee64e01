/* Habeas service worker: keeps the SOS page, the guides and the other pages usable offline
 * after one visit, sends a queued SOS when the connection returns (Background Sync), and
 * reports its first install once, anonymously (docs/stats.md).
 * Served from / by a view (its scope is the whole site); the server fills in the version,
 * a hash of the shell's files and the guides' texts, so every deploy that changes them
 * installs a new cache. Pages are cached in the language the reader chose: the language is
 * in this file's body, so switching it installs a new worker and a new cache.
 * The code is in public/worker/: core.js (shared with the Safe photo worker) and site.js.
 */
"use strict";

const VERSION = "{{ version }}";
const LANG = {{ lang|safe }};
const PREFIX = "habeas-shell-";
const CACHE = PREFIX + VERSION + "-" + LANG;
const SHELL = {{ shell_json|safe }};
const PAGES = {{ pages_json|safe }};
const HOME = {{ home|safe }};
const WIPE = {{ wipe|safe }};
const API = {{ api_prefix|safe }};
const CASES = {{ cases|safe }};
const INSTALLS = {{ installs|safe }};

{% include "public/worker/core.js" %}
{% include "public/worker/site.js" %}
