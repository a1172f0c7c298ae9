// Run from the page's head, before the app's scripts have arrived. On a concert's page it starts the public reads
// the first render needs (the concert, its venue layout, its seat state), so they travel while the scripts load.
// The app (src/api.ts, earlyRead) takes each answer once; what it has not taken after 10 s is dropped.
(function () {
  var opened = /^\/concerts\/([0-9a-fA-F-]{36})\/?$/.exec(window.location.pathname);
  if (!opened || typeof window.fetch !== "function") return;
  var concertId = opened[1];
  var reads = {};
  [
    "/api/catalog/concerts/" + concertId,
    "/api/tickets/concerts/" + concertId + "/layout",
    "/api/tickets/concerts/" + concertId + "/seat-state",
  ].forEach(function (path) {
    // Given up after 20 s, as the app's own reads are (src/api.ts): a stuck read must not keep the page loading.
    var signal = typeof AbortSignal !== "undefined" && AbortSignal.timeout ? AbortSignal.timeout(20000) : undefined;
    var answer = window.fetch(path, { headers: { Accept: "application/json" }, signal: signal });
    answer.catch(function () {}); // a failure is the app's to report, when it takes the read
    reads[path] = answer;
  });
  window.ticketingEarlyReads = reads;
  window.setTimeout(function () {
    window.ticketingEarlyReads = undefined;
  }, 10000);
})();
