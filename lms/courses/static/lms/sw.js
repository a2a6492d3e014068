/* Maalem's service worker: keeps the pages, pictures and sounds a learner opened.
 * Served by lms.courses.api.service_worker, which puts self.MAALEM in front of this file:
 * {offline: {language: offline page URL}, precache: [URLs], files: [URL prefixes], skip: [...]}.
 * Pages: network first, the kept copy when offline or when the network takes longer than
 * PATIENCE (radio on, no data), else the offline page of the language.
 * Files (static and media): the kept copy first. Both caches are bounded. */
"use strict";
const C = self.MAALEM;
const SHELL = "maalem-shell", PAGES = "maalem-pages", FILES = "maalem-files";
const LIMITS = { [PAGES]: 50, [FILES]: 100 };
const PATIENCE = 5000; // milliseconds
const under = (url, prefixes) => prefixes.some((prefix) => url.pathname.startsWith(prefix));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(C.precache)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // A new worker means a new deployment: drop kept stylesheets and scripts, keep lesson media.
  event.waitUntil(
    (async () => {
      const cache = await caches.open(FILES);
      for (const key of await cache.keys()) {
        if (new URL(key.url).pathname.startsWith(C.files[0])) await cache.delete(key);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || under(url, C.skip)) return;
  if (request.mode === "navigate") event.respondWith(page(event, url));
  else if (under(url, C.files) && request.destination !== "video") event.respondWith(file(event));
});

async function keep(name, url, response) {
  const cache = await caches.open(name);
  await cache.delete(url); // put it back last: the oldest pages go first
  await cache.put(url, response);
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(keys.length - LIMITS[name], 0))) await cache.delete(key);
}

async function page(event, url) {
  const network = fetch(event.request);
  event.waitUntil(
    network
      .then((response) => {
        const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
        // A redirect (to sign in, say) is not the page that was asked for.
        if (response.ok && html && !response.redirected) {
          return keep(PAGES, event.request.url, response.clone());
        }
      })
      .catch(() => {})
  );
  // The network may still refresh the kept copy after it has been shown.
  const slow = new Promise((resolve) => setTimeout(resolve, PATIENCE))
    .then(() => caches.match(event.request.url, { ignoreVary: true }))
    .then((kept) => kept || network);
  try {
    return await Promise.race([network, slow]);
  } catch (offline) {
    const language = url.pathname.split("/")[1];
    const fallback = C.offline[language] || Object.values(C.offline)[0];
    return (
      (await caches.match(event.request.url, { ignoreVary: true })) ||
      (await caches.match(fallback, { ignoreVary: true })) ||
      Response.error()
    );
  }
}

async function file(event) {
  const request = event.request;
  let response = await caches.match(request.url, { ignoreVary: true });
  if (!response) {
    // Fetch and keep the whole file even when the audio player asked for a range of it.
    response = await fetch(request.url, { credentials: "same-origin" });
    if (response.ok) event.waitUntil(keep(FILES, request.url, response.clone()));
  }
  const range = /bytes=(\d*)-(\d*)/.exec(request.headers.get("Range") || "");
  if (!range || response.status !== 200) return response;
  const blob = await response.blob();
  const start = Number(range[1]) || 0;
  const end = range[2] ? Math.min(Number(range[2]) + 1, blob.size) : blob.size;
  return new Response(blob.slice(start, end), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "",
      "Content-Range": `bytes ${start}-${end - 1}/${blob.size}`,
      "Content-Length": String(end - start),
    },
  });
}
