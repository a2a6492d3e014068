/* Enhancements, each page works without them: a big Listen button over the native audio player,
 * and offline lessons. "Lesson done" and quiz answers that get no answer wait in a queue on the
 * phone, each with its own id; online, the queue goes to the sync API, which records each event
 * once. Words come from the page, translated. */
(() => {
  const me = document.currentScript.dataset;
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(me.sw);

  // Listen: the native player becomes one big play/pause button with the same words and icon.
  for (const box of document.querySelectorAll("[data-listen]")) {
    const audio = box.querySelector("audio"), label = box.querySelector(".listen-label");
    if (!audio || !label || !audio.play) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button listen-button";
    button.setAttribute("aria-pressed", "false");
    const pause = label.querySelector("svg").cloneNode(true);
    const use = pause.querySelector("use");
    use.setAttribute("href", use.getAttribute("href").replace(/#.*/, "#pause"));
    pause.classList.add("when-playing");
    button.append(...label.childNodes, pause);
    label.replaceWith(button);
    audio.controls = false;
    audio.hidden = true;
    const pressed = () => button.setAttribute("aria-pressed", String(!audio.paused && !audio.ended));
    for (const name of ["play", "pause", "ended"]) audio.addEventListener(name, pressed);
    button.addEventListener("click", () => {
      if (!audio.paused) return audio.pause();
      for (const other of document.querySelectorAll("audio")) if (other !== audio) other.pause();
      // Not playable (offline and never heard, say): show the native player and its message.
      audio.play().catch(() => { audio.hidden = false; audio.controls = true; pressed(); });
    });
  }

  if (!me.learner || !window.localStorage || !window.fetch) return;
  const KEY = "maalem-queue-" + me.learner, NOTES = "maalem-notes-" + me.learner;
  const box = document.querySelector("[data-sync-status]");
  const say = box ? box.dataset : {};
  const read = (key) => { try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; } };
  const write = (key, value) => localStorage.setItem(key, JSON.stringify(value));

  function show(notes) {
    notes = read(NOTES).concat(notes || []);
    if (!box) return write(NOTES, notes); // shown on the next page that has a status area
    localStorage.removeItem(NOTES);
    const waiting = read(KEY).length;
    box.textContent = "";
    box.hidden = false;
    const lines = [[waiting ? say.waiting + " " + waiting : say.saved, false]];
    for (const [text, bad] of lines.concat(notes)) {
      const p = box.appendChild(document.createElement("p"));
      p.textContent = text;
      if (bad) p.className = "error";
    }
  }

  function queued(form) {
    const note = document.createElement("p");
    note.className = "badge queued";
    note.dataset.lesson = form.dataset.lesson;
    note.textContent = say.queued;
    form.replaceWith(note);
  }

  const token = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1]
    || (document.querySelector("[name=csrfmiddlewaretoken]") || {}).value;

  // A tap is sent by fetch under its own id. No answer (no data, a timeout, a page kept from
  // another session): it waits in the queue under the same id, which the server records once.
  for (const form of document.querySelectorAll("form[data-offline]")) {
    const lesson = Number(form.dataset.lesson);
    if (read(KEY).some((event) => event.lesson_id === lesson)) { queued(form); continue; }
    if (!window.crypto || !crypto.randomUUID || !window.AbortController) continue;
    const id = Object.assign(form.appendChild(document.createElement("input")), {
      type: "hidden", name: "event_id", value: crypto.randomUUID(),
    }).value;
    let busy = false;
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      if (busy) return;
      busy = true;
      const quiz = form.dataset.offline === "quiz_submitted", csrf = token();
      // A page reopened from the cache may carry an old token; the cookie has the current one.
      if (csrf && form.elements.csrfmiddlewaretoken) form.elements.csrfmiddlewaretoken.value = csrf;
      const stop = new AbortController(), timer = setTimeout(() => stop.abort(), 10000);
      let response;
      try {
        response = await fetch(form.action, {
          method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { "X-CSRFToken": csrf, Accept: "application/json" }, signal: stop.signal,
        });
        // Recorded: the server names the next page, and opening it shows the tap's messages.
        if (response.ok && /json/.test(response.headers.get("Content-Type"))) {
          return location.assign((await response.json()).next);
        }
      } catch (lost) { /* queued below */ }
      clearTimeout(timer);
      // A refusal records nothing: post the form itself to show the server's page.
      if (response && response.status !== 403 && response.status < 500) return form.submit();
      busy = false;
      const event = {
        id, type: form.dataset.offline, lesson_id: lesson,
        occurred_at: new Date().toISOString(), title: document.querySelector("h1").textContent,
      };
      if (quiz) {
        const missing = [...form.querySelectorAll("fieldset")].filter((set) => !set.querySelector(":checked"));
        if (missing.length) return show([[form.dataset.incomplete, true]]);
        event.answers = {};
        for (const [name, value] of new FormData(form)) {
          if (name.startsWith("q-")) (event.answers[name.slice(2)] ||= []).push(value);
        }
      }
      write(KEY, read(KEY).concat([event]));
      queued(form);
      show();
    });
  }

  let sending = false;
  async function send() {
    const batch = read(KEY).slice(0, 50);
    if (sending || !batch.length || !navigator.onLine) return show();
    sending = true;
    const titles = Object.fromEntries(batch.map((event) => [event.id, event.title]));
    const lessons = Object.fromEntries(batch.map((event) => [event.id, event.lesson_id]));
    try {
      const response = await fetch(me.sync, {
        method: "POST", credentials: "same-origin", body: JSON.stringify({ events: batch }),
        headers: { "Content-Type": "application/json", "X-CSRFToken": token(), "Accept-Language": document.documentElement.lang },
      });
      if (!response.ok) throw response.status === 403 ? say.signin : say.failed;
      const results = (await response.json()).results;
      const answered = new Set(results.map((result) => result.id));
      write(KEY, read(KEY).filter((event) => !answered.has(event.id)));
      for (const result of results) {
        // The lesson on screen says what became of it, not "waiting" any more.
        const badge = document.querySelector(`.badge.queued[data-lesson="${lessons[result.id]}"]`);
        if (!badge) continue;
        badge.textContent = result.message;
        badge.className = result.status === "rejected" ? "badge error" : "badge done";
      }
      sending = false;
      show(results.map((result) => [titles[result.id] + ": " + result.message, result.status === "rejected"]));
      if (read(KEY).length) send();
    } catch (error) {
      sending = false;
      show([[typeof error === "string" ? error : say.failed, true]]);
    }
  }

  addEventListener("online", send);
  send();
})();
