// Refuses a photo over the size limit as soon as it is chosen, before a slow phone spends its
// data sending it, with the words the server would use. Without this script, the server says it.
(function () {
  "use strict";
  var input = document.getElementById("id_photo");
  if (!input || !input.files) return;
  var max = Number(input.getAttribute("data-max-bytes"));
  var field = input.parentNode;
  var described = input.getAttribute("aria-describedby") || "";

  function megabytes(size) {
    var number = String(Math.round((size / 1048576) * 10) / 10).replace(".", input.getAttribute("data-decimal"));
    return input.getAttribute("data-megabytes").replace("%(number)s", number);
  }

  function say(text) {
    var error = document.getElementById("id_photo_error");
    if (!error) {
      error = document.createElement("p");
      error.className = "error";
      error.id = "id_photo_error";
      error.setAttribute("role", "alert");
      field.insertBefore(error, input);
    }
    error.textContent = text;
    field.classList.add("invalid");
    input.setAttribute("aria-invalid", "true");
    if (described.indexOf("id_photo_error") < 0) {
      input.setAttribute("aria-describedby", (described + " id_photo_error").trim());
    }
  }

  input.addEventListener("change", function () {
    var file = input.files[0];
    if (file && file.size > max) {
      input.value = "";
      say(input.getAttribute("data-too-big").replace("{size}", megabytes(file.size)));
    }
  });
})();
