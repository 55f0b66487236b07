/* Yiwang service worker. Served from /sw.js by yiwang.web.pwa so that its scope is the whole
 * site. It keeps a small shell (styles, scripts, icons, the offline page) and nothing else:
 * pages go to the network first and are never stored, because a page can hold personal data;
 * API, admin, account and message paths are left entirely to the browser. */
"use strict";

const CACHE = "yiwang-shell-{{ version }}";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const NEVER = {{ never|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("yiwang-shell-") && key !== CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});
