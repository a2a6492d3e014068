/* The product form without a connection: what she types is kept on the phone (localStorage) as
 * she types it; sent without a connection, the form stays on the phone and is offered again,
 * with one button, when the connection comes back. A photo is too big to keep this way: she
 * adds it once online. The form works the same without this script. Words come from the page. */
(() => {
  const form = document.querySelector("[data-offline-draft]");
  if (!form || !window.localStorage) return;
  const key = "maalem-product-draft:" + form.dataset.offlineDraft;
  const note = document.querySelector("[data-offline-note]");
  const fields = () => Array.from(form.elements).filter(
    (field) => field.name && field.type !== "file" && field.type !== "hidden" && field.type !== "submit"
  );
  const read = () => { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } };

  function keep() {
    const values = {};
    for (const field of fields()) {
      if (field.type === "radio") { if (field.checked) values[field.name] = field.value; }
      else values[field.name] = field.value;
    }
    localStorage.setItem(key, JSON.stringify(values));
  }

  function say(text, withButton) {
    if (!note) return;
    note.textContent = text;
    note.hidden = false;
    if (!withButton) return;
    const button = note.appendChild(document.createElement("button"));
    button.type = "button";
    button.className = "button";
    button.textContent = form.dataset.send;
    button.addEventListener("click", () => form.requestSubmit(form.querySelector("[value=sell]")));
  }

  const kept = read();
  if (kept && form.dataset.waiting !== "no") {
    for (const field of fields()) {
      if (!(field.name in kept)) continue;
      if (field.type === "radio") field.checked = field.value === kept[field.name];
      else field.value = kept[field.name];
    }
    say(form.dataset.restored, navigator.onLine);
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", (event) => {
    if (navigator.onLine) { localStorage.removeItem(key); return; }
    event.preventDefault();
    keep();
    say(form.dataset.saved, false);
  });
  window.addEventListener("online", () => { if (read()) say(form.dataset.restored, true); });
})();
